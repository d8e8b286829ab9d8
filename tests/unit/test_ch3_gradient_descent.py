"""Chapter 3, gradient descent, beyond what test_chapters.py checks of every chapter: the
reference reaches the chapter's targets, and the finer points of its checks."""

import numpy as np
import pytest
from support import REPO, failure, hidden_verdict

from autograder.course.reference import load_reference
from autograder.course.samples import sample_module
from nnscratch.chapter import read_chapter
from nnscratch.checks import ch3_gradient_descent as checks
from nnscratch.checks._errors import says_what_is_wrong

ASSIGNMENT = "ch3_gradient_descent"
SAMPLES = sample_module(ASSIGNMENT)


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


def accuracy(w, b, X, Y):
    return float(np.mean(((w.T @ X + b) > 0) == Y))


# The reference reaches the chapter's targets.


def test_the_reference_gradient_check_of_propagate_is_below_1e_minus_7(ref, mnist):
    X, Y = mnist[0][:, :200], mnist[1][:, :200]
    theta = np.random.default_rng(1).normal(0.0, 0.01, size=X.shape[0] + 1)

    def cost(theta):
        return ref.propagate(theta[:-1].reshape(-1, 1), theta[-1], X, Y)[1]

    def gradient(theta):
        grads = ref.propagate(theta[:-1].reshape(-1, 1), theta[-1], X, Y)[0]
        return np.append(grads["dw"].ravel(), grads["db"])

    assert ref.gradient_check(cost, gradient, theta) < 1e-7
    # ... and the planted bug of the notebook, dw without its 1/m, is far above 1e-3.
    assert (
        ref.gradient_check(cost, lambda t: gradient(t) * np.r_[np.full(784, 200.0), 1], theta) > 0.5
    )


def test_mini_batches_reach_98_percent_in_fewer_passes_than_batch_descent(ref, mnist):
    X_train, Y_train, X_test, Y_test = mnist
    params, costs = ref.minibatch_gradient_descent(X_train, Y_train, 256, 0.5, 2, seed=0)
    assert accuracy(params["w"], params["b"], X_test, Y_test) >= 0.98
    assert len(costs) == 2 and costs[1] < costs[0] < np.log(2)
    # Batch descent: one step per pass. After 10 passes it is still short of 98 %.
    full, _ = ref.minibatch_gradient_descent(X_train, Y_train, X_train.shape[1], 0.5, 10, seed=0)
    assert accuracy(full["w"], full["b"], X_test, Y_test) < 0.98


def test_batch_descent_first_reaches_98_percent_after_the_47_passes_the_page_states(mnist):
    X_train, Y_train, X_test, Y_test = mnist
    ch2_ref = load_reference("ch2_logistic_regression")
    w, b, accuracies = np.zeros((X_train.shape[0], 1)), 0.0, []
    for _ in range(80):
        grads, _ = ch2_ref.propagate(w, b, X_train, Y_train)
        w, b = w - 0.5 * grads["dw"], b - 0.5 * grads["db"]
        accuracies.append(accuracy(w, b, X_test, Y_test))
    passes = 1 + int(np.argmax(np.array(accuracies) >= 0.98))
    assert passes == 47 and max(accuracies) >= 0.98


def test_full_batch_epochs_are_the_steps_of_optimize_and_the_page_compares_the_right_costs(
    ref, mnist
):
    # The end-of-chapter exercise: B = m for 10 epochs against chapter 2's optimize for 10
    # iterations. optimize records its cost before each 100th update, so after 10 iterations its
    # costs hold only log 2; the page compares the costs after the last update, about 0.125.
    X_train, Y_train = mnist[0], mnist[1]
    ch2_ref = load_reference("ch2_logistic_regression")
    params, costs = ref.minibatch_gradient_descent(X_train, Y_train, X_train.shape[1], 0.5, 10)
    optimized, _, optimize_costs = ch2_ref.optimize(
        np.zeros((X_train.shape[0], 1)), 0.0, X_train, Y_train, 10, 0.5
    )
    assert optimize_costs == [pytest.approx(np.log(2))]
    assert np.max(np.abs(params["w"] - optimized["w"])) < 1e-15
    final = ch2_ref.propagate(optimized["w"], optimized["b"], X_train, Y_train)[1]
    assert costs[-1] == pytest.approx(final, abs=1e-15)
    assert round(final, 3) == 0.125


