"""Public checks of chapter 3: gradients, gradient checking, batch and mini-batch descent.

The expected values come from identities, not from a solution: a central difference of a cubic
is exact up to a known term, (x + e)^3 - (x - e)^3 = 6 x^2 e + 2 e^3, so the central difference
of x^3 / 3 is x^2 + e^2 / 3 exactly; gradient descent on a diagonal quadratic multiplies each
coordinate by (1 - alpha lambda_j) per step; one full-batch step of logistic regression from
zeros has a closed form (every a is 1/2). Where a result depends on a random shuffle, the checks
test what every correct answer has (each example exactly once, X and Y still paired, the same
batches for the same seed). No graded function is implemented here.
"""

import math

import numpy as np

from ._core import (
    CheckFailed,
    call,
    describe,
    expect_array,
    expect_close,
    expect_number,
    expect_pair,
    keys_differ,
    passed,
)
from ._errors import said, says_what_is_wrong
from ._hints import points_to_hints

USES_YOUR_NUMERICAL_GRADIENT = (
    "It calls your numerical_gradient: make sure numerical_gradient passes its checks first."
)
USES_YOUR_MINI_BATCHES = (
    "It calls your random_mini_batches: make sure random_mini_batches passes its checks first."
)
RIGHT, WRONG = 1e-7, 1e-3  # a right gradient checks below RIGHT, a wrong one above WRONG


def _cubic(x):
    return float(np.sum(x**3) / 3.0)


def _cubic_and_corner(x):
    # sum(x^3) / 3 + x[0, 0] x[1, 1]: the product term is bilinear, so its central difference
    # is exact too.
    return float(np.sum(x**3) / 3.0 + x[0, 0] * x[1, 1])


@points_to_hints("numerical_gradient", 3)
def check_numerical_gradient(numerical_gradient):
    """Public checks of `numerical_gradient(f, x, eps)`: central differences, x's shape."""
    x = np.array([1.0, -2.0, 0.5])
    eps = 1e-3
    label = "numerical_gradient(f, x, eps=1e-3) with f(x) = sum(x**3) / 3 and x of shape (3,)"
    grad = _numerical(numerical_gradient, _cubic, x, label, eps)
    expect_close(
        grad,
        x**2 + eps**2 / 3.0,
        label,
        rtol=1e-9,
        atol=1e-12,
        hint="Use central differences, (f(x + eps e_i) - f(x - eps e_i)) / (2 eps): a forward "
        "difference (f(x + eps e_i) - f(x)) / eps is off by about eps f''(x) / 2.",
    )

    x = np.array([[0.5, -1.0], [2.0, 1.5]])
    label = (
        "numerical_gradient(f, x) with f(x) = sum(x**3) / 3 + x[0, 0] * x[1, 1] and x of "
        "shape (2, 2)"
    )
    grad = _numerical(numerical_gradient, _cubic_and_corner, x, label)
    expected = x**2
    expected[0, 0] += x[1, 1]
    expected[1, 1] += x[0, 0]
    expect_close(
        grad,
        expected,
        label,
        rtol=1e-7,
        atol=1e-9,
        hint="Each entry of the gradient is the partial derivative for the entry of x at the "
        "same position: nudge one entry at a time, by eps = 1e-5 unless told otherwise.",
    )
    passed("numerical_gradient")


def _numerical(numerical_gradient, f, x, label, *eps):
    original = x.copy()
    grad = call(
        numerical_gradient,
        f,
        x,
        *eps,
        label=label,
        expected=f"an array of shape {x.shape}",
    )
    expect_array(grad, x.shape, label)
    if not np.array_equal(x, original):
        raise CheckFailed(
            f"{label} should leave x as it was, but changed it: put every nudged entry back "
            "(or nudge a copy of x)."
        )
    return grad


