"""nbgrader's Execute with the grader's rules: the notebook runs in two phases, each cell has a
time limit and so does each phase, a stopped cell shows only the limit it ran past, and a kernel
that dies (a crash, a limit) costs only the cells that had not run yet.

The phases (`autograder.pipeline.hidden_phase`): first the released notebook, every cell as
submitted and the test cells with their public checks only, whose outputs are what the
student's feedback shows; then, in the same kernel, the hidden tests of each test cell, of
which only their records, an error's type name and whether they finished are kept
(`resources["hidden_runs"]`, judged by `CompareHiddenResults`).

A cell past its limit is interrupted. A kernel that does not answer the interrupt within
`INTERRUPT_GRACE_SECONDS` (nbclient's `iopub_timeout`) is stuck where no interrupt reaches: a
loop that ignores SIGINT, or a long call inside C code. It is killed: the cells that finished
keep their points, the stuck one says it ran past the limit, the ones after it say they did
not run, and the notebook's status is `timeout`. The hidden tests of the cells that finished
then run in a new kernel, after the cells that finished have run again there, silently.
"""

import time
from contextlib import contextmanager
from dataclasses import replace

from jupyter_core.utils import ensure_async
from nbclient.client import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import Execute
from traitlets import Dict, Integer

from nnscratch.cells import is_code, is_grade, is_test
from nnscratch.chapter import read_chapter

from ..judge.runs import DIED, NOT_RUN, TIMED_OUT, HiddenRun
from ..sandbox.limits import FACTOR, MARGIN_SECONDS, NOTEBOOK_SECONDS, cell_limit
from .hidden_phase import hidden_parts, kept, public_code
from .outputs import error_output
from .resources import source_notebook

KERNEL_DIED = "KernelDied"
KERNEL_STOPPED = "KernelStopped"
TIMEOUT_ERROR = "CellTimeoutError"
# The kernels started again for the hidden tests of one notebook after its kernel died: each
# runs the notebook again, so a kernel that dies at every hidden test costs this many runs.
NEW_KERNELS = 3
DEAF = "did not answer the interrupt (a loop that ignores SIGINT, or a long call inside NumPy)"


