"""Sample submissions of chapter 6, MNIST with ten classes and a network class.

The mistakes in the class change one line of the reference's class (read from the solution, so
that they follow it), each in the method whose points it loses.
"""

from ..reference import graded_solutions
from . import Mistake


def _class_with(old, new):
    """The reference's NeuralNetwork cell with `old` replaced by `new` (which must be there)."""
    source = graded_solutions("ch6_mnist_multiclass")["NeuralNetwork"]
    if old not in source:
        raise ValueError(f"the reference's NeuralNetwork has no {old!r} to change")
    return source.replace(old, new)


# A class as deeplearning.ai's L-layer assignment keeps its forward values: a list of per-layer
# (A_prev, Z) pairs in self.caches, AL in self.AL, its gradients in self.gradients, not the
# notebook's suggested self.cache and self.grads. Its methods are right together, and its fit
# computes its history with compute_cost.
PER_LAYER_CACHES = """
class NeuralNetwork:
    def __init__(self, layer_dims, learning_rate, lambd=0.0, seed=0):
        self.layer_dims = layer_dims
        self.learning_rate = learning_rate
        self.lambd = lambd
        self.parameters = initialize_parameters(layer_dims, seed)
        self.caches = []
        self.m_train = None

    def forward(self, X):
        self.caches = []
        A = X
        L = len(self.parameters) // 2
        for l in range(1, L):
            A_prev = A
            Z = np.dot(self.parameters["W" + str(l)], A_prev) + self.parameters["b" + str(l)]
            A = relu(Z)
            self.caches.append((A_prev, Z))
        ZL = np.dot(self.parameters["W" + str(L)], A) + self.parameters["b" + str(L)]
        AL = softmax(ZL)
        self.caches.append((A, ZL))
        self.AL = AL
        return AL

    def backward(self, Y):
        grads = {}
        L = len(self.caches)
        m = Y.shape[1]
        n = self.m_train if self.m_train else m
        dZ = (self.AL - Y) / m
        for l in reversed(range(1, L + 1)):
            A_prev, Z = self.caches[l - 1]
            W = self.parameters["W" + str(l)]
            grads["dW" + str(l)] = np.dot(dZ, A_prev.T) + self.lambd / n * W
            grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True)
            if l > 1:
                _, Z_prev = self.caches[l - 2]
                dZ = np.dot(W.T, dZ) * relu_derivative(Z_prev)
        self.gradients = grads
        return grads

    def update(self):
        L = len(self.parameters) // 2
        for l in range(1, L + 1):
            for p in ("W", "b"):
                key = p + str(l)
                self.parameters[key] = (
                    self.parameters[key] - self.learning_rate * self.gradients["d" + key]
                )

    def fit(self, X, y, epochs, batch_size, validation=None, seed=0):
        self.m_train = X.shape[1]
        n_y = self.layer_dims[-1]
        Y = one_hot(y, n_y)
        history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        for epoch in tqdm(range(epochs)):
            minibatches = random_mini_batches(X, Y, batch_size, seed + epoch)
            for minibatch_X, minibatch_Y in minibatches:
                self.forward(minibatch_X)
                self.backward(minibatch_Y)
                self.update()
            AL = self.forward(X)
            history["loss"].append(compute_cost(AL, Y, self.parameters, self.lambd))
            history["accuracy"].append(np.mean(np.argmax(AL, axis=0) == y))
            if validation is not None:
                X_val, y_val = validation
                AL_val = self.forward(X_val)
                lambd_val = self.lambd * X_val.shape[1] / self.m_train
                Y_val = one_hot(y_val, n_y)
                history["val_loss"].append(compute_cost(AL_val, Y_val, self.parameters, lambd_val))
                history["val_accuracy"].append(np.mean(np.argmax(AL_val, axis=0) == y_val))
        return history

    def predict_proba(self, X):
        return self.forward(X)

    def predict(self, X):
        return np.argmax(self.forward(X), axis=0)
"""

