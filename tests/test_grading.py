"""Grading the session's batch with real nbgrader (`autograder grade`): what holds for every batch.

What each chapter's samples must score is tested in test_chapters.py, on this same batch.
"""

from support import REPO

from autograder.course.reference import source_chapters
from autograder.output.statuses import markdown_table
from autograder.sandbox import limits


def test_grades_csv_has_the_contract_columns_and_one_row_per_notebook(graded, submitted):
    lines = (graded / "grades.csv").read_text().splitlines()
    assert lines[0] == "student_id,assignment_id,notebook,score,max_score,status"
    assert len(lines) - 1 == len(list(submitted.glob("*/*/*.ipynb")))


def test_a_file_that_is_not_a_notebook_gets_a_row_not_a_crash(grades):
    [chapter] = source_chapters("ch1_sigmoid")
    for student in ["truncated-json", "empty-file"]:
        [row] = grades[student, "ch1_sigmoid"]
        assert (row["status"], float(row["score"])) == ("invalid notebook", 0)
        assert float(row["max_score"]) == sum(test.points for test in chapter.tests)


def test_grading_leaves_the_submissions_untouched(submitted, graded):
    stub = submitted / "stub" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    assert '"outputs": []' in stub.read_text()
    assert not list(submitted.rglob("*.html"))


def test_the_instructor_manual_lists_exactly_the_statuses_the_grader_writes():
    manual = (REPO / "book" / "instructors.md").read_text()
    table = manual.split("<!-- statuses-start -->")[1].split("<!-- statuses-end -->")[0]
    assert [line.strip() for line in table.strip().splitlines()] == markdown_table().splitlines()


def test_the_instructor_manual_gives_the_limits_the_grader_applies():
    manual = (REPO / "book" / "instructors.md").read_text()
    table = manual.split("<!-- limits table -->")[1].split("<!-- end limits table -->")[0]
    assert [line.strip() for line in table.strip().splitlines()] == (
        limits.markdown_table().splitlines()
    )
