"""Small nbgrader preprocessors, one job each, that the grade command adds to nbgrader's own."""

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.preprocessors import OverwriteCells as StockOverwriteCells

from nnscratch.chapter import (
    HIDDEN_REGION,
    grade_id,
    is_locked,
    is_test,
    read_chapter,
    without_hidden_tests,
)

from .outputs import error_output


class OverwriteCells(StockOverwriteCells):
    """nbgrader's OverwriteCells without the false 'checksum has changed' warning (nbgrader #1961).

    A released test cell lacks its hidden tests, so its checksum never matches the source's.
    When the submitted cell is exactly the released one, put the hidden tests back first; any
    other change is still reported and overwritten by nbgrader as before.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        key = grade_id(cell)
        if key and is_locked(cell):
            source = self._source(key)
            if source is not None and cell.source == without_hidden_tests(source):
                cell.source = source
        return super().preprocess_cell(cell, resources, cell_index)

    def _source(self, key):
        try:
            return self.gradebook.find_source_cell(key, self.notebook_id, self.assignment_id).source
        except Exception:  # an unknown cell: nbgrader itself warns about it
            return None


class ShortenTracebacks(NbGraderPreprocessor):
    """Keep only an error's last line, 'CheckFailed: what was expected', in the feedback.

    A full traceback shows the lines of the test cell and of the grading helpers around the
    failure: hidden-test code a student must not see, and noise they need not read.
    (Based on nbgrader's preprocessor class, which is enabled by default; nbconvert's is not.)
    """

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [
                    f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                ]
        return cell, resources


class ProvideReferences(NbGraderPreprocessor):
    """Start each test cell whose graded item calls other graded items with a hidden line that
    puts the reference versions of those in place (`autograder.hidden.use_reference`).

    Which ones is read from the reference solutions (`nnscratch.chapter`), not from the cell.
    The sandbox hides solutions/, so their code travels inside the cell: only the callees,
    whose own tests ran before, with the imports and provided cells they need.
    """

    def preprocess(self, nb, resources):
        from .expected import source_notebook

        chapter = read_chapter(source_notebook(resources))
        for cell in nb.cells:
            test = chapter.test_with_id(grade_id(cell)) if is_test(cell) else None
            if test is not None and test.uses:
                cell.source = reference_swap(chapter, test) + "\n" + cell.source
        return nb, resources


def reference_swap(chapter, test):
    """The hidden lines that put the reference versions of `test.uses` in place."""
    begin, end = HIDDEN_REGION
    source = chapter.reference_source(test.uses)
    return (
        f"### {begin}\n"
        "from autograder.hidden import use_reference\n\n"
        f"use_reference(globals(), {test.uses!r}, source={source!r})\n"
        f"### {end}"
    )


class CompareHiddenResults(NbGraderPreprocessor):
    """Judge each test cell's hidden results against the reference's, outside the kernel.

    The records the cell produced are taken out of the notebook; a cell whose results differ
    from the reference's, or are missing, gets an error output with the sentence that says
    what was expected, so nbgrader scores it 0. Every test cell also gets a line saying which
    checks passed, for the student's feedback.
    """

    def preprocess(self, nb, resources):
        from .expected import expected_records, source_notebook
        from .results import RECORD_MIME
        from .seeds import student_seed
        from .verdict import verdict

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
