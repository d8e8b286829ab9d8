"""Public checks of chapter 5: feature scaling and the shape of the loss surface.

The expected values are worked out by hand. The inputs are small matrices whose means,
population standard deviations, minima and maxima can be read off (a feature 1, 3, 1, 3 has
mean 2 and std 1), and loss-surface problems in which each example has one non-zero feature,
so that the cost splits into a sum of one-variable terms with known values at 0 and +-ln 3.
Where a count of iterations cannot be worked out by hand, the checks use problems whose answer
follows from an argument: at a point where the gradient is zero the first iteration lowers the
cost by exactly 0, and on separable data the cost keeps falling for a long time. No graded
function is implemented here.
"""

import math

import numpy as np

from ._core import (
    CheckFailed,
    call,
    describe,
    expect_array,
    expect_close,
    expect_pair,
    is_number,
    is_real_array,
    passed,
)
from ._hints import points_to_hints

LN2, LN3 = math.log(2.0), math.log(3.0)

# Feature 1: 1, 3, 1, 3 has mean 2 and population std 1 (every value is 1 away from the mean);
# with ddof=1 it would be sqrt(4/3). Feature 2: 0, 0, 4, 4 has mean 2 and std 2. Feature 3 is
# constant: mean 5, std 1.0 by the contract (so that it is mapped to 0, not divided by 0).
FIT1 = {
    "X": np.array([[1.0, 3.0, 1.0, 3.0], [0.0, 0.0, 4.0, 4.0], [5.0, 5.0, 5.0, 5.0]]),
    "mean": np.array([[2.0], [2.0], [5.0]]),
    "std": np.array([[1.0], [2.0], [1.0]]),
}
# Two features of two examples: -1, 1 (mean 0, std 1) and 10, 30 (mean 20, std 10).
FIT2 = {
    "X": np.array([[-1.0, 1.0], [10.0, 30.0]]),
    "mean": np.array([[0.0], [20.0]]),
    "std": np.array([[1.0], [10.0]]),
}

# Test sets transformed with the training set's statistics (mean 2, std 1 and mean 2, std 2;
# then mean 0, std 1 and mean 20, std 10): (x - mean) / std entry by entry. Their own
# statistics differ, so a function that recomputes them gets other numbers.
APPLY1 = {
    "X": np.array([[3.0, 5.0, 2.0], [2.0, 6.0, 8.0]]),
    "mean": np.array([[2.0], [2.0]]),
    "std": np.array([[1.0], [2.0]]),
    "scaled": np.array([[1.0, 3.0, 0.0], [0.0, 2.0, 3.0]]),
}
APPLY2 = {
    "X": np.array([[0.5, 2.0], [40.0, 25.0], [7.0, 7.0]]),
    "mean": np.array([[0.0], [20.0], [7.0]]),
    "std": np.array([[1.0], [10.0], [1.0]]),
    "scaled": np.array([[0.5, 2.0], [2.0, 0.5], [0.0, 0.0]]),
}

# Per feature: (x - min) / (max - min). Feature 1: 1, 3, 2 -> 0, 1, 1/2; feature 2: -4, 0, -2
# -> 0, 1, 1/2 (min -4, range 4); feature 3 is constant and maps to 0.
MINMAX1 = {
    "X": np.array([[1.0, 3.0, 2.0], [-4.0, 0.0, -2.0], [7.0, 7.0, 7.0]]),
    "scaled": np.array([[0.0, 1.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 0.0]]),
}
# Feature 1: 10, 20, 30, 50 (min 10, range 40) -> 0, 1/4, 1/2, 1; feature 2: 2, 1, 0, 4
# (range 4) -> 1/2, 1/4, 0, 1.
MINMAX2 = {
    "X": np.array([[10.0, 20.0, 30.0, 50.0], [2.0, 1.0, 0.0, 4.0]]),
    "scaled": np.array([[0.0, 0.25, 0.5, 1.0], [0.5, 0.25, 0.0, 1.0]]),
}


def _surface_case(X, Y, w1_values, w2_values):
    """A loss-surface problem in which every example has one non-zero feature equal to 1.

    Then z = w1 for the examples of feature 1 and z = w2 for those of feature 2, and
    J(w1, w2) = (sum over the first of their losses at w1 + same for w2) / m. The loss of an
    example with label 1 at z is ln(1 + e^-z), with label 0 ln(1 + e^z): at z = 0 both are ln 2;
    at z = ln 3 they are ln(4/3) and ln 4; at z = -ln 3, ln 4 and ln(4/3).
    """
    by_hand = {
        (1, 0.0): LN2,
        (0, 0.0): LN2,
        (1, LN3): math.log(4 / 3),
        (0, LN3): math.log(4),
        (1, -LN3): math.log(4),
        (0, -LN3): math.log(4 / 3),
    }
    m = X.shape[1]
    costs = np.zeros((len(w2_values), len(w1_values)))
    for j, w2 in enumerate(w2_values):
        for i, w1 in enumerate(w1_values):
            total = 0.0
            for k in range(m):
                w = w1 if X[0, k] else w2
                total += by_hand[(int(Y[0, k]), w)]
            costs[j, i] = total / m
    return {"X": X, "Y": Y, "w1": w1_values, "w2": w2_values, "costs": costs}