@points_to_hints("gradient_check", 3)
def check_gradient_check(gradient_check):
    """Public checks of `gradient_check(f, grad_f, x, eps)`: a relative error, a number."""
    x = np.array([1.0, -2.0, 0.5, 3.0])
    square = "sum(x**2)"
    # Right and wrong gradients of f = scale * sum(x**2), whose gradient is 2 scale x; "wrong"
    # is half of it, as a gradient that forgot a factor 2 is.
    for scale in (1.0, 1e6, 1e-9):
        what = square if scale == 1.0 else f"{scale:g} * {square}"
        for right in (True, False):
            factor = 2.0 if right else 1.0
            _expect_verdict(
                gradient_check,
                lambda x, scale=scale: scale * float(np.sum(x**2)),
                lambda x, scale=scale, factor=factor: factor * scale * x,
                x,
                f"f(x) = {what}",
                f"{factor * scale:g} * x" + ("" if right else " (half the true gradient)"),
                right,
            )
    y = np.array([[0.3, -1.2, 2.0], [0.7, 1.1, -0.4]])
    _expect_verdict(gradient_check, _sines, np.cos, y, "f(x) = sum(sin(x))", "cos(x)", True)
    _expect_verdict(
        gradient_check, _sines, lambda x: np.cos(x).T.reshape(x.shape), y, "f(x) = sum(sin(x))",
        "cos(x) with its entries transposed", False,
    )  # fmt: skip
    passed("gradient_check")


def _sines(x):
    return float(np.sum(np.sin(x)))


def _expect_verdict(gradient_check, f, grad_f, x, what, gradient, right):
    label = (
        f"gradient_check(f, grad_f, x) with {what}, grad_f(x) = {gradient}, x of shape {x.shape}"
    )
    error = call(
        gradient_check,
        f,
        grad_f,
        x.copy(),
        label=label,
        expected="the relative error, a number",
        hint=USES_YOUR_NUMERICAL_GRADIENT,
    )
    expect_number(error, label, "the relative error")
    error = float(error)
    if right and not error < RIGHT:
        raise CheckFailed(
            f"{label} should report a relative error below {RIGHT:g} (this gradient is right), "
            f"got {error:.3g}. The relative error is ||g_num - g|| / (||g_num|| + ||g||): "
            "without the denominator, the error grows with the size of f."
        )
    if not right and not error > WRONG:
        raise CheckFailed(
            f"{label} should report a relative error above {WRONG:g} (this gradient is wrong), "
            f"got {error:.3g}. The relative error is ||g_num - g|| / (||g_num|| + ||g||): "
            "without the denominator, a wrong gradient of a small f looks right."
        )


@points_to_hints("gradient_descent", 2)
def check_gradient_descent(gradient_descent):
    """Public checks of `gradient_descent(grad_f, x0, learning_rate, num_iterations)`."""
    # f(x) = (x1^2 + 4 x2^2) / 2 has the gradient (x1, 4 x2): with alpha = 0.1 each step
    # multiplies x1 by 0.9 and x2 by 0.6.
    x0 = np.array([2.0, 1.0])
    steps = np.arange(4)[:, None]
    expected = x0 * np.array([0.9, 0.6]) ** steps
    _expect_path(
        gradient_descent,
        lambda x: np.array([1.0, 4.0]) * x,
        x0,
        0.1,
        3,
        expected,
        "grad_f(x) = (x1, 4 x2)",
    )
    # f(x) = sum_j lambda_j x_j^2 / 2 with lambda = (1, 2, 3), alpha = 0.25: factors
    # (0.75, 0.5, 0.25) per step; and zero iterations give the starting point alone.
    x0 = np.array([1.0, -2.0, 4.0])
    lambdas = np.array([1.0, 2.0, 3.0])
    for iterations in (6, 0):
        expected = x0 * (1.0 - 0.25 * lambdas) ** np.arange(iterations + 1)[:, None]
        _expect_path(
            gradient_descent,
            lambda x: lambdas * x,
            x0,
            0.25,
            iterations,
            expected,
            "grad_f(x) = (x1, 2 x2, 3 x3)",
        )
    passed("gradient_descent")


