"""Remembered reference results across students on chapter 2's real MNIST training."""

from support import REPO

from autograder.judge.expected import expected_records, hidden_scope
from autograder.judge.seeds import student_seed


def test_the_mnist_training_of_chapter_2_runs_once_for_two_students():
    source = REPO / "solutions" / "ch2_logistic_regression" / "logistic_regression.ipynb"
    model = hidden_scope(str(source))["model"]
    first = expected_records(source, student_seed("ada", "ch2_logistic_regression"))
    misses = model.misses
    second = expected_records(source, student_seed("ben", "ch2_logistic_regression"))
    # Ben's small random problem is new; the MNIST training is every student's.
    assert model.misses == misses + 1
    assert first["test_model"][-1] == second["test_model"][-1]
    assert first["test_model"][0] != second["test_model"][0]
