"""Public checks of chapter 4: a network with one hidden ReLU layer and a sigmoid output.

The expected values are worked out by hand on two small networks (CASE1, CASE2 below) whose
output pre-activations Z2 are multiples of ln 3, where the sigmoid takes the values 1/4, 1/2
and 3/4: every cost and gradient is then a fraction, times ln 3 for the first layer's. Where a
value cannot be worked out by hand (random initial weights, many steps of gradient descent),
the checks test properties every correct answer has: the shapes, the scale of the weights, the
effect of the seed. No graded function is implemented here.
"""

import math

import numpy as np

from ._core import (
    CheckFailed,
    call,
    expect_array_of,
    expect_close,
    expect_keys,
    expect_number,
    expect_pair,
    passed,
    tip,
)
from ._hints import points_to_hints

LN3 = math.log(3.0)
PARAMETER_KEYS = {"W1", "b1", "W2", "b2"}
CACHE_KEYS = {"Z1", "A1", "Z2", "A2"}
GRAD_KEYS = {"dW1", "db1", "dW2", "db2"}

# Case 1: n_x = 2, n_h = 3, m = 3.
#   Z1 = W1 X + b1 = [[1, -1, 3], [1, -1, 3], [-0.5, 1.5, -2.5]], A1 = relu(Z1).
#   Z2 = W2 A1 + b2 = ln 3 [-1, 0, 1], A2 = [1/4, 1/2, 3/4]; with Y = [1, 0, 0],
#   dZ2 = (A2 - Y) / 3 = [-1/4, 1/6, 1/4] (every d is a derivative of the cost, the mean),
#   dW2 = dZ2 A1^T = [1/2, 1/2, 1/4], db2 = 1/6,
#   dZ1 = (W2^T dZ2) * (Z1 > 0) = ln 3 [[-1/2, 0, 1/2], [1/4, 0, -1/4], [0, 2/9, 0]],
#   dW1 = dZ1 X^T = ln 3 [[1/2, -1/2], [-1/4, 1/4], [0, 2/9]], db1 = ln 3 [0, 0, 2/9],
#   J = (ln 4 + ln 2 + ln 4) / 3 = 5 ln 2 / 3.
CASE1 = {
    "X": np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]]),
    "Y": np.array([[1.0, 0.0, 0.0]]),
    "W1": np.array([[1.0, -1.0], [2.0, 0.0], [-1.0, 1.0]]),
    "b1": np.array([[0.0], [-1.0], [0.5]]),
    "W2": LN3 * np.array([[2.0, -1.0, 4.0 / 3.0]]),
    "b2": np.array([[-2.0 * LN3]]),
    "Z1": np.array([[1.0, -1.0, 3.0], [1.0, -1.0, 3.0], [-0.5, 1.5, -2.5]]),
    "A1": np.array([[1.0, 0.0, 3.0], [1.0, 0.0, 3.0], [0.0, 1.5, 0.0]]),
    "Z2": LN3 * np.array([[-1.0, 0.0, 1.0]]),
    "A2": np.array([[0.25, 0.5, 0.75]]),
    "dW1": LN3 * np.array([[0.5, -0.5], [-0.25, 0.25], [0.0, 2.0 / 9.0]]),
    "db1": LN3 * np.array([[0.0], [0.0], [2.0 / 9.0]]),
    "dW2": np.array([[0.5, 0.5, 0.25]]),
    "db2": np.array([[1.0 / 6.0]]),
    "cost": 5.0 * math.log(2.0) / 3.0,
}
# Case 2: n_x = 3, n_h = 2, m = 2.
#   Z1 = [[1, -2], [0.5, 4.5]], A1 = [[1, 0], [0.5, 4.5]], Z2 = ln 3 [1, -1], A2 = [3/4, 1/4];
#   with Y = [1, 1], dZ2 = (A2 - Y) / 2 = [-1/8, -3/8], dW2 = [-1/8, -7/4], db2 = -1/2,
#   dZ1 = ln 3 [[-1/12, 0], [1/24, 1/8]], dW1 = ln 3 [[-1/6, 0, -1/12], [5/24, 1/8, 5/12]],
#   db1 = ln 3 [-1/12, 1/6], J = (ln 4/3 + ln 4) / 2 = ln(16/3) / 2.
CASE2 = {
    "X": np.array([[2.0, 1.0], [0.0, 1.0], [1.0, 3.0]]),
    "Y": np.array([[1.0, 1.0]]),
    "W1": np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 1.0]]),
    "b1": np.array([[0.0], [-0.5]]),
    "W2": LN3 * np.array([[2.0 / 3.0, -1.0 / 3.0]]),
    "b2": np.array([[0.5 * LN3]]),
    "Z1": np.array([[1.0, -2.0], [0.5, 4.5]]),
    "A1": np.array([[1.0, 0.0], [0.5, 4.5]]),
    "Z2": LN3 * np.array([[1.0, -1.0]]),
    "A2": np.array([[0.75, 0.25]]),
    "dW1": LN3 * np.array([[-1.0 / 6.0, 0.0, -1.0 / 12.0], [5.0 / 24.0, 0.125, 5.0 / 12.0]]),
    "db1": LN3 * np.array([[-1.0 / 12.0], [1.0 / 6.0]]),
    "dW2": np.array([[-0.125, -1.75]]),
    "db2": np.array([[-0.5]]),
    "cost": math.log(16.0 / 3.0) / 2.0,
}
CASES = (CASE1, CASE2)