# Example 1 has feature 1 and label 1, example 2 feature 2 and label 0: J = (ln(1 + e^-w1) +
# ln(1 + e^w2)) / 2, smallest at the largest w1 and the smallest w2. Three values of w1 and two
# of w2: a (2, 3) surface, rows following w2.
SURFACE1 = _surface_case(
    np.array([[1.0, 0.0], [0.0, 1.0]]),
    np.array([[1.0, 0.0]]),
    [-LN3, 0.0, LN3],
    [0.0, LN3],
)
# Four examples, two per feature, with both labels: two values of w1, three of w2.
SURFACE2 = _surface_case(
    np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]),
    np.array([[1.0, 1.0, 0.0, 1.0]]),
    [0.0, LN3],
    [-LN3, 0.0, LN3],
)

# At w = 0, b = 0 every a is 1/2, so a - y is -1/2 for a label 1 and +1/2 for a label 0. Here
# each feature value comes once with each label, so dw = X (A - Y)^T / m = 0 and db = 0: the
# first iteration does not move, lowers the cost by exactly 0 (< tol), and the answer is 1.
AT_A_MINIMUM = [
    (np.array([[1.0, 1.0, 2.0, 2.0]]), np.array([[1.0, 0.0, 1.0, 0.0]])),
    (
        np.array([[1.0, 1.0, 3.0, 3.0, 0.0, 0.0], [2.0, 2.0, -1.0, -1.0, 5.0, 5.0]]),
        np.array([[1.0, 0.0, 0.0, 1.0, 1.0, 0.0]]),
    ),
]
# Separable data: the cost has no minimum and keeps falling, for thousands of iterations by far
# more than 1e-9 each (it is still above 0.01 after 30 steps and falls like 1/t), so
# max_iterations = 30 must be reached and returned.
SEPARABLE = (np.array([[-2.0, -1.0, 1.0, 2.0]]), np.array([[0.0, 0.0, 1.0, 1.0]]))

NOT_ITS_OWN = (
    "Use the mean and std you are given (the training set's): a test set is transformed with "
    "the training statistics, never its own."
)


@points_to_hints("standardize_fit", 3)
def check_standardize_fit(standardize_fit):
    """Public checks of `standardize_fit(X) -> (mean, std)`, each of shape (n_x, 1)."""
    for case in (FIT1, FIT2):
        n, m = case["X"].shape
        label = f"standardize_fit(X) with X of shape ({n}, {m})"
        result = call(
            standardize_fit,
            case["X"].copy(),
            label=label,
            expected="a tuple (mean, std)",
            hint="A constant feature has std 0: return 1.0 for it instead.",
        )
        mean, std = expect_pair(result, label, "(mean, std)")
        per_feature = "one per feature (row), over the examples: np.mean(X, axis=1, keepdims=True)"
        _expect_column(mean, n, label, "mean", per_feature)
        _expect_column(std, n, label, "std", per_feature)
        expect_close(mean, case["mean"], f"{label}: mean", hint="Average each row of X.")
        if n == 3 and float(np.ravel(std)[2]) != 1.0:
            raise CheckFailed(
                f"{label} should return std 1.0 for the constant feature (row 2, every value 5), "
                f"got {float(np.ravel(std)[2]):.6g}: with std 0, standardize_apply would divide "
                "0 by 0 and give NaN. Replace a std of 0 by 1.0."
            )
        expect_close(
            std,
            case["std"],
            f"{label}: std",
            hint="The contract's std is the population std (ddof=0): the root of the mean "
            "squared deviation from the mean, dividing by m, not m - 1.",
        )
    passed("standardize_fit")


@points_to_hints("standardize_apply", 2)
def check_standardize_apply(standardize_apply):
    """Public checks of `standardize_apply(X, mean, std)`: (X - mean) / std, per feature."""
    for case in (APPLY1, APPLY2):
        n, m = case["X"].shape
        label = f"standardize_apply(X, mean, std) with X of shape ({n}, {m})"
        scaled = call(
            standardize_apply,
            case["X"].copy(),
            case["mean"].copy(),
            case["std"].copy(),
            label=label,
            expected="an array of X's shape",
        )
        expect_array(scaled, (n, m), label)
        expect_close(scaled, case["scaled"], label, hint=NOT_ITS_OWN)
    passed("standardize_apply")


