"""Small nbgrader preprocessors, one job each, that the grade command adds to nbgrader's own."""

import ast
import re

from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from nbgrader.preprocessors import OverwriteCells as StockOverwriteCells

from .outputs import error_output


class OverwriteCells(StockOverwriteCells):
    """nbgrader's OverwriteCells without the false 'checksum has changed' warning (nbgrader #1961).

    A released test cell lacks its hidden tests, so its checksum never matches the source's.
    When the submitted cell is exactly the released one, put the hidden tests back first; any
    other change is still reported and overwritten by nbgrader as before.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and cell.metadata.nbgrader.get("locked"):
            source = self._source(grade_id)
            if source is not None and cell.source == without_hidden_tests(source):
                cell.source = source
        return super().preprocess_cell(cell, resources, cell_index)

    def _source(self, grade_id):
        try:
            return self.gradebook.find_source_cell(
                grade_id, self.notebook_id, self.assignment_id
            ).source
        except Exception:  # an unknown cell: nbgrader itself warns about it
            return None


def without_hidden_tests(source):
    cell = NotebookNode(source=source)
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return cell.source


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


USE_REFERENCE = re.compile(r"^(\s*)use_reference\((.*)\)\s*$", re.MULTILINE)


class ProvideReferences(NbGraderPreprocessor):
    """Hand the reference code of a test cell's callees to its `use_reference` call.

    The sandbox hides solutions/, so the code travels inside the cell, and only the callees
    (with what precedes them), whose own tests ran before, in the source's cell order.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "use_reference(" in cell.source:
            cell.source = USE_REFERENCE.sub(self._with_source, cell.source)
        return cell, resources

    @staticmethod
    def _with_source(match):
        from .reference import reference_source

        indent, arguments = match.groups()
        call = ast.parse(f"f({arguments})", mode="eval").body
        assignment, *names = [ast.literal_eval(arg) for arg in call.args[1:]]
        source = reference_source(assignment, names)
        return f"{indent}use_reference({arguments}, source={source!r})"


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
        expected = expected_records(source_notebook(resources), seed)
        for cell in nb.cells:
            outputs = cell.get("outputs", [])
            records = [o["data"][RECORD_MIME] for o in outputs if RECORD_MIME in o.get("data", {})]
            cell["outputs"] = [o for o in outputs if RECORD_MIME not in o.get("data", {})]
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id not in expected:
                continue
            name = grade_id.removeprefix("test_")
            errors = [o for o in cell.outputs if o.output_type == "error"]
            failure = None if errors else verdict(records, expected[grade_id], name)
            cell.outputs.insert(0, _summary(name, errors, failure, len(expected[grade_id])))
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