def _expect_path(gradient_descent, grad_f, x0, learning_rate, iterations, expected, what):
    n = x0.size
    shape = (iterations + 1, n)
    label = (
        f"gradient_descent(grad_f, x0, learning_rate={learning_rate}, "
        f"num_iterations={iterations}) with {what} and x0 = {x0.tolist()}"
    )
    start = x0.copy()
    path = call(
        gradient_descent,
        grad_f,
        start,
        learning_rate,
        iterations,
        label=label,
        expected=f"a path of shape {shape}",
    )
    expect_array(path, shape, label)
    if iterations > 0 and np.all(path == path[-1]):
        raise CheckFailed(
            f"{label}: every row of the path is the same point, the last one. Each row should "
            "hold one point: store a new array at each step (x = x - alpha * grad_f(x)) instead "
            "of changing one array in place and storing it again and again."
        )
    expect_close(path[0], x0, f"{label}: path[0] (the starting point x0)")
    if not np.array_equal(start, x0):
        raise CheckFailed(f"{label} should leave x0 as it was, but changed it.")
    if iterations > 0:
        expect_close(
            path[1],
            expected[1],
            f"{label}: path[1], one step x0 - learning_rate * grad_f(x0),",
            hint="Gradient descent steps against the gradient: x - alpha grad_f(x), not +.",
        )
    expect_close(path, expected, f"{label}: the path")


@points_to_hints("random_mini_batches", 3)
def check_random_mini_batches(random_mini_batches):
    """Public checks of `random_mini_batches(X, Y, batch_size, seed)`: a shuffled partition."""
    for m, batch_size, seed in [(10, 4, 0), (37, 8, 3)]:
        # Example i has the features (i, 2 i + 1) and the label i % 2: a batch shows which
        # examples it holds, and whether each still has its own label.
        index = np.arange(m, dtype=float)
        X = np.vstack([index, 2 * index + 1])
        Y = (index % 2).reshape(1, m)
        label = (
            f"random_mini_batches(X, Y, batch_size={batch_size}, seed={seed}) with X of shape "
            f"{X.shape}"
        )
        batches = call(
            random_mini_batches,
            X.copy(),
            Y.copy(),
            batch_size,
            seed,
            label=label,
            expected="a list of (X_batch, Y_batch)",
        )
        sizes = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
        _expect_partition(batches, X, Y, sizes, label)
        again = call(random_mini_batches, X.copy(), Y.copy(), batch_size, seed, label=label)
        if not all(
            np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
            for a, b in zip(batches, again, strict=True)
        ):
            raise CheckFailed(
                f"{label} should return the same mini-batches each time it is called with the "
                "same seed: draw the shuffle from np.random.default_rng(seed)."
            )
    order = np.concatenate([b[0][0] for b in batches])
    if np.array_equal(order, np.arange(m)):
        raise CheckFailed(
            f"{label} should shuffle the examples, got them in their original order: draw a "
            "permutation with np.random.default_rng(seed).permutation(m)."
        )
    passed("random_mini_batches")


def _expect_partition(batches, X, Y, sizes, label):
    if not isinstance(batches, list) or not all(
        isinstance(b, tuple) and len(b) == 2 for b in batches
    ):
        raise CheckFailed(
            f"{label} should return a list of (X_batch, Y_batch) tuples, got {describe(batches)}."
        )
    got = [
        b[0].shape[1] if isinstance(b[0], np.ndarray) and b[0].ndim == 2 else None for b in batches
    ]
    if got != sizes:
        raise CheckFailed(
            f"{label} should return {len(sizes)} mini-batches of sizes {sizes} (every example "
            f"exactly once, the last batch smaller when batch_size does not divide m), got "
            f"{len(batches)} of sizes {got}."
        )
    for k, (X_batch, Y_batch) in enumerate(batches):
        expect_array(X_batch, (X.shape[0], sizes[k]), f"{label}: X_batch of mini-batch {k}")
        expect_array(Y_batch, (1, sizes[k]), f"{label}: Y_batch of mini-batch {k}")
    X_all = np.concatenate([b[0] for b in batches], axis=1)
    Y_all = np.concatenate([b[1] for b in batches], axis=1)
    if sorted(X_all[0].tolist()) != sorted(X[0].tolist()) or not np.array_equal(
        X_all[1], 2 * X_all[0] + 1
    ):
        raise CheckFailed(
            f"{label} should put every example (column of X) in exactly one mini-batch, "
            "whole: shuffle the columns of X, not its rows or its entries."
        )
    if not np.array_equal(Y_all[0], X_all[0] % 2):
        raise CheckFailed(
            f"{label} should keep each example with its own label, but the labels no longer "
            "belong to their examples. Shuffle X and Y with the same permutation, so that "
            "column i of X_batch keeps its own label in Y_batch."
        )


