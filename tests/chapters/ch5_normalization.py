"""Chapter 5's fixtures and helpers that its fast and its end-to-end tests share: the seed
article's blobs, the limits of the learning rate at the minimum, an independent descent."""

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.datasets import make_blobs

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


def cost(w, b, X, Y):
    z = w.T @ X + b
    return float(np.mean(np.where(Y == 1, np.logaddexp(0, -z), np.logaddexp(0, z))))


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
