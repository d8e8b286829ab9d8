"""Chapter 6, MNIST with ten classes, beyond what test_chapters.py checks of every chapter: the
hand-worked numbers of the public checks, the reference's gradient against central differences,
the claims of the text (softmax's stability, He initialization's scale, weight decay), the
notebook's recipe reaching 96 % on the test digits, and the `history` view of `fit`'s hidden test.

The expected values come from code written here from the definitions (a forward pass, central
differences), never from numbers the reference printed."""

import sys
import warnings

import numpy as np
import pytest
from chapters.ch6_mnist_multiclass import quietly, shifted
from support import REPO, hidden_verdict

from autograder.course.reference import graded_solutions, load_reference
from autograder.course.samples import sample_module
from autograder.judge.verdict import verdict
from autograder.kernel import expect_accuracy, expect_steps, recording, use_reference
from nnscratch.chapter import read_assignment
from nnscratch.checks import call
from nnscratch.checks import ch6_mnist_multiclass as checks
from nnscratch.data import load_mnist

ASSIGNMENT = "ch6_mnist_multiclass"


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


def forward_here(parameters, X):
    L = len(parameters) // 2
    cache, A = {"A0": X}, X
    for layer in range(1, L + 1):
        Z = parameters[f"W{layer}"] @ A + parameters[f"b{layer}"]
        if layer < L:
            A = np.maximum(Z, 0.0)
        else:
            E = np.exp(Z - Z.max(axis=0))
            A = E / E.sum(axis=0)
        cache[f"Z{layer}"], cache[f"A{layer}"] = Z, A
    return cache


def cost_here(parameters, X, Y, lambd):
    L = len(parameters) // 2
    AL = forward_here(parameters, X)[f"A{L}"]
    squares = sum(np.sum(parameters[f"W{layer}"] ** 2) for layer in range(1, L + 1))
    return -np.sum(Y * np.log(AL)) / Y.shape[1] + lambd / (2 * Y.shape[1]) * squares


def central_differences(parameters, X, Y, lambd, eps=1e-6):
    grads = {}
    for key, value in parameters.items():
        grads["d" + key] = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            moved = {k: v.copy() for k, v in parameters.items()}
            moved[key][index] += eps
            up = cost_here(moved, X, Y, lambd)
            moved[key][index] -= 2 * eps
            grads["d" + key][index] = (up - cost_here(moved, X, Y, lambd)) / (2 * eps)
    return grads


def relative_error(grads, numerical):
    keys = sorted(numerical)
    got = np.concatenate([np.ravel(grads[k]) for k in keys])
    want = np.concatenate([np.ravel(numerical[k]) for k in keys])
    return np.linalg.norm(got - want) / (np.linalg.norm(got) + np.linalg.norm(want))


def test_the_checks_network_forward_is_worked_out_right():
    cache = forward_here(checks.NETWORK, checks.X)
    assert set(cache) == set(checks.CACHE)
    for key, value in checks.CACHE.items():
        np.testing.assert_allclose(cache[key], value, rtol=1e-12, atol=1e-15)
    # No hidden pre-activation sits at ReLU's corner, where either slope would be right.
    assert np.all(cache["Z1"] != 0) and np.all(cache["Z2"] != 0)


@pytest.mark.parametrize("lambd", [0.0, 1.0])
def test_the_checks_gradients_are_worked_out_right(lambd):
    numerical = central_differences(checks.NETWORK, checks.X, checks.Y, lambd)
    for key, value in checks.GRADS.items():
        expected = value + lambd / 2 * checks.NETWORK[key[1:]] if key.startswith("dW") else value
        np.testing.assert_allclose(expected, numerical[key], rtol=1e-6, atol=1e-8)


def test_the_checks_costs_are_worked_out_right():
    assert cost_here(checks.NETWORK, checks.X, checks.Y, 0.0) == pytest.approx(
        np.log(16 / 3) / 2, rel=1e-12
    )


