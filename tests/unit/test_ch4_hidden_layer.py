"""Chapter 4, a hidden layer, beyond what test_chapters.py checks of every chapter: the
reference reaches its targets, its gradient agrees with numerical differences computed here,
zero initialization keeps the hidden units identical, the page's numbers come out as its text
says (the seed article's setting re-run, the seeds, the size sweep, the exercises), the moons
loader, and the finer points of the checks.

The page's numbers are re-measured with a gradient descent written here, which trains several
networks at once, never read from what the page printed."""

import re

import nbformat
import numpy as np
import pytest
from chapters.ch4_hidden_layer import KEYS, accuracy, cost_of, train_many
from support import REPO, hidden_verdict

from autograder.course.reference import load_reference
from autograder.course.samples.ch4_hidden_layer import ALTERNATIVES
from nnscratch.chapter import read_chapter
from nnscratch.checks import CheckFailed
from nnscratch.checks import ch4_hidden_layer as checks
from nnscratch.data import MOONS_SPLITS, load_moons

ASSIGNMENT = "ch4_hidden_layer"


NOTEBOOK = "hidden_layer.ipynb"


@pytest.fixture(scope="module")
def ref():
    return load_reference(ASSIGNMENT)


def failure(check, function):
    with pytest.raises(CheckFailed) as caught:
        check(function)
    return str(caught.value)


def central_differences(parameters, X, Y, eps=1e-5):
    grads = {}
    for key in KEYS:
        grads["d" + key] = np.zeros_like(parameters[key])
        for index in np.ndindex(parameters[key].shape):
            moved = {k: v.copy() for k, v in parameters.items()}
            moved[key][index] += eps
            up = cost_of(moved, X, Y)
            moved[key][index] -= 2 * eps
            grads["d" + key][index] = (up - cost_of(moved, X, Y)) / (2 * eps)
    return grads


def relative_error(grads, numerical):
    got = np.concatenate([grads["d" + k].ravel() for k in KEYS])
    want = np.concatenate([numerical["d" + k].ravel() for k in KEYS])
    return np.linalg.norm(got - want) / (np.linalg.norm(got) + np.linalg.norm(want))


def test_the_reference_reaches_95_percent_on_the_held_out_moons(ref):
    X, Y = load_moons("train")
    X_test, Y_test = load_moons("test")
    parameters = ref.nn_model(X, Y, n_h=10)  # the contract's defaults: 10,000 iterations
    assert np.mean(ref.predict(parameters, X_test) == Y_test) >= 0.95


def test_a_straight_line_cannot_reach_that_on_the_moons():
    # The best logistic regression stays far below the target, so the target needs the layer.
    ch2 = load_reference("ch2_logistic_regression")
    X, Y = load_moons("train")
    X_test, Y_test = load_moons("test")
    d = ch2.model(X, Y, X_test, Y_test, num_iterations=3000, learning_rate=1.0)
    assert np.mean(d["Y_prediction_test"] == Y_test) < 0.90


