"""Chapter 5, normalization, beyond what test_chapters.py checks of every chapter: the reference
reaches the chapter's target (standardized data in at most a tenth of the raw iterations), the
seed experiment and the claims of the chapter's page come out as the page and the notebook say,
and the scaling functions keep the test set on the training set's scale.

The expected values come from code written here: an independent gradient descent with SciPy's
sigmoid, and minima found by SciPy's optimizer, never by the page's Newton iteration; the
numbers the notebook's text quotes are read from the notebook and checked against them."""

import re
import warnings

import nbformat
import numpy as np
import pytest
from chapters.ch5_normalization import (
    TOL,
    at_the_minimum,
    cost,
    costs_of_descents,
    settled_at,
)
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.datasets import make_blobs
from support import REPO, hidden_verdict

from autograder.course.reference import load_reference
from nnscratch.checks import ch5_normalization as checks

ASSIGNMENT = "ch5_normalization"


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


def costs_of_descent(X, Y, alpha, steps, bias=True):
    """The cost before and after each of `steps` steps of gradient descent from zeros (with the
    bias held at 0 when bias=False)."""
    w, b = np.zeros((X.shape[0], 1)), 0.0
    history = [cost(w, b, X, Y)]
    for _ in range(steps):
        error = expit(w.T @ X + b) - Y
        w = w - alpha * X @ error.T / X.shape[1]
        b = b - alpha * float(np.mean(error)) if bias else 0.0
        history.append(cost(w, b, X, Y))
    return np.array(history)


def notebook_text():
    [source] = (REPO / "solutions" / ASSIGNMENT).glob("*.ipynb")
    cells = nbformat.read(source, as_version=4).cells
    return "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")


def test_the_seed_data_are_two_blobs_of_50_the_second_feature_spread_ten_times_wider(blobs):
    X_raw, _, Y = blobs
    assert X_raw.shape == (2, 100) and Y.sum() == 50
    X_rows, _ = make_blobs(n_samples=100, n_features=2, centers=2, random_state=0)
    assert np.allclose(X_raw.std(axis=1) / X_rows.std(axis=0), [1.0, 10.0])


def test_at_the_seed_rate_0_6_the_raw_cost_rises_on_many_steps_the_standardized_on_none(blobs):
    """The seed's tumultuous learning curve: 0.6 is several times the raw data's 2 / beta*, so
    the steep direction flips sign at every step and the cost goes up on a large share of them,
    with or without the bias (the page draws the bias-0 descents, counts the full neuron's)."""
    X_raw, X_std, Y = blobs
    for bias in [False, True]:
        raw = costs_of_descent(X_raw, Y, 0.6, 100, bias=bias)
        standardized = costs_of_descent(X_std, Y, 0.6, 100, bias=bias)
        assert np.sum(np.diff(raw) > 0) >= 30, "the raw learning curve should be tumultuous"
        assert raw[-1] > raw[0], "after 100 raw steps the cost should be above its start"
        assert np.all(np.diff(standardized) < 0) and standardized[-1] < 0.2


def test_the_limits_the_page_and_the_notebook_quote(limits):
    """2 / beta_0 < 2 / beta* on the raw data, 0.6 about 7 times the latter (the page's
    'seed_rate_over_limit'); the notebook's text quotes 2 / beta* as 'about 0.085'; the
    condition numbers differ by more than a factor of 1,000."""
    J_raw, limit_raw, safe_raw, kappa_raw = limits["raw"]
    J_std, limit_std, safe_std, kappa_std = limits["standardized"]
    assert safe_raw < limit_raw and safe_std < limit_std
    assert 6.5 < 0.6 / limit_raw < 7.5
    quoted = re.search(r"learning rates up to about ([\d.]+), twice the inverse", notebook_text())
    assert quoted and float(quoted.group(1)) == pytest.approx(limit_raw, abs=0.0005)
    assert kappa_raw > 1000 * kappa_std
    assert J_raw == pytest.approx(J_std, abs=1e-10), "standardizing moves the minimum, not J*"


def test_the_exercise_rule_stops_a_slow_raw_run_far_above_the_minimum(blobs, limits):
    """The page's 'slow_stop_gap': on the flat valley floor one step gains less than 1e-6 while
    the cost is still far above J*."""
    X_raw, _, Y = blobs
    J_star, _, safe, _ = limits["raw"]
    history = costs_of_descent(X_raw, Y, 0.7 * safe, 40_000)
    stopped = int(np.flatnonzero(history[:-1] - history[1:] < TOL)[0]) + 1
    assert np.all(np.diff(history[: stopped + 1]) < 0), "below 2/beta_0 every step lowers the cost"
    assert history[stopped] - J_star > 1000 * TOL


def test_the_contract_target_standardized_needs_at_most_a_tenth_of_the_raw_iterations(ref, blobs):
    """By the exercise's own count, over the runs it can count (it stops a run whose first step
    raises the cost at 1), at learning rates of the notebook's sweep."""
    X_raw, X_std, Y = blobs
    counted = {}
    for name, X in [("raw", X_raw), ("standardized", X_std)]:
        counts = [ref.iterations_to_converge(X, Y, rate, max_iterations=50_000)
                  for rate in [0.01, 0.1, 0.6, 3.0, 30.0]]  # fmt: skip
        counted[name] = min(count for count in counts if count > 1)
    assert counted["standardized"] <= counted["raw"] / 10, counted