@pytest.mark.parametrize("dims, seed", [([4, 5, 3], 0), ([3, 6, 4, 3], 1), ([5, 4, 6, 3, 4], 2)])
def test_the_reference_gradient_agrees_with_central_differences(ref, dims, seed):
    rng = np.random.default_rng(seed)
    net = ref.NeuralNetwork(dims, 0.1, lambd=0.8, seed=seed)
    for key in net.parameters:
        if key.startswith("b"):  # no z at ReLU's corner
            net.parameters[key] = rng.normal(size=net.parameters[key].shape)
    X = rng.normal(size=(dims[0], 15))
    Y = np.eye(dims[-1])[:, rng.integers(0, dims[-1], size=15)]
    net.forward(X)
    grads = net.backward(Y)
    numerical = central_differences(net.parameters, X, Y, 0.8)
    assert relative_error(grads, numerical) < 1e-7


def test_the_same_comparison_catches_a_penalty_missing_from_the_gradient(ref):
    # The comparison above can fail: without lambd / m W in dW the error is large.
    rng = np.random.default_rng(3)
    net = ref.NeuralNetwork([4, 5, 3], 0.1, lambd=0.8, seed=3)
    X, Y = rng.normal(size=(4, 15)), np.eye(3)[:, rng.integers(0, 3, size=15)]
    net.forward(X)
    grads = net.backward(Y)
    without = {
        k: v - 0.8 / 15 * net.parameters[k[1:]] if k[:2] == "dW" else v for k, v in grads.items()
    }
    assert relative_error(without, central_differences(net.parameters, X, Y, 0.8)) > 1e-3


def test_the_reference_cost_matches_the_definition(ref):
    rng = np.random.default_rng(4)
    parameters = ref.initialize_parameters([6, 5, 4], seed=4)
    X, Y = rng.normal(size=(6, 9)), np.eye(4)[:, rng.integers(0, 4, size=9)]
    AL = forward_here(parameters, X)["A2"]
    assert ref.compute_cost(AL, Y, parameters, 0.7) == pytest.approx(
        cost_here(parameters, X, Y, 0.7), rel=1e-12
    )


