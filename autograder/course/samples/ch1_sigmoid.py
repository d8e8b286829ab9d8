"""Sample submissions of chapter 1, the sigmoid neuron."""

from . import Mistake

ALTERNATIVES = {
    # Clip z so that exp never overflows; a Python float in gives a NumPy float out.
    "alt-clipped": {
        "sigmoid": """
def sigmoid(z):
    z = np.clip(z, -500, 500)
    return 1 / (1 + np.exp(-z))
""",
        "sigmoid_derivative": """
def sigmoid_derivative(z):
    return sigmoid(z) * sigmoid(-z)
""",
        "neuron_output": """
def neuron_output(w, b, X):
    return sigmoid(w.T @ X + b)
""",
    },
    # Scalars through the math module, arrays through boolean masks; a loop over examples.
    "alt-branches-and-loop": {
        "sigmoid": """
import math

def sigmoid(z):
    if np.isscalar(z):
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        return math.exp(z) / (1.0 + math.exp(z))
    z = np.asarray(z, dtype=np.float64)
    s = np.zeros(z.shape)
    positive = z >= 0
    s[positive] = 1 / (1 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    s[~positive] = e / (1 + e)
    return s
""",
        "neuron_output": """
def neuron_output(w, b, X):
    n_x, m = X.shape
    A = np.zeros((1, m))
    for i in range(m):
        z = b
        for j in range(n_x):
            z += w[j, 0] * X[j, i]
        A[0, i] = sigmoid(z)
    return A
""",
    },
    # A sigmoid that gives a 0-d array for a number (np.where does), a derivative written as
    # s - s**2, and a neuron with the sigmoid written inline, X transposed first and np.matmul.
    "alt-0d-inline-matmul": {
        "sigmoid": """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
""",
        "sigmoid_derivative": """
def sigmoid_derivative(z):
    s = sigmoid(z)
    return s - s**2
""",
        "neuron_output": """
def neuron_output(w, b, X):
    Z = np.matmul(X.T, w).T + b
    return 1 / (1 + np.exp(-Z))
""",
    },
}

MISTAKES = {
    # The textbook formula: exp(-z) overflows for z below about -709 and NumPy warns.
    "overflowing-sigmoid": Mistake(
        {
            "sigmoid": """
def sigmoid(z):
    return 1 / (1 + np.exp(-z))
""",
        },
        says="should run without warnings, but got: overflow encountered in exp",
    ),
    # sigma(z) (1 - sigma(z)) written with z in place of sigma(z).
    "derivative-in-z": Mistake(
        {
            "sigmoid_derivative": """
def sigmoid_derivative(z):
    return z * (1 - z)
""",
        },
        says="sigmoid_derivative(0.0) should be 0.25, got 0",
    ),
    # d/dz (1 + e^-z)^-1 without the inner derivative -e^-z of the chain rule.
    "derivative-forgets-chain": Mistake(
        {
            "sigmoid_derivative": """
def sigmoid_derivative(z):
    return -sigmoid(z) ** 2
""",
        },
        says="sigmoid_derivative(0.0) should be 0.25, got -0.25",
    ),
    "neuron-forgets-bias": Mistake(
        {
            "neuron_output": """
def neuron_output(w, b, X):
    return sigmoid(np.dot(w.T, X))
""",
        },
        says="3 of 3 values are wrong",
    ),
    # w of shape (n_x, 1) is not transposed: the product fails unless n_x == 1.
    "neuron-forgets-transpose": Mistake(
        {
            "neuron_output": """
def neuron_output(w, b, X):
    return sigmoid(np.dot(w, X) + b)
""",
        },
        says="raised ValueError",
    ),
}
