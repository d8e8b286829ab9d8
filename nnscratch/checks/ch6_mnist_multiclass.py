"""Public checks of chapter 6: one-hot labels, softmax, L2 regularization and a network class.

The expected values are worked out by hand. The network of the class checks (NETWORK below)
has two inputs, two hidden layers of two ReLU units and two softmax outputs; its weights make
every pre-activation of the output layer 0 or ln 3, where the softmax takes the values 1/4 and
3/4, so every cost and gradient is a fraction, times ln 3 below the output layer. No
pre-activation of a hidden layer is 0, where ReLU has no derivative. Where a value cannot be
worked out by hand (random initial weights, training), the checks test properties every correct
answer has. No graded function is implemented here.
"""

import math

import numpy as np

from ._core import (
    HISTORY_KEYS,
    CheckFailed,
    call,
    describe,
    expect_array_of,
    expect_close,
    expect_history,
    expect_keys,
    expect_number,
    passed,
    tip,
    with_own_methods,
)
from ._hints import points_to_hints

LN3 = math.log(3.0)

# The class checks' network, layer_dims [2, 2, 2, 2], and its two examples X (one per column):
#   Z1 = W1 X + b1 = X = [[1, -1], [-1, 2]],   A1 = relu(Z1) = [[1, 0], [0, 2]],
#   Z2 = W2 A1 + b2 = [[0.5, -0.5], [-0.5, 1.5]],   A2 = [[0.5, 0], [0, 1.5]],
#   Z3 = W3 A2 = [[ln 3, 0], [0, ln 3]],   A3 = softmax(Z3) = [[3/4, 1/4], [1/4, 3/4]].
# With both labels 0, Y = [[1, 1], [0, 0]] and m = 2 (dZ is dJ/dZ, the mean's 1/m included):
#   dZ3 = (A3 - Y) / 2 = [[-1/8, -3/8], [1/8, 3/8]],
#   dW3 = dZ3 A2^T = [[-1/16, -9/16], [1/16, 9/16]],
#   db3 = [[-1/2], [1/2]];  dZ2 = W3^T dZ3 * (Z2 > 0) = ln 3 [[-1/4, 0], [0, 1/4]],
#   dW2 = dZ2 A1^T = ln 3 [[-1/4, 0], [0, 1/2]],  db2 = ln 3 [[-1/4], [1/4]];
#   dZ1 = W2^T dZ2 * (Z1 > 0) = ln 3 [[-1/4, 0], [0, 1/4]],
#   dW1 = dZ1 X^T = ln 3 [[-1/4, 1/4], [-1/4, 1/2]],  db1 = ln 3 [[-1/4], [1/4]];
#   J = -(ln 3/4 + ln 1/4) / 2 = ln(16/3) / 2.
# With lambda = 1, every dW gains lambda / n W = W / 2 (no fit yet: n = m = 2).
NETWORK = {
    "W1": np.eye(2),
    "b1": np.zeros((2, 1)),
    "W2": np.eye(2),
    "b2": np.array([[-0.5], [-0.5]]),
    "W3": np.diag([2.0 * LN3, 2.0 * LN3 / 3.0]),
    "b3": np.zeros((2, 1)),
}
X = np.array([[1.0, -1.0], [-1.0, 2.0]])
Y = np.array([[1.0, 1.0], [0.0, 0.0]])
CACHE = {
    "A0": X,
    "Z1": X,
    "A1": np.array([[1.0, 0.0], [0.0, 2.0]]),
    "Z2": np.array([[0.5, -0.5], [-0.5, 1.5]]),
    "A2": np.array([[0.5, 0.0], [0.0, 1.5]]),
    "Z3": np.array([[LN3, 0.0], [0.0, LN3]]),
    "A3": np.array([[0.75, 0.25], [0.25, 0.75]]),
}
GRADS = {
    "dW1": LN3 * np.array([[-0.25, 0.25], [-0.25, 0.5]]),
    "db1": LN3 * np.array([[-0.25], [0.25]]),
    "dW2": LN3 * np.array([[-0.25, 0.0], [0.0, 0.5]]),
    "db2": LN3 * np.array([[-0.25], [0.25]]),
    "dW3": np.array([[-1.0, -9.0], [1.0, 9.0]]) / 16.0,
    "db3": np.array([[-0.5], [0.5]]),
}
HINTS = {
    "Z": "Z[l] = W[l] A[l-1] + b[l], with A0 = X.",
    "A": "the hidden layers' activation is relu, the last layer's is softmax.",
    "dW": "dW[l] = dZ[l] A[l-1]^T + lambd / n * W[l], with dZ[L] = (AL - Y) / m and n = m "
    "before any fit.",
    "db": "db[l] is the sum of dZ[l] over the examples (axis=1, keepdims=True); dZ[L] = "
    "(AL - Y) / m holds the mean's 1 / m.",
}
USES_YOUR_CLASS = "It calls your __init__ first: the constructor stores its arguments."