USES_YOUR_FUNCTIONS = (
    "It calls your initialize_parameters, forward_propagation, backward_propagation and "
    "update_parameters: make sure they pass their checks first."
)


def parameters_of(case):
    return {key: case[key].copy() for key in ("W1", "b1", "W2", "b2")}


@points_to_hints("initialize_parameters", 2)
def check_initialize_parameters(initialize_parameters):
    """Public checks of `initialize_parameters(n_x, n_h, n_y, seed)`: shapes, zero biases,
    random weights that differ from unit to unit, of the scale sqrt(2 / n_x) and sqrt(1 / n_h),
    the same for the same seed."""
    for n_x, n_h, n_y in ((2, 4, 1), (3, 7, 1)):
        label = f"initialize_parameters({n_x}, {n_h}, {n_y}, seed=0)"
        params = _parameters(initialize_parameters, n_x, n_h, n_y, 0, label)
        for key in ("b1", "b2"):
            if np.any(params[key] != 0.0):
                raise CheckFailed(
                    f"{label} should return {key} filled with zeros, got {params[key].ravel()}."
                )
        W1 = params["W1"]
        if np.unique(W1).size != W1.size:
            raise CheckFailed(
                f"{label} should return W1 of random values, all different, got {W1.tolist()}: "
                "with equal weights, every hidden unit computes the same thing and learns the same "
                "thing (zero initialization never breaks this symmetry)."
            )
        again = _parameters(initialize_parameters, n_x, n_h, n_y, 0, label)
        _expect_reproducible(params, again, label, "draw them from np.random.default_rng(seed)")
        other = _parameters(initialize_parameters, n_x, n_h, n_y, 1, label.replace("0)", "1)"))
        if np.array_equal(other["W1"], W1):
            raise CheckFailed(
                f"initialize_parameters({n_x}, {n_h}, {n_y}, seed=1) should return other weights "
                "than seed=0: draw them from np.random.default_rng(seed)."
            )
    # With 160,000 weights in W1 and 400 in W2, their spread is within a few percent of the
    # scale of the draw.
    label = "initialize_parameters(400, 400, 1, seed=0)"
    params = _parameters(initialize_parameters, 400, 400, 1, 0, label)
    for key, scale, formula in (
        ("W1", math.sqrt(2 / 400), "sqrt(2 / n_x)"),
        ("W2", math.sqrt(1 / 400), "sqrt(1 / n_h)"),
    ):
        spread = float(np.std(params[key]))
        if not 0.85 * scale < spread < 1.15 * scale:
            raise CheckFailed(
                f"{label} should return {key} with a standard deviation of about {formula} = "
                f"{scale:.4f}, got {spread:.4g}: multiply standard normal draws by {formula}."
            )
    passed("initialize_parameters")