@pytest.mark.parametrize("n_x, n_h, m, seed", [(2, 4, 20, 0), (3, 7, 30, 1), (5, 2, 9, 2)])
def test_the_reference_gradient_agrees_with_central_differences(ref, n_x, n_h, m, seed):
    rng = np.random.default_rng(seed)
    parameters = {
        "W1": rng.normal(size=(n_h, n_x)),
        "b1": rng.normal(size=(n_h, 1)),
        "W2": rng.normal(size=(1, n_h)),
        "b2": rng.normal(size=(1, 1)),
    }
    X = rng.normal(size=(n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    _, cache = ref.forward_propagation(X, parameters)
    grads = ref.backward_propagation(parameters, cache, X, Y)
    assert relative_error(grads, central_differences(parameters, X, Y)) < 1e-7


def test_the_seed_articles_dW2_transposed_bug_is_caught_by_the_same_comparison(ref):
    # The comparison above can fail: with dW2.T in place of W2.T the error is large.
    rng = np.random.default_rng(3)
    parameters = {"W1": rng.normal(size=(4, 2)), "b1": rng.normal(size=(4, 1))}
    parameters.update(W2=rng.normal(size=(1, 4)), b2=rng.normal(size=(1, 1)))
    X, Y = rng.normal(size=(2, 20)), (rng.random((1, 20)) < 0.5).astype(float)
    _, cache = ref.forward_propagation(X, parameters)
    grads = ref.backward_propagation(parameters, cache, X, Y)
    wrong = ((grads["dW2"].T @ (cache["A2"] - Y)) * (cache["Z1"] > 0)) @ X.T / 20
    assert relative_error({**grads, "dW1": wrong}, central_differences(parameters, X, Y)) > 1e-2


def test_equal_starting_weights_keep_every_hidden_unit_identical(ref):
    X, Y = load_moons("train")
    parameters = {"W1": np.full((6, 2), 0.3), "b1": np.zeros((6, 1))}
    parameters.update(W2=np.full((1, 6), -0.2), b2=np.zeros((1, 1)))
    for _ in range(300):
        _, cache = ref.forward_propagation(X, parameters)
        grads = ref.backward_propagation(parameters, cache, X, Y)
        parameters = ref.update_parameters(parameters, grads, 0.5)
    assert np.abs(parameters["W1"] - 0.3).max() > 0.01  # it did train
    for key in ("W1", "b1"):
        assert np.allclose(parameters[key], parameters[key][:1], rtol=0, atol=1e-12)
    assert np.allclose(parameters["W2"], parameters["W2"][0, 0], rtol=0, atol=1e-12)


def test_zero_weights_leave_every_weight_at_zero(ref):
    X, Y = load_moons("train")
    parameters = {"W1": np.zeros((5, 2)), "b1": np.zeros((5, 1))}
    parameters.update(W2=np.zeros((1, 5)), b2=np.zeros((1, 1)))
    for _ in range(50):
        _, cache = ref.forward_propagation(X, parameters)
        parameters = ref.update_parameters(
            parameters, ref.backward_propagation(parameters, cache, X, Y), 0.5
        )
    assert all(not parameters[key].any() for key in ("W1", "b1", "W2"))


def test_the_reference_initialization_breaks_the_symmetry_at_the_documented_scale(ref):
    parameters = ref.initialize_parameters(500, 300, 1, seed=7)
    assert np.unique(parameters["W1"], axis=0).shape[0] == 300
    assert np.std(parameters["W1"]) == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    assert np.std(parameters["W2"]) == pytest.approx(np.sqrt(1 / 300), rel=0.15)


def test_the_moons_splits_have_the_course_layout_and_never_share_a_point():
    splits = {name: load_moons(name) for name in MOONS_SPLITS}
    for name, (X, Y) in splits.items():
        m = MOONS_SPLITS[name][0]
        assert X.shape == (2, m) and Y.shape == (1, m)
        assert X.dtype == np.float64 and set(np.unique(Y)) == {0.0, 1.0}
        assert 0.4 < Y.mean() < 0.6
    points = np.hstack([X for X, _ in splits.values()])
    assert np.unique(points, axis=1).shape[1] == points.shape[1]


def test_the_moons_are_the_same_on_every_call_and_noisier_when_asked():
    X1, Y1 = load_moons("validation")
    X2, Y2 = load_moons("validation")
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    X_noisy, Y_noisy = load_moons("validation", noise=0.4)
    assert np.array_equal(Y_noisy, Y1) and not np.allclose(X_noisy, X1)


def test_an_unknown_moons_split_is_named_in_the_error():
    with pytest.raises(ValueError, match="'held-out'"):
        load_moons("held-out")


def test_sigmoid_and_gradient_check_come_from_their_chapters():
    provided = read_chapter(REPO / "solutions" / ASSIGNMENT / NOTEBOOK).provided
    assert [(p.origin, p.names) for p in provided] == [
        ("ch1_sigmoid", ("sigmoid",)),
        ("ch3_gradient_descent", ("gradient_check",)),
    ]
    assert "def numerical_gradient(" in provided[1].source  # the callee comes along


def test_the_hand_worked_gradients_agree_with_central_differences():
    for case in checks.CASES:
        numerical = central_differences(checks.parameters_of(case), case["X"], case["Y"])
        for key in ("dW1", "db1", "dW2", "db2"):
            assert np.allclose(case[key], numerical[key], atol=1e-8), key
        assert cost_of(checks.parameters_of(case), case["X"], case["Y"]) == pytest.approx(
            case["cost"]
        )


@pytest.mark.parametrize("at_zero", [0.0, 1.0])
def test_relu_derivative_may_take_either_value_at_zero(at_zero):
    checks.check_relu_derivative(lambda Z: np.where(Z == 0, at_zero, (Z > 0).astype(float)))


def test_relu_derivative_of_booleans_or_ints_passes_with_a_tip_on_floats(capsys):
    checks.check_relu_derivative(lambda Z: Z > 0)
    assert ".astype(float)" in capsys.readouterr().out
    checks.check_relu_derivative(lambda Z: (Z > 0).astype(int))


def test_a_cost_as_a_zero_d_array_or_numpy_scalar_is_a_number(ref):
    checks.check_compute_cost(lambda A2, Y: np.squeeze(np.array([[ref.compute_cost(A2, Y)]])))
    checks.check_compute_cost(lambda A2, Y: np.float64(ref.compute_cost(A2, Y)))


def test_a_cost_as_a_one_by_one_array_is_told_to_make_it_a_number(ref):
    message = failure(
        checks.check_compute_cost, lambda A2, Y: np.array([[ref.compute_cost(A2, Y)]])
    )
    assert "should return the cost as a number" in message


def test_nn_model_that_ignores_n_h_is_told_the_shape(ref):
    def four_units(X, Y, n_h, num_iterations=10000, learning_rate=0.5, seed=0, print_cost=False):
        return ref.nn_model(X, Y, 4, num_iterations, learning_rate, seed)

    message = failure(checks.check_nn_model, four_units)
    assert 'parameters["W1"] of shape (1, 2)' in message


def test_initialize_parameters_at_the_old_scale_0_01_is_told_the_scale(ref):
    def small(n_x, n_h, n_y, seed=0):
        rng = np.random.default_rng(seed)
        W1, W2 = rng.standard_normal((n_h, n_x)) * 0.01, rng.standard_normal((n_y, n_h)) * 0.01
        return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}

    message = failure(checks.check_initialize_parameters, small)
    assert "standard deviation of about sqrt(2 / n_x)" in message


def test_a_right_answer_whose_probability_rounds_to_certainty_costs_nothing(ref):
    A2, Y = np.array([[1.0, 0.0, 0.7, 0.2]]), np.array([[1.0, 0.0, 1.0, 0.0]])
    assert ref.compute_cost(A2, Y) == pytest.approx(-(np.log(0.7) + np.log(0.8)) / 4, rel=1e-12)


def test_a_confidently_wrong_answer_costs_infinity_not_nan(ref):
    with np.errstate(divide="ignore"):
        assert ref.compute_cost(np.array([[1.0, 0.5]]), np.array([[0.0, 1.0]])) == np.inf


def test_the_naive_cost_earns_its_points_on_the_inputs_the_checks_and_hidden_tests_use(ref):
    def naive(A2, Y):
        return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))

    checks.check_compute_cost(naive)
    rng = np.random.default_rng(0)
    for m in (1, 7, 150):  # the hidden test's sizes and range of probabilities
        A2, Y = rng.uniform(0.02, 0.98, size=(1, m)), (rng.random((1, m)) < 0.5).astype(float)
        assert naive(A2, Y) == pytest.approx(ref.compute_cost(A2, Y), rel=1e-12, abs=1e-14)


