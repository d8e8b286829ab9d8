"""Small nbgrader preprocessors, one job each, that the grade command adds to nbgrader's own."""

from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from nbgrader.preprocessors import OverwriteCells as StockOverwriteCells


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
            if source is not None and cell.source == _without_hidden_tests(source):
                cell.source = source
        return super().preprocess_cell(cell, resources, cell_index)

    def _source(self, grade_id):
        try:
            return self.gradebook.find_source_cell(
                grade_id, self.notebook_id, self.assignment_id
            ).source
        except Exception:  # an unknown cell: nbgrader itself warns about it
            return None


def _without_hidden_tests(source):
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