@points_to_hints("min_max_scale", 2)
def check_min_max_scale(min_max_scale):
    """Public checks of `min_max_scale(X)`: per feature, (X - min) / (max - min), in [0, 1]."""
    for case in (MINMAX1, MINMAX2):
        n, m = case["X"].shape
        label = f"min_max_scale(X) with X of shape ({n}, {m})"
        scaled = call(
            min_max_scale,
            case["X"].copy(),
            label=label,
            expected="an array of X's shape",
            hint="A constant feature has max - min = 0: map it to 0.",
        )
        expect_array(scaled, (n, m), label)
        expect_close(
            scaled,
            case["scaled"],
            label,
            hint="Each feature (row) has its own minimum and maximum, over the examples "
            "(axis=1, keepdims=True); a constant feature maps to 0.",
        )
    passed("min_max_scale")


@points_to_hints("loss_surface", 3)
def check_loss_surface(loss_surface):
    """Public checks of `loss_surface(X, Y, w1_values, w2_values)`: (len(w2), len(w1))."""
    for case in (SURFACE1, SURFACE2):
        rows, columns = len(case["w2"]), len(case["w1"])
        label = (
            f"loss_surface(X, Y, w1_values, w2_values) with {columns} values of w1 and {rows} of w2"
        )
        costs = call(
            loss_surface,
            case["X"].copy(),
            case["Y"].copy(),
            np.array(case["w1"]),
            np.array(case["w2"]),
            label=label,
            expected="an array of costs",
        )
        if not isinstance(costs, np.ndarray):
            raise CheckFailed(
                f"{label} should return a numpy array of shape ({rows}, {columns}), "
                f"got {describe(costs)}."
            )
        if costs.shape != (rows, columns):
            raise CheckFailed(
                f"{label} should return shape ({rows}, {columns}), got shape {costs.shape}: "
                "row j holds w2_values[j] and column i holds w1_values[i], the layout "
                "plt.contour(w1_values, w2_values, costs) reads."
            )
        expect_array(costs, (rows, columns), label)
        expect_close(
            costs,
            case["costs"],
            label,
            hint="costs[j, i] is the cross-entropy cost J at w = (w1_values[i], w2_values[j]) "
            "with bias 0.",
        )
    passed("loss_surface")


@points_to_hints("iterations_to_converge", 3)
def check_iterations_to_converge(iterations_to_converge):
    """Public checks of `iterations_to_converge(X, Y, learning_rate, tol, max_iterations)`."""
    for X, Y in AT_A_MINIMUM:
        n, m = X.shape
        label = (
            f"iterations_to_converge(X, Y, learning_rate=0.5, tol=1e-6, max_iterations=1000) "
            f"with X of shape ({n}, {m}) where the gradient at zero is zero"
        )
        count = _count(iterations_to_converge, label, X, Y, 0.5, 1e-6, 1000)
        if count != 1:
            raise CheckFailed(
                f"{label} should be 1, got {count:g}. At w = 0, b = 0 the gradient of this "
                "problem is zero, so the first iteration lowers the cost by 0, less than tol: "
                "stop there. Judge convergence on how much one iteration lowers the cost, not "
                "on the cost itself (which is ln 2 here, never below tol)."
            )
    X, Y = SEPARABLE
    label = (
        "iterations_to_converge(X, Y, learning_rate=1.0, tol=1e-9, max_iterations=30) on "
        "separable data, whose cost keeps falling"
    )
    count = _count(iterations_to_converge, label, X, Y, 1.0, 1e-9, 30)
    if count != 30:
        raise CheckFailed(
            f"{label} should be 30 (max_iterations), got {count:g}: every one of the 30 "
            "iterations lowers the cost by more than 1e-9. Stop only when one iteration lowers "
            "the cost by less than tol, and return max_iterations if none does."
        )
    passed("iterations_to_converge")


def _count(iterations_to_converge, label, *args):
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    count = call(iterations_to_converge, *args, label=label, expected="an int")
    if not is_number(count) or float(count) != round(float(count)):
        raise CheckFailed(
            f"{label} should return a whole number of iterations, got {describe(count)}."
        )
    return float(count)


def _expect_column(value, n, label, name, hint):
    if not isinstance(value, np.ndarray) or value.shape != (n, 1):
        raise CheckFailed(
            f"{label} should return {name} as a numpy array of shape ({n}, 1), "
            f"{hint}; got {describe(value)}."
        )
    if not is_real_array(value):
        raise CheckFailed(f"{label} should return {name} as numbers, got dtype {value.dtype}.")
