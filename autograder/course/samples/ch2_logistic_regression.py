"""Sample submissions of chapter 2, logistic regression ("is it a 7?")."""

from . import Mistake

ALTERNATIVES = {
    # Explicit loops over the examples, as a student might write before vectorizing: right on the
    # hidden tests' small inputs, far too slow for 2,000 iterations over 8,000 images.
    "alt-loops": {
        "initialize_with_zeros": """
def initialize_with_zeros(dim):
    w = np.zeros(shape=(dim, 1), dtype=np.float64)
    b = float(0)
    return w, b
""",
        "propagate": """
import math

def propagate(w, b, X, Y):
    n_x, m = X.shape
    dw = np.zeros((n_x, 1))
    db = 0.0
    cost = 0.0
    for i in range(m):
        z = float(np.dot(w[:, 0], X[:, i])) + b
        a = sigmoid(z)
        y = Y[0, i]
        cost -= y * math.log(a) + (1 - y) * math.log(1 - a)
        dw[:, 0] += (a - y) * X[:, i]
        db += a - y
    return {"dw": dw / m, "db": db / m}, cost / m
""",
        "predict": """
def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    for i in range(m):
        if sigmoid(float(np.dot(w[:, 0], X[:, i])) + b) >= 0.5:
            Y_prediction[0, i] = 1.0
    return Y_prediction
""",
    },
    # `@`, the textbook cost (it warns once predictions saturate), in-place updates, a strict
    # threshold, and the result dict built with dict().
    "alt-matmul-plain-cost": {
        "propagate": """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = X @ (A - Y).T / m
    db = np.mean(A - Y)
    return {"dw": dw, "db": float(db)}, float(cost)
""",
        "optimize": """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w = w.copy()
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w -= learning_rate * grads["dw"]
        b -= learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))
    return {"w": w, "b": b}, grads, costs
""",
        "predict": """
def predict(w, b, X):
    return np.where(sigmoid(w.T @ X + b) > 0.5, 1.0, 0.0)
""",
        "model": """
def model(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(
        w, b, X_train, Y_train,
        num_iterations=num_iterations, learning_rate=learning_rate, print_cost=print_cost,
    )
    return dict(
        costs=costs,
        Y_prediction_test=predict(params["w"], params["b"], X_test),
        Y_prediction_train=predict(params["w"], params["b"], X_train),
        w=params["w"],
        b=params["b"],
        learning_rate=learning_rate,
        num_iterations=num_iterations,
    )
""",
    },
    # A cost clipped away from log(0), gradients divided by m, a while loop, and a prediction
    # rounded from the probability. (A gradient from np.sum(X * (A - Y), axis=1) is right too,
    # but makes the MNIST training take about the whole 30 s cell limit of the tests.)
    "alt-clip-and-round": {
        "propagate": """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    A_safe = np.clip(A, 1e-300, 1 - 1e-16)
    cost = (-1 / m) * np.sum(Y * np.log(A_safe) + (1 - Y) * np.log(1 - A_safe))
    dw = np.dot(X, (A - Y).T) / m
    db = np.sum(A - Y) / m
    return {"dw": dw, "db": db}, cost
""",
        "optimize": """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    i = 0
    while i < num_iterations:
        grads, cost = propagate(w, b, X, Y)
        if i % 100 == 0:
            costs.append(cost)
        w = w - grads["dw"] * learning_rate
        b = b - grads["db"] * learning_rate
        i += 1
    return {"w": w, "b": b}, grads, costs
""",
        "predict": """
def predict(w, b, X):
    return np.round(sigmoid(np.dot(w.T, X) + b))
""",
    },
    # As the well-known public assignment with these names has students write it: a bias of
    # int 0, the cost squeezed into a 0-d array, gradients as 1/m * ..., copy.deepcopy of the
    # parameters, and a prediction made in a loop with a strict threshold.
    "alt-dlai-template": {
        "initialize_with_zeros": """
def initialize_with_zeros(dim):
    w = np.zeros((dim, 1))
    b = 0
    return w, b
""",
        "propagate": """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)
    cost = np.squeeze(np.array(cost))
    grads = {"dw": dw, "db": db}
    return grads, cost
""",
        "optimize": """
import copy

def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w = copy.deepcopy(w)
    b = copy.deepcopy(b)
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))
    params = {"w": w, "b": b}
    grads = {"dw": dw, "db": db}
    return params, grads, costs
""",
        "predict": """
def predict(w, b, X):
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    w = w.reshape(X.shape[0], 1)
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(A.shape[1]):
        if A[0, i] > 0.5:
            Y_prediction[0, i] = 1
        else:
            Y_prediction[0, i] = 0
    return Y_prediction
""",
        "model": """
def model(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(
        w, b, X_train, Y_train, num_iterations, learning_rate, print_cost
    )
    w = params["w"]
    b = params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)
    if print_cost:
        train_error = np.mean(np.abs(Y_prediction_train - Y_train))
        test_error = np.mean(np.abs(Y_prediction_test - Y_test))
        print("train accuracy: {} %".format(100 - train_error * 100))
        print("test accuracy: {} %".format(100 - test_error * 100))
    d = {
        "costs": costs,
        "Y_prediction_test": Y_prediction_test,
        "Y_prediction_train": Y_prediction_train,
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }
    return d
""",
    },
    # Examples in rows first (X.T @ w), np.matmul, the sigmoid written inline, the cost as
    # np.dot(Y, log(A).T) squeezed to a NumPy float, db = np.mean(A - Y), a prediction as
    # (A > 0.5) * 1.0, and a model that makes its own zeros, with a float 0 bias.
    "alt-rows-first": {
        "propagate": """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = (1 / (1 + np.exp(-(np.matmul(X.T, w) + b)))).T
    cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
    dw = np.matmul(A - Y, X.T).T / m
    db = np.mean(A - Y)
    return {"dw": dw, "db": db}, np.squeeze(cost)[()]
""",
        "predict": """
def predict(w, b, X):
    A = sigmoid(X.T @ w + b).T
    return (A > 0.5) * 1.0
""",
        "model": """
def model(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False
):
    w, b = np.zeros((X_train.shape[0], 1)), 0.0
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    return {
        "costs": costs,
        "Y_prediction_test": predict(params["w"], params["b"], X_test),
        "Y_prediction_train": predict(params["w"], params["b"], X_train),
        "w": params["w"],
        "b": params["b"],
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }
""",
    },
    # A comparison gives booleans: the same values as 0.0 and 1.0, and right whatever the
    # dtype (issue 34; this was a mistake that lost predict's points before).
    "alt-predict-booleans": {
        "predict": """
def predict(w, b, X):
    return sigmoid(np.dot(w.T, X) + b) >= 0.5
""",
    },
}