@points_to_hints("one_hot", 2)
def check_one_hot(one_hot):
    """Public checks of `one_hot(y, num_classes)`: one column per example, a 1 in the row of its
    label, rows of zeros for the labels the batch does not hold."""
    for y, num_classes, expected in (
        ([2, 0, 1, 2], 3, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]]),
        ([4, 1], 5, [[0, 0], [0, 1], [0, 0], [0, 0], [1, 0]]),
    ):
        label = f"one_hot(np.array({y}), {num_classes})"
        Y_got = call(one_hot, np.array(y), num_classes, label=label, expected="an array")
        if isinstance(Y_got, np.ndarray) and Y_got.shape == (len(y), num_classes) != (
            num_classes,
            len(y),
        ):
            raise CheckFailed(
                f"{label} should return shape {(num_classes, len(y))}, one column per example "
                f"(the course's layout), got shape {Y_got.shape}: one row per example. "
                "Transpose it, or fill Y[y[i], i]."
            )
        expect_array_of(Y_got, (num_classes, len(y)), label, "Y", "one column per example")
        expect_close(Y_got, expected, label, hint="Y[k, i] is 1 where y[i] == k, 0 elsewhere.")
    passed("one_hot")


@points_to_hints("softmax", 2)
def check_softmax(softmax):
    """Public checks of `softmax(Z)`: columns of (1/4, 3/4) and (2/3, 1/3), each column summing to
    1, the same after adding a constant to a column, and no overflow for scores of 1000."""
    Z = np.array([[0.0, math.log(2.0), 5.0], [LN3, 0.0, 5.0]])
    expected = np.array([[0.25, 2 / 3, 0.5], [0.75, 1 / 3, 0.5]])
    label = "softmax(Z) with Z of shape (2, 3)"
    A = call(softmax, Z.copy(), label=label, expected="an array")
    expect_array_of(A, (2, 3), label, "A", "the shape of Z")
    if np.allclose(np.sum(A, axis=1), 1.0) and not np.allclose(np.sum(A, axis=0), 1.0):
        raise CheckFailed(
            f"{label} should make each column sum to 1, but its rows sum to 1: take the "
            "maximum and the sum over axis=0 (the classes), with keepdims=True."
        )
    expect_close(A, expected, label, hint="softmax(z)_k = e^(z_k) / sum_j e^(z_j), per column.")
    shifted_label = "softmax(Z + 1000), every score 1000 larger"
    A_shifted = call(softmax, Z + 1000.0, label=shifted_label, expected="an array")
    expect_array_of(A_shifted, (2, 3), shifted_label, "A")
    expect_close(
        A_shifted,
        expected,
        shifted_label,
        hint="e^1000 overflows: subtract each column's maximum from its scores first.",
    )
    wide = np.array([[1000.0, -1000.0], [0.0, 1000.0], [-1000.0, 0.0]])
    wide_label = "softmax(Z) with scores of -1000, 0 and 1000"
    A_wide = call(softmax, wide, label=wide_label, expected="an array")
    expect_array_of(A_wide, (3, 2), wide_label, "A")
    expect_close(A_wide, [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], wide_label)
    passed("softmax")