def test_sgd_at_the_others_rate_stays_above_0_2_which_is_why_the_page_runs_it_at_0_05(mnist):
    # The batch-size figure: batch size 1 at learning rate 0.05, the others at 0.5, with the
    # page's draws; its text gives the cost after each of 5 passes for both rates.
    X_rows, y_row = np.ascontiguousarray(mnist[0].T), mnist[1][0]
    m = X_rows.shape[0]
    draws = np.random.default_rng(2).integers(0, m, size=5 * m)
    after_each_pass = {}
    for rate in (0.5, 0.05):
        w, b, costs = np.zeros(X_rows.shape[1]), 0.0, []
        for step, row in enumerate(draws, start=1):
            error = 1 / (1 + np.exp(-(X_rows[row] @ w + b))) - y_row[row]
            w, b = w - rate * error * X_rows[row], b - rate * error
            if step % m == 0:
                z = X_rows @ w + b
                costs.append(
                    np.mean(y_row * np.logaddexp(0, -z) + (1 - y_row) * np.logaddexp(0, z))
                )
        after_each_pass[rate] = np.array(costs)
    assert np.all(after_each_pass[0.5] > 0.2)
    assert np.all((0.04 < after_each_pass[0.05]) & (after_each_pass[0.05] < 0.08))


def steps_to_divide_the_error_by_1000(curvatures, learning_rate, momentum):
    """Heavy-ball steps on the bowl diag(curvatures) until the error stays below 1/1000."""
    x, v, last_above = np.ones(len(curvatures)), 0.0, 0
    start = np.linalg.norm(x)
    for step in range(1, 10_000):
        v = momentum * v - learning_rate * curvatures * x
        x = x + v
        if np.linalg.norm(x) > start / 1000:
            last_above = step
    return last_above + 1


@pytest.mark.parametrize("kappa, plain, heavy_ball", [(10, 35, (14, 16)), (1000, 3454, (150, 205))])
def test_momentum_makes_the_step_count_grow_like_the_root_of_kappa(kappa, plain, heavy_ball):
    # The page's paragraph on momentum: about 15 steps instead of 35 at kappa = 10, about 200
    # instead of about 3,450 at kappa = 1,000, each with its best learning rate and momentum.
    curvatures = np.array([float(kappa), 1.0])
    assert steps_to_divide_the_error_by_1000(curvatures, 2 / (kappa + 1), 0.0) == plain
    root = np.sqrt(kappa)
    rate, momentum = 4 / (root + 1) ** 2, ((root - 1) / (root + 1)) ** 2
    low, high = heavy_ball
    assert low <= steps_to_divide_the_error_by_1000(curvatures, rate, momentum) <= high


def test_the_error_that_grows_above_2_over_beta_is_left_over_from_the_approach_not_rounding():
    # The page's small logistic regression, at 1.1 x 2 / beta_*: the error along the steepest
    # direction at the minimum never falls near the rounding of theta before it grows by
    # |1 - alpha beta_*| = 1.2 per step.
    rng = np.random.default_rng(0)
    labels = (rng.random(400) < 0.5).astype(float)
    features = rng.normal(size=(2, 400)) + np.outer([1.5, 0.5], 2 * labels - 1)
    features[1] *= 3
    X = np.vstack([features, np.ones((1, 400))])

    def gradient(theta):
        return X @ (1 / (1 + np.exp(-(theta @ X))) - labels) / 400

    theta_best = np.zeros(3)
    for _ in range(30):
        a = 1 / (1 + np.exp(-(theta_best @ X)))
        hessian = (X * (a * (1 - a))) @ X.T / 400
        theta_best = theta_best - np.linalg.solve(hessian, gradient(theta_best))
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)
    theta, along = np.zeros(3), []
    for _ in range(400):
        along.append(abs((theta - theta_best) @ eigenvectors[:, -1]))
        theta = theta - 1.1 * 2 / eigenvalues[-1] * gradient(theta)
    k = int(np.argmin(along))
    assert along[k] > 1000 * np.finfo(float).eps * np.linalg.norm(theta_best)
    assert (along[k + 20] / along[k + 10]) ** (1 / 10) == pytest.approx(1.2, abs=0.005)


