"""A kernel that runs a student's notebook inside a bubblewrap sandbox.

What the student's code gets: a read-only view of the system; no network (its own network
namespace, so the kernel talks over local sockets, `ipc`); its own process namespace; a fresh
`/tmp` of limited size as its only writable place (HOME and TMPDIR point there); its notebook's
folder read-only; a cap on memory (address space), file size, CPU time and processes.
What it does not see: the repository (but for `nnscratch`, `data` and `autograder.kernel`, the
only grading code a kernel imports), the instructor's home, the gradebook and every other
submission. The rest of `autograder/` (the judge, the samples, the reference's machinery) is
not there to read: the boundary is a package, not a list of exceptions.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from functools import cache
from pathlib import Path

from traitlets import Integer, List, Unicode

from ..course.paths import REPO
from .kernel_manager import GradingKernelManager
from .limits import MEMORY_MB, PROCESSES, SCRATCH_MB, Limits

PIDS_CGROUP = Path("/sys/fs/cgroup/pids")
BWRAP = os.environ.get("NNSCRATCH_BWRAP", "bwrap")  # another bubblewrap, or none (tests)
SANDBOX_MPLCONFIGDIR = "/tmp/.matplotlib"
# Of the grader, what a kernel imports: `autograder.kernel`, and the package file it sits in.
KERNEL_SIDE = (REPO / "autograder" / "__init__.py", REPO / "autograder" / "kernel")


@cache
def matplotlib_font_list():
    """matplotlib's list of the system's fonts, built by the grader (once per process), or None
    without matplotlib. Bound read-only into each sandbox's fresh config folder, it spares every
    kernel that imports pyplot scanning the fonts again (0.25 s a notebook here)."""
    try:
        import matplotlib
        from matplotlib.font_manager import FontManager
    except ImportError:
        return None
    path = Path(matplotlib.get_cachedir()) / f"fontlist-v{FontManager.__version__}.json"
    return path if path.is_file() else None


@cache
def sandbox_problem():
    """Why a sandbox cannot be made here, or None when bubblewrap works."""
    bwrap = shutil.which(BWRAP)
    if bwrap is None:
        return (
            "bubblewrap (bwrap) is not installed: run `make system` or apt-get install bubblewrap"
        )
    probe = subprocess.run(
        [bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        return f"bubblewrap cannot create a sandbox here: {probe.stderr.strip()}"
    return None


class SandboxedKernelManager(GradingKernelManager):
    """A GradingKernelManager whose kernel command runs inside bwrap, under resource limits."""

    memory_bytes = Integer(MEMORY_MB * 1024**2, help="address-space limit of the kernel").tag(
        config=True
    )
    scratch_bytes = Integer(SCRATCH_MB * 1024**2, help="size of the writable /tmp").tag(config=True)
    max_processes = Integer(PROCESSES, help="processes and threads the kernel may run").tag(
        config=True
    )
    cpu_seconds = Integer(
        Limits().cpu_seconds,
        help="CPU time limit of the kernel, over all its threads (`Limits.cpu_seconds`)",
    ).tag(config=True)
    hidden_paths = List(Unicode(), help="extra folders to hide (gradebook, submissions)").tag(
        config=True
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self._runtime = Path(tempfile.mkdtemp(prefix="nnscratch-kernel-"))
        self.connection_file = str(self._runtime / "kernel.json")
        self.ip = str(self._runtime / "kernel-ipc")
        self._cgroup = None

    async def _async_pre_start_kernel(self, **kw):
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        # A signal would reach the sandbox's wrapper, not the kernel inside its pid namespace:
        # interrupt (after a cell's timeout) by a message on the control channel instead.
        self.kernel_spec.interrupt_mode = "message"
        cwd = Path(kw.get("cwd") or os.getcwd()).resolve()
        # What the kernel process itself prints (not the cells' output, which travels over
        # the kernel's sockets) would otherwise flood the grader's terminal.
        kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
        return self._limits() + self._bwrap(cwd) + kernel_cmd, kw

    def _bwrap(self, cwd):
        command = [BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
        command += ["--size", str(self.scratch_bytes), "--tmpfs", "/tmp"]
        hidden = [REPO, Path.home(), *map(Path, self.hidden_paths)]
        for path in hidden:
            if path.exists():
                command += ["--tmpfs", str(path.resolve())]
        # Back in, read-only: Python itself, the venv, and what the notebooks import.
        shown = {Path(sys.base_prefix), Path(sys.prefix), REPO / "nnscratch", REPO / "data"}
        shown |= {*KERNEL_SIDE, cwd}
        for path in sorted(shown, key=lambda p: len(p.parts)):
            command += ["--ro-bind", str(path.resolve()), str(path.resolve())]
        command += ["--bind", str(self._runtime), str(self._runtime)]
        fonts = matplotlib_font_list()
        if fonts is not None:
            command += ["--ro-bind", str(fonts), f"{SANDBOX_MPLCONFIGDIR}/{fonts.name}"]
        command += ["--chdir", str(cwd), "--unshare-all", "--die-with-parent", "--new-session"]
        command += ["--unsetenv", "JPY_PARENT_PID"]
        return command

    def _limits(self):
        """prlimit for memory, file size and CPU; a pids cgroup, where writable, for processes."""
        command = []
        if os.access(PIDS_CGROUP, os.W_OK):
            self._cgroup = PIDS_CGROUP / f"nnscratch-{uuid.uuid4().hex[:12]}"
            self._cgroup.mkdir()
            (self._cgroup / "pids.max").write_text(str(self.max_processes))
            # The shell joins the cgroup, then becomes the sandbox: every descendant is counted.
            join = f'echo $$ > {self._cgroup / "cgroup.procs"} && exec "$@"'
            command += ["sh", "-c", join, "sh"]
        command += [
            "prlimit",
            f"--as={self.memory_bytes}",
            f"--fsize={self.scratch_bytes}",
            f"--cpu={self.cpu_seconds}",
            f"--nproc={self.max_processes}",
            "--",
        ]
        return command

    def environment(self):
        return {
            **super().environment(),
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "IPYTHONDIR": "/tmp/.ipython",
            "MPLCONFIGDIR": SANDBOX_MPLCONFIGDIR,
            "PYTHONPATH": str(REPO),
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    async def _async_wait(self, pollinterval=0.1):
        # A killed sandbox is gone within milliseconds: look often rather than sleep 0.1 s.
        await super()._async_wait(pollinterval=min(pollinterval, 0.01))

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._runtime, ignore_errors=True)
            if self._cgroup is not None:
                _remove_cgroup(self._cgroup)


def _remove_cgroup(cgroup, seconds=5.0):
    """Remove a pids cgroup once its processes are gone (the sandbox's pid namespace ends them).
    They are gone within milliseconds of the kill: look often."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            cgroup.rmdir()
            return
        except OSError:
            if time.monotonic() > deadline:
                return
            for pid in (cgroup / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):
                    os.kill(int(pid), signal.SIGKILL)
            time.sleep(0.005)


__all__ = ["SandboxedKernelManager", "sandbox_problem"]