@points_to_hints("initialize_parameters", 2)
def check_initialize_parameters(initialize_parameters):
    """Public checks of `initialize_parameters(layer_dims, seed)`: the keys and shapes of every
    layer, zero biases, He-scaled random weights, the same for the same seed."""
    for dims in ([4, 3, 2], [5, 4, 3, 2]):
        label = f"initialize_parameters({dims}, seed=0)"
        params = call(initialize_parameters, list(dims), 0, label=label, expected="a dict")
        L = len(dims) - 1
        keys = {f"{kind}{layer}" for layer in range(1, L + 1) for kind in ("W", "b")}
        expect_keys(params, keys, label, "the parameters")
        for layer in range(1, L + 1):
            expect_array_of(
                params[f"W{layer}"], (dims[layer], dims[layer - 1]), label, f'"W{layer}"'
            )
            expect_array_of(params[f"b{layer}"], (dims[layer], 1), label, f'"b{layer}"')
            if np.any(params[f"b{layer}"] != 0.0):
                raise CheckFailed(f'{label} should return "b{layer}" filled with zeros.')
            if np.unique(params[f"W{layer}"]).size != params[f"W{layer}"].size:
                raise CheckFailed(
                    f'{label} should return "W{layer}" of random values, all different: with equal '
                    "weights, the units of a layer compute and learn the same thing."
                )
        again = call(initialize_parameters, list(dims), 0, label=label)
        if not all(np.array_equal(again[key], params[key]) for key in params):
            raise CheckFailed(
                f"{label} should return the same weights for the same seed: draw them from "
                "np.random.default_rng(seed)."
            )
    # With 160,000 weights in W1 and 120,000 in W2, their spread is within a few percent of
    # the scale sqrt(2 / n_in) of the draw.
    dims = [400, 400, 300, 10]
    label = f"initialize_parameters({dims}, seed=0)"
    params = call(initialize_parameters, dims, 0, label=label)
    for layer in (1, 2, 3):
        scale, spread = math.sqrt(2 / dims[layer - 1]), float(np.std(params[f"W{layer}"]))
        if not 0.85 * scale < spread < 1.15 * scale:
            raise CheckFailed(
                f'{label} should return "W{layer}" with a standard deviation of about '
                f"sqrt(2 / {dims[layer - 1]}) = {scale:.4f}, got {spread:.4g}: multiply standard "
                f"normal draws by sqrt(2 / n_(l-1)), the number of the layer's inputs."
            )
    passed("initialize_parameters")


@points_to_hints("compute_cost", 2)
def check_compute_cost(compute_cost):
    """Public checks of `compute_cost(AL, Y, parameters, lambd)`: the cross-entropy of two
    examples, ln 2 / 2, and the L2 term lambd / (2 m) times the 13 of the weights' squares."""
    AL = np.array([[0.25, 2 / 3], [0.75, 1 / 3]])
    Y_cost = np.array([[0.0, 1.0], [1.0, 0.0]])
    # -(ln 3/4 + ln 2/3) / 2 = (ln 4/3 + ln 3/2) / 2 = ln 2 / 2
    parameters = {
        "W1": np.array([[1.0, -2.0], [2.0, 0.0]]),
        "b1": np.array([[5.0], [5.0]]),
        "W2": np.array([[1.0, 1.0], [1.0, -1.0]]),
        "b2": np.array([[7.0], [7.0]]),
    }  # the squares of the weights sum to 9 + 4 = 13; the biases are not penalized
    for lambd, expected, hint in (
        (0.0, math.log(2.0) / 2, "The cross-entropy is -sum(Y * log(AL)) / m."),
        (
            0.5,
            math.log(2.0) / 2 + 0.5 / 4 * 13,
            "The L2 term is lambd / (2 m) times the sum of the squares of every W, biases not "
            "included.",
        ),
    ):
        label = f"compute_cost(AL, Y, parameters, lambd={lambd}) for 2 examples"
        params = {key: value.copy() for key, value in parameters.items()}
        cost = call(compute_cost, AL.copy(), Y_cost.copy(), params, lambd, label=label)
        expect_number(cost, label, "the cost")
        expect_close(cost, expected, label, hint=hint)
    passed("compute_cost")


