"""nbgrader's Execute with the grader's rules: a time limit for the whole notebook, and a
kernel that dies (a crash, a limit) costs only the cells that had not run yet."""

import time

from nbclient.exceptions import DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Integer

from .outputs import error_output

KERNEL_DIED = "KernelDied"


class GradingExecute(Execute):
    notebook_timeout = Integer(600, help="seconds for the whole notebook").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = time.monotonic() + self.notebook_timeout
        self._running = 0
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError:
            for cell in nb.cells[self._running :]:
                if cell.metadata.get("nbgrader", {}).get("grade"):
                    cell.outputs = [_kernel_died()]
            return nb, resources

    def preprocess_cell(self, cell, resources, index):
        self._running = index
        return super().preprocess_cell(cell, resources, index)

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
