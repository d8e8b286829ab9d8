"""The batch's nbgrader gradebook: written by the coordinator alone, from the workers' scores."""

from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from ..course.paths import COURSE_ID


def record_in_gradebook(db_url, student, assignment, outcome):
    """Write a worker's cell scores into the batch's gradebook, as its only writer."""
    with Gradebook(db_url, COURSE_ID) as gradebook:
        gradebook.update_or_create_student(student)
        try:
            gradebook.remove_submission(assignment, student)
        except MissingEntry:
            pass
        gradebook.add_submission(assignment, student)
        for notebook, scores in outcome.cells.items():
            for grade_id, (score, _) in scores.items():
                grade = gradebook.find_grade(grade_id, notebook, assignment, student)
                grade.auto_score = score
                grade.needs_manual_grade = False
        gradebook.db.commit()


def max_score(db_url, name, assignment):
    """The most a notebook of the assignment can score, or "" for a notebook it does not have."""
    with Gradebook(db_url, COURSE_ID) as gradebook:
        try:
            return gradebook.find_notebook(Path(name).stem, assignment).max_score
        except MissingEntry:
            return ""


def notebook_scores(db_url, name, assignment, student):
    """(score, max score, {grade id: (score, max score)}) of a graded notebook."""
    with Gradebook(db_url, COURSE_ID) as gradebook:
        notebook = gradebook.find_submission_notebook(Path(name).stem, assignment, student)
        cells = {g.name: (g.score, g.max_score) for g in notebook.grades}
        return notebook.score, notebook.max_score, cells