def test_at_the_start_the_hidden_activations_and_the_output_keep_the_inputs_mean_square(ref):
    X, _ = load_moons("train")
    q = np.mean(X**2)
    moments = []
    for seed in range(2000):
        parameters = ref.initialize_parameters(2, 10, 1, seed=seed)
        Z1 = parameters["W1"] @ X
        A1 = np.maximum(Z1, 0.0)
        moments.append([np.mean(Z1**2), np.mean(A1**2), np.mean((parameters["W2"] @ A1) ** 2)])
    z1, a1, z2 = np.mean(moments, axis=0)
    assert z1 == pytest.approx(2 * q, rel=0.05)  # n_x s^2 q with s^2 = 2 / n_x
    assert a1 == pytest.approx(q, rel=0.05)  # the ReLU halves it
    assert z2 == pytest.approx(q, rel=0.1)  # sqrt(1 / n_h): no factor 2 before the sigmoid


def test_the_notebooks_sweep_chooses_ten_hidden_units_on_the_validation_set(ref):
    cells = nbformat.read(REPO / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4).cells
    [sweep] = [cell.source for cell in cells if "chosen_n_h = min(" in cell.source]
    assert "X_test" not in sweep and "Y_test" not in sweep
    namespace = dict(vars(ref))
    for split, name in (("train", "train"), ("validation", "val")):
        namespace["X_" + name], namespace["Y_" + name] = load_moons(split)
    exec(sweep, namespace)
    assert namespace["chosen_n_h"] == 10
    assert namespace["validation_accuracy"][5] < namespace["best"] - namespace["standard_error"]


def test_a_score_on_60_points_is_uncertain_by_about_five_points():
    assert np.sqrt(0.833 * 0.167 / 60) == pytest.approx(0.048, abs=0.0005)


