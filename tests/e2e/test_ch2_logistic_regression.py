"""Chapter 2 end to end: the reference reaches its target on MNIST, and the graded training runs
the student's own functions within its limit (the fast tests: tests/unit/)."""

import matplotlib
import nbformat
import numpy as np
import pytest

from autograder.course.reference import load_reference
from autograder.course.samples import sample_module

matplotlib.use("Agg")

ASSIGNMENT = "ch2_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"
SAMPLES = sample_module(ASSIGNMENT)


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


def test_the_reference_reaches_98_5_percent_test_accuracy_with_the_contract_defaults(ref, mnist):
    X_train, Y_train, X_test, Y_test = mnist
    d = ref.model(X_train, Y_train, X_test, Y_test)
    assert (d["num_iterations"], d["learning_rate"]) == (2000, 0.5)
    assert np.mean(d["Y_prediction_test"] == Y_test) >= 0.985


def training_output(graded, student):
    """What the MNIST training cell printed in `student`'s graded notebook."""
    path = graded / "autograded" / student / ASSIGNMENT / NOTEBOOK
    [cell] = [
        c for c in nbformat.read(path, as_version=4).cells if c.source.startswith("d = model")
    ]
    return "".join(output.get("text", output.get("evalue", "")) for output in cell.outputs)


def test_the_graded_training_runs_the_students_own_functions(graded):
    # model's hidden test swaps in the reference callees; the training cell after it must run
    # the student's propagate again, so the feedback shows what their own code learns.
    correct = training_output(graded, "correct")
    assert "Cost after iteration 1900" in correct
    assert training_output(graded, "db-sign-error") != correct


def test_a_too_slow_training_tells_the_student_the_limit(graded):
    for student in SAMPLES.TOO_SLOW:
        assert "ran past the grader's time limit (30 s per cell" in training_output(graded, student)
