"""Views: a hidden test of a property with many right answers compares the property, not the
reference's exact output. Records are made as in a kernel (`expect`) and judged by `verdict`."""

import numpy as np
import pytest

from autograder.judge.verdict import verdict
from autograder.kernel import expect, recording


def judged(reference, student, *args, **options):
    """The verdict on `student`'s records of `expect(f, *args, **options)` against the
    reference's: None when they match, else the sentence the student reads."""
    records = {}
    for who, function in (("reference", reference), ("student", student)):
        with recording(seed=0) as records[who]:
            expect(function, *args, name="f", **options)
    return verdict(records["student"], records["reference"], "f")


def batches(X, Y, size, order):
    X, Y = X[:, order], Y[:, order]
    return [(X[:, k : k + size], Y[:, k : k + size]) for k in range(0, X.shape[1], size)]


def permuted(X, Y, size, seed):
    return batches(X, Y, size, np.random.default_rng(seed).permutation(X.shape[1]))


def reversed_order(X, Y, size, seed):
    return batches(X, Y, size, np.arange(X.shape[1])[::-1])


RNG = np.random.default_rng(1)
X, Y = RNG.normal(size=(3, 10)), (RNG.random((1, 10)) < 0.5).astype(float)
PARTITION = (X, Y, 4, 7)


# partition: the sizes and the examples with their labels, in any order.


def test_another_valid_shuffle_partitions_the_data_as_well():
    assert judged(permuted, reversed_order, *PARTITION, view="partition") is None


def test_without_the_view_another_shuffle_would_differ_from_the_reference():
    judged_without_view = judged(permuted, reversed_order, *PARTITION)
    assert "values differ from the reference solution" in judged_without_view


def test_a_dropped_last_batch_is_told_the_sizes():
    def dropped(X, Y, size, seed):
        return permuted(X, Y, size, seed)[:-1]

    message = judged(permuted, dropped, *PARTITION, view="partition")
    assert "should return 3 mini-batches of sizes [4, 4, 2]" in message
    assert "got 2 of sizes [4, 4]" in message


def test_labels_shuffled_apart_from_their_examples_are_told_so():
    def unpaired(X, Y, size, seed):
        mixed = permuted(X, Y, size, seed)
        return [(X_b, Y[:, k * size : k * size + X_b.shape[1]]) for k, (X_b, _) in enumerate(mixed)]

    message = judged(permuted, unpaired, *PARTITION, view="partition")
    assert "each with its own label from Y" in message


def test_a_partition_that_repeats_an_example_is_caught():
    def repeats(X, Y, size, seed):
        return batches(X, Y, size, np.r_[0, np.arange(9)])

    assert "exactly once" in judged(permuted, repeats, *PARTITION, view="partition")


def test_a_shuffle_that_ignores_the_seed_is_not_reproducible():
    unseeded = np.random.default_rng()

    def fresh_each_call(X, Y, size, seed):
        return batches(X, Y, size, unseeded.permutation(X.shape[1]))

    message = judged(permuted, fresh_each_call, *PARTITION, view="partition", repeat=2)
    assert "called again with the same inputs" in message
    assert judged(permuted, reversed_order, *PARTITION, view="partition", repeat=2) is None


def test_a_result_that_is_no_partition_is_told_what_was_expected():
    message = judged(permuted, lambda *args: "batches", *PARTITION, view="partition")
    assert "should return a list of (X_batch, Y_batch) tuples" in message


# gradient_check: the verdict of a relative error, below 1e-7 or above 1e-3.


def relative(g_num, g):
    return np.linalg.norm(g_num - g) / (np.linalg.norm(g_num) + np.linalg.norm(g))


def larger_norm(g_num, g):
    return np.linalg.norm(g_num - g) / max(np.linalg.norm(g_num), np.linalg.norm(g))


def no_denominator(g_num, g):
    return np.linalg.norm(g_num - g)


G = np.array([3.0, -4.0])
ROUND_OFF = np.array([1e-12, 0.0])


@pytest.mark.parametrize("scale", [1e-9, 1.0, 1e6])
@pytest.mark.parametrize("wrong", [False, True])
def test_another_valid_denominator_reaches_the_same_verdict(scale, wrong):
    g = scale * (1.5 * G if wrong else G + ROUND_OFF)
    assert judged(relative, larger_norm, scale * G, g, view="gradient_check") is None


def test_a_relative_error_without_its_denominator_is_judged_wrong_at_some_scale():
    small_wrong = (1e-9 * G, 1.5e-9 * G)
    message = judged(relative, no_denominator, *small_wrong, view="gradient_check")
    assert message.startswith("f(<array of shape (2,)>, <array of shape (2,)>) should report a")
    assert "relative error above 0.001 (this gradient is wrong)" in message
    large_right = (1e6 * G, 1e6 * (G + 1e-10))
    message = judged(relative, no_denominator, *large_right, view="gradient_check")
    assert "below 1e-07 (this gradient is right)" in message


def test_a_relative_error_that_is_no_number_is_told_so():
    message = judged(relative, lambda *g: [0.0], G, G, view="gradient_check")
    assert "should return the relative error as a number" in message


# final_cost: the last cost of a run, within the record's tolerance.


def run(scale, epochs=3):
    def train(cost):
        return {"w": np.zeros((2, 1)), "b": 0.0}, [cost * scale] * epochs

    return train


def test_a_final_cost_within_the_tolerance_passes_and_one_beyond_it_fails():
    assert judged(run(1.0), run(1.009), 0.3, view="final_cost", rtol=0.01) is None
    message = judged(run(1.0), run(1.02), 0.3, view="final_cost", rtol=0.01)
    assert "should reach the reference solution's final cost within 1%" in message


def test_a_run_with_another_number_of_costs_is_told_how_many():
    message = judged(run(1.0), run(1.0, epochs=2), 0.3, view="final_cost", rtol=0.01)
    assert "should return 3 costs (one after each epoch), got 2" in message


def test_an_unknown_view_is_the_instructors_mistake_and_fails_at_once():
    with pytest.raises(ValueError, match="unknown view 'sorted'"):
        expect(permuted, *PARTITION, name="f", view="sorted")


def test_a_record_without_a_view_is_compared_as_before():
    assert judged(run(1.0), run(1.0), 0.3) is None
    message = judged(run(1.0), run(1.009), 0.3, rtol=0.01)
    assert message is None  # 0.9 % is within rtol, compared entry by entry as ever
    message = judged(run(1.0), run(1.02), 0.3, rtol=0.01)
    assert message.startswith("f(<scalar>)[1][0] should be the reference solution's value")
