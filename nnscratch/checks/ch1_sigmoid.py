"""Public checks of chapter 1: the sigmoid neuron.

Expected values are sigma(z) = 1 / (1 + e^-z) worked out by hand for small z, and properties
that hold for any correct sigmoid (symmetry, range); no graded function is implemented here.
"""

import numpy as np

from ._core import call, expect_array, expect_close, expect_number, passed
from ._hints import points_to_hints

ROW = "an array of shape (5,)"

# sigma(z) and sigma'(z) = sigma(z) (1 - sigma(z)) at z = -2..2.
Z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
SIGMA = np.array(
    [0.11920292202211755, 0.2689414213699951, 0.5, 0.7310585786300049, 0.8807970779778823]
)
SIGMA_PRIME = np.array(
    [0.1049935854035065, 0.19661193324148185, 0.25, 0.19661193324148185, 0.10499358540350662]
)
EXTREMES = np.array([-1000.0, -710.0, 710.0, 1000.0])

USES_YOUR_SIGMOID = "It calls your sigmoid: make sure sigmoid passes its checks first."


@points_to_hints("sigmoid", 3)
def check_sigmoid(sigmoid):
    """Public checks of `sigmoid(z)`: a float for a scalar, an array of z's shape for an array."""
    value = call(sigmoid, 0.0, label="sigmoid(0.0)", expected="a number")
    expect_number(value, "sigmoid(0.0)")
    expect_close(value, 0.5, "sigmoid(0.0)")
    expect_number(call(sigmoid, 1, label="sigmoid(1)", expected="a number"), "sigmoid(1) (an int)")

    row = call(sigmoid, Z.copy(), label="sigmoid(z) with z of shape (5,)", expected=ROW)
    expect_array(row, (5,), "sigmoid(z) with z of shape (5,)")
    expect_close(row, SIGMA, "sigmoid([-2, -1, 0, 1, 2])")

    grid = Z[:4].reshape(2, 2)
    block = call(
        sigmoid, grid.copy(), label="sigmoid(z) with z of shape (2, 2)", expected="shape (2, 2)"
    )
    expect_array(block, (2, 2), "sigmoid(z) with z of shape (2, 2)")
    expect_close(block, SIGMA[:4].reshape(2, 2), "sigmoid([[-2, -1], [0, 1]])")

    z = np.linspace(-30, 30, 13)
    both = call(sigmoid, z, label="sigmoid(z)") + call(sigmoid, -z, label="sigmoid(-z)")
    expect_close(both, np.ones_like(z), "sigmoid(z) + sigmoid(-z) (it should always be 1)")

    far = call(
        sigmoid,
        EXTREMES.copy(),
        label="sigmoid([-1000, -710, 710, 1000])",
        hint=(
            "Only ever exponentiate a number <= 0, as the formula above the function shows. "
            "np.where(z >= 0, ..., ...) computes both branches for every z before it picks "
            "one, so an np.exp(-z) or np.exp(z) inside it still overflows: exponentiate "
            "-abs(z), or compute each branch on its own part of z (a boolean mask)."
        ),
    )
    expect_array(far, (4,), "sigmoid([-1000, -710, 710, 1000])")
    expect_close(far, [0.0, 0.0, 1.0, 1.0], "sigmoid([-1000, -710, 710, 1000])")
    passed("sigmoid")


@points_to_hints("sigmoid_derivative", 2)
def check_sigmoid_derivative(sigmoid_derivative):
    """Public checks of `sigmoid_derivative(z)` = sigma(z) (1 - sigma(z))."""
    value = call(
        sigmoid_derivative,
        0.0,
        label="sigmoid_derivative(0.0)",
        expected="a number",
        hint=USES_YOUR_SIGMOID,
    )
    expect_number(value, "sigmoid_derivative(0.0)")
    expect_close(value, 0.25, "sigmoid_derivative(0.0)", hint=USES_YOUR_SIGMOID)

    row = call(
        sigmoid_derivative,
        Z.copy(),
        label="sigmoid_derivative(z)",
        expected=ROW,
        hint=USES_YOUR_SIGMOID,
    )
    expect_array(row, (5,), "sigmoid_derivative(z) with z of shape (5,)")
    expect_close(row, SIGMA_PRIME, "sigmoid_derivative([-2, -1, 0, 1, 2])", hint=USES_YOUR_SIGMOID)

    column = call(
        sigmoid_derivative, Z.reshape(5, 1), label="sigmoid_derivative(z)", expected="shape (5, 1)"
    )
    expect_array(column, (5, 1), "sigmoid_derivative(z) with z of shape (5, 1)")
    expect_close(column, SIGMA_PRIME.reshape(5, 1), "sigmoid_derivative(z) with z of shape (5, 1)")

    far = call(
        sigmoid_derivative,
        EXTREMES.copy(),
        label="sigmoid_derivative([-1000, -710, 710, 1000])",
        hint=USES_YOUR_SIGMOID,
    )
    expect_close(far, np.zeros(4), "sigmoid_derivative([-1000, -710, 710, 1000])")
    passed("sigmoid_derivative")


@points_to_hints("neuron_output", 2)
def check_neuron_output(neuron_output):
    """Public checks of `neuron_output(w, b, X)`: sigma(w^T X + b) of shape (1, m)."""
    w = np.array([[1.0], [-2.0]])
    X = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])
    # z = w^T X + b = [1.5, -1.5, 0.5] with b = 0.5.
    expected = np.array([[0.8175744761936437, 0.18242552380635635, 0.6224593312018546]])
    label = "neuron_output(w, b, X) with w of shape (2, 1) and X of shape (2, 3)"
    A = call(
        neuron_output,
        w.copy(),
        0.5,
        X.copy(),
        label=label,
        expected="an array of shape (1, 3) (w^T X has one row)",
        hint=USES_YOUR_SIGMOID,
    )
    expect_array(A, (1, 3), label)
    expect_close(A, expected, label, hint="Remember the bias b, and use w^T (w transposed).")

    w3 = np.array([[0.5], [-1.0], [2.0]])
    x3 = np.array([[2.0], [1.0], [0.5]])
    # z = 1 - 1 + 1 - 1.3 = -0.3 with b = -1.3, and sigma(-0.3) = 0.4255574831883410.
    label = "neuron_output(w, b, X) with w of shape (3, 1) and X of shape (3, 1)"
    A = call(neuron_output, w3, -1.3, x3, label=label, expected="shape (1, 1)")
    expect_array(A, (1, 1), label)
    expect_close(A, [[0.425557483188341]], label)
    passed("neuron_output")