def test_iterations_to_converge_counts_the_steps_of_an_independent_descent(ref, blobs):
    X_raw, X_std, Y = blobs
    for X, alpha, steps in [(X_raw, 0.01, 25_000), (X_raw, 0.05, 5), (X_std, 0.6, 2500),
                            (X_std, 30.0, 500)]:  # fmt: skip
        history = costs_of_descent(X, Y, alpha, steps)
        expected = int(np.flatnonzero(history[:-1] - history[1:] < 1e-6)[0]) + 1
        assert ref.iterations_to_converge(X, Y, alpha) == expected
    assert ref.iterations_to_converge(X_raw, Y, 0.05) == 1  # a non-monotone run: counted as 1


def test_iterations_grow_in_proportion_to_the_condition_number(blobs):
    """The page's condition-number figure: the standardized data with the second feature
    divided by 2 and by 8 differ 16-fold in kappa, yet the steps per unit of kappa agree."""
    _, X_std, Y = blobs
    per_kappa = []
    for c in [2.0, 8.0]:
        X = X_std / np.array([[1.0], [c]])
        J_star, H, _ = at_the_minimum(X, Y)
        curvatures = np.linalg.eigvalsh(H)
        steps = settled_at(costs_of_descents(X, Y, [1 / curvatures[-1]], 15_000)[:, 0], J_star)
        per_kappa.append(steps / (curvatures[-1] / curvatures[0]))
    assert per_kappa[1] == pytest.approx(per_kappa[0], rel=0.1)


def test_whitening_rounds_the_bowl_of_correlated_features_where_standardizing_cannot():
    rng = np.random.default_rng(3)
    u = rng.normal(size=(2, 400))
    X = np.vstack([u[0], 0.98 * u[0] + np.sqrt(1 - 0.98**2) * u[1]])
    Y = (rng.random((1, 400)) < expit(15 * (X[0] - X[1]))).astype(float)
    X_s = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
    variances, U = np.linalg.eigh(np.cov(X_s, bias=True))
    X_w = (U.T @ X_s) / np.sqrt(variances)[:, None]
    steps, kappas = [], []
    for data in [X_s, X_w]:
        Xb = np.vstack([data, np.ones((1, 400))])
        kappas.append(np.linalg.cond(Xb @ Xb.T))
        J_star, H, _ = at_the_minimum(data, Y)
        alpha = 1 / np.linalg.eigvalsh(H)[-1]
        steps.append(settled_at(costs_of_descents(data, Y, [alpha], 5000)[:, 0], J_star))
    rho = np.corrcoef(X_s)[0, 1]
    assert kappas[0] == pytest.approx((1 + rho) / (1 - rho), rel=1e-6)  # standardized: still
    assert kappas[1] == pytest.approx(1.0, abs=1e-9)  # whitened: round
    assert steps[1] * 10 < steps[0]


def test_a_class_1_test_set_standardized_with_its_own_statistics_falls_onto_the_boundary(blobs):
    """The page's leakage example: new points of class 1 from the seed's blobs, standardized
    with the training set's statistics, are nearly all recognized; centred with their own, they
    straddle the boundary, about half on each side."""
    X_raw, X_std, Y = blobs
    X_rows, y, centres = make_blobs(
        n_samples=100, n_features=2, centers=2, random_state=0, return_centers=True
    )
    X_new, y_new = make_blobs(n_samples=400, n_features=2, centers=centres, random_state=1)
    X_test = X_new.T[:, y_new == 1] * np.array([[1.0], [10.0]])
    Xb = np.vstack([X_std, np.ones((1, 100))])
    found = minimize(
        lambda t: np.mean(np.logaddexp(0, (1 - 2 * Y[0]) * (t @ Xb))), np.zeros(3), method="BFGS"
    )
    mean, std = X_raw.mean(axis=1, keepdims=True), X_raw.std(axis=1, keepdims=True)
    own_mean, own_std = X_test.mean(axis=1, keepdims=True), X_test.std(axis=1, keepdims=True)
    recognized = []
    for centre, spread in [(mean, std), (own_mean, own_std)]:
        scaled = np.vstack([(X_test - centre) / spread, np.ones((1, X_test.shape[1]))])
        recognized.append(np.mean(found.x @ scaled >= 0))
    assert recognized[0] >= 0.9 and 0.35 <= recognized[1] <= 0.65, recognized


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


# The hidden comparison's tolerance: the honest variants pass, the mistakes still fail.

EPSILON_SURFACE = """
def loss_surface(X, Y, w1_values, w2_values):
    costs = np.zeros((len(w2_values), len(w1_values)))
    for j, w2 in enumerate(w2_values):
        for i, w1 in enumerate(w1_values):
            A = 1 / (1 + np.exp(-(w1 * X[0] + w2 * X[1])))
            costs[j, i] = -np.mean(Y * np.log(A + 1e-8) + (1 - Y) * np.log(1 - A + 1e-8))
    return costs
"""


@pytest.mark.parametrize("seed", range(5))
def test_a_surface_with_an_epsilon_in_the_log_passes_the_hidden_comparison(seed):
    cells = {"s": EPSILON_SURFACE}
    assert hidden_verdict("ch5_normalization", "loss_surface", cells, seed) is None


def test_a_surface_with_a_bias_of_a_tenth_still_fails_the_hidden_comparison():
    off = {"s": EPSILON_SURFACE.replace("w2 * X[1]", "w2 * X[1] + 0.1")}
    assert "loss_surface" in hidden_verdict("ch5_normalization", "loss_surface", off)
