"""Public checks of chapter 2: logistic regression from scratch.

The expected values are worked out by hand. Most inputs are chosen so that z = w^T x + b is a
multiple of ln 3, where the sigmoid takes the values sigma(ln 3) = 3/4, sigma(-ln 3) = 1/4,
sigma(0) = 1/2 and sigma(2 ln 3) = 9/10, and the cost is a sum of logarithms of small
fractions. Where a value cannot be worked out by hand (many steps of gradient descent), the
checks use properties every correct answer has: the first cost at w = 0, b = 0 is ln 2, the
cost goes down, a separable toy problem is learnt without a mistake. No graded function is
implemented here.
"""

import math

import numpy as np

from ._core import (
    CheckFailed,
    call,
    describe,
    expect_array,
    expect_array_of,
    expect_close,
    expect_keys,
    expect_number,
    expect_pair,
    passed,
)
from ._hints import points_to_hints

LN3 = math.log(3.0)

# Two propagate problems, each with its gradient and cost worked out by hand.
# Case 1: w = ln 3 (1, -1)^T, b = 0, so z = ln 3 (x1 - x2) = ln 3 [1, -1, 0, 1] and
# A = [3/4, 1/4, 1/2, 3/4]. With Y = [1, 1, 0, 0], A - Y = [-1/4, -3/4, 1/2, 3/4]:
#   dw = X (A - Y)^T / 4 = [(-1/4 + 1 + 3/4) / 4, (-3/4 + 1) / 4] = [3/8, 1/16],
#   db = (1/4) / 4 = 1/16,
#   J = (ln 4/3 + ln 4 + ln 2 + ln 4) / 4 = ln(128/3) / 4.
CASE1 = {
    "w": np.array([[LN3], [-LN3]]),
    "b": 0.0,
    "X": np.array([[1.0, 0.0, 2.0, 1.0], [0.0, 1.0, 2.0, 0.0]]),
    "Y": np.array([[1.0, 1.0, 0.0, 0.0]]),
    "dw": np.array([[0.375], [0.0625]]),
    "db": 0.0625,
    "cost": math.log(128.0 / 3.0) / 4.0,
}
# Case 2: w = ln 3 (1, 1, -1)^T, b = -ln 3, so w^T X = ln 3 [2, 0], z = ln 3 [1, -1] and
# A = [3/4, 1/4]. With Y = [0, 1], A - Y = [3/4, -3/4]:
#   dw = X (A - Y)^T / 2 = [3/8, 0, -3/8], db = 0, J = (ln 4 + ln 4) / 2 = ln 4.
CASE2 = {
    "w": np.array([[LN3], [LN3], [-LN3]]),
    "b": -LN3,
    "X": np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]),
    "Y": np.array([[0.0, 1.0]]),
    "dw": np.array([[0.375], [0.0], [-0.375]]),
    "db": 0.0,
    "cost": math.log(4.0),
}

USES_YOUR_PROPAGATE = "It calls your propagate: make sure propagate passes its checks first."
USES_YOUR_FUNCTIONS = (
    "It calls your initialize_with_zeros, optimize and predict: make sure they pass their "
    "checks first."
)


@points_to_hints("initialize_with_zeros", 2)
def check_initialize_with_zeros(initialize_with_zeros):
    """Public checks of `initialize_with_zeros(dim)`: w of zeros, shape (dim, 1), and b = 0.0."""
    for dim in (2, 5):
        label = f"initialize_with_zeros({dim})"
        result = call(initialize_with_zeros, dim, label=label, expected="a tuple (w, b)")
        w, b = expect_pair(result, label, "(w, b)")
        expect_array_of(w, (dim, 1), label, "w")
        if w.dtype != np.float64:
            raise CheckFailed(
                f"{label} should return w of dtype float64, got dtype {w.dtype}: "
                "np.zeros gives float64 unless told otherwise."
            )
        if np.any(w != 0.0):
            raise CheckFailed(f"{label} should return w filled with zeros, got {w.ravel()}.")
        expect_number(b, label, "b")
        if b != 0.0:
            raise CheckFailed(f"{label} should return b = 0.0, got {b}.")
    passed("initialize_with_zeros")


@points_to_hints("propagate", 3)
def check_propagate(propagate):
    """Public checks of `propagate(w, b, X, Y)`: ({"dw": (n, 1), "db": float}, cost float)."""
    for case in (CASE1, CASE2):
        n, m = case["X"].shape
        label = f"propagate(w, b, X, Y) with w of shape ({n}, 1) and X of shape ({n}, {m})"
        result = call(
            propagate,
            case["w"].copy(),
            case["b"],
            case["X"].copy(),
            case["Y"].copy(),
            label=label,
            expected="a tuple (grads, cost)",
        )
        grads, cost = expect_pair(result, label, "(grads, cost)")
        expect_keys(grads, {"dw", "db"}, label, "grads")
        expect_array_of(grads["dw"], (n, 1), label, 'grads["dw"]', "the shape of w")
        expect_number(grads["db"], label, 'grads["db"]')
        expect_number(cost, label, "the cost")
        expect_close(
            grads["dw"],
            case["dw"],
            f'{label}: grads["dw"]',
            hint="dw = X (A - Y)^T / m: check the product and the division by m.",
        )
        expect_close(
            grads["db"],
            case["db"],
            f'{label}: grads["db"]',
            hint="db is the mean of A - Y (not of Y - A).",
        )
        expect_close(
            cost,
            case["cost"],
            f"{label}: the cost",
            hint="J = -(1/m) sum(Y log A + (1 - Y) log(1 - A)): mind the minus sign and the 1/m.",
        )
    passed("propagate")