def test_the_numerical_gradient_is_of_order_eps_squared_and_forward_differences_of_eps(ref):
    # Halving eps divides the central difference's error by 4, a forward difference's by 2.
    x = np.array([0.3, -1.1, 0.8])
    forward = SAMPLES.MISTAKES["forward-differences"].cells["numerical_gradient"]
    namespace = {"np": np}
    exec(forward, namespace)
    errors = {}
    for name, numerical in [
        ("central", ref.numerical_gradient),
        ("forward", namespace["numerical_gradient"]),
    ]:
        errors[name] = [
            np.linalg.norm(numerical(lambda v: float(np.sum(np.exp(v))), x, eps) - np.exp(x))
            for eps in (1e-2, 5e-3)
        ]
    assert errors["central"][0] / errors["central"][1] == pytest.approx(4, rel=0.01)
    assert errors["forward"][0] / errors["forward"][1] == pytest.approx(2, rel=0.01)


# Bad input gets a clear error.


def test_random_mini_batches_refuses_a_batch_size_of_0_and_mismatched_examples(ref):
    with pytest.raises(ValueError, match="batch_size"):
        ref.random_mini_batches(np.zeros((2, 10)), np.zeros((1, 10)), 0)
    with pytest.raises(ValueError, match="10.*9"):
        ref.random_mini_batches(np.zeros((2, 10)), np.zeros((1, 9)), 4)


def test_a_mini_batcher_that_accepts_a_batch_size_of_0_is_told_to_raise(ref):
    def accepts_anything(X, Y, batch_size=64, seed=0):
        if batch_size == 0:
            return []
        return ref.random_mini_batches(X, Y, batch_size, seed)

    message = failure(checks.check_random_mini_batches_input_checks, accepts_anything)
    assert message == (
        "random_mini_batches(X, Y, batch_size=0) should raise a ValueError that says what is "
        "wrong, but it raised nothing. (Hints 1-3 are above this function's cell.)"
    )


def test_a_mini_batcher_without_input_checks_still_passes_the_check_of_its_partition(ref):
    def unchecked(X, Y, batch_size=64, seed=0):
        return ref.random_mini_batches(X, Y[:, : X.shape[1]], max(batch_size, 1), seed)

    checks.check_random_mini_batches(unchecked)


def test_a_value_error_that_does_not_say_what_is_wrong_is_told_to(ref):
    def vague(X, Y, batch_size=64, seed=0):
        if X.shape[1] != Y.shape[1]:
            raise ValueError("bad input")
        return ref.random_mini_batches(X, Y, batch_size, seed)

    assert "its message should say what is wrong, naming 10 and 9, or examples" in failure(
        checks.check_random_mini_batches_input_checks, vague
    )


@pytest.mark.parametrize(
    "message",
    [
        "the batch size must be positive, got 0",
        "batch_size < 1",
        "mini_batch_size should be >= 1",
        "Batch-Size 0 is not allowed",
        "got 0",
    ],
)
def test_a_message_that_names_the_batch_size_or_its_value_says_what_is_wrong(message):
    assert says_what_is_wrong(message, [("batch size",), ("0",)])


@pytest.mark.parametrize("message", ["", "invalid input", "got 10", "0.5 is too small"])
def test_a_message_that_names_neither_says_nothing(message):
    assert not says_what_is_wrong(message, [("batch size",), ("0",)])