def test_the_seed_articles_rate_for_10000_steps_goes_about_as_far_as_60_steps_at_the_course_rate(
    ref,
):
    X, Y = load_moons("train")
    X_val, Y_val = load_moons("validation")
    start = [ref.initialize_parameters(2, 10, 1, seed=0)]
    [slow] = train_many(start, X, Y, 10000, 0.003)
    [sixty] = train_many(start, X, Y, 60, 0.5)
    assert max(np.abs(slow[key] - sixty[key]).max() for key in KEYS) < 0.05
    assert accuracy(slow, X_val, Y_val) == pytest.approx(accuracy(sixty, X_val, Y_val), abs=0.01)
    assert accuracy(slow, X_val, Y_val) < 0.92  # far from the trained network's 96.5 %


def test_the_tanh_solution_as_the_page_shows_it_fits_the_moons(ref):
    page = (REPO / "book" / "ch4_hidden_layer.md").read_text()
    solution = page[page.index(":label: ch4-tanh") :]
    solution = solution[solution.index("{solution} ch4-tanh") :]
    code = re.search(r"```python\n(.*?)```", solution, flags=re.S).group(1)
    namespace = dict(vars(ref), print=lambda *args: None)
    (namespace["X_train"], namespace["Y_train"]), (namespace["X_val"], namespace["Y_val"]) = (
        load_moons("train"),
        load_moons("validation"),
    )
    exec(code, namespace)
    assert np.mean((namespace["A2_val"] >= 0.5) == namespace["Y_val"]) >= 0.95


def chapter_texts():
    yield "book/ch4_hidden_layer.md", (REPO / "book" / "ch4_hidden_layer.md").read_text()
    for cell in nbformat.read(REPO / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4).cells:
        yield f"{NOTEBOOK} cell {cell.get('id')}", cell.source


def test_dZ2_is_the_derivative_of_the_cost_as_on_the_notation_page():
    unscaled = re.compile(r"dZ\^\{\[2\]\}\s*&?=\s*A\^\{\[2\]\}\s*-\s*Y|dZ2\s*=\s*A2\s*-\s*Y")
    for where, text in chapter_texts():
        assert not unscaled.search(text), f"{where} writes dZ2 = A2 - Y, not (A2 - Y) / m"


def test_the_exercises_come_before_your_turn_as_in_the_other_chapters():
    headings = re.findall(r"^## (.+)$", (REPO / "book" / "ch4_hidden_layer.md").read_text(), re.M)
    assert headings[-3:] == ["Summary", "Exercises", "Your turn"]


# The hidden comparisons' tolerances: the honest variants pass, the mistakes still fail.

EPSILON_COST = """
def compute_cost(A2, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2 + 1e-8), Y) + np.multiply(1 - Y, np.log(1 - A2 + 1e-8))
    return float(np.squeeze(-np.sum(logprobs) / m))
"""


@pytest.mark.parametrize("seed", range(5))
def test_a_cost_with_an_epsilon_in_the_log_passes_the_hidden_comparison(seed):
    assert hidden_verdict("ch4_hidden_layer", "compute_cost", {"c": EPSILON_COST}, seed) is None


def test_a_cost_off_by_a_thousandth_still_fails_the_hidden_comparison():
    off = EPSILON_COST.replace("/ m", "/ (1.001 * m)")
    assert "compute_cost" in hidden_verdict("ch4_hidden_layer", "compute_cost", {"c": off})


# A random initialization is judged by what it must be, not by the reference's draws.

# deeplearning.ai's way: the global generator seeded, then randn (the sample's own cell).
LEGACY_INIT = ALTERNATIVES["alt-deeplearning-ai"]["initialize_parameters"]


@pytest.mark.parametrize("seed", range(5))
def test_np_random_seed_and_randn_pass_the_hidden_initialization_test(seed):
    cells = {"i": LEGACY_INIT}
    assert hidden_verdict("ch4_hidden_layer", "initialize_parameters", cells, seed) is None


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("np.sqrt(1 / n_h)", "np.sqrt(2 / n_h)"), "standard deviation"),
        (("np.random.randn(n_h, n_x)", "np.random.rand(n_h, n_x)"), "standard deviation"),
        (("np.random.randn(n_h, n_x)", "(np.random.randn(n_h, n_x) + 1)"), "average"),
        (("np.zeros((n_h, 1))", "np.ones((n_h, 1))"), "filled with 0"),
        (("np.random.seed(seed)", "np.random.seed(0)"), "differ from one seed to another"),
        (("np.random.seed(seed)", "pass"), "the same seed should give the same result"),
    ],
)
def test_a_wrong_initialization_fails_the_hidden_test_with_its_reason(change, says):
    cells = {"i": LEGACY_INIT.replace(*change)}
    assert says in hidden_verdict("ch4_hidden_layer", "initialize_parameters", cells)
