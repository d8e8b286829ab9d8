"""The public checks accept the reference and say, in words, what is wrong with typical mistakes."""

import numpy as np
import pytest

from autograder.course.reference import load_reference
from autograder.judge.verdict import verdict
from autograder.kernel import expect, hidden_rng, recording
from nnscratch.checks import CheckFailed
from nnscratch.checks.ch1_sigmoid import (
    check_neuron_output,
    check_sigmoid,
    check_sigmoid_derivative,
)

REF = load_reference("ch1_sigmoid")


def failure(check, function):
    with pytest.raises(CheckFailed) as caught:
        check(function)
    return str(caught.value)


def test_the_reference_passes_every_public_check(capsys):
    check_sigmoid(REF.sigmoid)
    check_sigmoid_derivative(REF.sigmoid_derivative)
    check_neuron_output(REF.neuron_output)
    assert capsys.readouterr().out.count("passed") == 3


def test_a_stub_is_told_to_replace_not_implemented_error():
    def stub(z):
        raise NotImplementedError()

    assert "replace `raise NotImplementedError()`" in failure(check_sigmoid, stub)


def test_an_overflowing_sigmoid_is_told_about_the_warning_and_how_to_avoid_it():
    message = failure(check_sigmoid, lambda z: 1 / (1 + np.exp(-z)))
    assert "should run without warnings" in message and "overflow" in message
    assert "exponentiate" in message


@pytest.mark.parametrize("kind", [float, np.float64, np.float32, np.asarray])
def test_a_sigmoid_returning_any_real_number_for_a_number_passes(kind):
    check_sigmoid(lambda z: REF.sigmoid(z) if np.ndim(z) else kind(REF.sigmoid(z)))


@pytest.mark.parametrize(
    ("kind", "described"),
    [
        (lambda s: np.array([s]), "a numpy array of shape (1,)"),
        (lambda s: [s], "a list"),
        (lambda s: None, "None"),
        (str, "a str"),
    ],
)
def test_a_sigmoid_returning_what_is_not_a_number_for_a_number_is_told_so(kind, described):
    message = failure(
        check_sigmoid, lambda z: REF.sigmoid(z) if np.ndim(z) else kind(REF.sigmoid(z))
    )
    assert message.startswith(f"sigmoid(0.0) should return a number, got {described}")


def test_a_nan_where_a_number_is_due_is_told_a_finite_number_was_expected():
    message = failure(check_sigmoid, lambda z: REF.sigmoid(z) if np.ndim(z) else float("nan"))
    assert message.startswith("sigmoid(0.0) should return a finite number, got nan")


def test_a_sigmoid_that_flattens_its_input_is_told_the_expected_shape():
    message = failure(
        check_sigmoid, lambda z: REF.sigmoid(z) if np.isscalar(z) else REF.sigmoid(z).ravel()
    )
    assert "should return shape (2, 2), got shape (4,)" in message


def test_a_sigmoid_returning_a_list_is_told_to_return_an_array():
    message = failure(
        check_sigmoid, lambda z: REF.sigmoid(z) if np.isscalar(z) else list(REF.sigmoid(z))
    )
    assert "should return a numpy array of shape (5,), got a list" in message


def test_a_derivative_in_z_is_told_the_expected_value():
    message = failure(check_sigmoid_derivative, lambda z: z * (1 - z))
    assert message.startswith("sigmoid_derivative(0.0) should be 0.25, got 0")


def test_a_neuron_without_bias_is_reminded_of_the_bias():
    message = failure(check_neuron_output, lambda w, b, X: REF.sigmoid(np.dot(w.T, X)))
    assert "3 of 3 values are wrong" in message and "bias" in message


def test_a_neuron_returning_a_flat_row_is_told_the_expected_shape():
    message = failure(check_neuron_output, lambda w, b, X: REF.neuron_output(w, b, X).ravel())
    assert "should return shape (1, 3), got shape (3,)" in message


