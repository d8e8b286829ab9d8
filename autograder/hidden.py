"""Helpers for the hidden tests in the source notebooks; they run inside the grading kernel.

A hidden test calls the student's function first and the reference afterwards, on fresh random
inputs, and compares type -> shape -> values. Its failure messages say what was wrong without
showing the hidden input or the expected values.
"""

import copy
import os
import zlib

import numpy as np

from nnscratch.checks import CheckFailed, call, describe, expect_array, expect_float

from .reference import load_reference

SEED_VARIABLE = "NNSCRATCH_GRADING_SEED"


def reference(assignment):
    """The reference implementation of an assignment: `reference("ch1_sigmoid").sigmoid`."""
    return load_reference(assignment)


def use_reference(namespace, assignment, *names):
    """Replace the student's `names` in `namespace` with the reference versions.

    A test cell of a function that calls other graded functions starts with this, so a mistake
    in the callee costs only the callee's points.
    """
    ref = reference(assignment)
    for name in names:
        namespace[name] = getattr(ref, name)


def hidden_rng(test_name):
    """The random generator of one hidden test: per student (the grader sets the seed), per test."""
    base = int(os.environ.get(SEED_VARIABLE, "0"))
    return np.random.default_rng([base, zlib.crc32(test_name.encode())])


def compare(student, reference_function, *args, name, rtol=1e-7, atol=1e-12, allow_warnings=False):
    """Fail unless `student(*args)` matches `reference_function(*args)`.

    The student's function runs first, on its own copy of the inputs, so nothing it can see
    (its arguments, the caller's frames) holds an expected value yet.
    """
    label = f"{name}({', '.join(_describe_input(a) for a in args)})"
    got = call(student, *copy.deepcopy(args), label=label, allow_warnings=allow_warnings)
    expected = call(
        reference_function, *copy.deepcopy(args), label="the reference", allow_warnings=True
    )
    same(got, expected, label, rtol=rtol, atol=atol)


def same(got, expected, label, rtol=1e-7, atol=1e-12):
    """Compare a result with the reference's, recursively through tuples and dicts."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            raise CheckFailed(f"{label} should return a dict, got {describe(got)}.")
        if set(got) != set(expected):
            raise CheckFailed(
                f"{label} should return the keys {sorted(expected)}, got {sorted(got)}."
            )
        for key in expected:
            same(got[key], expected[key], f'{label}["{key}"]', rtol, atol)
    elif isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            raise CheckFailed(
                f"{label} should return a tuple of {len(expected)}, got {describe(got)}."
            )
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            same(g, e, f"{label}[{i}]", rtol, atol)
    elif isinstance(expected, np.ndarray):
        expect_array(got, expected.shape, label)
        _values(got, expected, label, rtol, atol)
    elif isinstance(expected, (float, np.floating)):
        expect_float(got, label)
        _values(got, expected, label, rtol, atol)
    elif got != expected:
        raise CheckFailed(f"{label} returned a different value from the reference solution.")


def _values(got, expected, label, rtol, atol):
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if not np.all(np.isfinite(got)):
        raise CheckFailed(
            f"{label} returned NaN or infinity on a hidden input, expected finite values."
        )
    wrong = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    if wrong.any():
        scale = np.maximum(np.abs(expected), atol)
        worst = float(np.max(np.abs(got - expected) / scale))
        raise CheckFailed(
            f"{label}: {int(wrong.sum())} of {wrong.size} values differ from the reference "
            f"solution (largest relative difference {worst:.2g}, tolerance {rtol:g})."
        )


def _describe_input(value):
    """Say what kind of input a hidden test used, never its values."""
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    if isinstance(value, (int, float, np.number)):
        return "<scalar>"
    return f"<{type(value).__name__}>"
