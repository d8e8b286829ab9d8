"""Chapter 5, normalization, beyond what test_chapters.py checks of every chapter: the reference
reaches the chapter's target (standardized data in at most a tenth of the raw iterations, each
at its best stable learning rate), the seed experiment comes out as the page says, and the
scaling functions keep the test set on the training set's scale.

The expected values come from an independent gradient descent written here with SciPy's sigmoid,
never from numbers the reference printed."""

import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.datasets import make_blobs

from autograder.course.reference import load_reference
from nnscratch.checks import ch5_normalization as checks

ASSIGNMENT = "ch5_normalization"


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


@pytest.fixture(scope="module")
def blobs():
    """The chapter's data: two overlapping blobs, the second feature times 10."""
    X_rows, y = make_blobs(
        n_samples=100, centers=[[-0.15, -0.15], [0.15, 0.15]], cluster_std=0.3, random_state=0
    )
    X_raw = X_rows.T.copy()
    X_raw[1] *= 10
    X_std = (X_raw - X_raw.mean(axis=1, keepdims=True)) / X_raw.std(axis=1, keepdims=True)
    return X_raw, X_std, y.reshape(1, -1).astype(float)


def cost(w, b, X, Y):
    z = w.T @ X + b
    return float(np.mean(np.where(Y == 1, np.logaddexp(0, -z), np.logaddexp(0, z))))


def costs_of_descent(X, Y, alpha, steps):
    """The cost before and after each of `steps` steps of gradient descent from zeros."""
    w, b = np.zeros((X.shape[0], 1)), 0.0
    history = [cost(w, b, X, Y)]
    for _ in range(steps):
        error = expit(w.T @ X + b) - Y
        w, b = w - alpha * X @ error.T / X.shape[1], b - alpha * float(np.mean(error))
        history.append(cost(w, b, X, Y))
    return np.array(history)


def best_stable(ref, X, Y, rates):
    """(learning rate, iterations) of the fastest run whose cost never rose on the way."""
    best = None
    for alpha in rates:
        count = ref.iterations_to_converge(X, Y, alpha, max_iterations=20_000)
        if np.all(np.diff(costs_of_descent(X, Y, alpha, count)) <= 1e-9):
            if best is None or count < best[1]:
                best = (alpha, count)
    return best


RATES = np.geomspace(0.1, 30, 16)


def test_standardized_data_converge_in_at_most_a_tenth_of_the_raw_iterations(ref, blobs):
    X_raw, X_std, Y = blobs
    raw_rate, raw_count = best_stable(ref, X_raw, Y, RATES)
    std_rate, std_count = best_stable(ref, X_std, Y, RATES)
    assert std_count <= raw_count / 10, (raw_rate, raw_count, std_rate, std_count)
    # The raw data's best rate is capped by its steep direction; the standardized data go on.
    assert std_rate > 3 * raw_rate


def test_iterations_to_converge_counts_the_steps_of_an_independent_descent(ref, blobs):
    X_raw, X_std, Y = blobs
    for X, alpha in [(X_raw, 0.6), (X_std, 0.6), (X_std, 2.0)]:
        history = costs_of_descent(X, Y, alpha, 2000)
        expected = int(np.flatnonzero(history[:-1] - history[1:] < 1e-6)[0]) + 1
        assert ref.iterations_to_converge(X, Y, alpha) == expected


def test_the_seed_experiment_raw_needs_over_five_times_the_iterations_at_rate_0_6(ref, blobs):
    X_raw, X_std, Y = blobs
    raw = ref.iterations_to_converge(X_raw, Y, 0.6)
    standardized = ref.iterations_to_converge(X_std, Y, 0.6)
    assert raw > 5 * standardized
    assert 50 <= standardized <= 120  # the seed article's "about 75"


def test_the_seed_descent_from_minus_7_5_7_5_reaches_the_minimum_only_when_scaled(ref, blobs):
    X_raw, X_std, Y = blobs
    grid = np.linspace(-10, 10, 201)
    for X, reaches in [(X_raw, False), (X_std, True)]:
        lowest = ref.loss_surface(X, Y, grid, grid).min()
        w = np.array([[-7.5], [7.5]])
        for _ in range(100):
            w = w - 0.6 * X @ (expit(w.T @ X) - Y).T / X.shape[1]
        assert (cost(w, 0.0, X, Y) < 1.02 * lowest) == reaches


def test_the_surface_is_the_cost_at_each_grid_point_rows_following_w2(ref, blobs):
    _, X, Y = blobs
    w1_values, w2_values = np.linspace(-3, 4, 8), np.linspace(-2, 2, 5)
    costs = ref.loss_surface(X, Y, w1_values, w2_values)
    assert costs.shape == (5, 8)
    for j, i in [(0, 0), (4, 7), (2, 5), (1, 3)]:
        w = np.array([[w1_values[i]], [w2_values[j]]])
        assert costs[j, i] == pytest.approx(cost(w, 0.0, X, Y), rel=1e-12)


def test_standardized_training_features_have_mean_0_and_std_1_and_constant_ones_0(ref):
    rng = np.random.default_rng(5)
    # Offsets at most a few hundred times the spread: beyond that, float64 itself cannot centre
    # a feature to 1e-12.
    X = rng.normal(size=(5, 1)) * 10 + 10.0 ** rng.uniform(-1, 2, (5, 1)) * rng.normal(
        size=(5, 500)
    )
    X[2] = 0.1  # a constant whose mean rounds: a std of 1e-17 must still count as constant
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mean, std = ref.standardize_fit(X)
        scaled = ref.standardize_apply(X, mean, std)
    assert mean.shape == std.shape == (5, 1) and std[2, 0] == 1.0
    others = [0, 1, 3, 4]
    assert np.allclose(scaled[others].mean(axis=1), 0.0, atol=1e-12)
    assert np.allclose(scaled[others].std(axis=1), 1.0, atol=1e-12)
    assert np.allclose(scaled[2], 0.0, atol=1e-12)


def test_a_test_set_keeps_its_shift_on_the_training_scale_and_loses_it_on_its_own(ref):
    rng = np.random.default_rng(6)
    X_train = rng.normal(3.0, 2.0, size=(2, 2000))
    X_test = rng.normal(3.0, 2.0, size=(2, 500)) + np.array([[2.0], [0.0]])  # feature 1 drifted
    mean, std = ref.standardize_fit(X_train)
    on_training_scale = ref.standardize_apply(X_test, mean, std)
    leaked = ref.standardize_apply(X_test, *ref.standardize_fit(X_test))
    assert on_training_scale[0].mean() == pytest.approx(1.0, abs=0.15)  # a shift of 2 / std 2
    assert leaked[0].mean() == pytest.approx(0.0, abs=1e-12)


def test_min_max_scaling_spans_0_to_1_per_feature(ref):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(4, 1)) * 50 + rng.uniform(0.1, 100, (4, 1)) * rng.random((4, 60))
    scaled = ref.min_max_scale(X)
    assert np.allclose(scaled.min(axis=1), 0.0) and np.allclose(scaled.max(axis=1), 1.0)


def test_the_public_check_premise_separable_data_keep_falling_for_30_steps():
    X, Y = checks.SEPARABLE
    history = costs_of_descent(X, Y, 1.0, 30)
    assert np.all(history[:-1] - history[1:] > 1e-9)


def test_the_public_check_premise_the_gradient_at_zero_is_zero():
    for X, Y in checks.AT_A_MINIMUM:
        error = expit(np.zeros((1, X.shape[1]))) - Y
        assert np.allclose(X @ error.T, 0.0) and np.isclose(error.sum(), 0.0)
