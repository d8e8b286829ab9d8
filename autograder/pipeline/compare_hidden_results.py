"""The hidden results of each test cell, judged against the reference's outside the kernel."""

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from nnscratch.cells import grade_id
from nnscratch.chapter import read_chapter

from ..judge.expected import expected_records
from ..judge.runs import DIED, NOT_RUN, TIMED_OUT, HiddenRun
from ..judge.seeds import student_seed
from ..judge.verdict import verdict
from .execute import KERNEL_DIED, KERNEL_STOPPED, TIMEOUT_ERROR
from .outputs import error_output
from .resources import source_notebook

# The error a stopped hidden run adds to its cell: the statuses read them (`timeout`, `crashed`).
STOPPED = {TIMED_OUT: TIMEOUT_ERROR, DIED: KERNEL_DIED, NOT_RUN: KERNEL_STOPPED}


class CompareHiddenResults(NbGraderPreprocessor):
    """Judge each test cell's hidden results (`resources["hidden_runs"]`, left by
    `GradingExecute`'s hidden phase) against the reference's, outside the kernel.

    A cell whose results differ from the reference's, or are missing, gets an error output
    with the sentence that says what was expected, so nbgrader scores it 0. A cell whose public
    check failed with the student's versions of the items it calls, and passed in the hidden
    phase with the references, keeps the student's error as text: the mistake is the callee's,
    and costs its points only. Every test cell also gets a line saying which checks passed.
    """

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        seed = student_seed(info["student"], info["assignment"])
        path = source_notebook(resources)
        expected, chapter = expected_records(path, seed), read_chapter(path)
        runs = resources.get("hidden_runs", {})
        for cell in nb.cells:
            key = grade_id(cell)
            if key not in expected:
                continue
            test, run = chapter.test_with_id(key), runs.get(key) or HiddenRun()
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if errors and not run.public_passed:
                cell.outputs.insert(
                    0, _line(f"{test.label}: FAILED. The checks stopped at the error below.")
                )
                continue
            if errors:
                _keep_as_text(cell, test.uses)
            failure = verdict(run.records, expected[key], test.label, run)
            cell.outputs.insert(0, _summary(test, bool(errors), failure, len(expected[key])))
            if failure:
                cell.outputs.append(error_output(STOPPED.get(run.stopped, "CheckFailed"), failure))
        return nb, resources


def _keep_as_text(cell, uses):
    """The public check's error, with the student's own versions of `uses`, as plain text."""
    yours = ", ".join(uses)
    cell.outputs = [
        _line(f"With your own {yours}, this check stopped here ({o.ename}): {o.evalue}")
        if o.output_type == "error"
        else o
        for o in cell.outputs
    ]


def _summary(test, rescued, hidden_failure, hidden_count):
    public = "public checks passed"
    if rescued:
        public += (
            f" with the reference versions of {', '.join(test.uses)} (with your own, they "
            "stopped where it says below)"
        )
    if hidden_failure:
        return _line(f"{test.label}: {public}; hidden checks FAILED (see below).")
    return _line(f"{test.label}: {public}; hidden checks passed ({hidden_count} hidden inputs).")


def _line(text):
    return NotebookNode(output_type="stream", name="stdout", text=text + "\n")