@points_to_hints("random_mini_batches", 3)
def check_random_mini_batches_input_checks(random_mini_batches):
    """Public checks of the input checks of `random_mini_batches`, a requirement with a test of
    its own: a batch size below 1, and X and Y of different numbers of examples, raise ValueError
    with a message that says what is wrong, in any words."""
    _expect_value_error(
        random_mini_batches,
        (np.zeros((2, 10)), np.zeros((1, 10)), 0, 0),
        "random_mini_batches(X, Y, batch_size=0)",
        [("batch size",), ("0",)],
    )
    _expect_value_error(
        random_mini_batches,
        (np.zeros((2, 10)), np.zeros((1, 9)), 4, 0),
        "random_mini_batches(X, Y, batch_size=4) with X of shape (2, 10) and Y of shape (1, 9)",
        [("10", "9"), ("examples",), ("x", "y"), ("columns",), ("shape",)],
    )
    passed("random_mini_batches (input checks)")


def _expect_value_error(random_mini_batches, args, label, naming):
    try:
        random_mini_batches(*args)
    except NotImplementedError:
        call(random_mini_batches, *args, label=label)  # says to replace it
    except ValueError as error:
        if not says_what_is_wrong(error, naming):
            raise CheckFailed(
                f"{label} raised ValueError({str(error)!r}); its message should say what is "
                f"wrong, naming {said(naming)}."
            ) from None
        return
    except Exception as error:
        raise CheckFailed(
            f"{label} should raise ValueError, but raised {type(error).__name__}: {error}"
        ) from None
    raise CheckFailed(
        f"{label} should raise a ValueError that says what is wrong, but it raised nothing."
    )


def _cost(w, b, X, Y):
    """The logistic cost, written independently of any graded function (for the checks)."""
    z = (w.T @ X + b)[0]
    y = Y[0]
    return float(np.mean(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)))


@points_to_hints("minibatch_gradient_descent", 3)
def check_minibatch_gradient_descent(minibatch_gradient_descent):
    """Public checks of `minibatch_gradient_descent(X, Y, batch_size, learning_rate, ...)`."""
    # One epoch with a batch of all 4 examples is one step from w = 0, b = 0, where every a is
    # 1/2: dw = X (1/2 - Y)^T / 4 = (-1 - 1/2 - 1/2 - 1) / 4 = -3/4, db = mean(1/2 - Y) = 0, so
    # w = 0.5 * 3/4 = 3/8 and b = 0.
    X = np.array([[-2.0, -1.0, 1.0, 2.0]])
    Y = np.array([[0.0, 0.0, 1.0, 1.0]])
    label = (
        "minibatch_gradient_descent(X, Y, batch_size=4, learning_rate=0.5, num_epochs=1) with "
        "X of shape (1, 4)"
    )
    params, costs = _train(minibatch_gradient_descent, X, Y, 4, 0.5, 1, label)
    expect_close(
        params["w"],
        [[0.375]],
        f'{label}: params["w"]',
        hint="Start from w = 0 and b = 0 and step against the gradient: w = w - alpha dw.",
    )
    expect_close(params["b"], 0.0, f'{label}: params["b"]')
    expect_close(
        costs[0],
        _cost(np.array([[0.375]]), 0.0, X, Y),
        f"{label}: costs[0], the cost on the whole training set after the epoch,",
        hint="After each epoch, append the cost of the current w and b on all of X and Y.",
    )

    # 12 examples, the label 1 exactly when x1 + x2 - x3 > 0 (by a margin of at least 1),
    # batches of 5, 5 and 2: the cost goes down from ln 2 and every example ends up right.
    X = np.array(
        [
            [2.0, 0.0, 1.0, 0.0, 1.0, 0.0, 3.0, 0.0, 1.0, 2.0, 0.0, 0.0],
            [0.0, 2.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 2.0, 0.0],
            [0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 1.0, 1.0, 3.0, 3.0, 1.0, 1.0],
        ]
    )
    Y = (X[0] + X[1] - X[2] > 0).astype(float).reshape(1, -1)
    label = (
        "minibatch_gradient_descent(X, Y, batch_size=5, learning_rate=0.5, num_epochs=30) with "
        "X of shape (3, 12)"
    )
    params, costs = _train(minibatch_gradient_descent, X, Y, 5, 0.5, 30, label)
    if not costs[-1] < costs[0] < math.log(2.0):
        raise CheckFailed(
            f"{label} should return costs that go down from below ln 2 = 0.693 (the cost at "
            f"w = 0, b = 0), got costs[0] = {float(costs[0]):.4g} and costs[-1] = "
            f"{float(costs[-1]):.4g}: each step should move w and b against the gradient."
        )
    predictions = ((params["w"].T @ X + params["b"]) > 0).astype(float)
    expect_close(
        predictions,
        Y,
        f"{label}: the trained model's answers (this toy problem is learnt without a mistake)",
        hint=USES_YOUR_MINI_BATCHES,
    )
    passed("minibatch_gradient_descent")


