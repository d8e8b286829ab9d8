"""A test cell gets the reference versions of the graded items its item calls."""

from nbgrader.preprocessors import NbGraderPreprocessor

from nnscratch.cells import HIDDEN_REGION, grade_id, is_test
from nnscratch.chapter import read_chapter

from .resources import source_notebook


class ProvideReferences(NbGraderPreprocessor):
    """Start each test cell whose graded item calls other graded items with a hidden line that
    puts the reference versions of those in place (`autograder.kernel.use_reference`).

    Which ones is read from the reference solutions (`nnscratch.chapter`), not from the cell.
    The sandbox hides solutions/, so their code travels inside the cell: only the callees,
    whose own tests ran before, with the imports and provided cells they need.
    """

    def preprocess(self, nb, resources):
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
        "from autograder.kernel import use_reference\n\n"
        f"use_reference(globals(), {test.uses!r}, source={source!r})\n"
        f"### {end}"
    )