def _network(NeuralNetwork, learning_rate=0.5, lambd=0.0):
    """An object of the student's class, holding the hand-worked NETWORK's parameters."""
    label = f"NeuralNetwork([2, 2, 2, 2], learning_rate={learning_rate}, lambd={lambd})"
    net = call(NeuralNetwork, [2, 2, 2, 2], learning_rate, lambd, 0, label=label)
    parameters = getattr(net, "parameters", None)
    if not isinstance(parameters, dict) or set(parameters) != set(NETWORK):
        raise CheckFailed(
            f"{label} should set self.parameters to initialize_parameters(layer_dims, seed), "
            f"a dict with the keys {sorted(NETWORK)}, got "
            f"{sorted(parameters) if isinstance(parameters, dict) else describe(parameters)}."
        )
    net.parameters = {key: value.copy() for key, value in NETWORK.items()}
    return net, label


@points_to_hints("NeuralNetwork.forward", 2)
@with_own_methods
def check_forward(NeuralNetwork):
    """Public checks of `NeuralNetwork.forward(X)`: the probabilities of the hand-worked network,
    and every Z and A where the class keeps them in the suggested self.cache."""
    net, made = _network(NeuralNetwork)
    label = f"{made}.forward(X)"
    AL = call(net.forward, X.copy(), label=label, expected="an array")
    expect_array_of(AL, (2, 2), label, "AL", "n_y = 2 probabilities per example")
    cache = getattr(net, "cache", None)
    if _suggested(cache, CACHE):  # the suggested layout tells which Z or A is wrong first
        for key in ("A0", "Z1", "A1", "Z2", "A2", "Z3", "A3"):
            expect_array_of(cache[key], CACHE[key].shape, label, f'self.cache["{key}"]')
            hint = HINTS[key[0]]
            expect_close(cache[key], CACHE[key], f'{label}: self.cache["{key}"]', hint=hint)
    elif isinstance(cache, dict):
        tip(
            f"{label} keeps self.cache with the keys {sorted(cache)}; the suggested ones are "
            f"{sorted(CACHE)} (A0 is X). Any layout your backward reads is right."
        )
    expect_close(AL, CACHE["A3"], label, hint="AL is the softmax of ZL, the last layer's Z.")
    passed("NeuralNetwork.forward")


def _suggested(kept, layout):
    """Whether an attribute holds the notebook's suggested layout (a dict of those keys)."""
    return isinstance(kept, dict) and set(kept) == set(layout)


@points_to_hints("NeuralNetwork.backward", 3)
@with_own_methods
def check_backward(NeuralNetwork):
    """Public checks of `NeuralNetwork.backward(Y)`: the hand-worked gradients, with lambd 0 and
    1, after your forward; where those are wrong, after a self.cache set here (the suggested
    layout), so that a mistake of your forward does not fail backward."""
    for lambd in (0.0, 1.0):
        net, made = _network(NeuralNetwork, lambd=lambd)
        label = f"{made}.forward(X) then .backward(Y)"
        try:
            call(net.forward, X.copy(), label=label)
            _expect_gradients(net, lambd, label)
            continue
        except CheckFailed as failure:
            own, suggested = failure, _suggested(getattr(net, "cache", None), CACHE)
        net, made = _network(NeuralNetwork, lambd=lambd)
        net.cache = {key: value.copy() for key, value in CACHE.items()}
        try:
            _expect_gradients(net, lambd, f"{made}.backward(Y), self.cache set to the network's")
        except CheckFailed as failure:
            raise (failure if suggested else own) from None
    passed("NeuralNetwork.backward")


def _expect_gradients(net, lambd, label):
    grads = call(net.backward, Y.copy(), label=label, expected="a dict of gradients")
    expect_keys(grads, set(GRADS), label, "grads")
    for key, value in GRADS.items():
        expected = value + lambd / 2 * NETWORK[key[1:]] if key.startswith("dW") else value
        expect_array_of(grads[key], value.shape, label, f'grads["{key}"]')
        expect_close(grads[key], expected, f'{label}: grads["{key}"]', hint=HINTS[key[:2]])
    if not _suggested(getattr(net, "grads", None), GRADS):
        tip(f"{label}: the notebook suggests keeping the gradients in self.grads for update.")


