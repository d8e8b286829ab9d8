"""Sample submissions of chapter 3, gradients and gradient descent."""

from . import Mistake

# The start of a mini-batcher that validates its input as it should: the two mistakes of
# random_mini_batches share it, and differ only in how they shuffle and cut.
VALIDATED_MINI_BATCHER = """
def random_mini_batches(X, Y, batch_size=64, seed=0):
    m = X.shape[1]
    if Y.shape[1] != m:
        raise ValueError(f"X has {m} examples but Y has {Y.shape[1]}")
    if batch_size < 1:
        raise ValueError(f"batch_size should be at least 1, got {batch_size}")
"""

ALTERNATIVES = {
    # The numerical gradient for all entries at once, from the rows of eps times the identity;
    # the norms written out; a path kept as a list of new arrays; a mini-batcher that shuffles a
    # copy of the stacked data (a different, equally valid shuffle) and says what is wrong with
    # its inputs in other words than the notebook's (the argument's name with a space, the
    # shapes: the literal batch_size was required before issue 34); batches indexed by number.
    "alt-vectorized-shuffled-copy": {
        "numerical_gradient": """
def numerical_gradient(f, x, eps=1e-5):
    x = np.asarray(x, dtype=float)
    steps = eps * np.eye(x.size).reshape((x.size,) + x.shape)
    slopes = [(f(x + step) - f(x - step)) / (2 * eps) for step in steps]
    return np.array(slopes, dtype=float).reshape(x.shape)
""",
        "gradient_check": """
def gradient_check(f, grad_f, x, eps=1e-5):
    g_num = numerical_gradient(f, x, eps)
    g = grad_f(x)
    numerator = np.sqrt(np.sum((g_num - g) ** 2))
    denominator = np.sqrt(np.sum(g_num**2)) + np.sqrt(np.sum(g**2))
    return numerator / denominator
""",
        "gradient_descent": """
def gradient_descent(grad_f, x0, learning_rate, num_iterations):
    points = [np.array(x0, dtype=float)]
    for _ in range(num_iterations):
        points.append(points[-1] - learning_rate * grad_f(points[-1]))
    return np.stack(points)
""",
        "random_mini_batches": """
import math

def random_mini_batches(X, Y, batch_size=64, seed=0):
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"the shapes of X and Y disagree: {X.shape} and {Y.shape}")
    if batch_size <= 0:
        raise ValueError(f"the batch size must be positive, got {batch_size}")
    n_x = X.shape[0]
    data = np.vstack([X, Y]).T.copy()
    np.random.default_rng(seed).shuffle(data)
    data = data.T
    batches = []
    for k in range(math.ceil(data.shape[1] / batch_size)):
        part = data[:, k * batch_size : (k + 1) * batch_size]
        batches.append((part[:n_x], part[n_x:]))
    return batches
""",
        "minibatch_gradient_descent": """
def minibatch_gradient_descent(X, Y, batch_size, learning_rate, num_epochs, seed=0):
    params = {"w": np.zeros((X.shape[0], 1)), "b": 0}
    costs = []
    for epoch in range(num_epochs):
        batches = random_mini_batches(X, Y, batch_size, seed=seed + epoch)
        for k in range(len(batches)):
            grads, cost = propagate(params["w"], params["b"], batches[k][0], batches[k][1])
            params["w"] -= learning_rate * grads["dw"]
            params["b"] -= learning_rate * grads["db"]
        _, cost = propagate(params["w"], params["b"], X, Y)
        costs.append(np.squeeze(cost))
    return params, costs
""",
    },
    # As the well-known public assignments write them: np.nditer over x changed in place and
    # restored, a relative error with the other common denominator (the larger norm), a path
    # preallocated and filled while x changes in place, a permutation-indexed mini-batcher that
    # cuts its full batches first and then the rest.
    "alt-nditer-in-place": {
        "numerical_gradient": """
def numerical_gradient(f, x, eps=1e-5):
    x = x.astype(float).copy()
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old_value = x[ix]
        x[ix] = old_value + eps
        fxph = f(x)
        x[ix] = old_value - eps
        fxmh = f(x)
        x[ix] = old_value
        grad[ix] = (fxph - fxmh) / (2 * eps)
        it.iternext()
    return grad
""",
        "gradient_check": """
def gradient_check(f, grad_f, x, eps=1e-5):
    g_num = numerical_gradient(f, x, eps)
    g = grad_f(x)
    return np.linalg.norm(g_num - g) / max(np.linalg.norm(g_num), np.linalg.norm(g))
""",
        "gradient_descent": """
def gradient_descent(grad_f, x0, learning_rate, num_iterations):
    x = x0.copy()
    path = np.zeros((num_iterations + 1, len(x0)))
    path[0, :] = x
    for i in range(1, num_iterations + 1):
        x -= learning_rate * grad_f(x)
        path[i, :] = x
    return path
""",
        "random_mini_batches": """
import math

def random_mini_batches(X, Y, batch_size=64, seed=0):
    m = X.shape[1]
    if Y.shape[1] != m:
        raise ValueError("X and Y have different numbers of examples: %d and %d" % (m, Y.shape[1]))
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1, got %d" % batch_size)
    rng = np.random.default_rng(seed)
    permutation = list(rng.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    mini_batches = []
    num_complete_minibatches = math.floor(m / batch_size)
    for k in range(0, num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * batch_size : (k + 1) * batch_size]
        mini_batch_Y = shuffled_Y[:, k * batch_size : (k + 1) * batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * batch_size :]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * batch_size :]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches
""",
    },
}

