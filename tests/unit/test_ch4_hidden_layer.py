"""Chapter 4, a hidden layer, beyond what test_chapters.py checks of every chapter: the
reference reaches its targets, its gradient agrees with numerical differences computed here,
zero initialization keeps the hidden units identical, the moons loader, and the finer points
of the checks."""

import numpy as np
import pytest
from support import REPO

from autograder.course.reference import load_reference
from nnscratch.chapter import read_chapter
from nnscratch.checks import CheckFailed
from nnscratch.checks import ch4_hidden_layer as checks
from nnscratch.data import MOONS_SPLITS, load_moons

ASSIGNMENT = "ch4_hidden_layer"
NOTEBOOK = "hidden_layer.ipynb"
KEYS = ("W1", "b1", "W2", "b2")


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


def failure(check, function):
    with pytest.raises(CheckFailed) as caught:
        check(function)
    return str(caught.value)


def cost_of(parameters, X, Y):
    """The network's cross-entropy, written here from the definitions, not from the reference."""
    hidden = np.maximum(parameters["W1"] @ X + parameters["b1"], 0.0)
    z = parameters["W2"] @ hidden + parameters["b2"]
    # -log sigma(z) = log(1 + e^-z), -log(1 - sigma(z)) = log(1 + e^z)
    return float(np.mean(Y * np.logaddexp(0, -z) + (1 - Y) * np.logaddexp(0, z)))


def central_differences(parameters, X, Y, eps=1e-5):
    grads = {}
    for key in KEYS:
        grads["d" + key] = np.zeros_like(parameters[key])
        for index in np.ndindex(parameters[key].shape):
            moved = {k: v.copy() for k, v in parameters.items()}
            moved[key][index] += eps
            up = cost_of(moved, X, Y)
            moved[key][index] -= 2 * eps
            grads["d" + key][index] = (up - cost_of(moved, X, Y)) / (2 * eps)
    return grads


def relative_error(grads, numerical):
    got = np.concatenate([grads["d" + k].ravel() for k in KEYS])
    want = np.concatenate([numerical["d" + k].ravel() for k in KEYS])
    return np.linalg.norm(got - want) / (np.linalg.norm(got) + np.linalg.norm(want))


# The reference reaches the chapter's targets.


def test_the_reference_reaches_95_percent_on_the_held_out_moons(ref):
    X, Y = load_moons("train")
    X_test, Y_test = load_moons("test")
    parameters = ref.nn_model(X, Y, n_h=10)  # the contract's defaults: 10,000 iterations
    assert np.mean(ref.predict(parameters, X_test) == Y_test) >= 0.95


def test_a_straight_line_cannot_reach_that_on_the_moons():
    # The best logistic regression stays far below the target, so the target needs the layer.
    ch2 = load_reference("ch2_logistic_regression")
    X, Y = load_moons("train")
    X_test, Y_test = load_moons("test")
    d = ch2.model(X, Y, X_test, Y_test, num_iterations=3000, learning_rate=1.0)
    assert np.mean(d["Y_prediction_test"] == Y_test) < 0.90