@points_to_hints("optimize", 3)
def check_optimize(optimize):
    """Public checks of `optimize(w, b, X, Y, num_iterations, learning_rate, print_cost)`."""
    # One step of gradient descent from case 1 with learning rate 0.1: the new parameters are
    # w - 0.1 dw and b - 0.1 db, grads are those of the starting point, and the one cost
    # recorded (at iteration 0) is the starting cost.
    label = "optimize(w, b, X, Y, num_iterations=1, learning_rate=0.1) with X of shape (2, 4)"
    params, grads, costs = _optimize(optimize, CASE1, 1, 0.1, label)
    expect_close(
        params["w"],
        CASE1["w"] - 0.1 * CASE1["dw"],
        f'{label}: params["w"]',
        hint="One step is w = w - learning_rate * dw.",
    )
    expect_close(
        params["b"],
        CASE1["b"] - 0.1 * CASE1["db"],
        f'{label}: params["b"]',
        hint="One step is b = b - learning_rate * db: did you update b too?",
    )
    expect_close(grads["dw"], CASE1["dw"], f'{label}: grads["dw"]', hint=USES_YOUR_PROPAGATE)
    expect_close(grads["db"], CASE1["db"], f'{label}: grads["db"]', hint=USES_YOUR_PROPAGATE)
    _expect_costs(costs, 1, label)
    expect_close(costs[0], CASE1["cost"], f"{label}: costs[0]", hint=USES_YOUR_PROPAGATE)

    # 250 steps from case 2: costs at iterations 0, 100 and 200, the first one ln 4 (the
    # starting point), each lower than the one before (the learning rate is small).
    label = "optimize(w, b, X, Y, num_iterations=250, learning_rate=0.05) with X of shape (3, 2)"
    params, grads, costs = _optimize(optimize, CASE2, 250, 0.05, label)
    _expect_costs(costs, 3, label)
    expect_close(costs[0], CASE2["cost"], f"{label}: costs[0]", hint=USES_YOUR_PROPAGATE)
    if not costs[2] < costs[1] < costs[0]:
        raise CheckFailed(
            f"{label} should return costs that go down, got {_list(costs)}: "
            "each step should move w and b against the gradient."
        )
    passed("optimize")


@points_to_hints("predict", 2)
def check_predict(predict):
    """Public checks of `predict(w, b, X)`: 1.0 where sigma(w^T x + b) >= 0.5, else 0.0."""
    # z = w^T X + b = [1.5, -1.5, 0.5] with w = (1, -2)^T and b = 0.5.
    w = np.array([[1.0], [-2.0]])
    X = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])
    _expect_predictions(predict, w, 0.5, X, [[1.0, 0.0, 1.0]])

    # z = [0.001, -0.001, 3, -3, 40, -40]: just either side of the threshold, and saturated.
    w = np.array([[1.0], [2.0], [-1.0]])
    X = np.array(
        [
            [0.001, 0.0, 1.0, 0.0, 20.0, 0.0],
            [0.0, 0.0, 1.0, -1.0, 10.0, -20.0],
            [0.0, 0.001, 0.0, 1.0, 0.0, 0.0],
        ]
    )
    _expect_predictions(predict, w, 0.0, X, [[1.0, 0.0, 1.0, 0.0, 1.0, 0.0]])
    passed("predict")