# Its MNIST training cells run out of time (about 2 minutes each): the feedback says so, and
# the functions keep their points.
TOO_SLOW = {"alt-loops"}

MISTAKES = {
    # dJ/db = mean(A - Y); the sign flipped sends b the wrong way.
    "db-sign-error": Mistake(
        {
            "propagate": """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
    dw = np.dot(X, (A - Y).T) / m
    db = float(np.sum(Y - A) / m)
    return {"dw": dw, "db": db}, cost
""",
        },
        says='grads["db"] should be 0.0625, got -0.0625. db is the mean of A - Y',
    ),
    # Sums instead of means: the gradient and the cost grow with m.
    "missing-one-over-m": Mistake(
        {
            "propagate": """
def propagate(w, b, X, Y):
    A = sigmoid(np.dot(w.T, X) + b)
    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    dw = np.dot(X, (A - Y).T)
    db = float(np.sum(A - Y))
    return {"dw": dw, "db": db}, cost
""",
        },
        says='grads["dw"]: 2 of 2 values are wrong; at index (0, 0) expected 0.375',
    ),
    # (A - Y) X^T has shape (1, n_x), the transpose of w.
    "dw-transposed": Mistake(
        {
            "propagate": """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
    dw = np.dot(A - Y, X.T) / m
    db = float(np.sum(A - Y) / m)
    return {"dw": dw, "db": db}, cost
""",
        },
        says='grads["dw"] of shape (2, 1) (the shape of w), got shape (1, 2).',
    ),
    # The cost as a product of rows: a (1, 1) array, never turned into a number.
    "cost-not-squeezed": Mistake(
        {
            "propagate": """
def propagate(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -(np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T)) / m
    dw = np.dot(X, (A - Y).T) / m
    db = float(np.sum(A - Y) / m)
    return {"dw": dw, "db": db}, cost
""",
        },
        says="should return the cost as a number, got a numpy array of shape (1, 1)",
    ),
    # np.zeros(dim) is a flat vector of shape (dim,), not a column.
    "w-flat-vector": Mistake(
        {
            "initialize_with_zeros": """
def initialize_with_zeros(dim):
    return np.zeros(dim), 0.0
""",
        },
        says="initialize_with_zeros(2) should return w of shape (2, 1), got shape (2,).",
    ),
    "costs-every-iteration": Mistake(
        {
            "optimize": """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        costs.append(cost)
    return {"w": w, "b": b}, grads, costs
""",
        },
        says="should return costs holding 3 costs (at iterations 0, 100 and 200",
    ),
    "b-never-updated": Mistake(
        {
            "optimize": """
def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, grads, costs
""",
        },
        says='params["b"] should be -0.00625, got 0. One step is b = b - learning_rate',
    ),
    "predict-flat": Mistake(
        {
            "predict": """
def predict(w, b, X):
    return (sigmoid(np.dot(w.T, X) + b) >= 0.5).astype(float).ravel()
""",
        },
        says="should return shape (1, 3), got shape (3,).",
    ),
    "model-ignores-num-iterations": Mistake(
        {
            "model": """
def model(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, 2000, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }
""",
        },
        says='should return d["costs"] holding 3 costs',
    ),
    "model-wrong-keys": Mistake(
        {
            "model": """
def model(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(
        w, b, X_train, Y_train, num_iterations, learning_rate, print_cost
    )
    return {
        "costs": costs,
        "predictions_test": predict(params["w"], params["b"], X_test),
        "predictions_train": predict(params["w"], params["b"], X_train),
        "params": params,
    }
""",
        },
        says="should return a dict with the keys ['Y_prediction_test', ",
    ),
    # Trains at the default rate whatever it is given: the public checks (which train at 0.5)
    # cannot tell; the hidden ones say which part of the result differs, and by how much.
    "model-ignores-learning-rate": Mistake(
        {
            "model": """
def model(
    X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False
):
    w, b = initialize_with_zeros(X_train.shape[0])
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, 0.5, print_cost)
    w, b = params["w"], params["b"]
    return {
        "costs": costs,
        "Y_prediction_test": predict(w, b, X_test),
        "Y_prediction_train": predict(w, b, X_train),
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }
""",
        },
        says='["costs"][1] should be the reference solution\'s value, but differs from it by',
        hidden=True,
    ),
}
