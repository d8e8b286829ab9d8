"""A sandboxed grading kernel is used as soon as it answers: no fixed waits per notebook."""

import asyncio
import time

from autograder.sandbox.bubblewrap import SandboxedKernelManager


def start_ask_and_run(code):
    return asyncio.run(_start_ask_and_run(code))


async def _start_ask_and_run(code):
    """(seconds a second readiness check took on a ready kernel, what `code` printed)."""
    manager = SandboxedKernelManager(kernel_name="python3")
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    printed = []

    def collect(message):
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    try:
        await client.wait_for_ready(timeout=60)
        start = time.monotonic()
        await client.wait_for_ready(timeout=60)
        again = time.monotonic() - start
        await client.execute_interactive(code, output_hook=collect, timeout=60)
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)
    return again, "".join(printed)


def test_a_ready_kernel_is_used_at_once_and_runs_cells():
    again, printed = start_ask_and_run("print(6 * 7)")
    # jupyter_client's own client always waits 0.2 s after the kernel has answered.
    assert again < 0.2, f"a ready kernel took {again:.3f} s to be found ready"
    assert printed == "42\n"


FONT_PROBE = """
import os
import matplotlib
import matplotlib.pyplot
from matplotlib.font_manager import FontManager, fontManager
path = os.path.join(matplotlib.get_cachedir(), f"fontlist-v{FontManager.__version__}.json")
print(os.access(path, os.W_OK), len(fontManager.ttflist))
"""


def test_a_kernel_uses_the_graders_font_list_instead_of_scanning_the_fonts():
    from matplotlib.font_manager import fontManager

    _, printed = start_ask_and_run(FONT_PROBE)
    # Read-only: the grader's list, bound in; a kernel that scanned the fonts wrote its own.
    assert printed == f"False {len(fontManager.ttflist)}\n"