@points_to_hints("model", 3)
def check_model(model):
    """Public checks of `model(X_train, Y_train, X_test, Y_test, ...)` on two toy problems."""
    keys = {
        "costs",
        "Y_prediction_test",
        "Y_prediction_train",
        "w",
        "b",
        "learning_rate",
        "num_iterations",
    }
    # One feature: the label is 1 exactly when x > 0, so a trained model makes no mistake.
    one_feature = (
        np.array([[-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]]),
        np.array([[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]]),
        np.array([[-2.5, -0.5, 0.5, 2.5]]),
        np.array([[0.0, 0.0, 1.0, 1.0]]),
    )
    # Three features: the label is 1 exactly when x1 + x2 - x3 > 0, by a margin of at least 1.
    three_features = (
        np.array(
            [
                [2.0, 0.0, 1.0, 0.0, 1.0, 0.0, 3.0, 0.0],
                [0.0, 2.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                [0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 1.0, 1.0],
            ]
        ),
        np.array([[1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]]),
        np.array([[2.0, 0.0, 0.0], [1.0, 0.0, 2.0], [0.0, 2.0, 0.0]]),
        np.array([[1.0, 0.0, 1.0]]),
    )
    for data, num_iterations, learning_rate in [
        (one_feature, 300, 0.5),
        (three_features, 1000, 0.1),
    ]:
        X_train, Y_train, X_test, Y_test = data
        n, m_train = X_train.shape
        m_test = X_test.shape[1]
        label = (
            f"model(X_train, Y_train, X_test, Y_test, num_iterations={num_iterations}, "
            f"learning_rate={learning_rate}) with X_train of shape {X_train.shape}"
        )
        d = call(
            model,
            *(array.copy() for array in data),
            num_iterations,
            learning_rate,
            label=label,
            expected="a dict",
            hint=USES_YOUR_FUNCTIONS,
            allow_warnings=True,
        )
        if not isinstance(d, dict):
            raise CheckFailed(f"{label} should return a dict, got {describe(d)}.")
        expect_keys(d, keys, label, "a dict")
        expect_array_of(d["w"], (n, 1), label, 'd["w"]')
        expect_number(d["b"], label, 'd["b"]')
        expect_array_of(d["Y_prediction_train"], (1, m_train), label, 'd["Y_prediction_train"]')
        expect_array_of(d["Y_prediction_test"], (1, m_test), label, 'd["Y_prediction_test"]')
        if d["num_iterations"] != num_iterations or d["learning_rate"] != learning_rate:
            raise CheckFailed(
                f"{label} should return num_iterations = {num_iterations} and learning_rate = "
                f"{learning_rate}, the values it was given, got {d['num_iterations']!r} and "
                f"{d['learning_rate']!r}."
            )
        _expect_costs(d["costs"], num_iterations // 100, label, 'd["costs"]')
        expect_close(
            d["costs"][0],
            math.log(2.0),
            f'{label}: d["costs"][0], the cost at w = 0 and b = 0,',
            hint="Start from initialize_with_zeros: sigma(0) = 1/2 gives the cost ln 2.",
        )
        for part, Y in [("Y_prediction_train", Y_train), ("Y_prediction_test", Y_test)]:
            expect_close(
                d[part],
                Y,
                f'{label}: d["{part}"] (this toy problem is learnt without a mistake)',
                hint="Did model train on X_train and predict on the right data set?",
            )
    passed("model")


def _optimize(optimize, case, num_iterations, learning_rate, label):
    """Call optimize on a case and check the structure of what it returns."""
    n = case["X"].shape[0]
    result = call(
        optimize,
        case["w"].copy(),
        case["b"],
        case["X"].copy(),
        case["Y"].copy(),
        num_iterations,
        learning_rate,
        label=label,
        expected="a tuple (params, grads, costs)",
        hint=USES_YOUR_PROPAGATE,
        allow_warnings=True,
    )
    if not isinstance(result, tuple) or len(result) != 3:
        raise CheckFailed(
            f"{label} should return a tuple (params, grads, costs), got {describe(result)}."
        )
    params, grads, costs = result
    expect_keys(params, {"w", "b"}, label, "params")
    expect_keys(grads, {"dw", "db"}, label, "grads")
    expect_array_of(params["w"], (n, 1), label, 'params["w"]', "the shape of w")
    expect_number(params["b"], label, 'params["b"]')
    expect_array_of(grads["dw"], (n, 1), label, 'grads["dw"]')
    expect_number(grads["db"], label, 'grads["db"]')
    return params, grads, costs


def _expect_predictions(predict, w, b, X, expected):
    label = f"predict(w, b, X) with w of shape {w.shape} and X of shape {X.shape}"
    shape = (1, X.shape[1])
    Y_prediction = call(
        predict, w.copy(), b, X.copy(), label=label, expected=f"an array of shape {shape}"
    )
    expect_array(Y_prediction, shape, label)
    expect_close(
        Y_prediction,
        expected,
        label,
        hint="Predict 1.0 where the probability sigma(w^T x + b) is at least 0.5, else 0.0.",
    )


def _expect_costs(costs, count, label, what="costs"):
    iterations = [str(100 * k) for k in range(count)]
    if count == 1:
        when = "the one at iteration 0"
    else:
        when = f"at iterations {', '.join(iterations[:-1])} and {iterations[-1]}"
    if not isinstance(costs, list):
        raise CheckFailed(f"{label} should return {what} as a list, got {describe(costs)}.")
    if len(costs) != count:
        raise CheckFailed(
            f"{label} should return {what} holding {count} cost{'s' if count > 1 else ''} "
            f"({when}: one every 100 iterations), got {len(costs)}."
        )
    for k, cost in enumerate(costs):
        expect_number(cost, label, f"{what}[{k}]")


def _list(costs):
    return "[" + ", ".join(f"{float(cost):.6g}" for cost in costs) + "]"