def _train(minibatch_gradient_descent, X, Y, batch_size, learning_rate, num_epochs, label):
    result = call(
        minibatch_gradient_descent,
        X.copy(),
        Y.copy(),
        batch_size,
        learning_rate,
        num_epochs,
        label=label,
        expected="a tuple (params, costs)",
        hint=USES_YOUR_MINI_BATCHES,
        allow_warnings=True,
    )
    params, costs = expect_pair(result, label, "(params, costs)")
    if not isinstance(params, dict) or set(params) != {"w", "b"}:
        raise CheckFailed(
            f'{label} should return params as a dict with the keys ["b", "w"], got '
            f"{keys_differ(params, ('b', 'w')) if isinstance(params, dict) else describe(params)}."
        )
    expect_array(params["w"], (X.shape[0], 1), f'{label}: params["w"]')
    expect_number(params["b"], label, 'params["b"]')
    if not isinstance(costs, list) or len(costs) != num_epochs:
        raise CheckFailed(
            f"{label} should return costs as a list of {num_epochs} cost"
            f"{'s' if num_epochs > 1 else ''} (one after each epoch), got {describe(costs)}"
            f"{f' of length {len(costs)}' if isinstance(costs, list) else ''}."
        )
    for k, cost in enumerate(costs):
        expect_number(cost, label, f"costs[{k}]")
    return params, costs


# Views: how the grader compares a hidden result of this chapter with the reference's where a
# right answer need not equal it (`autograder.judge.views`). Each `compare(got, expected, label,
# rtol, atol)` raises CheckFailed with one sentence in the words of the property, never the
# hidden input.
#
# - `partition`: a list of mini-batches `(X_batch, Y_batch)` as its batch sizes, in order, and
#   the multiset of its examples, the columns of X stacked on Y (so a label must stay with its
#   example); the order of the examples is not compared;
# - `gradient_check`: a relative error as its verdict, below RIGHT (right), above WRONG (wrong),
#   or in between;
# - `final_cost`: a training run `(params, costs)` as the number of costs and the last one,
#   compared within the record's `rtol`.


