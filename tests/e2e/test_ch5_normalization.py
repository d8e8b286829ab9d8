"""Chapter 5's page, re-measured where it takes long runs: raw learning rates just below 2/beta*
over many steps, and MNIST with a small L2 term (the fast tests: tests/unit/)."""

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.datasets import make_blobs
from threadpoolctl import threadpool_limits

from nnscratch.data import load_mnist

TOL = 1e-6  # the page's: a run has converged once its cost stays within TOL of J*


@pytest.fixture(scope="module")
def blobs():
    """The seed article's data: make_blobs(n_samples=100, n_features=2, centers=2,
    random_state=0), the second feature times 10; and the same standardized."""
    X_rows, y = make_blobs(n_samples=100, n_features=2, centers=2, random_state=0)
    X_raw = X_rows.T.copy()
    X_raw[1] *= 10
    X_std = (X_raw - X_raw.mean(axis=1, keepdims=True)) / X_raw.std(axis=1, keepdims=True)
    return X_raw, X_std, y.reshape(1, -1).astype(float)


def costs_of_descents(X, Y, rates, steps):
    """The same descent at several learning rates at once (w and b trained): the cost before
    and after every step, one column per rate."""
    rates = np.asarray(rates, dtype=float)[:, None]
    W, b = np.zeros((len(rates), X.shape[0])), np.zeros((len(rates), 1))
    history = np.empty((steps + 1, len(rates)))
    for step in range(steps + 1):
        Z = W @ X + b
        history[step] = np.mean(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z), axis=1)
        if step < steps:
            error = expit(Z) - Y
            W = W - rates * (error @ X.T) / X.shape[1]
            b = b - rates * error.mean(axis=1, keepdims=True)
    return history


def at_the_minimum(X, Y):
    """(J*, the Hessian at the minimum, beta_0) of logistic regression with a bias, by SciPy."""
    Xb = np.vstack([X, np.ones((1, X.shape[1]))])

    def cost_and_gradient(theta):
        z = theta @ Xb
        return (
            np.mean(Y[0] * np.logaddexp(0, -z) + (1 - Y[0]) * np.logaddexp(0, z)),
            Xb @ (expit(z) - Y[0]) / Xb.shape[1],
        )

    def hessian(theta):
        a = expit(theta @ Xb)
        return (Xb * (a * (1 - a))) @ Xb.T / Xb.shape[1]

    found = minimize(cost_and_gradient, np.zeros(3), jac=True, hess=hessian, method="trust-exact",
                     options={"gtol": 1e-12})  # fmt: skip
    assert np.linalg.norm(found.jac) < 1e-8  # the cost is then within 1e-12 of J*
    beta_0 = np.linalg.eigvalsh(Xb @ Xb.T / (4 * Xb.shape[1]))[-1]
    return found.fun, hessian(found.x), beta_0


def settled_at(history, J_star, tol=TOL):
    """The first step from which the cost stays within tol of J*, None if it ends outside."""
    outside = np.flatnonzero(history - J_star >= tol)
    if len(outside) and outside[-1] == len(history) - 1:
        return None
    return int(outside[-1]) + 1 if len(outside) else 0


@pytest.fixture(scope="module")
def limits(blobs):
    """{data: (J*, 2 / beta*, 2 / beta_0, kappa)} of the raw and the standardized data."""
    X_raw, X_std, Y = blobs
    found = {}
    for name, X in [("raw", X_raw), ("standardized", X_std)]:
        J_star, H, beta_0 = at_the_minimum(X, Y)
        curvatures = np.linalg.eigvalsh(H)
        found[name] = (J_star, 2 / curvatures[-1], 2 / beta_0, curvatures[-1] / curvatures[0])
    return found


@pytest.fixture(scope="module")
def raw_runs(blobs, limits):
    """The raw data at 0.85, 0.95 and 1.05 times their 2 / beta*, 170,000 steps each."""
    X_raw, _, Y = blobs
    _, limit, _, _ = limits["raw"]
    return costs_of_descents(X_raw, Y, limit * np.array([0.85, 0.95, 1.05]), 170_000)


def test_raw_rates_just_below_2_over_beta_star_raise_the_cost_and_still_reach_the_minimum(
    limits, raw_runs
):
    """Item 3 of the page: such runs are non-monotone, not diverged; above 2 / beta* none settles,
    and the one closest to 2 / beta* is the fastest."""
    J_star = limits["raw"][0]
    below, closest, above = raw_runs.T
    for run in [below, closest]:
        assert run[1] > run[0], "the first step should raise the cost"
        assert np.sum(np.diff(run) > 1e-12) > 100
        assert settled_at(run, J_star) is not None, "a rate below 2/beta* should converge"
    assert settled_at(closest, J_star) < settled_at(below, J_star)
    assert settled_at(above, J_star) is None and above[-1] - J_star > 100 * TOL


