"""Chapter 4's helpers that its fast and its end-to-end tests share: networks trained here,
independently of the reference, and fresh moons."""

import numpy as np
from sklearn.datasets import make_moons

KEYS = ("W1", "b1", "W2", "b2")


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