def _batches(result, label):
    """(batch sizes, examples): the sizes in order, and the columns of (X; Y), sorted."""
    if not isinstance(result, list) or not all(
        isinstance(batch, tuple)
        and len(batch) == 2
        and all(isinstance(part, np.ndarray) and part.ndim == 2 for part in batch)
        for batch in result
    ):
        raise CheckFailed(
            f"{label} should return a list of (X_batch, Y_batch) tuples of 2-D arrays, "
            f"got {describe(result)}."
        )
    for X_batch, Y_batch in result:
        if X_batch.shape[1] != Y_batch.shape[1]:
            raise CheckFailed(
                f"{label} returned a mini-batch of {X_batch.shape[1]} examples in X_batch but "
                f"{Y_batch.shape[1]} in Y_batch."
            )
    sizes = [X_batch.shape[1] for X_batch, _ in result]
    if not result:
        return sizes, np.zeros((0, 0))
    try:
        examples = np.vstack([np.hstack([b[0] for b in result]), np.hstack([b[1] for b in result])])
    except ValueError:
        raise CheckFailed(
            f"{label} returned mini-batches with different numbers of rows: every X_batch "
            "should have the rows of X, every Y_batch those of Y."
        ) from None
    examples = np.asarray(examples, dtype=float)
    return sizes, examples[:, np.lexsort(examples[::-1])]


def compare_partition(got, expected, label, rtol, atol):
    got_sizes, got_examples = _batches(got, label)
    sizes, examples = _batches(expected, label)
    if got_sizes != sizes:
        raise CheckFailed(
            f"{label} should return {len(sizes)} mini-batches of sizes {sizes} (every example "
            f"exactly once, only the last batch smaller), got {len(got_sizes)} of sizes "
            f"{got_sizes}."
        )
    if got_examples.shape != examples.shape:
        raise CheckFailed(
            f"{label} should return mini-batches whose X_batch and Y_batch have the rows of X "
            f"and Y ({examples.shape[0]} in all), got {got_examples.shape[0]}."
        )
    differ = ~np.all(np.isclose(got_examples, examples, rtol=rtol, atol=atol), axis=0)
    if differ.any():
        raise CheckFailed(
            f"{label} should hold every example of X exactly once, each with its own label from "
            f"Y, but {int(differ.sum())} of {differ.size} examples (columns of X with their "
            "label) are not in the data: shuffle X and Y with the same permutation."
        )


def _verdict(error):
    if error < RIGHT:
        return f"below {RIGHT:g}"
    if error > WRONG:
        return f"above {WRONG:g}"
    return f"between {RIGHT:g} and {WRONG:g}"


def compare_gradient_check(got, expected, label, rtol, atol):
    expect_number(got, label, "the relative error")
    want = _verdict(float(expected))
    if _verdict(float(got)) != want:
        meaning = {f"below {RIGHT:g}": "right", f"above {WRONG:g}": "wrong"}.get(want, "unclear")
        raise CheckFailed(
            f"{label} should report a relative error {want} (this gradient is {meaning}), got "
            f"{float(got):.2g}: the relative error is ||g_num - g|| / (||g_num|| + ||g||)."
        )


def _run(result, label):
    """(params, costs) of a training run, or the sentence that says what is not right."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise CheckFailed(f"{label} should return a tuple (params, costs), got {describe(result)}.")
    params, costs = result
    if not isinstance(params, dict) or set(params) != {"w", "b"}:
        raise CheckFailed(f'{label} should return params as a dict with the keys "w" and "b".')
    if not isinstance(costs, list) or not costs:
        raise CheckFailed(
            f"{label} should return costs as a non-empty list, got {describe(costs)}."
        )
    return params, costs


def compare_final_cost(got, expected, label, rtol, atol):
    params, costs = _run(got, label)
    want_params, want_costs = _run(expected, label)
    expect_array(params["w"], want_params["w"].shape, f'{label}: params["w"]')
    expect_number(params["b"], label, 'params["b"]')
    if len(costs) != len(want_costs):
        raise CheckFailed(
            f"{label} should return {len(want_costs)} costs (one after each epoch), "
            f"got {len(costs)}."
        )
    expect_number(costs[-1], label, "the final cost")
    final, want = float(costs[-1]), float(want_costs[-1])
    if not np.isclose(final, want, rtol=rtol, atol=atol):
        raise CheckFailed(
            f"{label} should reach the reference solution's final cost within {rtol:.0%}, but "
            f"differs from it by a relative {abs(final - want) / max(abs(want), atol):.2g}."
        )


VIEWS = {
    "partition": compare_partition,
    "gradient_check": compare_gradient_check,
    "final_cost": compare_final_cost,
}