def test_the_reference_cost_stays_finite_where_another_class_underflows_to_zero(ref):
    # Y * log(AL), the formula as written, is NaN there (0 * -inf); the reference is not, and
    # agrees with it wherever every probability is positive.
    parameters = {"W1": np.array([[1.0, 2.0]]), "b1": np.zeros((1, 1))}
    AL = np.array([[1.0, 0.5], [0.0, 0.5]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isnan(-np.sum(Y * np.log(AL)) / 2)
        cost = ref.compute_cost(AL, Y, parameters, 0.4)
    assert cost == pytest.approx(np.log(2) / 2 + 0.4 / 4 * 5, rel=1e-12)


def test_softmax_has_no_overflow_and_ignores_a_constant_per_column(ref):
    rng = np.random.default_rng(5)
    Z = rng.normal(0.0, 3.0, size=(10, 20))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            A = ref.softmax(Z)
            shifted = ref.softmax(Z + rng.uniform(-1000, 1000, size=(1, 20)))
            extreme = ref.softmax(rng.choice([-1000.0, 0.0, 1000.0], size=(4, 50)))
    np.testing.assert_allclose(A.sum(axis=0), 1.0)
    np.testing.assert_allclose(shifted, A, rtol=1e-10)
    assert np.all(np.isfinite(extreme)) and np.allclose(extreme.sum(axis=0), 1.0)


def test_two_class_softmax_is_the_sigmoid_of_the_difference(ref):
    # The page's link to chapter 1: e^z1 / (e^z1 + e^z2) = sigma(z1 - z2).
    Z = np.random.default_rng(6).normal(0.0, 4.0, size=(2, 30))
    np.testing.assert_allclose(ref.softmax(Z)[0], 1 / (1 + np.exp(-(Z[0] - Z[1]))), rtol=1e-12)


def test_one_hot_goes_back_by_argmax_and_keeps_a_row_for_a_missing_label(ref):
    y = np.array([3, 0, 3, 1])
    Y = ref.one_hot(y, 6)
    assert Y.shape == (6, 4) and Y.dtype == np.float64
    np.testing.assert_array_equal(np.argmax(Y, axis=0), y)
    assert not Y[[2, 4, 5]].any()


def test_he_initialization_keeps_the_activations_scale_through_ten_relu_layers(ref):
    # The page's argument: Var(W) = 2 / n keeps E[a^2] constant from layer to layer, while the
    # scale 1 / n halves it at every ReLU layer.
    X = np.random.default_rng(7).normal(size=(500, 200))
    dims = [500] * 11
    parameters = ref.initialize_parameters(dims, seed=7)
    for name, scale in (("He", 1.0), ("1 / n", np.sqrt(0.5))):
        A = X
        for layer in range(1, 11):
            A = np.maximum(scale * parameters[f"W{layer}"] @ A, 0.0)
        mean_square = float(np.mean(A**2))
        if name == "He":
            assert 0.5 < mean_square / np.mean(X**2) < 2.0
        else:
            assert mean_square / np.mean(X**2) < 2.0**-8


def test_a_step_with_the_penalty_first_shrinks_the_weights_by_one_minus_alpha_lambda_over_m(ref):
    rng = np.random.default_rng(8)
    X, Y = rng.normal(size=(5, 16)), np.eye(3)[:, rng.integers(0, 3, size=16)]
    after = {}
    for lambd in (0.0, 2.0):
        net = ref.NeuralNetwork([5, 4, 3], 0.3, lambd=lambd, seed=8)
        before = {k: v.copy() for k, v in net.parameters.items()}
        net.forward(X)
        net.backward(Y)
        net.update()
        after[lambd] = net.parameters
    for key in ("W1", "W2"):
        decayed = after[0.0][key] - 0.3 * 2.0 / 16 * before[key]
        np.testing.assert_allclose(after[2.0][key], decayed, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(after[2.0]["b1"], after[0.0]["b1"])  # biases are not decayed


def test_after_a_fit_each_step_decays_by_alpha_lambda_over_the_training_sets_size(ref):
    # Nielsen's convention (PyTorch's weight_decay is lambda / n): the L2 term's gradient is
    # lambd / n W for a batch of any size, n the size of the training set of the last fit.
    rng = np.random.default_rng(9)
    X_fit, y_fit = rng.normal(size=(5, 40)), rng.integers(0, 3, size=40)
    X, Y = rng.normal(size=(5, 16)), np.eye(3)[:, rng.integers(0, 3, size=16)]
    after = {}
    for lambd in (0.0, 2.0):
        net = ref.NeuralNetwork([5, 4, 3], 0.3, lambd=lambd, seed=9)
        quietly(net.fit, X_fit, y_fit, 0, 8)  # no step: only the training set's size
        before = {k: v.copy() for k, v in net.parameters.items()}
        net.forward(X)
        net.backward(Y)
        net.update()
        after[lambd] = net.parameters
    for key in ("W1", "W2"):
        decayed = after[0.0][key] - 0.3 * 2.0 / 40 * before[key]
        np.testing.assert_allclose(after[2.0][key], decayed, rtol=1e-12, atol=1e-14)


def test_fit_minimizes_the_cost_it_records_a_full_batch_step_is_its_gradient_step(ref):
    # One cost J = cross-entropy + lambd / (2 n) |W|^2 on the training set: fit records it, and
    # a step on the whole set (a batch of n) moves by -alpha times its gradient, here taken by
    # central differences of the cost written from the definition.
    rng = np.random.default_rng(10)
    X, y = rng.normal(size=(4, 40)), rng.integers(0, 3, size=40)
    Y = np.eye(3)[:, y]
    net = ref.NeuralNetwork([4, 6, 3], 0.05, lambd=5.0, seed=10)
    net.parameters["b1"] = rng.normal(size=(6, 1))  # no z at ReLU's corner
    before = {k: v.copy() for k, v in net.parameters.items()}
    history, _ = quietly(net.fit, X, y, 1, 40)
    gradient = central_differences(before, X, Y, 5.0)
    for key, value in before.items():
        np.testing.assert_allclose(
            net.parameters[key], value - 0.05 * gradient["d" + key], rtol=1e-6, atol=1e-8
        )
    assert history["loss"][0] == pytest.approx(cost_here(net.parameters, X, Y, 5.0), rel=1e-12)


def test_fit_records_the_validation_cost_with_the_training_sets_l2_term(ref):
    # loss and val_loss carry the same penalty lambd / (2 n) |W|^2, n the training set's size:
    # their difference is the difference of the two cross-entropies.
    X, y = checks._clouds(0, 90)
    X_val, y_val = checks._clouds(1, 30)
    net = ref.NeuralNetwork([2, 8, 8, 3], 0.2, lambd=3.0, seed=0)
    history, _ = quietly(net.fit, X, y, 2, 16, (X_val, y_val))
    squares = sum(np.sum(net.parameters[f"W{layer}"] ** 2) for layer in (1, 2, 3))
    cross_entropy = {}
    for name, X_set, y_set in (("train", X, y), ("val", X_val, y_val)):
        AL = forward_here(net.parameters, X_set)["A3"]
        cross_entropy[name] = -np.mean(np.log(AL[y_set, np.arange(y_set.size)]))
    penalty = 3.0 / (2 * 90) * squares
    assert history["loss"][-1] == pytest.approx(cross_entropy["train"] + penalty, rel=1e-10)
    assert history["val_loss"][-1] == pytest.approx(cross_entropy["val"] + penalty, rel=1e-10)


def test_fit_shows_a_progress_bar_with_the_loss_and_returns_one_entry_per_epoch(ref):
    X, y = checks._clouds(0, 90)
    net = ref.NeuralNetwork([2, 8, 8, 3], 0.2, seed=0)
    history, bar = quietly(net.fit, X, y, 3, 16)
    assert "loss=" in bar and "3/3" in bar
    assert [len(history[k]) for k in checks.HISTORY_KEYS] == [3, 3, 0, 0]


def test_fit_goes_on_from_the_weights_it_has_so_a_schedule_is_two_calls(ref):
    X, y = checks._clouds(0, 90)
    net = ref.NeuralNetwork([2, 8, 8, 3], 0.2, seed=0)
    first, _ = quietly(net.fit, X, y, 2, 16)
    net.learning_rate = 0.05
    second, _ = quietly(net.fit, X, y, 1, 16, None, 2)
    assert second["loss"][0] < first["loss"][0]


def test_a_shifted_digit_keeps_almost_all_its_ink():
    X, _ = load_mnist("train")
    # MNIST digits fill a 20 x 20 box centred in 28 x 28: a one-pixel shift pushes out at most
    # the ink of a border row or column, which 109 of the 8,000 digits have, 3.5 % at most.
    ink = X.sum(axis=0)
    for move in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        kept = shifted(X, *move).sum(axis=0) / ink  # summed in another order: not exactly 1
        assert np.mean(np.isclose(kept, 1.0, rtol=0, atol=1e-12)) > 0.98 and kept.min() > 0.95


class Fits:
    """A stand-in class whose fit returns a given history, to judge it against another's."""

    def __init__(self, history):
        self.history = history

    def fit(self):
        return self.history


def judged(reference_history, student_history):
    records = {}
    for who, history in (("reference", reference_history), ("student", student_history)):
        with recording(seed=0) as records[who]:
            expect_steps(
                lambda h=history: Fits(h),
                (),
                [("fit", ())],
                name="NeuralNetwork.fit",
                view="history",
                rtol=0.25,
                atol=0.1,
            )
    return verdict(records["student"], records["reference"], "NeuralNetwork.fit")


REFERENCE = {
    "loss": [0.9, 0.5, 0.3],
    "accuracy": [0.6, 0.8, 0.9],
    "val_loss": [1.0, 0.6, 0.4],
    "val_accuracy": [0.5, 0.8, 0.85],
}


def test_another_shuffles_history_passes_the_view():
    other = {
        "loss": [np.float64(0.95), 0.55, 0.32],
        "accuracy": [0.55, 0.78, 0.93],
        "val_loss": [1.1, 0.62, 0.45],
        "val_accuracy": [0.5, 0.75, 0.86],
    }
    assert judged(REFERENCE, other) is None


@pytest.mark.parametrize(
    "change, says",
    [
        ({"loss": [0.9, 0.5]}, 'history["loss"] with 3 entries (one per epoch), got 2'),
        ({"val_loss": []}, 'history["val_loss"] with 3 entries'),
        ({"loss": [0.9, 0.8, 0.6]}, 'the last entry of history["loss"] should be near'),
        ({"accuracy": [60, 80, 90]}, "as fractions between 0 and 1"),
        ({"val_accuracy": [0.5, 0.6, 0.6]}, 'the last entry of history["val_accuracy"]'),
        ({"loss": [0.3, 0.3, 0.31]}, "should lower the training cost"),
        ({"loss": [0.9, None, 0.3]}, "should return each entry of history"),
    ],
)
def test_a_wrong_history_is_told_what_was_expected(change, says):
    sentence = judged(REFERENCE, {**REFERENCE, **change})
    assert sentence is not None and says in sentence, sentence


def test_a_history_without_its_keys_is_told_them():
    sentence = judged(REFERENCE, {"loss": REFERENCE["loss"]})
    assert "with the keys ['loss', 'accuracy', 'val_loss', 'val_accuracy']" in sentence


def test_a_checked_call_drops_what_the_function_writes_to_stderr(capfd):
    # nbgrader scores a test cell that writes to stderr 0: a progress bar must not cost points.
    call(lambda: print("a progress bar", file=sys.stderr), label="f()")
    assert capfd.readouterr().err == ""


def test_the_grader_judges_held_out_predictions_without_training_the_reference():
    labels = np.array([0, 1, 2, 1, 0, 2, 1, 1, 0, 2])
    trained = []

    def reference_training():
        trained.append(True)
        return labels

    with recording(seed=0) as reference:
        expect_accuracy(reference_training, labels, 0.8, "held out")
    assert trained == []  # skipped, with the labels recorded all the same

    expect_accuracy(reference_training, labels, 0.8, "held out")  # an instructor's run
    assert trained == [True]

    for predictions, says in [(labels, None), ((labels + 1) % 3, "held out is 0, it should")]:
        with recording(seed=0) as student:  # what a kernel sends: the predictions its call made
            expect_accuracy(predictions, labels, 0.8, "held out")
        found = verdict(student, reference, "NeuralNetwork.fit")
        assert found is None if says is None else found.startswith(says)


# The hidden comparison's tolerance: the honest variants pass, the mistakes still fail.

EPSILON_COST = """
def compute_cost(AL, Y, parameters, lambd=0.0):
    m = Y.shape[1]
    L = len(parameters) // 2
    cross_entropy = -np.sum(Y * np.log(AL + 1e-8)) / m
    l2 = sum(np.sum(np.square(parameters["W" + str(l)])) for l in range(1, L + 1))
    return cross_entropy + lambd / (2 * m) * l2
"""


@pytest.mark.parametrize("seed", range(5))
def test_a_cost_with_an_epsilon_in_the_log_passes_the_hidden_comparison(seed):
    verdict_of = hidden_verdict(ASSIGNMENT, "compute_cost", {"c": EPSILON_COST}, seed)
    assert verdict_of is None


def test_a_cost_whose_l2_term_is_a_tenth_off_still_fails_the_hidden_comparison():
    off = EPSILON_COST.replace("lambd / (2 * m)", "lambd / (2.2 * m)")
    assert "compute_cost" in hidden_verdict(ASSIGNMENT, "compute_cost", {"c": off})


# A random initialization is judged by what it must be, not by the reference's draws.

LEGACY_INIT = """
def initialize_parameters(layer_dims, seed=0):
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(
            2 / layer_dims[l - 1]
        )
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
"""


@pytest.mark.parametrize("seed", range(5))
def test_np_random_seed_and_randn_pass_the_hidden_initialization_test(seed):
    cells = {"i": LEGACY_INIT}
    assert hidden_verdict(ASSIGNMENT, "initialize_parameters", cells, seed) is None


def test_a_xavier_scale_fails_the_hidden_initialization_test():
    cells = {"i": LEGACY_INIT.replace("np.sqrt(\n            2 /", "np.sqrt(\n            1 /")}
    assert "standard deviation" in hidden_verdict(ASSIGNMENT, "initialize_parameters", cells)


# A graded class through its public methods: its own layout is right, and one method's mistake
# costs that method only.

OWN_LAYOUT = {"NeuralNetwork": sample_module(ASSIGNMENT).PER_LAYER_CACHES}
METHODS = ["forward", "backward", "update", "fit"]


@pytest.mark.parametrize("method", METHODS)
def test_a_class_with_per_layer_caches_passes_each_method_s_hidden_test(method):
    assert hidden_verdict(ASSIGNMENT, f"NeuralNetwork.{method}", OWN_LAYOUT) is None


def test_a_wrong_backward_in_a_layout_of_its_own_costs_backward_only():
    wrong = {"NeuralNetwork": OWN_LAYOUT["NeuralNetwork"].replace(" + self.lambd / n * W", "")}
    verdicts = {m: hidden_verdict(ASSIGNMENT, f"NeuralNetwork.{m}", wrong) for m in METHODS}
    assert verdicts.pop("backward") is not None
    assert verdicts == {"forward": None, "update": None, "fit": None}


def test_a_forward_that_keeps_a_wrong_suggested_cache_loses_forward_not_backward(ref):
    reference = graded_solutions(ASSIGNMENT)["NeuralNetwork"]
    wrong = {
        "NeuralNetwork": reference.replace('self.cache = {"A0": X}', 'self.cache = {"A0": 0 * X}')
    }
    assert "should match" in hidden_verdict(ASSIGNMENT, "NeuralNetwork.forward", wrong)
    assert hidden_verdict(ASSIGNMENT, "NeuralNetwork.backward", wrong) is None


def test_the_public_checks_pass_a_class_with_per_layer_caches(capsys):
    namespace = dict(vars(load_reference(ASSIGNMENT)))
    exec(compile(OWN_LAYOUT["NeuralNetwork"], "<sample>", "exec"), namespace)
    for check in (checks.check_forward, checks.check_backward, checks.check_update):
        check(namespace["NeuralNetwork"])
    assert "suggests keeping the gradients in self.grads" in capsys.readouterr().out


def test_a_wrong_update_in_a_layout_of_its_own_still_loses_update():
    wrong = {
        "NeuralNetwork": OWN_LAYOUT["NeuralNetwork"].replace(
            'for p in ("W", "b"):', 'for p in ("W",):'
        )
    }
    assert wrong != OWN_LAYOUT
    assert "should match" in hidden_verdict(ASSIGNMENT, "NeuralNetwork.update", wrong)


@pytest.mark.parametrize("method", METHODS)
def test_the_public_checks_pass_per_layer_caches_with_the_reference_around_as_in_grading(method):
    # In a graded test cell NeuralNetwork is the student's method amid the reference's others.
    [chapter] = read_assignment(ASSIGNMENT, REPO / "solutions")
    test = chapter.test_of(f"NeuralNetwork.{method}")
    namespace = dict(vars(load_reference(ASSIGNMENT)))
    exec(compile(OWN_LAYOUT["NeuralNetwork"], "<sample>", "exec"), namespace)
    use_reference(namespace, test.uses, chapter.reference_source(test.uses))
    getattr(checks, f"check_{method}")(namespace["NeuralNetwork"])