ALTERNATIVES = {
    # np.eye for one-hot, the log-sum-exp form of softmax, rng.normal with a scale, the cost from
    # the true classes' probabilities with np.linalg.norm for the penalty (a NumPy float), and a
    # class that counts its layers in __init__, keeps the training set's size under its own
    # name, masks with Z >= 0, updates in place, shuffles with its own permutation (not
    # random_mini_batches), records the cross-entropy of each set plus the L2 term it adds
    # itself, and predicts through predict_proba.
    "alt-logsumexp-loops": {
        "one_hot": """
def one_hot(y, num_classes=10):
    return np.eye(num_classes)[np.asarray(y, dtype=int)].T
""",
        "softmax": """
def softmax(Z):
    top = np.max(Z, axis=0, keepdims=True)
    log_sum_exp = top + np.log(np.sum(np.exp(Z - top), axis=0, keepdims=True))
    return np.exp(Z - log_sum_exp)
""",
        "initialize_parameters": """
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        scale = np.sqrt(2.0 / layer_dims[l - 1])
        parameters["W" + str(l)] = rng.normal(0.0, scale, size=(layer_dims[l], layer_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "compute_cost": """
def compute_cost(AL, Y, parameters, lambd=0.0):
    m = Y.shape[1]
    true_class = np.argmax(Y, axis=0)
    cross_entropy = -np.mean(np.log(AL[true_class, np.arange(m)]))
    penalty = 0.0
    for key, value in parameters.items():
        if key.startswith("W"):
            penalty += np.linalg.norm(value) ** 2
    return cross_entropy + lambd / (2 * m) * penalty
""",
        "NeuralNetwork": """
class NeuralNetwork:
    def __init__(self, layer_dims, learning_rate, lambd=0.0, seed=0):
        self.layer_dims = layer_dims
        self.num_layers = len(layer_dims) - 1
        self.learning_rate = learning_rate
        self.lambd = lambd
        self.parameters = initialize_parameters(layer_dims, seed)
        self.examples = None

    def forward(self, X):
        self.cache = {"A0": X}
        A = X
        for l in range(1, self.num_layers + 1):
            Z = np.dot(self.parameters["W" + str(l)], A) + self.parameters["b" + str(l)]
            if l < self.num_layers:
                A = np.maximum(0, Z)
            else:
                A = softmax(Z)
            self.cache["Z" + str(l)] = Z
            self.cache["A" + str(l)] = A
        return A

    def backward(self, Y):
        m = Y.shape[1]
        n = m if self.examples is None else self.examples
        self.grads = {}
        dZ = self.cache["A" + str(self.num_layers)] - Y
        for l in reversed(range(1, self.num_layers + 1)):
            W = self.parameters["W" + str(l)]
            self.grads["dW" + str(l)] = (
                np.dot(dZ, self.cache["A" + str(l - 1)].T) / m + self.lambd / n * W
            )
            self.grads["db" + str(l)] = np.mean(dZ, axis=1, keepdims=True)
            if l > 1:
                dZ = np.dot(W.T, dZ) * (self.cache["Z" + str(l - 1)] >= 0)
        return self.grads

    def update(self):
        for l in range(1, self.num_layers + 1):
            self.parameters["W" + str(l)] -= self.learning_rate * self.grads["dW" + str(l)]
            self.parameters["b" + str(l)] -= self.learning_rate * self.grads["db" + str(l)]

    def fit(self, X, y, epochs, batch_size, validation=None, seed=0):
        rng = np.random.default_rng(seed)
        m = X.shape[1]
        self.examples = m
        history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        progress = tqdm(range(epochs))
        for epoch in progress:
            order = rng.permutation(m)
            for start in range(0, m, batch_size):
                batch = order[start : start + batch_size]
                self.forward(X[:, batch])
                self.backward(one_hot(y[batch], self.layer_dims[-1]))
                self.update()
            pairs = [("", X, y)]
            if validation is not None:
                pairs.append(("val_", validation[0], validation[1]))
            squares = sum(
                np.sum(self.parameters["W" + str(l)] ** 2) for l in range(1, self.num_layers + 1)
            )
            for prefix, X_set, y_set in pairs:
                AL = self.forward(X_set)
                Y_set = one_hot(y_set, self.layer_dims[-1])
                cross_entropy = compute_cost(AL, Y_set, self.parameters)
                history[prefix + "loss"].append(cross_entropy + self.lambd / (2 * m) * squares)
                history[prefix + "accuracy"].append(np.mean(self.predict(X_set) == y_set))
            progress.set_postfix(loss=history["loss"][-1])
        return history

    def predict_proba(self, X):
        return self.forward(X)

    def predict(self, X):
        return self.predict_proba(X).argmax(axis=0)
""",
    },
    # The cost as the formula reads, sum(Y * log(AL)): NaN once a probability that Y does not
    # select underflows to 0, but right on every input the checks and hidden tests give (whose
    # probabilities are all positive), so it earns the points of compute_cost.
    "alt-naive-cost": {
        "compute_cost": """
def compute_cost(AL, Y, parameters, lambd=0.0):
    m = Y.shape[1]
    L = len(parameters) // 2
    squares = sum(np.sum(parameters["W" + str(l)] ** 2) for l in range(1, L + 1))
    return float(-np.sum(Y * np.log(AL)) / m + lambd / (2 * m) * squares)
""",
    },
    # As deeplearning.ai's assignments write them (their names, adapted to this notebook's
    # signatures): He weights drawn with np.random.seed and np.random.randn (other draws than the
    # reference's, of the same distribution), a one-hot matrix of ints, an epsilon inside the
    # cost's log. Each is right: full marks (issue 34).
    "alt-deeplearning-ai": {
        "initialize_parameters": """
def initialize_parameters(layer_dims, seed=0):
    np.random.seed(seed)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(
            2 / layer_dims[l - 1]
        )
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
""",
        "one_hot": """
def one_hot(y, num_classes=10):
    Y = np.zeros((num_classes, len(y)), dtype=int)
    Y[y, np.arange(len(y))] = 1
    return Y
""",
        "compute_cost": """
def compute_cost(AL, Y, parameters, lambd=0.0):
    m = Y.shape[1]
    L = len(parameters) // 2
    cross_entropy_cost = -np.sum(np.multiply(Y, np.log(AL + 1e-8))) / m
    L2_regularization_cost = 0
    for l in range(1, L + 1):
        L2_regularization_cost += np.sum(np.square(parameters["W" + str(l)]))
    L2_regularization_cost = lambd / (2 * m) * L2_regularization_cost
    cost = np.squeeze(cross_entropy_cost + L2_regularization_cost)
    return cost
""",
    },
    # Right, in a layout of its own: full marks (it scored 11 of 16 before issue 34: forward
    # lost 2 points for not keeping self.cache, backward 3 for the cache the grader set).
    "alt-per-layer-caches": {"NeuralNetwork": PER_LAYER_CACHES},
    # A network written out for its three layers, as in chapter 4: no loop over the layers.
    "alt-unrolled": {
        "NeuralNetwork": """
class NeuralNetwork:
    def __init__(self, layer_dims, learning_rate, lambd=0.0, seed=0):
        self.n_y = layer_dims[-1]
        self.learning_rate, self.lambd = learning_rate, lambd
        self.parameters = initialize_parameters(layer_dims, seed)
        self.n = None

    def forward(self, X):
        p = self.parameters
        Z1 = p["W1"] @ X + p["b1"]
        A1 = relu(Z1)
        Z2 = p["W2"] @ A1 + p["b2"]
        A2 = relu(Z2)
        Z3 = p["W3"] @ A2 + p["b3"]
        A3 = softmax(Z3)
        self.cache = {"A0": X, "Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2, "Z3": Z3, "A3": A3}
        return A3

    def backward(self, Y):
        p, c, m = self.parameters, self.cache, Y.shape[1]
        k = self.lambd / (self.n or m)
        dZ3 = (c["A3"] - Y) / m
        dW3 = dZ3 @ c["A2"].T + k * p["W3"]
        db3 = dZ3.sum(axis=1, keepdims=True)
        dZ2 = (p["W3"].T @ dZ3) * relu_derivative(c["Z2"])
        dW2 = dZ2 @ c["A1"].T + k * p["W2"]
        db2 = dZ2.sum(axis=1, keepdims=True)
        dZ1 = (p["W2"].T @ dZ2) * relu_derivative(c["Z1"])
        dW1 = dZ1 @ c["A0"].T + k * p["W1"]
        db1 = dZ1.sum(axis=1, keepdims=True)
        self.grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dW3": dW3, "db3": db3}
        return self.grads

    def update(self):
        self.parameters = {
            key: value - self.learning_rate * self.grads["d" + key]
            for key, value in self.parameters.items()
        }

    def fit(self, X, y, epochs, batch_size, validation=None, seed=0):
        history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        Y = one_hot(y, self.n_y)
        self.n = X.shape[1]
        with tqdm(total=epochs, desc="training") as bar:
            for epoch in range(epochs):
                for X_b, Y_b in random_mini_batches(X, Y, batch_size, seed=seed + epoch):
                    self.forward(X_b)
                    self.backward(Y_b)
                    self.update()
                P = self.predict_proba(X)
                history["loss"].append(compute_cost(P, Y, self.parameters, self.lambd))
                history["accuracy"].append(float(np.mean(P.argmax(axis=0) == y)))
                if validation:
                    X_v, y_v = validation
                    P_v = self.predict_proba(X_v)
                    Y_v = one_hot(y_v, self.n_y)
                    # lambd scaled so that compute_cost's lambd / (2 m_val) is lambd / (2 n)
                    lambd_v = self.lambd * X_v.shape[1] / self.n
                    history["val_loss"].append(compute_cost(P_v, Y_v, self.parameters, lambd_v))
                    history["val_accuracy"].append(float(np.mean(P_v.argmax(axis=0) == y_v)))
                bar.set_postfix(loss=round(history["loss"][-1], 4))
                bar.update(1)
        return history

    def predict_proba(self, X):
        return self.forward(X)

    def predict(self, X):
        return np.argmax(self.forward(X), axis=0)
""",
    },
}

MISTAKES = {
    "mistake-one-hot-transposed": Mistake(
        {
            "one_hot": """
def one_hot(y, num_classes=10):
    Y = np.zeros((len(y), num_classes))
    Y[np.arange(len(y)), y] = 1.0
    return Y
"""
        },
        says="one column per example (the course's layout)",
    ),
    "mistake-softmax-wrong-axis": Mistake(
        {
            "softmax": """
def softmax(Z):
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    return E / np.sum(E, axis=1, keepdims=True)
"""
        },
        says="but its rows sum to 1",
    ),
    # Right for scores of everyday size, which is why the public check tries 1000.
    "mistake-softmax-unstable": Mistake(
        {
            "softmax": """
def softmax(Z):
    return np.exp(Z) / np.sum(np.exp(Z), axis=0, keepdims=True)
"""
        },
        says="overflow encountered in exp",
    ),
    # Xavier's scale, sqrt(1 / n), where ReLU layers want He's sqrt(2 / n).
    "mistake-init-xavier": Mistake(
        {
            "initialize_parameters": """
def initialize_parameters(layer_dims, seed=0):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(1 / layer_dims[l - 1])
        parameters[f"W{l}"], parameters[f"b{l}"] = W, np.zeros((layer_dims[l], 1))
    return parameters
"""
        },
        says="with a standard deviation of about sqrt(2 / 400)",
    ),
    "mistake-cost-without-l2": Mistake(
        {
            "compute_cost": """
def compute_cost(AL, Y, parameters, lambd=0.0):
    return float(-np.sum(Y * np.log(AL)) / Y.shape[1])
"""
        },
        says="The L2 term is lambd / (2 m) times the sum of the squares of every W",
    ),
    # The same class whose fit computes its history with the student's own compute_cost, which
    # forgets the L2 term: compute_cost's points only; fit's are judged with the reference's.
    "mistake-own-cost-in-fit": Mistake(
        {
            "compute_cost": """
def compute_cost(AL, Y, parameters, lambd=0.0):
    return float(-np.sum(Y * np.log(AL)) / Y.shape[1])
""",
            "NeuralNetwork": PER_LAYER_CACHES,
        },
        says="The L2 term is lambd / (2 m) times the sum of the squares of every W",
        loses=("compute_cost",),
    ),
    "mistake-forward-forgets-the-bias": Mistake(
        {
            "NeuralNetwork": _class_with(
                'Z = self.parameters[f"W{l}"] @ A + self.parameters[f"b{l}"]',
                'Z = self.parameters[f"W{l}"] @ A',
            )
        },
        says='self.cache["Z2"]',
        loses=("NeuralNetwork.forward",),
    ),
    # The penalty is in the cost but not in its gradient.
    "mistake-backward-without-l2": Mistake(
        {
            "NeuralNetwork": _class_with(
                "            if self.lambd:  # at lambda = 0, two passes over W for nothing\n"
                '                grads[f"dW{l}"] += self.lambd / n * W\n',
                "",
            )
        },
        says="dW[l] = dZ[l] A[l-1]^T + lambd / n * W[l]",
        loses=("NeuralNetwork.backward",),
    ),
    "mistake-update-forgets-the-biases": Mistake(
        {
            "NeuralNetwork": _class_with(
                "for key, parameter in self.parameters.items():\n",
                'for key, parameter in [(k, p) for k, p in self.parameters.items() if "W" in k]:\n',
            )
        },
        says='self.parameters["b1"]',
        loses=("NeuralNetwork.update",),
    ),
    # One step per epoch on the whole training set: batch_size is ignored.
    "mistake-fit-one-step-per-epoch": Mistake(
        {
            "NeuralNetwork": _class_with(
                "for first in range(0, m, batch_size):\n"
                "                batch = permutation[first : first + batch_size]\n",
                "for first in [0]:\n                batch = permutation\n",
            )
        },
        says='history["loss"] should fall',
        loses=("NeuralNetwork.fit",),
    ),
    # scikit-learn's layout: one row per example.
    "mistake-predict-proba-rows": Mistake(
        {
            "NeuralNetwork": _class_with(
                "probabilities = self.forward(X)", "probabilities = self.forward(X).T"
            )
        },
        says="one row per example, scikit-learn's layout",
        loses=("NeuralNetwork.predict_proba",),
    ),
    "mistake-predict-probabilities": Mistake(
        {
            "NeuralNetwork": _class_with(
                "labels = np.argmax(self.predict_proba(X), axis=0)",
                "labels = self.predict_proba(X)",
            )
        },
        says="take the argmax of the probabilities over the classes",
        loses=("NeuralNetwork.predict",),
    ),
}
