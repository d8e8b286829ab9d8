"""Chapter 2, logistic regression, beyond what test_chapters.py checks of every chapter: the
reference reaches its target, the provided sigmoid, and the finer points of its checks."""

import warnings

import matplotlib
import nbformat
import numpy as np
import pytest
from support import REPO, failure

from autograder.course.reference import graded_solutions, load_reference
from autograder.course.samples import sample_module
from nnscratch.chapter import read_chapter
from nnscratch.checks import ch2_logistic_regression as checks
from nnscratch.plotting import plot_confusion_matrix

matplotlib.use("Agg")

ASSIGNMENT = "ch2_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"
SAMPLES = sample_module(ASSIGNMENT)
CHECKS = {
    "initialize_with_zeros": checks.check_initialize_with_zeros,
    "propagate": checks.check_propagate,
    "optimize": checks.check_optimize,
    "predict": checks.check_predict,
    "model": checks.check_model,
}


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


def functions_of(sources, ref):
    """The functions of a sample, defined beside the reference's (its callees and sigmoid)."""
    namespace = {k: v for k, v in vars(ref).items() if not k.startswith("__")}
    for source in sources.values():
        exec(compile(source, "<sample>", "exec"), namespace)
    return {name: namespace[name] for name in sources}


def cells(root):
    return nbformat.read(REPO / root / ASSIGNMENT / NOTEBOOK, as_version=4).cells


# The reference reaches the chapter's target, and the target means something.


def test_always_answering_not_7_already_scores_about_90_percent(mnist):
    _, Y_train, _, Y_test = mnist
    for Y in (Y_train, Y_test):
        assert 0.88 <= np.mean(Y == 0) <= 0.92


def test_the_reference_cost_stays_finite_and_silent_on_saturated_predictions(ref):
    w = np.array([[1.0], [-1.0]])
    X = np.array([[1000.0, 0.0, 40.0], [0.0, 1000.0, 0.0]])  # z = 1000, -1000, 40
    Y = np.array([[0.0, 1.0, 1.0]])  # the first two confidently wrong
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        grads, cost = ref.propagate(w, 0.0, X, Y)
    assert cost == pytest.approx((1000.0 + 1000.0 + np.log1p(np.exp(-40.0))) / 3)
    assert np.all(np.isfinite(grads["dw"]))


# The provided sigmoid is chapter 1's solution (`release` writes it), read-only and not graded.


def test_the_provided_sigmoid_is_read_only_and_the_student_receives_it_unchanged():
    [source] = read_chapter(REPO / "solutions" / ASSIGNMENT / NOTEBOOK).provided
    [released] = read_chapter(REPO / "exercises" / ASSIGNMENT / NOTEBOOK).provided
    assert (source.origin, source.names) == ("ch1_sigmoid", ("sigmoid",))
    assert released.source == source.source
    assert source.source.startswith(
        "# PROVIDED FUNCTION: sigmoid, from the solution of ch1_sigmoid"
    )
    cell = cells("solutions")[source.index]
    grading = cell.metadata.nbgrader
    assert grading["locked"] and not grading["grade"] and not grading["solution"]
    assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
    assert "sigmoid" not in graded_solutions(ASSIGNMENT)


# The public checks: what the samples of test_chapters.py do not show.


def test_the_textbook_cost_warns_on_saturated_predictions_so_grading_must_allow_it(ref):
    plain = functions_of(SAMPLES.ALTERNATIVES["alt-matmul-plain-cost"], ref)["propagate"]
    saturated = (np.array([[1.0]]), 0.0, np.array([[-50.0, 50.0]]), np.array([[1.0, 0.0]]))
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        plain(*saturated)
    assert any("divide by zero" in str(warning.message) for warning in caught)


@pytest.mark.parametrize("name", ["optimize", "model"])
def test_optimize_and_model_pass_their_checks_even_when_their_cost_warns(ref, name):
    def warning_too(*args):
        np.log(np.zeros(1))  # what log(A) does once A saturates to exactly 0
        return getattr(ref, name)(*args)

    CHECKS[name](warning_too)


def test_predict_may_count_exactly_one_half_either_way(ref):
    for threshold in [np.greater, np.greater_equal]:
        checks.check_predict(
            lambda w, b, X, t=threshold: t(ref.sigmoid(w.T @ X + b), 0.5).astype(float)
        )


def test_predict_thresholded_elsewhere_than_one_half_fails(ref):
    message = failure(
        checks.check_predict, lambda w, b, X: (ref.sigmoid(w.T @ X + b) >= 0.6).astype(float)
    )
    assert "values are wrong" in message and "at least 0.5" in message


def test_initialize_with_zeros_in_float32_is_told_the_dtype():
    message = failure(
        checks.check_initialize_with_zeros, lambda dim: (np.zeros((dim, 1), np.float32), 0.0)
    )
    assert message == (
        "initialize_with_zeros(2) should return w of dtype float64, got dtype float32: "
        "np.zeros gives float64 unless told otherwise. (Hints 1-2 are above this function's cell.)"
    )


def test_a_cost_that_goes_up_is_told_to_go_against_the_gradient(ref):
    def uphill(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
        return ref.optimize(
            w, b, X, Y, num_iterations, -learning_rate if num_iterations > 1 else learning_rate
        )

    message = failure(checks.check_optimize, uphill)
    assert "should return costs that go down" in message


# The plots of the chapter.


def test_the_confusion_matrix_has_the_true_class_in_rows_and_the_prediction_in_columns():
    Y_true = np.array([[0.0, 0.0, 0.0, 1.0, 1.0, 0.0]])
    Y_pred = np.array([[0.0, 1.0, 1.0, 1.0, 0.0, 0.0]])
    ax = plot_confusion_matrix(Y_true, Y_pred, class_names=("not 7", "7"))
    # Row by row: true 0 predicted 0 (2), predicted 1 (2); true 1 predicted 0 (1), 1 (1).
    assert [text.get_text() for text in ax.texts] == ["2", "2", "1", "1"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert [label.get_text() for label in ax.get_xticklabels()] == ["not 7", "7"]
