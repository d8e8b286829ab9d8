"""Sample submissions of chapter 4, a hidden layer on the moons."""

from . import Mistake

# The reference's backward pass and training loop, which two mistakes each change in one line.
BACKWARD = """
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = (cache["A2"] - Y) / m
    dW2 = np.dot(dZ2, cache["A1"].T)
    db2 = np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(parameters["W2"].T, dZ2) * relu_derivative(cache["Z1"])
    dW1 = np.dot(dZ1, X.T)
    db1 = np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
"""
NN_MODEL = """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=0.5, seed=0, print_cost=False):
    parameters = initialize_parameters(X.shape[0], n_h, Y.shape[0], seed)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters
"""

ALTERNATIVES = {
    # `Z * (Z > 0)`, a slope of 1 at exactly 0, `@`, np.mean for the sums, a loop over the
    # parameter names, and `>` as the threshold.
    "alt-matmul-mask": {
        "initialize_parameters": """
def initialize_parameters(n_x, n_h, n_y, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, np.sqrt(2.0) / np.sqrt(n_x), size=(n_h, n_x)),
        "b1": np.zeros(shape=(n_h, 1)),
        "W2": rng.normal(0.0, 1 / np.sqrt(n_h), size=(n_y, n_h)),
        "b2": np.zeros(shape=(n_y, 1)),
    }
""",
        "relu": """
def relu(Z):
    return Z * (Z > 0)
""",
        "relu_derivative": """
def relu_derivative(Z):
    return np.where(Z >= 0, 1.0, 0.0)
""",
        "forward_propagation": """
def forward_propagation(X, parameters):
    W1, b1, W2, b2 = (parameters[k] for k in ("W1", "b1", "W2", "b2"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
""",
        "compute_cost": """
def compute_cost(A2, Y):
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(1 - Y, np.log(1 - A2))
    return np.squeeze(-np.sum(logprobs, axis=1, keepdims=True) / Y.shape[1])
""",
        "backward_propagation": """
def backward_propagation(parameters, cache, X, Y):
    dZ2 = cache["A2"] - Y
    dW2 = dZ2 @ cache["A1"].T / X.shape[1]
    db2 = np.mean(dZ2, axis=1, keepdims=True)
    dZ1 = parameters["W2"].T @ dZ2 * relu_derivative(cache["Z1"])
    dW1 = dZ1 @ X.T / X.shape[1]
    db1 = np.mean(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
""",
        "update_parameters": """
def update_parameters(parameters, grads, learning_rate):
    new = {}
    for name, value in parameters.items():
        new[name] = value - learning_rate * grads["d" + name]
    return new
""",
        "predict": """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return np.where(A2 > 0.5, 1.0, 0.0)
""",
    },
    # Loops (over the pixels of a copy, over the examples of the cost, over the layers of the
    # update), in-place updates on a copy, and a while loop. (A backward pass that loops over the
    # examples is right too, but makes the 10,000 training steps take minutes.)
    "alt-loops": {
        "relu": """
def relu(Z):
    A = np.array(Z, dtype=float)
    A[A < 0] = 0.0
    return A
""",
        "compute_cost": """
import math

def compute_cost(A2, Y):
    m = Y.shape[1]
    total = 0.0
    for i in range(m):
        total -= Y[0, i] * math.log(A2[0, i]) + (1 - Y[0, i]) * math.log(1 - A2[0, i])
    return total / m
""",
        "update_parameters": """
import copy

def update_parameters(parameters, grads, learning_rate):
    parameters = copy.deepcopy(parameters)
    for l in (1, 2):
        parameters[f"W{l}"] -= learning_rate * grads[f"dW{l}"]
        parameters[f"b{l}"] -= learning_rate * grads[f"db{l}"]
    return parameters
""",
        "nn_model": """
def nn_model(X, Y, n_h, num_iterations=10000, learning_rate=0.5, seed=0, print_cost=False):
    n_x, n_y = X.shape[0], Y.shape[0]
    parameters = initialize_parameters(n_x, n_h, n_y, seed=seed)
    i = 0
    while i < num_iterations:
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate=learning_rate)
        if print_cost and i % 1000 == 0:
            print("Cost after iteration %i: %f" % (i, cost))
        i += 1
    return parameters
""",
    },
    # As deeplearning.ai's planar-data assignment writes them (its names, adapted to this
    # notebook's signatures): weights drawn with np.random.seed and np.random.randn (other draws
    # than the reference's, of the same distribution), the slope of ReLU as an int 0/1 array, an
    # epsilon inside the cost's logs, the predictions left as the boolean comparison of its
    # template line. Each is right: full marks (issue 34; the booleans lost predict's point
    # before).
    "alt-deeplearning-ai": {
        "initialize_parameters": """
def initialize_parameters(n_x, n_h, n_y, seed=0):
    np.random.seed(seed)
    W1 = np.random.randn(n_h, n_x) * np.sqrt(2 / n_x)
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * np.sqrt(1 / n_h)
    b2 = np.zeros((n_y, 1))
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return parameters
""",
        "relu_derivative": """
def relu_derivative(Z):
    return (Z > 0) * 1
""",
        "compute_cost": """
def compute_cost(A2, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2 + 1e-8), Y) + np.multiply(1 - Y, np.log(1 - A2 + 1e-8))
    cost = -np.sum(logprobs) / m
    cost = float(np.squeeze(cost))
    return cost
""",
        "predict": """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    predictions = A2 > 0.5
    return predictions
""",
    },
}

