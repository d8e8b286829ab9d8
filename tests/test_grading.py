"""Grading chapter 1's sample submissions with real nbgrader, as `python -m autograder grade`."""

import html
import re

import pytest
from conftest import test_points

from autograder.samples import ch1_sigmoid as samples

POINTS = test_points("ch1_sigmoid")
FULL = sum(POINTS.values())


def feedback_text(graded, student):
    """The feedback HTML a student receives, as the text a reader sees."""
    page = (graded / "feedback" / student / "ch1_sigmoid" / "sigmoid_neuron.html").read_text()
    page = re.sub(r"<(script|style).*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_grades_csv_has_the_contract_columns_and_one_row_per_notebook(graded, submitted):
    header = (graded / "grades.csv").read_text().splitlines()[0]
    assert header == "student_id,assignment_id,notebook,score,max_score,status"
    rows = (graded / "grades.csv").read_text().splitlines()[1:]
    assert len(rows) == len(list(submitted.glob("*/*/*.ipynb")))


def test_the_chapter_is_worth_points_for_every_graded_function():
    assert set(POINTS) == {"sigmoid", "sigmoid_derivative", "neuron_output"}
    assert all(points > 0 for points in POINTS.values())


@pytest.mark.parametrize("student", ["correct", "instructor", *samples.ALTERNATIVES])
def test_a_correct_solution_scores_full_marks(grades, student):
    row = grades[student]
    assert (row["status"], float(row["score"]), float(row["max_score"])) == ("graded", FULL, FULL)


def test_the_unchanged_stub_scores_zero_and_is_graded(grades):
    assert (grades["stub"]["status"], float(grades["stub"]["score"])) == ("graded", 0)
    assert float(grades["stub"]["max_score"]) == FULL


@pytest.mark.parametrize("student", sorted(samples.MISTAKES))
def test_a_typical_mistake_loses_exactly_the_points_of_its_function(grades, student):
    lost = sum(POINTS[function] for function in samples.MISTAKES[student])
    assert grades[student]["status"] == "graded"
    assert float(grades[student]["score"]) == FULL - lost


@pytest.mark.parametrize("student", sorted(samples.MISTAKES))
def test_the_feedback_of_a_mistake_names_its_function_and_what_was_expected(graded, student):
    text = feedback_text(graded, student)
    for function in samples.MISTAKES[student]:
        message = re.search(rf"CheckFailed: {function}\(.*", text)
        assert message, f"no failure message naming {function} in the feedback of {student}"
        assert re.search(r"should|expected", message.group(0))


@pytest.mark.parametrize("student", ["correct", "stub", *samples.MISTAKES])
def test_feedback_shows_no_hidden_test_code(graded, student):
    text = feedback_text(graded, student)
    assert "HIDDEN TESTS" not in text
    assert "autograder.hidden" not in text
    assert "Traceback (most recent call last)" not in text


@pytest.mark.parametrize("student", ["truncated-json", "empty-file"])
def test_a_file_that_is_not_a_notebook_gets_a_row_not_a_crash(grades, student):
    row = grades[student]
    assert (row["status"], float(row["score"])) == ("invalid notebook", 0)
    assert float(row["max_score"]) == FULL


def test_grading_leaves_the_submissions_untouched(submitted, graded):
    stub = submitted / "stub" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    assert '"outputs": []' in stub.read_text()
    assert not list(submitted.rglob("*.html"))


def test_the_source_notebook_has_no_committed_outputs():
    from conftest import REPO

    for path in (REPO / "solutions").rglob("*.ipynb"):
        assert '"output_type"' not in path.read_text(), f"{path} has outputs committed"
