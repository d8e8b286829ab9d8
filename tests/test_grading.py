"""Grading every assignment's sample submissions with real nbgrader (`autograder grade`).

The cases come from each chapter's `autograder/samples/<assignment>.py`: a new chapter is
tested here by adding its files, not by editing this one.
"""

import re

import pytest
from conftest import REPO, feedback_text, test_points

from autograder.course import assignments
from autograder.samples import sample_module

ASSIGNMENTS = assignments()
CORRECT = [
    (assignment, student)
    for assignment in ASSIGNMENTS
    for student in ["correct", "instructor", *sample_module(assignment).ALTERNATIVES]
]
MISTAKES = [
    (assignment, student, sorted(functions))
    for assignment in ASSIGNMENTS
    for student, functions in sample_module(assignment).MISTAKES.items()
]


def total(rows, column):
    return sum(float(row[column]) for row in rows)


def test_grades_csv_has_the_contract_columns_and_one_row_per_notebook(graded, submitted):
    lines = (graded / "grades.csv").read_text().splitlines()
    assert lines[0] == "student_id,assignment_id,notebook,score,max_score,status"
    assert len(lines) - 1 == len(list(submitted.glob("*/*/*.ipynb")))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_function_is_worth_points_and_has_a_mistake_sample(assignment):
    points = test_points(assignment)
    assert points and all(value > 0 for value in points.values())
    covered = {f for functions in sample_module(assignment).MISTAKES.values() for f in functions}
    assert covered == set(points), (
        f"graded functions without a typical-mistake sample: {set(points) - covered}"
    )


@pytest.mark.parametrize(("assignment", "student"), CORRECT)
def test_a_correct_solution_scores_full_marks(grades, assignment, student):
    rows = grades[student, assignment]
    too_slow = student in getattr(sample_module(assignment), "TOO_SLOW", ())
    assert {row["status"] for row in rows} == {"timeout" if too_slow else "graded"}
    assert total(rows, "score") == total(rows, "max_score") == sum(test_points(assignment).values())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_unchanged_stub_scores_zero_and_is_graded(grades, assignment):
    rows = grades["stub", assignment]
    assert {row["status"] for row in rows} == {"graded"}
    assert total(rows, "score") == 0
    assert total(rows, "max_score") == sum(test_points(assignment).values())


@pytest.mark.parametrize(("assignment", "student", "functions"), MISTAKES)
def test_a_typical_mistake_loses_exactly_the_points_of_its_function(
    grades, assignment, student, functions
):
    points = test_points(assignment)
    rows = grades[student, assignment]
    # A mistake can also make the MNIST training run past the cell limit (a 784 x 784 weight
    # matrix, say), as in the student's Jupyter; only its function's points are lost for it.
    assert {row["status"] for row in rows} <= {"graded", "timeout"}
    assert total(rows, "score") == sum(points.values()) - sum(points[f] for f in functions)


@pytest.mark.parametrize(("assignment", "student", "functions"), MISTAKES)
def test_the_feedback_of_a_mistake_names_its_function_and_what_was_expected(
    graded, assignment, student, functions
):
    text = feedback_text(graded, student, assignment)
    for function in functions:
        message = re.search(rf"CheckFailed: {function}\b.*", text)
        assert message, f"no failure message naming {function} in the feedback of {student}"
        assert re.search(r"should|expected", message.group(0)), message.group(0)


@pytest.mark.parametrize(("assignment", "student", "functions"), MISTAKES)
def test_feedback_shows_no_hidden_test_code(graded, assignment, student, functions):
    for student_id in [student, "stub", "correct"]:
        text = feedback_text(graded, student_id, assignment)
        assert "HIDDEN TESTS" not in text
        assert "autograder.hidden" not in text
        assert "Traceback (most recent call last)" not in text


@pytest.mark.parametrize("student", ["truncated-json", "empty-file"])
def test_a_file_that_is_not_a_notebook_gets_a_row_not_a_crash(grades, student):
    [row] = grades[student, "ch1_sigmoid"]
    assert (row["status"], float(row["score"])) == ("invalid notebook", 0)
    assert float(row["max_score"]) == sum(test_points("ch1_sigmoid").values())


def test_grading_leaves_the_submissions_untouched(submitted, graded):
    stub = submitted / "stub" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    assert '"outputs": []' in stub.read_text()
    assert not list(submitted.rglob("*.html"))


def test_the_source_notebooks_have_no_committed_outputs():
    for path in (REPO / "solutions").rglob("*.ipynb"):
        assert '"output_type"' not in path.read_text(), f"{path} has outputs committed"