@points_to_hints("relu", 2)
def check_relu(relu):
    """Public checks of `relu(Z)`: max(z, 0) elementwise, the shape of Z."""
    Z1 = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])
    Z2 = np.array([[1.5, -1.0, 0.25, -7.0], [-0.1, 2.0, -3.0, 4.0], [0.0, -0.3, 8.0, 1e-3]])
    for Z, expected in (
        (Z1, [[0.0, 0.0, 0.0, 0.5, 3.0]]),
        (Z2, [[1.5, 0.0, 0.25, 0.0], [0.0, 2.0, 0.0, 4.0], [0.0, 0.0, 8.0, 1e-3]]),
    ):
        label = f"relu(Z) with Z of shape {Z.shape}"
        A = call(relu, Z.copy(), label=label, expected="an array")
        expect_array_of(A, Z.shape, label, "A", "the shape of Z")
        expect_close(A, expected, label, hint="relu(z) is z where z > 0 and 0 elsewhere.")
    passed("relu")


@points_to_hints("relu_derivative", 2)
def check_relu_derivative(relu_derivative):
    """Public checks of `relu_derivative(Z)`: 1.0 where z > 0, 0.0 where z < 0 (either at 0)."""
    Z1 = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])
    Z2 = np.array([[1.5, -1.0, 0.25, -7.0], [-0.1, 2.0, -3.0, 4.0], [1e-3, -1e-3, 8.0, -8.0]])
    for Z in (Z1, Z2):
        label = f"relu_derivative(Z) with Z of shape {Z.shape}"
        G = call(relu_derivative, Z.copy(), label=label, expected="an array")
        if isinstance(G, np.ndarray) and G.dtype == bool:
            tip(
                f"{label} returns booleans, which hold the right values; the docstring's float "
                "form is the comparison turned into floats with .astype(float)."
            )
        expect_array_of(G, Z.shape, label, "the derivative", "the shape of Z")
        # At z = 0 ReLU has no derivative: 0 and 1 are both accepted there.
        defined = Z != 0
        expected = (Z > 0).astype(float)
        expect_close(
            G[defined],
            expected[defined],
            f"{label}, where z is not 0",
            hint="The slope of relu is 1 where z > 0 and 0 where z < 0.",
        )
        if not np.all(np.isin(G[~defined], (0.0, 1.0))):
            raise CheckFailed(f"{label} should be 0 or 1 where z = 0, got {G[~defined]}.")
    passed("relu_derivative")


@points_to_hints("forward_propagation", 3)
def check_forward_propagation(forward_propagation):
    """Public checks of `forward_propagation(X, parameters)`: (A2, cache) with every shape and
    value of the two hand-worked networks."""
    for case in CASES:
        label = _label("forward_propagation(X, parameters)", case)
        result = call(
            forward_propagation,
            case["X"].copy(),
            parameters_of(case),
            label=label,
            expected="a tuple (A2, cache)",
        )
        A2, cache = expect_pair(result, label, "(A2, cache)")
        m = case["X"].shape[1]
        expect_array_of(A2, (1, m), label, "A2", "one probability per example")
        expect_keys(cache, CACHE_KEYS, label, "cache")
        hints = {
            "Z1": "Z1 = W1 X + b1.",
            "A1": "the hidden layer's activation is the ReLU of Z1, not the sigmoid.",
            "Z2": "Z2 = W2 A1 + b2.",
            "A2": "the output layer's activation is the sigmoid of Z2.",
        }
        for key in ("Z1", "A1", "Z2", "A2"):
            expect_array_of(cache[key], case[key].shape, label, f'cache["{key}"]')
            expect_close(cache[key], case[key], f'{label}: cache["{key}"]', hint=hints[key])
        expect_close(A2, case["A2"], f"{label}: A2", hint='A2 is cache["A2"].')
    passed("forward_propagation")


@points_to_hints("compute_cost", 2)
def check_compute_cost(compute_cost):
    """Public checks of `compute_cost(A2, Y)`: the mean cross-entropy, a number."""
    for case in CASES:
        m = case["Y"].shape[1]
        label = f"compute_cost(A2, Y) with A2 of shape (1, {m})"
        cost = call(
            compute_cost, case["A2"].copy(), case["Y"].copy(), label=label, expected="a number"
        )
        expect_number(cost, label, "the cost")
        expect_close(
            cost,
            case["cost"],
            label,
            hint="J = -(1/m) sum(Y log A2 + (1 - Y) log(1 - A2)): the mean over the examples.",
        )
    passed("compute_cost")


