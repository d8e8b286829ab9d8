"""nbgrader's Execute with the grader's rules: a time limit for the whole notebook, a stopped
cell that shows only the limit it ran past, and a kernel that dies (a crash, a limit) costs
only the cells that had not run yet."""

import time

from nbclient.exceptions import DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Integer

from nnscratch.chapter import is_grade

from .outputs import error_output

KERNEL_DIED = "KernelDied"


class GradingExecute(Execute):
    notebook_timeout = Integer(600, help="seconds for the whole notebook").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._running = 0
        self._outputs_before_timeout = None
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError:
            for cell in nb.cells[self._running :]:
                if is_grade(cell):
                    cell.outputs = [_kernel_died()]
            return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index == 0:
            from .expected import source_notebook, warm_up

            # The hidden results are judged against the reference after the kernel's run
            # (CompareHiddenResults): let the reference's cells run meanwhile, not after. Only
            # once the kernel has started: its start imports matplotlib in this thread, and
            # two threads importing one package at once can fail on Python's import locks.
            warm_up(source_notebook(resources))
        self._running = index
        return super().preprocess_cell(cell, resources, index)

    async def _async_handle_timeout(self, timeout, cell=None):
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
        # Each cell gets its own limit, but never past the notebook's deadline.
        left = int(self._deadline - time.monotonic())
        limit = super()._get_timeout(cell)
        return max(1, left if limit is None else min(limit, left))


def _kernel_died():
    return error_output(
        KERNEL_DIED,
        "the kernel died while running this notebook (a crash, a memory or process limit)",
    )
