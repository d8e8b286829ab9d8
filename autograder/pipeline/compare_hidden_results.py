"""The hidden results of each test cell, judged against the reference's outside the kernel."""

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from nnscratch.cells import grade_id
from nnscratch.chapter import read_chapter

from ..judge.expected import expected_records
from ..judge.seeds import student_seed
from ..judge.verdict import verdict
from ..kernel.results import RECORD_MIME
from .outputs import error_output
from .resources import source_notebook


class CompareHiddenResults(NbGraderPreprocessor):
    """Judge each test cell's hidden results against the reference's, outside the kernel.

    The records the cell produced are taken out of the notebook; a cell whose results differ
    from the reference's, or are missing, gets an error output with the sentence that says
    what was expected, so nbgrader scores it 0. Every test cell also gets a line saying which
    checks passed, for the student's feedback.
    """

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        seed = student_seed(info["student"], info["assignment"])
        path = source_notebook(resources)
        expected, chapter = expected_records(path, seed), read_chapter(path)
        for cell in nb.cells:
            outputs = cell.get("outputs", [])
            records = [o["data"][RECORD_MIME] for o in outputs if RECORD_MIME in o.get("data", {})]
            cell["outputs"] = [o for o in outputs if RECORD_MIME not in o.get("data", {})]
            key = grade_id(cell)
            if key not in expected:
                continue
            name = chapter.test_with_id(key).label
            errors = [o for o in cell.outputs if o.output_type == "error"]
            failure = None if errors else verdict(records, expected[key], name)
            cell.outputs.insert(0, _summary(name, errors, failure, len(expected[key])))
            if failure:
                cell.outputs.append(error_output("CheckFailed", failure))
        return nb, resources


def _summary(name, errors, hidden_failure, hidden_count):
    if errors:
        text = f"{name}: FAILED. The checks stopped at the error below."
    elif hidden_failure:
        text = f"{name}: public checks passed; hidden checks FAILED (see below)."
    else:
        text = f"{name}: public checks passed; hidden checks passed ({hidden_count} hidden inputs)."
    return NotebookNode(output_type="stream", name="stdout", text=text + "\n")
