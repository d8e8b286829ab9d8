"""The name a student reads for a test cell (`predict`, `NeuralNetwork.fit`)."""

import functools

from ..course.reference import source_chapters


def label_of_test(assignment, notebook, grade_id):
    """A test cell's name as a student reads it; its grade id when the sources lack it."""
    return _labels(assignment).get((notebook, grade_id), grade_id)


@functools.cache
def _labels(assignment):
    """{(notebook, grade id): label} of an assignment's source notebooks, read once: a summary
    or a report of 400 students asks thousands of times."""
    return {
        (chapter.name, test.grade_id): test.label
        for chapter in source_chapters(assignment)
        for test in chapter.tests
    }
