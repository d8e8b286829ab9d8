"""Sample submissions of chapter 5, feature scaling and the shape of the loss surface."""

from . import Mistake

ALTERNATIVES = {
    # Everything by hand: the population std from its definition (dividing by m), a constant
    # feature found by its std of exactly 0, loops over the grid calling propagate, and the cost
    # compared with the previous iteration's at the top of the loop (it counts from 0).
    "alt-by-hand-loops": {
        "standardize_fit": """
def standardize_fit(X):
    m = X.shape[1]
    mean = X.sum(axis=1, keepdims=True) / m
    std = np.sqrt(((X - mean) ** 2).sum(axis=1, keepdims=True) / m)
    std[std == 0] = 1.0
    return mean, std
""",
        "standardize_apply": """
def standardize_apply(X, mean, std):
    X_scaled = np.empty_like(X, dtype=float)
    for j in range(X.shape[0]):
        X_scaled[j, :] = (X[j, :] - mean[j, 0]) / std[j, 0]
    return X_scaled
""",
        "min_max_scale": """
def min_max_scale(X):
    X_scaled = np.zeros(X.shape)
    for j in range(X.shape[0]):
        low, high = X[j].min(), X[j].max()
        if high > low:
            X_scaled[j] = (X[j] - low) / (high - low)
    return X_scaled
""",
        "loss_surface": """
def loss_surface(X, Y, w1_values, w2_values):
    costs = np.zeros((len(w2_values), len(w1_values)))
    for j, w2 in enumerate(w2_values):
        for i, w1 in enumerate(w1_values):
            _, cost = propagate(np.array([[w1], [w2]]), 0.0, X, Y)
            costs[j, i] = cost
    return costs
""",
        "iterations_to_converge": """
def iterations_to_converge(X, Y, learning_rate, tol=1e-6, max_iterations=100_000):
    w, b = np.zeros((X.shape[0], 1)), 0.0
    previous = None
    for i in range(max_iterations):
        grads, cost = propagate(w, b, X, Y)
        if previous is not None and previous - cost < tol:
            return i
        previous = cost
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return max_iterations
""",
    },
    # Library forms: np.var with ddof=0 spelt out, np.ptp for the constant test, np.divide, the
    # grid as a (k2, k1, 2) stack of weight vectors times X with @ and the textbook cost (clipped
    # away from log 0), and gradient descent written out with @ (no propagate), stopping on the
    # absolute change of the cost or a rise.
    "alt-broadcast-matmul": {
        "standardize_fit": """
def standardize_fit(X):
    mean = X.mean(axis=1).reshape(-1, 1)
    std = np.var(X, axis=1, ddof=0).reshape(-1, 1) ** 0.5
    std = np.where(np.ptp(X, axis=1).reshape(-1, 1) == 0, 1.0, std)
    return mean, std
""",
        "standardize_apply": """
def standardize_apply(X, mean, std):
    return np.divide(np.subtract(X, mean), std)
""",
        "min_max_scale": """
def min_max_scale(X):
    low = X.min(axis=1, keepdims=True)
    spread = np.ptp(X, axis=1, keepdims=True)
    return np.divide(X - low, spread, out=np.zeros(X.shape), where=spread != 0)
""",
        "loss_surface": """
def loss_surface(X, Y, w1_values, w2_values):
    W1, W2 = np.meshgrid(w1_values, w2_values)
    weights = np.stack([W1, W2], axis=-1)  # (k2, k1, 2)
    A = 1 / (1 + np.exp(-(weights @ X)))  # (k2, k1, m)
    A = np.clip(A, 1e-15, 1 - 1e-15)
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A), axis=-1)
""",
        "iterations_to_converge": """
def iterations_to_converge(X, Y, learning_rate, tol=1e-6, max_iterations=100_000):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0

    def cost_of(w, b):
        Z = w.T @ X + b
        return float(np.mean(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)))

    cost = cost_of(w, b)
    count = 0
    while count < max_iterations:
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        w = w - learning_rate * (X @ (A - Y).T) / m
        b = b - learning_rate * np.mean(A - Y)
        count += 1
        new_cost = cost_of(w, b)
        if abs(cost - new_cost) < tol or new_cost > cost:
            break
        cost = new_cost
    return count
""",
    },
}

MISTAKES = {
    # One mean and one std for the whole matrix: the features keep their unequal scales.
    "global-statistics": Mistake(
        {
            "standardize_fit": """
def standardize_fit(X):
    mean = np.mean(X)
    std = np.std(X)
    return mean, std
""",
        },
        says="should return mean as a numpy array of shape (3, 1), one per feature (row)",
    ),
    # np.std of a constant feature is 0: standardize_apply would then give 0 / 0 = NaN.
    "constant-feature-nan": Mistake(
        {
            "standardize_fit": """
def standardize_fit(X):
    return np.mean(X, axis=1, keepdims=True), np.std(X, axis=1, keepdims=True)
""",
        },
        says="should return std 1.0 for the constant feature",
    ),
    # The test set standardized with its own statistics: the mean and std given are ignored.
    "test-set-own-statistics": Mistake(
        {
            "standardize_apply": """
def standardize_apply(X, mean, std):
    mean = np.mean(X, axis=1, keepdims=True)
    std = np.std(X, axis=1, keepdims=True)
    return (X - mean) / np.where(std == 0, 1.0, std)
""",
        },
        says="Use the mean and std you are given (the training set's)",
    ),
    # The minimum and maximum of each example (column) instead of each feature (row).
    "wrong-axis": Mistake(
        {
            "min_max_scale": """
def min_max_scale(X):
    low = X.min(axis=0, keepdims=True)
    spread = X.max(axis=0, keepdims=True) - low
    return (X - low) / np.where(spread == 0, 1.0, spread)
""",
        },
        says="Each feature (row) has its own minimum and maximum",
    ),
    # indexing="ij" puts w1 along the rows: the transpose of what plt.contour reads.
    "transposed-surface": Mistake(
        {
            "loss_surface": """
def loss_surface(X, Y, w1_values, w2_values):
    W1, W2 = np.meshgrid(w1_values, w2_values, indexing="ij")
    Z = W1[:, :, None] * X[0] + W2[:, :, None] * X[1]
    return np.mean(Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z), axis=2)
""",
        },
        says="row j holds w2_values[j] and column i holds w1_values[i]",
    ),
    # Waits for the cost itself to fall below tol, which the cost of overlapping classes never
    # does: it always runs max_iterations.
    "absolute-cost": Mistake(
        {
            "iterations_to_converge": """
def iterations_to_converge(X, Y, learning_rate, tol=1e-6, max_iterations=100_000):
    w, b = np.zeros((X.shape[0], 1)), 0.0
    for iteration in range(1, max_iterations + 1):
        grads, cost = propagate(w, b, X, Y)
        if cost < tol:
            return iteration
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return max_iterations
""",
        },
        says="should be 1, got 1000",
    ),
}