class GradingExecute(Execute):
    notebook_timeout = Integer(
        NOTEBOOK_SECONDS, help="seconds for the whole notebook, and again for its hidden tests"
    ).tag(config=True)
    reference_seconds = Dict(
        help="{notebook file: {cell id: seconds the reference took}}: each such cell's limit"
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        # ExecutePreprocessor.preprocess, with a second phase and kernels started anew.
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        parts = hidden_parts(nb, read_chapter(source_notebook(resources)))
        self._notebook = f"{resources['nbgrader']['notebook']}.ipynb"
        self._sink = None  # the hidden run that a message of the kernel goes to, in phase 2
        self._outputs_before_timeout = None
        self._timed_out = False
        self._reference = None  # the seconds the reference took for the running cell
        self._stopped = None  # the index of the cell whose kernel was killed past its limit
        self._running = 0
        self._deadline = time.monotonic() + self.notebook_timeout
        runs = {}
        with self._kernel():
            ran = self._released_run(nb, resources)
            todo = self._todo(nb, parts, ran)
            if ran == len(nb.cells):
                self._deadline = time.monotonic() + self.notebook_timeout
                todo = self._hidden_phase(nb, todo, runs)
        for _ in range(NEW_KERNELS):  # it died: the rest in a new one, after the cells again
            if not todo:
                break
            self._deadline = time.monotonic() + self.notebook_timeout
            with self._kernel():
                todo = self._hidden_phase(nb, todo, runs) if self._replay(nb, ran) else todo
            if todo and todo[0].grade_id not in runs:
                break  # the cells did not run again as they did: what is left does not run
        for part in todo:
            runs.setdefault(part.grade_id, HiddenRun()).stopped = NOT_RUN
        resources["hidden_runs"] = runs
        self.set_widgets_metadata()
        return nb, resources

    @contextmanager
    def _kernel(self):
        with self.setup_kernel():
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            yield

    def _released_run(self, nb, resources):
        """Run every cell, the test cells' public checks only; the index of the first cell
        that did not finish (len(nb.cells) when all did): the one stopped past its limit, or
        the one the kernel died in."""
        try:
            for index, cell in enumerate(nb.cells):
                self.preprocess_cell(cell, resources, index)
        except DeadKernelError:
            for cell in nb.cells[self._running :]:
                if is_grade(cell):
                    cell.outputs = [_kernel_died() if self._stopped is None else _not_run()]
            return self._running if self._stopped is None else self._stopped
        return len(nb.cells)

    def preprocess_cell(self, cell, resources, index):
        if index == 0:
            from ..judge.expected import warm_up

            # The hidden results are judged against the reference after the kernel's run
            # (CompareHiddenResults): let the reference's cells run meanwhile, not after. Only
            # once the kernel has started: its start imports matplotlib in this thread, and
            # two threads importing one package at once can fail on Python's import locks.
            warm_up(source_notebook(resources))
        self._running = index
        self._reference = self._reference_of(cell)
        if not is_test(cell):
            return super().preprocess_cell(cell, resources, index)
        source, cell.source = cell.source, public_code(cell)
        try:
            return super().preprocess_cell(cell, resources, index)
        finally:
            cell.source = source

    @staticmethod
    def _todo(nb, parts, ran):
        """The hidden parts to run: those of the test cells that finished, except where the
        public check failed and no reference could change that."""
        todo = []
        for index, part in sorted(parts.items()):
            failed = any(o.output_type == "error" for o in nb.cells[index].outputs)
            if index < ran and (part.uses or not failed) and (part.hidden or failed):
                todo.append(replace(part, public=part.public if failed else ""))
        return todo

    def _hidden_phase(self, nb, todo, runs):
        """Run the hidden parts in `todo` in order, in this kernel; those left when it died."""
        for position, part in enumerate(todo):
            run = runs[part.grade_id] = HiddenRun()
            self._reference = self._reference_of(nb.cells[part.index])
            for public, source in ((True, part.public), (False, part.hidden)):
                if not source:
                    continue
                try:
                    self._run_silently(source, part.index, run)
                except DeadKernelError:
                    run.stopped = DIED
                    return todo[position + 1 :]
                if self._timed_out:
                    run.stopped = TIMED_OUT
                    if self._stopped is not None:  # and killed
                        return todo[position + 1 :]
                if run.stopped or run.error:
                    break
                run.public_passed = run.public_passed or public
        return []

    def _replay(self, nb, ran):
        """Run the first `ran` cells again in this new kernel, their outputs dropped: the
        state the hidden tests expect. False if the kernel did not get through them."""
        sink = HiddenRun()
        for index, cell in enumerate(nb.cells[:ran]):
            if not is_code(cell):
                continue
            self._reference = self._reference_of(cell)
            try:
                self._run_silently(public_code(cell) if is_test(cell) else cell.source, index, sink)
            except DeadKernelError:
                return False
            if self._stopped is not None:
                return False
        return True

    def _reference_of(self, cell):
        return self.reference_seconds.get(self._notebook, {}).get(cell.get("id"))

    def _run_silently(self, source, index, sink):
        """Run `source` as a cell of its own, keeping only what `kept` keeps, in `sink`."""
        self._timed_out, self._stopped = False, None
        self._sink, shown = sink, self.nb.cells[index]
        try:
            self.execute_cell(new_code_cell(source), index, store_history=False)
        finally:
            self.nb.cells[index] = shown  # nbclient puts the cell it ran in the notebook
            self._sink = None

    def process_message(self, msg, cell, cell_index):
        if self._sink is None:
            return super().process_message(msg, cell, cell_index)
        if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
            raise CellExecutionComplete()
        self._sink.keep(kept(msg))
        return None

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
        self._timed_out = True
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
        # deadline of its phase. A hidden part has the limit of its test cell.
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