def judged(student, reference, *args):
    """What the grader says of `student` against `reference` on a hidden input."""
    with recording() as got:
        expect(student, *args, name="sigmoid")
    with recording() as expected:
        expect(reference, *args, name="sigmoid")
    return verdict(got, expected, "sigmoid")


def test_a_hidden_comparison_fails_without_showing_the_input_or_expected_values():
    z = hidden_rng("sigmoid").normal(size=(3, 4))
    message = judged(lambda z: REF.sigmoid(z) + 0.01, REF.sigmoid, z)
    assert message.startswith(
        "sigmoid(<array of shape (3, 4)>) should match the reference solution, but 12 of 12 values"
    )
    assert f"{z[0, 0]:.3}"[:5] not in message and f"{REF.sigmoid(z)[0, 0]:.3}" not in message


def test_a_hidden_comparison_accepts_the_reference_itself():
    assert judged(REF.sigmoid, REF.sigmoid, np.linspace(-5, 5, 7)) is None


def test_hidden_inputs_depend_on_the_grading_seed(monkeypatch):
    monkeypatch.setenv("NNSCRATCH_GRADING_SEED", "1")
    first = hidden_rng("sigmoid").normal(size=5)
    assert np.array_equal(first, hidden_rng("sigmoid").normal(size=5))
    monkeypatch.setenv("NNSCRATCH_GRADING_SEED", "2")
    assert not np.array_equal(first, hidden_rng("sigmoid").normal(size=5))


def test_a_hidden_test_gives_the_student_a_copy_of_the_inputs():
    def mutating(z):
        z[...] = 0.0
        return REF.sigmoid(z)

    z = np.ones(3)
    assert "values differ" in judged(mutating, REF.sigmoid, z)
    assert np.array_equal(z, np.ones(3))


def test_missing_or_unreadable_hidden_results_fail():
    with recording() as expected:
        expect(REF.sigmoid, np.ones(2), name="sigmoid")
    assert "did not all run" in verdict([], expected, "sigmoid")
    forged = [{**expected[0], "result": {"ndarray": "not base64 npy"}}]
    assert "cannot read" in verdict(forged, expected, "sigmoid")


@pytest.mark.parametrize("kind", [int, float, np.int64, np.float32, np.float64, np.asarray])
def test_a_hidden_comparison_takes_any_real_number_for_a_number(kind):
    assert judged(lambda z: kind(0), lambda z: 0.0, 1.0) is None
    assert judged(lambda z: (kind(1), {"db": kind(0)}), lambda z: (1.0, {"db": 0.0}), 1.0) is None


@pytest.mark.parametrize(
    ("wrong", "described"),
    [(np.zeros((1, 1)), "a numpy array of shape (1, 1)"), ([0.0], "a list"), (None, "None")],
)
def test_a_hidden_comparison_tells_what_is_not_a_number(wrong, described):
    message = judged(lambda z: (wrong,), lambda z: (0.0,), 1.0)
    assert f"should return a number, got {described}" in message


@pytest.mark.parametrize("dtype", [bool, np.int8, int, np.float32, float])
def test_a_hidden_comparison_takes_right_values_in_any_real_dtype(dtype):
    # (A2 > 0.5) predictions, int 0/1 slopes, an int one-hot matrix: the values are right.
    z = np.array([[-1.0, 2.0, 0.5], [3.0, -0.1, -2.0]])
    assert judged(lambda z: (z > 0).astype(dtype), lambda z: (z > 0).astype(float), z) is None


def test_a_hidden_comparison_still_fails_wrong_values_or_what_is_not_numbers():
    z = np.array([-1.0, 2.0])
    assert "values differ" in judged(lambda z: z < 0, lambda z: (z > 0).astype(float), z)
    strings = judged(lambda z: z.astype(str), lambda z: (z > 0).astype(float), z)
    assert "got a numpy array of something other than numbers" in strings
