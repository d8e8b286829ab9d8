"""The grader reuses the reference's results for inputs every student shares, and only those."""

import numpy as np
import pytest

from autograder.judge.remember import digest, remembered


def counted():
    calls = []

    def scale(x, factor=2.0):
        calls.append(1)
        return {"scaled": x * factor}

    return remembered(scale), calls


def test_the_same_inputs_run_the_function_once():
    scale, calls = counted()
    first = scale(np.arange(6.0).reshape(2, 3))
    again = scale(np.arange(6.0).reshape(2, 3))
    assert len(calls) == 1 and scale.misses == 1
    np.testing.assert_array_equal(first["scaled"], again["scaled"])


@pytest.mark.parametrize(
    "other",
    [
        lambda x: x + np.eye(1, x.size).reshape(x.shape),  # one value differs
        lambda x: x.reshape(3, 2),  # same values, another shape
        lambda x: x.astype(np.float32),  # same values, another dtype
    ],
)
def test_other_inputs_run_the_function_again(other):
    scale, calls = counted()
    x = np.arange(6.0).reshape(2, 3)
    scale(x)
    assert scale(other(x))["scaled"].shape == other(x).shape
    assert len(calls) == 2


def test_a_keyword_argument_counts_as_an_input():
    scale, calls = counted()
    assert scale(np.ones(2))["scaled"][0] == 2.0
    assert scale(np.ones(2), factor=3.0)["scaled"][0] == 3.0
    assert len(calls) == 2


def test_a_caller_changing_a_result_does_not_change_the_memory():
    scale, _ = counted()
    scale(np.ones(3))["scaled"][:] = -1
    assert scale(np.ones(3))["scaled"].tolist() == [2.0, 2.0, 2.0]


def test_inputs_it_cannot_digest_are_passed_through_every_time():
    scale, calls = counted()
    thing = np.array([1.0, 2.0], dtype=object)
    scale(thing, factor=1)
    scale(thing, factor=1)
    assert len(calls) == 2 and scale.misses == 0


def test_digests_tell_ints_from_floats_and_lists_from_tuples():
    assert digest(1) != digest(1.0)
    assert digest([1, 2]) != digest((1, 2))
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