@points_to_hints("NeuralNetwork.update", 2)
@with_own_methods
def check_update(NeuralNetwork):
    """Public checks of `NeuralNetwork.update()`: one step W - alpha dW, b - alpha db, after
    your forward and backward; where those are wrong, with a self.grads set here (the
    suggested layout), so that their mistakes do not fail update."""
    net, made = _network(NeuralNetwork, learning_rate=0.5)
    label = f"{made}.forward(X), .backward(Y) then .update()"
    try:
        call(net.forward, X.copy(), label=label)
        call(net.backward, Y.copy(), label=label)
        _expect_step(net, label)
        passed("NeuralNetwork.update")
        return
    except CheckFailed as failure:
        own, suggested = failure, _suggested(getattr(net, "grads", None), GRADS)
    net, made = _network(NeuralNetwork, learning_rate=0.5)
    net.grads = {key: value.copy() for key, value in GRADS.items()}
    try:
        _expect_step(net, f"{made}.update(), self.grads set to the network's gradients")
    except CheckFailed as failure:
        raise (failure if suggested else own) from None
    passed("NeuralNetwork.update")


def _expect_step(net, label):
    call(net.update, label=label)
    parameters = getattr(net, "parameters", None)
    expect_keys(parameters, set(NETWORK), label, "self.parameters")
    for key, value in NETWORK.items():
        expected = value - 0.5 * GRADS["d" + key]
        expect_array_of(parameters[key], value.shape, label, f'self.parameters["{key}"]')
        expect_close(
            parameters[key],
            expected,
            f'{label}: self.parameters["{key}"]',
            hint=f"One step is {key} - learning_rate * d{key}, for every W and every b.",
        )


def _clouds(seed, m):
    """Three well-separated clouds of 2-D points, labels 0, 1, 2."""
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 3
    centres = np.array([[-3.0, 0.0, 3.0], [2.0, -2.0, 2.0]])
    return centres[:, y] + 0.6 * rng.standard_normal((2, m)), y


@points_to_hints("NeuralNetwork.fit", 3)
@with_own_methods
def check_fit(NeuralNetwork):
    """Public checks of `NeuralNetwork.fit(...)`: the history's keys and one entry per epoch, and
    a training cost that 8 epochs of mini-batches bring below 0.05 on three clouds of points
    (one step per epoch on the whole set stays above 0.1)."""
    X_fit, y_fit = _clouds(0, 90)
    X_val, y_val = _clouds(1, 30)
    made = "NeuralNetwork([2, 8, 8, 3], learning_rate=0.2)"
    for validation in (None, (X_val, y_val)):
        net = call(NeuralNetwork, [2, 8, 8, 3], 0.2, 0.0, 0, label=made)
        given = "" if validation is None else ", validation=(X_val, y_val)"
        label = f"{made}.fit(X, y, epochs=8, batch_size=16{given}) on three clouds of points"
        history = call(net.fit, X_fit.copy(), y_fit.copy(), 8, 16, validation, 0, label=label)
        lengths = {key: 0 if validation is None and "val" in key else 8 for key in HISTORY_KEYS}
        history = expect_history(history, label, lengths)
        if not history["loss"][-1] < 0.05:
            raise CheckFailed(
                f'{label}: history["loss"] should fall below 0.05 by the 8th epoch on these '
                f"clouds, got {history['loss'][-1]:.4g}: each epoch takes one step per mini-batch "
                "(6 of them here), each step a forward, a backward and an update."
            )
        if not history["accuracy"][-1] >= 0.9:
            raise CheckFailed(
                f'{label}: history["accuracy"] should reach 0.9 on these clouds, got '
                f"{history['accuracy'][-1]:.3g}: record the fraction of examples predicted right."
            )
    passed("NeuralNetwork.fit")