@pytest.mark.parametrize(
    ("message", "right"),
    [
        ("X has 10 examples but Y has 9", True),
        ("X and Y have different numbers of examples", True),
        ("shapes (2, 10) and (1, 9) do not match", True),
        ("the inputs do not match", False),
    ],
)
def test_a_mismatch_message_says_what_is_wrong_in_any_words(message, right):
    naming = [("10", "9"), ("examples",), ("x", "y"), ("columns",), ("shape",)]
    assert says_what_is_wrong(message, naming) is right


def test_the_hidden_input_checks_pass_other_words_and_fail_none():
    other_words = """
def random_mini_batches(X, Y, batch_size=64, seed=0):
    if X.shape[1] != Y.shape[1]:
        raise ValueError("X and Y must have as many columns")
    if batch_size < 1:
        raise ValueError(f"the batch size must be positive, got {batch_size}")
    return []
"""
    label = "random_mini_batches (input checks)"
    assert hidden_verdict(ASSIGNMENT, label, {"r": other_words}) is None
    nothing = other_words.replace("must have as many columns", "bad").replace(
        "the batch size must be positive, got {batch_size}", "no"
    )
    assert "its message should say what is wrong" in hidden_verdict(
        ASSIGNMENT, label, {"r": nothing}
    )
    none = "def random_mini_batches(X, Y, batch_size=64, seed=0):\n    return []\n"
    assert "it raised nothing" in hidden_verdict(ASSIGNMENT, label, {"r": none})


# The public checks: what the samples of test_chapters.py do not show.


def test_a_mini_batcher_that_does_not_shuffle_is_told_to(ref):
    def in_order(X, Y, batch_size=64, seed=0):
        m = X.shape[1]
        return [
            (X[:, k : k + batch_size], Y[:, k : k + batch_size]) for k in range(0, m, batch_size)
        ]

    assert "should shuffle the examples" in failure(checks.check_random_mini_batches, in_order)


def test_a_mini_batcher_without_a_seed_is_told_it_is_not_reproducible(ref):
    draws = np.random.default_rng()

    def unseeded(X, Y, batch_size=64, seed=0):
        return ref.random_mini_batches(X, Y, batch_size, int(draws.integers(1 << 30)))

    assert "the same mini-batches each time" in failure(checks.check_random_mini_batches, unseeded)


def test_a_numerical_gradient_that_moves_x_is_told_to_put_it_back(ref):
    def leaves_x_moved(f, x, eps=1e-5):
        grad = ref.numerical_gradient(f, x, eps)
        x += eps
        return grad

    assert "should leave x as it was" in failure(checks.check_numerical_gradient, leaves_x_moved)


def test_any_valid_denominator_passes_the_public_gradient_check(ref):
    def larger_norm(f, grad_f, x, eps=1e-5):
        g_num, g = ref.numerical_gradient(f, x, eps), grad_f(x)
        return np.linalg.norm(g_num - g) / max(np.linalg.norm(g_num), np.linalg.norm(g))

    checks.check_gradient_check(larger_norm)


def test_gradient_ascent_in_the_path_is_told_the_sign(ref):
    def ascent(grad_f, x0, learning_rate, num_iterations):
        return ref.gradient_descent(lambda x: -grad_f(x), x0, learning_rate, num_iterations)

    message = failure(checks.check_gradient_descent, ascent)
    assert "path[1], one step x0 - learning_rate * grad_f(x0)" in message
    assert "not +" in message


def test_the_minibatch_test_runs_the_reference_mini_batcher_and_the_check_its_callee():
    chapter = read_chapter(REPO / "solutions" / ASSIGNMENT / "gradient_descent.ipynb")
    uses = {name: item.tests[0].uses for name, item in chapter.items.items()}
    # Every graded item before its own: what the student's code may call, whatever the
    # reference does.
    assert uses["minibatch_gradient_descent"] == (
        "gradient_check",
        "gradient_descent",
        "numerical_gradient",
        "random_mini_batches",
    )
    assert uses["gradient_check"] == ("numerical_gradient",)
    assert [p.names for p in chapter.provided] == [("propagate",)]