@pytest.fixture(scope="module")
def mnist_small():
    """The page's 1,000 training images, is it a 7?, the pixels never inked in them left out
    (their weights stay 0 in every version)."""
    X_train, y_train = load_mnist("train")
    subset = np.random.default_rng(0).choice(X_train.shape[1], size=1000, replace=False)
    X = X_train[:, subset]
    return X[np.ptp(X, axis=1) > 0], (y_train[subset] == 7).astype(float)


def test_on_mnist_with_a_small_l2_term_standardizing_is_no_faster_than_dividing_by_255(
    mnist_small,
):
    """The page's MNIST findings, lambda = 1: pixels / 255 at 0.95 of its 2 / beta* gets within
    1e-5 of its minimum in fewer steps than the standardized pixels at any of 0.3, 0.6, 0.95 of
    theirs, whose condition number is about the same; raw pixels (255^2 lambda, the same
    problem: its cost at the pixels / 255 minimum, rescaled, is the same J*) cut 2 / beta* by
    about 255^2, and the run stalls well above J*."""
    X, y = mnist_small
    m, lambd, steps = X.shape[1], 1.0, 4000
    Xs = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)

    def solve(X, lambd, at=None):
        Xb = np.vstack([X, np.ones((1, m))])
        decay = np.r_[np.full(X.shape[0], lambd / m), 0.0]

        def f(theta):
            z = theta @ Xb
            loss = np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))
            return loss + 0.5 * decay @ theta**2, Xb @ (expit(z) - y) / m + decay * theta

        def hessp(theta, v):
            a = expit(theta @ Xb)
            return Xb @ (a * (1 - a) * (v @ Xb)) / m + decay * v

        if at is None:
            found = minimize(f, np.zeros(Xb.shape[0]), jac=True, hessp=hessp, method="trust-ncg",
                             options={"gtol": 1e-11})  # fmt: skip
            assert np.linalg.norm(found.jac) < 1e-9
            at = found.x
        a = expit(at @ Xb)
        curvatures = np.linalg.eigvalsh((Xb * (a * (1 - a))) @ Xb.T / m + np.diag(decay))
        return Xb, decay, f(at)[0], curvatures, at

    def descend(Xb, decay, rates):
        rates = np.asarray(rates)[:, None]
        theta, history = np.zeros((len(rates), Xb.shape[0])), []
        for _ in range(steps + 1):
            z = theta @ Xb
            loss = np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z), axis=1)
            history.append(loss + 0.5 * theta**2 @ decay)
            theta = theta - rates * ((expit(z) - y) @ Xb.T / m + decay * theta)
        return np.array(history)

    with threadpool_limits(limits=1, user_api="blas"):
        found = {"255": solve(X, lambd), "std": solve(Xs, lambd)}
        # Raw pixels with 255^2 lambda, at the pixels / 255 minimum with the weights / 255.
        found["raw"] = solve(
            255 * X, 255**2 * lambd, found["255"][4] / np.r_[np.full(len(X), 255), 1]
        )
        counts = {}
        for name, fractions in [("255", [0.95]), ("std", [0.3, 0.6, 0.95])]:
            Xb, decay, J_star, curvatures, _ = found[name]
            runs = descend(Xb, decay, np.array(fractions) * 2 / curvatures[-1])
            counts[name] = [settled_at(run, J_star, 1e-5) for run in runs.T]
        Xb, decay, J_star, curvatures, _ = found["raw"]
        raw = descend(Xb, decay, [0.95 * 2 / curvatures[-1]])[:, 0]
    kappa = {name: c[-1] / c[0] for name, (_, _, _, c, _) in found.items()}
    assert counts["255"][0] is not None
    assert all(count is None or count > counts["255"][0] for count in counts["std"]), counts
    assert 0.5 < kappa["std"] / kappa["255"] < 2
    assert found["raw"][2] == pytest.approx(found["255"][2], abs=1e-9)  # the same problem
    limit_ratio = found["raw"][3][-1] / found["255"][3][-1]
    assert 0.9 * 255**2 < limit_ratio <= 255**2 * 1.0001
    assert raw[-1] - found["255"][2] > 10 * 1e-5 and kappa["raw"] > 1e4 * kappa["255"]