@pytest.mark.parametrize("n_x, n_h, m, seed", [(2, 4, 20, 0), (3, 7, 30, 1), (5, 2, 9, 2)])
def test_the_reference_gradient_agrees_with_central_differences(ref, n_x, n_h, m, seed):
    rng = np.random.default_rng(seed)
    parameters = {
        "W1": rng.normal(size=(n_h, n_x)),
        "b1": rng.normal(size=(n_h, 1)),
        "W2": rng.normal(size=(1, n_h)),
        "b2": rng.normal(size=(1, 1)),
    }
    X = rng.normal(size=(n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    _, cache = ref.forward_propagation(X, parameters)
    grads = ref.backward_propagation(parameters, cache, X, Y)
    assert relative_error(grads, central_differences(parameters, X, Y)) < 1e-7


def test_the_seed_articles_dW2_transposed_bug_is_caught_by_the_same_comparison(ref):
    # The comparison above can fail: with dW2.T in place of W2.T the error is large.
    rng = np.random.default_rng(3)
    parameters = {"W1": rng.normal(size=(4, 2)), "b1": rng.normal(size=(4, 1))}
    parameters.update(W2=rng.normal(size=(1, 4)), b2=rng.normal(size=(1, 1)))
    X, Y = rng.normal(size=(2, 20)), (rng.random((1, 20)) < 0.5).astype(float)
    _, cache = ref.forward_propagation(X, parameters)
    grads = ref.backward_propagation(parameters, cache, X, Y)
    wrong = ((grads["dW2"].T @ (cache["A2"] - Y)) * (cache["Z1"] > 0)) @ X.T / 20
    assert relative_error({**grads, "dW1": wrong}, central_differences(parameters, X, Y)) > 1e-2


# Initialization: symmetry.


def test_equal_starting_weights_keep_every_hidden_unit_identical(ref):
    X, Y = load_moons("train")
    parameters = {"W1": np.full((6, 2), 0.3), "b1": np.zeros((6, 1))}
    parameters.update(W2=np.full((1, 6), -0.2), b2=np.zeros((1, 1)))
    for _ in range(300):
        _, cache = ref.forward_propagation(X, parameters)
        grads = ref.backward_propagation(parameters, cache, X, Y)
        parameters = ref.update_parameters(parameters, grads, 0.5)
    assert np.abs(parameters["W1"] - 0.3).max() > 0.01  # it did train
    for key in ("W1", "b1"):
        assert np.allclose(parameters[key], parameters[key][:1], rtol=0, atol=1e-12)
    assert np.allclose(parameters["W2"], parameters["W2"][0, 0], rtol=0, atol=1e-12)


def test_zero_weights_leave_every_weight_at_zero(ref):
    X, Y = load_moons("train")
    parameters = {"W1": np.zeros((5, 2)), "b1": np.zeros((5, 1))}
    parameters.update(W2=np.zeros((1, 5)), b2=np.zeros((1, 1)))
    for _ in range(50):
        _, cache = ref.forward_propagation(X, parameters)
        parameters = ref.update_parameters(
            parameters, ref.backward_propagation(parameters, cache, X, Y), 0.5
        )
    assert all(not parameters[key].any() for key in ("W1", "b1", "W2"))


def test_the_reference_initialization_breaks_the_symmetry_at_the_documented_scale(ref):
    parameters = ref.initialize_parameters(500, 300, 1, seed=7)
    assert np.unique(parameters["W1"], axis=0).shape[0] == 300
    assert np.std(parameters["W1"]) == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    assert np.std(parameters["W2"]) == pytest.approx(np.sqrt(1 / 300), rel=0.15)


# The moons.


def test_the_moons_splits_have_the_course_layout_and_never_share_a_point():
    splits = {name: load_moons(name) for name in MOONS_SPLITS}
    for name, (X, Y) in splits.items():
        m = MOONS_SPLITS[name][0]
        assert X.shape == (2, m) and Y.shape == (1, m)
        assert X.dtype == np.float64 and set(np.unique(Y)) == {0.0, 1.0}
        assert 0.4 < Y.mean() < 0.6
    points = np.hstack([X for X, _ in splits.values()])
    assert np.unique(points, axis=1).shape[1] == points.shape[1]


def test_the_moons_are_the_same_on_every_call_and_noisier_when_asked():
    X1, Y1 = load_moons("validation")
    X2, Y2 = load_moons("validation")
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    X_noisy, Y_noisy = load_moons("validation", noise=0.4)
    assert np.array_equal(Y_noisy, Y1) and not np.allclose(X_noisy, X1)


def test_an_unknown_moons_split_is_named_in_the_error():
    with pytest.raises(ValueError, match="'held-out'"):
        load_moons("held-out")


# The provided cells.


def test_sigmoid_and_gradient_check_come_from_their_chapters():
    provided = read_chapter(REPO / "solutions" / ASSIGNMENT / NOTEBOOK).provided
    assert [(p.origin, p.names) for p in provided] == [
        ("ch1_sigmoid", ("sigmoid",)),
        ("ch3_gradient_descent", ("gradient_check",)),
    ]
    assert "def numerical_gradient(" in provided[1].source  # the callee comes along


# The public checks: what the samples of test_chapters.py do not show.


def test_the_hand_worked_gradients_agree_with_central_differences():
    for case in checks.CASES:
        numerical = central_differences(checks.parameters_of(case), case["X"], case["Y"])
        for key in ("dW1", "db1", "dW2", "db2"):
            assert np.allclose(case[key], numerical[key], atol=1e-8), key
        assert cost_of(checks.parameters_of(case), case["X"], case["Y"]) == pytest.approx(
            case["cost"]
        )


@pytest.mark.parametrize("at_zero", [0.0, 1.0])
def test_relu_derivative_may_take_either_value_at_zero(at_zero):
    checks.check_relu_derivative(lambda Z: np.where(Z == 0, at_zero, (Z > 0).astype(float)))


def test_relu_derivative_of_booleans_is_told_to_return_floats():
    message = failure(checks.check_relu_derivative, lambda Z: Z > 0)
    assert "got booleans" in message and ".astype(float)" in message


def test_a_cost_as_a_zero_d_array_or_numpy_scalar_is_a_number(ref):
    checks.check_compute_cost(lambda A2, Y: np.squeeze(np.array([[ref.compute_cost(A2, Y)]])))
    checks.check_compute_cost(lambda A2, Y: np.float64(ref.compute_cost(A2, Y)))


def test_a_cost_as_a_one_by_one_array_is_told_to_make_it_a_number(ref):
    message = failure(
        checks.check_compute_cost, lambda A2, Y: np.array([[ref.compute_cost(A2, Y)]])
    )
    assert "should return the cost as a number" in message


def test_nn_model_that_ignores_n_h_is_told_the_shape(ref):
    def four_units(X, Y, n_h, num_iterations=10000, learning_rate=0.5, seed=0, print_cost=False):
        return ref.nn_model(X, Y, 4, num_iterations, learning_rate, seed)

    message = failure(checks.check_nn_model, four_units)
    assert 'parameters["W1"] of shape (1, 2)' in message


def test_initialize_parameters_at_the_old_scale_0_01_is_told_the_scale(ref):
    def small(n_x, n_h, n_y, seed=0):
        rng = np.random.default_rng(seed)
        W1, W2 = rng.standard_normal((n_h, n_x)) * 0.01, rng.standard_normal((n_y, n_h)) * 0.01
        return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}

    message = failure(checks.check_initialize_parameters, small)
    assert "standard deviation of about sqrt(2 / n_x)" in message