MISTAKES = {
    # (f(x + eps) - f(x)) / eps: right to O(eps), not O(eps^2).
    "forward-differences": Mistake(
        {
            "numerical_gradient": """
def numerical_gradient(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x)
    for i in np.ndindex(x.shape):
        kept = x[i]
        x[i] = kept + eps
        grad[i] = (f(x) - fx) / eps
        x[i] = kept
    return grad
""",
        },
        says="Use central differences, (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)",
    ),
    # ||g_num - g|| alone grows and shrinks with f: a right gradient of a large f fails it, a
    # wrong gradient of a small f passes it.
    "check-without-denominator": Mistake(
        {
            "gradient_check": """
def gradient_check(f, grad_f, x, eps=1e-5):
    return float(np.linalg.norm(numerical_gradient(f, x, eps) - grad_f(x)))
""",
        },
        says="The relative error is ||g_num - g|| / (||g_num|| + ||g||): without the "
        "denominator, the error grows with the size of f.",
    ),
    # w + alpha dw climbs the cost.
    "gradient-ascent": Mistake(
        {
            "minibatch_gradient_descent": """
def minibatch_gradient_descent(X, Y, batch_size, learning_rate, num_epochs, seed=0):
    w, b = np.zeros((X.shape[0], 1)), 0.0
    costs = []
    for epoch in range(num_epochs):
        for X_batch, Y_batch in random_mini_batches(X, Y, batch_size, seed + epoch):
            grads, _ = propagate(w, b, X_batch, Y_batch)
            w = w + learning_rate * grads["dw"]
            b = b + learning_rate * grads["db"]
        costs.append(propagate(w, b, X, Y)[1])
    return {"w": w, "b": b}, costs
""",
        },
        says="expected 0.375, got -0.375. Start from w = 0 and b = 0 and step against the "
        "gradient: w = w - alpha dw.",
    ),
    # m // batch_size full batches and nothing else: the last m % batch_size examples are
    # never trained on.
    "last-batch-dropped": Mistake(
        {
            "random_mini_batches": VALIDATED_MINI_BATCHER
            + """    permutation = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, permutation], Y[:, permutation]
    return [
        (X[:, k * batch_size : (k + 1) * batch_size], Y[:, k * batch_size : (k + 1) * batch_size])
        for k in range(m // batch_size)
    ]
""",
        },
        says="should return 3 mini-batches of sizes [4, 4, 2] (every example exactly once, the "
        "last batch smaller when batch_size does not divide m), got 2 of sizes [4, 4].",
        loses=("random_mini_batches",),  # its input checks are right: it keeps their point
    ),
    # The labels stay in their original order while the images move.
    "x-shuffled-without-y": Mistake(
        {
            "random_mini_batches": VALIDATED_MINI_BATCHER
            + """    X = X[:, np.random.default_rng(seed).permutation(m)]
    return [(X[:, k : k + batch_size], Y[:, k : k + batch_size]) for k in range(0, m, batch_size)]
""",
        },
        says="the labels no longer belong to their examples. Shuffle X and Y with the same "
        "permutation",
        loses=("random_mini_batches",),  # its input checks are right: it keeps their point
    ),
    # As deeplearning.ai's optimization assignment writes it (its names, this signature): a right
    # shuffled partition, drawn with np.random.seed, that checks none of its inputs. It loses the
    # point of the input checks only; the partition keeps its two (all three were lost before).
    "no-input-checks": Mistake(
        {
            "random_mini_batches": """
import math

def random_mini_batches(X, Y, batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    mini_batches = []
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((Y.shape[0], m))
    num_complete_minibatches = math.floor(m / batch_size)
    for k in range(0, num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * batch_size : (k + 1) * batch_size]
        mini_batch_Y = shuffled_Y[:, k * batch_size : (k + 1) * batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * batch_size :]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * batch_size :]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches
""",
        },
        says="should raise ValueError, but raised ZeroDivisionError",
        loses=("random_mini_batches (input checks)",),
    ),
    # x -= ... changes the one array the list holds again and again: every row is the last x.
    "path-aliasing": Mistake(
        {
            "gradient_descent": """
def gradient_descent(grad_f, x0, learning_rate, num_iterations):
    x = x0
    path = [x]
    for _ in range(num_iterations):
        x -= learning_rate * grad_f(x)
        path.append(x)
    return np.array(path)
""",
        },
        says="every row of the path is the same point, the last one.",
    ),
}