@points_to_hints("backward_propagation", 3)
def check_backward_propagation(backward_propagation):
    """Public checks of `backward_propagation(parameters, cache, X, Y)`: every gradient's shape
    (that of its parameter) and value on the two hand-worked networks."""
    hints = {
        "dW2": "dW2 = dZ2 A1^T with dZ2 = (A2 - Y) / m, the derivative of the mean cost.",
        "db2": "db2 is the sum of dZ2 = (A2 - Y) / m over the examples (axis=1, keepdims=True).",
        "dW1": "dW1 = dZ1 X^T with dZ1 = (W2^T dZ2) * relu_derivative(Z1): W2^T, not dW2^T.",
        "db1": "db1 is the sum of dZ1 over the examples (axis=1, keepdims=True).",
    }
    for case in CASES:
        label = _label("backward_propagation(parameters, cache, X, Y)", case)
        cache = {key: case[key].copy() for key in CACHE_KEYS}
        grads = call(
            backward_propagation,
            parameters_of(case),
            cache,
            case["X"].copy(),
            case["Y"].copy(),
            label=label,
            expected="a dict of gradients",
        )
        expect_keys(grads, GRAD_KEYS, label, "grads")
        for key in ("dW2", "db2", "dW1", "db1"):
            expect_array_of(
                grads[key], case[key].shape, label, f'grads["{key}"]', f"the shape of {key[1:]}"
            )
        for key in ("dW2", "db2", "dW1", "db1"):
            expect_close(grads[key], case[key], f'{label}: grads["{key}"]', hint=hints[key])
    passed("backward_propagation")


@points_to_hints("update_parameters", 2)
def check_update_parameters(update_parameters):
    """Public checks of `update_parameters(parameters, grads, learning_rate)`: one step against
    the gradient, every parameter."""
    parameters = {
        "W1": np.array([[1.0, -2.0], [0.5, 0.0], [3.0, 1.0]]),
        "b1": np.array([[0.0], [1.0], [-1.0]]),
        "W2": np.array([[2.0, -1.0, 0.5]]),
        "b2": np.array([[0.25]]),
    }
    grads = {
        "dW1": np.array([[1.0, 1.0], [-2.0, 0.5], [0.0, 4.0]]),
        "db1": np.array([[2.0], [-1.0], [0.5]]),
        "dW2": np.array([[-1.0, 3.0, 1.0]]),
        "db2": np.array([[-2.0]]),
    }
    # parameter - learning_rate * gradient, worked out for learning rates 0.1 and 0.5.
    expected = {
        0.1: {
            "W1": [[0.9, -2.1], [0.7, -0.05], [3.0, 0.6]],
            "b1": [[-0.2], [1.1], [-1.05]],
            "W2": [[2.1, -1.3, 0.4]],
            "b2": [[0.45]],
        },
        0.5: {
            "W1": [[0.5, -2.5], [1.5, -0.25], [3.0, -1.0]],
            "b1": [[-1.0], [1.5], [-1.25]],
            "W2": [[2.5, -2.5, 0.0]],
            "b2": [[1.25]],
        },
    }
    for rate, values in expected.items():
        label = f"update_parameters(parameters, grads, learning_rate={rate})"
        copies = {key: value.copy() for key, value in parameters.items()}
        new = call(
            update_parameters,
            copies,
            {key: value.copy() for key, value in grads.items()},
            rate,
            label=label,
            expected="the dict of updated parameters",
        )
        expect_keys(new, PARAMETER_KEYS, label, "the parameters")
        for key in ("W1", "b1", "W2", "b2"):
            expect_array_of(new[key], parameters[key].shape, label, f'parameters["{key}"]')
            expect_close(
                new[key],
                values[key],
                f'{label}: parameters["{key}"]',
                hint=f"One step is {key} = {key} - learning_rate * d{key}: minus, not plus.",
            )
    passed("update_parameters")