@points_to_hints("NeuralNetwork.predict_proba", 2)
@with_own_methods
def check_predict_proba(NeuralNetwork):
    """Public checks of `NeuralNetwork.predict_proba(X)`: the hand-worked probabilities, one
    column per example."""
    net, made = _network(NeuralNetwork)
    label = f"{made}.predict_proba(X) for 2 examples of 2 features"
    P = call(net.predict_proba, X.copy(), label=label, expected="an array")
    expect_array_of(P, (2, 2), label, "the probabilities", "one column per example")
    expect_close(
        P,
        CACHE["A3"],
        label,
        hint="One column per example, the course's layout (scikit-learn's has one row per "
        "example): the probabilities of forward(X).",
    )
    # Three examples, so that a transposed answer has the wrong shape.
    X3 = np.hstack([X, X[:, :1]])
    label3 = f"{made}.predict_proba(X) for 3 examples"
    P3 = call(net.predict_proba, X3, label=label3, expected="an array")
    if isinstance(P3, np.ndarray) and P3.shape == (3, 2):
        raise CheckFailed(
            f"{label3} should return shape (2, 3), one column per example (the course's layout), "
            "got shape (3, 2): one row per example, scikit-learn's layout."
        )
    expect_array_of(P3, (2, 3), label3, "the probabilities", "one column per example")
    passed("NeuralNetwork.predict_proba")


@points_to_hints("NeuralNetwork.predict", 2)
@with_own_methods
def check_predict(NeuralNetwork):
    """Public checks of `NeuralNetwork.predict(X)`: the most probable class of each example, as
    labels of shape (m,)."""
    net, made = _network(NeuralNetwork)
    label = f"{made}.predict(X) for 2 examples"
    labels = call(net.predict, X.copy(), label=label, expected="an array of labels")
    if isinstance(labels, np.ndarray) and labels.ndim == 2:
        raise CheckFailed(
            f"{label} should return one label per example, shape (2,), got shape "
            f"{labels.shape}: take the argmax of the probabilities over the classes (axis=0)."
        )
    if not isinstance(labels, np.ndarray) or labels.shape != (2,):
        raise CheckFailed(
            f"{label} should return a numpy array of shape (2,), got {describe(labels)}."
        )
    if not np.array_equal(labels, [0, 1]):
        raise CheckFailed(
            f"{label} should be [0 1], the class of the largest probability in each column, "
            f"got {labels}."
        )
    passed("NeuralNetwork.predict")


# The view of a training run's history (`autograder.judge.views`): a per-epoch record
# `{"loss", "accuracy", "val_loss", "val_accuracy"}` as one finite entry per epoch in each
# list, and its last entries: the costs within the record's `rtol` (relative), the accuracies
# within its `atol` (absolute); another shuffle gives other numbers along the way.


def _history(result, label, epochs=None):
    """The per-epoch lists of a history dict (a step's result under "returned", or the dict)."""
    if isinstance(result, dict) and "returned" in result:
        result = result["returned"]
    lengths = None if epochs is None else {key: len(epochs[key]) for key in HISTORY_KEYS}
    return expect_history(result, label, lengths)


def compare_history(got, expected, label, rtol, atol):
    want = _history(expected, label)
    history = _history(got, label, epochs=want)
    for key in HISTORY_KEYS:
        if not want[key]:
            continue
        final, target = history[key][-1], want[key][-1]
        if key.endswith("loss"):
            off = abs(final - target) / max(abs(target), 1e-12)
            if off > rtol:
                raise CheckFailed(
                    f'{label}: the last entry of history["{key}"] should be near the reference '
                    f"solution's (within {rtol:.0%}), but differs from it by a relative {off:.2g}: "
                    "after each epoch, record the cross-entropy of the whole set plus the "
                    "training set's L2 term, lambd / (2 n) times the sum of the squared weights."
                )
        elif abs(final - target) > atol:
            raise CheckFailed(
                f'{label}: the last entry of history["{key}"] should be near the reference '
                f"solution's (within {atol:g}), but differs from it by {abs(final - target):.2g}: "
                "after each epoch, record the fraction of the set's examples predicted right."
            )
    if len(want["loss"]) > 1 and want["loss"][-1] < want["loss"][0]:
        if not history["loss"][-1] < history["loss"][0]:
            raise CheckFailed(
                f"{label} should lower the training cost from the first epoch to the last, but "
                "it did not: each mini-batch's step goes against its gradient."
            )


VIEWS = {"history": compare_history}
