"""The submissions of a batch: where they are, and what a grade of one depends on."""

from pathlib import Path

from ..course.paths import content_hash


def find_submissions(submitted_dir):
    """{(student_id, assignment_id): [notebook paths]} in nbgrader's submitted layout."""
    submissions = {}
    for notebook in sorted(Path(submitted_dir).glob("*/*/*.ipynb")):
        student, assignment = notebook.parent.parent.name, notebook.parent.name
        submissions.setdefault((student, assignment), []).append(notebook)
    return submissions


def submission_hash(paths, source_digest):
    """What a submission's grade depends on: its files, and its assignment's source notebooks
    (`autograder.course.paths.source_hash`)."""
    return content_hash(paths, source_digest)
