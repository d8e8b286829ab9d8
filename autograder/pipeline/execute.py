"""nbgrader's Execute with the grader's rules: a time limit for the whole notebook, a stopped
cell that shows only the limit it ran past, and a kernel that dies (a crash, a limit) costs
only the cells that had not run yet.

A cell past its limit is interrupted. A kernel that does not answer the interrupt within
`INTERRUPT_GRACE_SECONDS` (nbclient's `iopub_timeout`) is stuck where no interrupt reaches: a
loop that ignores SIGINT, or a long call inside C code. It is killed: the cells that finished
keep their points, the stuck one says it ran past the limit, the ones after it say they did
not run, and the notebook's status is `timeout`.
"""

import time

from jupyter_core.utils import ensure_async
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Dict, Integer

from nnscratch.cells import is_grade

from ..sandbox.limits import FACTOR, MARGIN_SECONDS, NOTEBOOK_SECONDS, cell_limit
from .outputs import error_output
from .resources import source_notebook

KERNEL_DIED = "KernelDied"
KERNEL_STOPPED = "KernelStopped"
TIMEOUT_ERROR = "CellTimeoutError"
DEAF = "did not answer the interrupt (a loop that ignores SIGINT, or a long call inside NumPy)"


class GradingExecute(Execute):
    notebook_timeout = Integer(NOTEBOOK_SECONDS, help="seconds for the whole notebook").tag(
        config=True
    )
    reference_seconds = Dict(
        help="{notebook file: {cell id: seconds the reference took}}: each such cell's limit"
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._running = 0
        self._outputs_before_timeout = None
        self._stopped = None  # the index of the cell whose kernel was killed past its limit
        self._reference = None  # the seconds the reference took for the running cell
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError:
            for cell in nb.cells[self._running :]:
                if is_grade(cell):
                    cell.outputs = [_kernel_died() if self._stopped is None else _not_run()]
            return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index == 0:
            from ..judge.expected import warm_up

            # The hidden results are judged against the reference after the kernel's run
            # (CompareHiddenResults): let the reference's cells run meanwhile, not after. Only
            # once the kernel has started: its start imports matplotlib in this thread, and
            # two threads importing one package at once can fail on Python's import locks.
            warm_up(source_notebook(resources))
        self._running = index
        notebook = f"{resources['nbgrader']['notebook']}.ipynb"
        self._reference = self.reference_seconds.get(notebook, {}).get(cell.get("id"))
        return super().preprocess_cell(cell, resources, index)

    async def _async_poll_for_reply(self, msg_id, cell, timeout, *tasks):
        try:
            return await super()._async_poll_for_reply(msg_id, cell, timeout, *tasks)
        except CellTimeoutError:
            if self._outputs_before_timeout is None:
                raise  # not a cell the grader stopped: nbclient's own error
        # Interrupted past its limit, the kernel did not go idle: kill it. The cell gets the
        # limit's message (nbgrader appends it), and the next cell finds the kernel dead.
        await ensure_async(self.km.shutdown_kernel(now=True))
        self._stopped = self._running
        stuck = self._past_the_limit(
            timeout, f"{DEAF}, so its kernel was stopped and the cells after it did not run"
        )
        content = {**error_output(TIMEOUT_ERROR, stuck), "status": "error"}
        return {"parent_header": {"msg_id": msg_id}, "content": content}

    def _past_the_limit(self, limit, then=None):
        """What the student reads under a cell stopped at `limit` seconds."""
        then = then or (
            "was stopped; the cells after it still ran. Look for a loop that never ends, or a "
            "loop over the examples that NumPy array operations would do at once"
        )
        if self._reference is not None and limit < self.timeout:
            return (
                f"this cell ran past its time limit of {limit} s, {FACTOR} times what the "
                f"reference solution takes for it here ({self._reference:.2g} s) plus "
                f"{MARGIN_SECONDS} s, and {then}. A cell that runs that much longer usually "
                "computes with an array of the wrong shape: a gradient of shape (1, n) where "
                "(n, 1) is due, say, which broadcasts w into an (n, n) matrix."
            )
        return (
            f"this cell ran past the grader's time limit ({self.timeout} s per cell, "
            f"{self.notebook_timeout} s per notebook) and {then}."
        )

    async def _async_handle_timeout(self, timeout, cell=None):
        self.error_on_timeout = error_output(TIMEOUT_ERROR, self._past_the_limit(timeout))
        if cell is not None:
            self._outputs_before_timeout = len(cell.outputs)
        return await super()._async_handle_timeout(timeout, cell)

    def on_cell_executed(self, **kwargs):
        # What the interrupt prints (a KeyboardInterrupt traceback, or IPython's own traceback
        # when it fails to format one) is noise; nbgrader then appends the limit's message.
        if self._outputs_before_timeout is not None:
            del kwargs["cell"].outputs[self._outputs_before_timeout :]
            self._outputs_before_timeout = None
        super().on_cell_executed(**kwargs)

    def _get_timeout(self, cell):
        # Each cell gets its own limit: a multiple of the reference's time where the reference
        # has the cell (`autograder.sandbox.reference_times`), never past --timeout nor the
        # notebook's deadline.
        left = int(self._deadline - time.monotonic())
        limit = super()._get_timeout(cell)
        if limit is not None and self._reference is not None:
            limit = cell_limit(self._reference, limit)
        return max(1, left if limit is None else min(limit, left))


def _not_run():
    return error_output(
        KERNEL_STOPPED,
        f"not run: a cell above ran past its time limit and {DEAF}, so its kernel was stopped",
    )


def _kernel_died():
    return error_output(
        KERNEL_DIED,
        "the kernel died while running this notebook (a crash, a memory or process limit)",
    )