MISTAKES = {
    "mistake-init-zeros": Mistake(
        {
            "initialize_parameters": """
def initialize_parameters(n_x, n_h, n_y, seed=0):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
"""
        },
        says="should return W1 of random values, all different",
    ),
    "mistake-relu-sigmoid-hidden": Mistake(
        {
            "forward_propagation": """
def forward_propagation(X, parameters):
    Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
    A1 = sigmoid(Z1)
    Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
"""
        },
        says="activation is the ReLU of Z1, not the sigmoid",
    ),
    "mistake-relu-minimum": Mistake(
        {
            "relu": """
def relu(Z):
    return np.minimum(Z, 0)
"""
        },
        says="relu(z) is z where z > 0 and 0 elsewhere",
    ),
    "mistake-derivative-negative": Mistake(
        {
            "relu_derivative": """
def relu_derivative(Z):
    return (Z < 0).astype(float)
"""
        },
        says="The slope of relu is 1 where z > 0 and 0 where z < 0",
    ),
    "mistake-cost-sum": Mistake(
        {
            "compute_cost": """
def compute_cost(A2, Y):
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
"""
        },
        says="the mean over the examples",
    ),
    "mistake-db1-axis": Mistake(
        {"backward_propagation": BACKWARD.replace("np.sum(dZ1, axis=1", "np.sum(dZ1, axis=0")},
        says='grads["db1"] of shape',
    ),
    # The mean's 1/m left out: every gradient m times too large, dW2 the first one checked.
    "mistake-dZ2-no-1-over-m": Mistake(
        {"backward_propagation": BACKWARD.replace('(cache["A2"] - Y) / m', 'cache["A2"] - Y')},
        says="dZ2 = (A2 - Y) / m",
    ),
    "mistake-update-adds": Mistake(
        {
            "update_parameters": """
def update_parameters(parameters, grads, learning_rate):
    return {k: parameters[k] + learning_rate * grads["d" + k] for k in parameters}
"""
        },
        says="minus, not plus",
    ),
    # The input size read from a global variable: right only for the data it was written next to.
    "mistake-model-global-n-x": Mistake(
        {"nn_model": NN_MODEL.replace("(X.shape[0], n_h, Y.shape[0]", "(X_train.shape[0], n_h, 1")},
        says="never from a global variable",
    ),
    "mistake-model-no-update": Mistake(
        {"nn_model": NN_MODEL.replace("parameters = update_parameters(", "update_parameters(")},
        says="each iteration should update them",
    ),
    "mistake-predict-threshold": Mistake(
        {
            "predict": """
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    return (A2 >= 0.45).astype(float)
"""
        },
        says="differ from the reference",
        hidden=True,
    ),
}
