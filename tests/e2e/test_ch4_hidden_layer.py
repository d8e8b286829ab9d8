"""Chapter 4's page, re-measured: the seed article's setting over several draws, and the
non-convex cost (swapping two hidden units), each training many networks (the fast tests:
tests/unit/)."""

import numpy as np
import pytest
from sklearn.datasets import make_moons

from autograder.course.reference import load_reference
from nnscratch.data import load_moons

ASSIGNMENT = "ch4_hidden_layer"
KEYS = ("W1", "b1", "W2", "b2")


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


def cost_of(parameters, X, Y):
    """The network's cross-entropy, written here from the definitions, not from the reference."""
    hidden = np.maximum(parameters["W1"] @ X + parameters["b1"], 0.0)
    z = parameters["W2"] @ hidden + parameters["b2"]
    # -log sigma(z) = log(1 + e^-z), -log(1 - sigma(z)) = log(1 + e^z)
    return float(np.mean(Y * np.logaddexp(0, -z) + (1 - Y) * np.logaddexp(0, z)))


def train_many(starts, X, Y, num_iterations, learning_rate, bug=False):
    """Gradient descent on several networks of the same size at once, written here from the
    definitions. With `bug`, the seed article's backward pass: dW2.T where W2.T belongs."""
    W1, b1, W2, b2 = (np.stack([start[key] for start in starts]) for key in KEYS)
    m = X.shape[1]
    for _ in range(num_iterations):
        Z1 = W1 @ X + b1
        A1 = np.maximum(Z1, 0.0)
        A2 = 0.5 * (1 + np.tanh((W2 @ A1 + b2) / 2))  # the sigmoid, without overflow
        dZ2 = (A2 - Y) / m
        dW2 = dZ2 @ A1.transpose(0, 2, 1)
        carrier = dW2 if bug else W2
        dZ1 = (carrier.transpose(0, 2, 1) @ dZ2) * (Z1 > 0)
        W1 = W1 - learning_rate * (dZ1 @ X.T)
        b1 = b1 - learning_rate * dZ1.sum(axis=2, keepdims=True)
        W2 = W2 - learning_rate * dW2
        b2 = b2 - learning_rate * dZ2.sum(axis=2, keepdims=True)
    return [dict(zip(KEYS, arrays, strict=True)) for arrays in zip(W1, b1, W2, b2, strict=True)]


def accuracy(parameters, X, Y):
    hidden = np.maximum(parameters["W1"] @ X + parameters["b1"], 0.0)
    return float(np.mean(((parameters["W2"] @ hidden + parameters["b2"]) >= 0) == Y))


def fresh_moons(m, random_state):
    X, y = make_moons(n_samples=m, noise=0.2, random_state=random_state)
    return X.T, y.reshape(1, -1).astype(float)


@pytest.fixture(scope="module")
def seeds(ref):
    """The page's networks of 5 and 10 hidden units from seeds 0 to 7 (10,000 iterations at
    learning rate 0.5), trained here: {n_h: [parameters of seed 0, ..., seed 7]}."""
    X, Y = load_moons("train")
    return {
        n_h: train_many(
            [ref.initialize_parameters(2, n_h, 1, seed) for seed in range(8)], X, Y, 10000, 0.5
        )
        for n_h in (5, 10)
    }


def test_swapping_two_hidden_units_keeps_the_cost_and_every_midpoint_costs_more(seeds):
    X, Y = load_moons("train")
    trained = seeds[10][0]
    end = cost_of(trained, X, Y)
    for j in range(10):
        for k in range(j + 1, 10):
            order = np.arange(10)
            order[[j, k]] = order[[k, j]]
            other = {"W1": trained["W1"][order], "b1": trained["b1"][order]}
            other.update(W2=trained["W2"][:, order], b2=trained["b2"])
            assert cost_of(other, X, Y) == pytest.approx(end, rel=1e-12)
            halfway = {key: (trained[key] + other[key]) / 2 for key in KEYS}
            assert cost_of(halfway, X, Y) > end


@pytest.fixture(scope="module")
def article(ref, seeds):
    """{setting: array of (score on the draw's 60 validation points, accuracy on 10,000 fresh
    points), one row per draw}, for the page's four settings, and logistic regression's accuracy
    on the fresh points."""
    X, Y = load_moons("train")
    starts = [ref.initialize_parameters(2, 5, 1, seed) for seed in range(8)]
    trained = {
        "article": train_many(starts, X, Y, 10000, 0.003, bug=True),
        "bug fixed": train_many(starts, X, Y, 10000, 0.003),
        "chapter, 5 units": seeds[5],
        "chapter, 10 units": seeds[10],
    }
    X_fresh, Y_fresh = fresh_moons(10_000, 1000)
    validation = [fresh_moons(60, 100 + draw) for draw in range(8)]
    scores = {
        setting: np.array(
            [
                [accuracy(p, *validation[d]), accuracy(p, X_fresh, Y_fresh)]
                for d, p in enumerate(runs)
            ]
        )
        for setting, runs in trained.items()
    }
    ch2 = load_reference("ch2_logistic_regression")
    X_val, Y_val = load_moons("validation")
    line = ch2.model(X, Y, X_val, Y_val, num_iterations=2000, learning_rate=0.5)
    logistic = float(np.mean(ch2.predict(line["w"], line["b"], X_fresh) == Y_fresh))
    return scores, logistic


def test_the_articles_83_percent_lies_in_the_upper_half_of_its_settings_spread(article):
    scores, _ = article
    score = scores["article"][:, 0]
    assert score.min() < 0.833 < score.max()
    assert np.median(score) < 0.833
    assert score.max() - score.min() > 2 * 0.048  # wider than two standard errors