@points_to_hints("nn_model", 3)
def check_nn_model(nn_model):
    """Public checks of `nn_model(X, Y, n_h, num_iterations, learning_rate, seed)`: parameters
    shaped by X, Y and n_h, that change with training and are the same for the same seed."""
    rng = np.random.default_rng(2024)
    for n_x, n_h, m in ((3, 4, 12), (2, 1, 8)):
        X = rng.normal(size=(n_x, m))
        Y = (X[:1] > 0).astype(float)
        label = f"nn_model(X, Y, n_h={n_h}, num_iterations=5) with X of shape ({n_x}, {m})"
        five = _trained(nn_model, X, Y, n_h, 5, label)
        shapes = {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (1, n_h), "b2": (1, 1)}
        for key, shape in shapes.items():
            expect_array_of(five[key], shape, label, f'parameters["{key}"]', _shape_hint(key))
        again = _trained(nn_model, X, Y, n_h, 5, label)
        _expect_reproducible(
            five, again, label, "initialize them with initialize_parameters(n_x, n_h, n_y, seed)"
        )
        six = _trained(nn_model, X, Y, n_h, 6, label.replace("=5", "=6"))
        if all(np.array_equal(five[key], six[key]) for key in PARAMETER_KEYS):
            raise CheckFailed(
                f"{label.replace('=5', '=6')} should return other parameters than 5 iterations: "
                "each iteration should update them. " + USES_YOUR_FUNCTIONS
            )
    passed("nn_model")


@points_to_hints("predict", 2)
def check_predict(predict):
    """Public checks of `predict(parameters, X)`: 1.0 where A2 >= 0.5, else 0.0, shape (1, m)."""
    one_unit = {
        "W1": np.array([[1.0]]),
        "b1": np.array([[0.0]]),
        "W2": np.array([[-1.0]]),
        "b2": np.array([[1.0]]),
    }
    # z2 = 1 - relu(x) = [1, 0.5, -1, -4, 1] for x = [-1, 0.5, 2, 5, -3].
    X1 = np.array([[-1.0, 0.5, 2.0, 5.0, -3.0]])
    for parameters, X, expected in (
        (one_unit, X1, [[1.0, 1.0, 0.0, 0.0, 1.0]]),
        (parameters_of(CASE2), CASE2["X"], [[1.0, 0.0]]),  # A2 = [3/4, 1/4]
    ):
        label = f"predict(parameters, X) with X of shape {X.shape}"
        prediction = call(predict, dict(parameters), X.copy(), label=label, expected="an array")
        if isinstance(prediction, np.ndarray) and prediction.dtype == bool:
            tip(
                f"{label} returns booleans, which hold the right values; the docstring's float "
                "form is the comparison turned into floats with .astype(float)."
            )
        expect_array_of(prediction, (1, X.shape[1]), label, "the predictions", "one per example")
        expect_close(prediction, expected, label, hint="Predict 1.0 where A2 >= 0.5, else 0.0.")
    passed("predict")


def _parameters(initialize_parameters, n_x, n_h, n_y, seed, label):
    params = call(initialize_parameters, n_x, n_h, n_y, seed, label=label, expected="a dict")
    expect_keys(params, PARAMETER_KEYS, label, "the parameters")
    shapes = {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}
    for key, shape in shapes.items():
        expect_array_of(params[key], shape, label, key, _shape_hint(key))
    return params


def _expect_reproducible(first, second, label, advice):
    if any(not np.array_equal(first[key], second[key]) for key in PARAMETER_KEYS):
        raise CheckFailed(f"{label} called twice should return the same parameters: {advice}.")


def _trained(nn_model, X, Y, n_h, num_iterations, label):
    params = call(
        nn_model,
        X.copy(),
        Y.copy(),
        n_h,
        num_iterations,
        0.5,
        0,
        label=label,
        expected="the dict of parameters",
        hint="Read n_x from X.shape[0] and n_y from Y.shape[0], never from a global variable. "
        + USES_YOUR_FUNCTIONS,
    )
    expect_keys(params, PARAMETER_KEYS, label, "the parameters")
    return params


def _shape_hint(key):
    return {
        "W1": "(n_h, n_x): n_x is X.shape[0]",
        "b1": "(n_h, 1)",
        "W2": "(n_y, n_h)",
        "b2": "(n_y, 1)",
    }[key]


def _label(call_text, case):
    n_x, m = case["X"].shape
    return f"{call_text} with X of shape ({n_x}, {m}) and n_h = {case['W1'].shape[0]}"
