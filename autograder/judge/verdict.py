"""Compare what a student's kernel recorded with what the reference recorded, outside the kernel.

This runs in the grader's own process, with NumPy as the grader imported it: nothing the
student's code patched. Labels and tolerances come from the reference's records, never from
the student's. A failure is one sentence that says what was expected, without the hidden input
or the expected values, and without any text the student's code produced: it describes the
student's values by type, shape and a few digits.
"""

import numpy as np

from nnscratch.checks import (
    CheckFailed,
    describe,
    error_name,
    expect_array,
    expect_number,
    failed_call,
    is_number,
    keys_differ,
)

from ..kernel.records import ACCURACY, FAILED, Record
from ..kernel.results import Unencodable, decode
from .runs import DIED, NOT_RUN, TIMED_OUT, HiddenRun
from .views import compare_in_view


def verdict(records, expected_records, name, run=None):
    """None when the student's `records` match the reference's, else the failure sentence.

    `run` is what the hidden phase left (`autograder.judge.runs.HiddenRun`: how it ended),
    when it was not a clean end. Every word of the sentence is the grader's: labels from the
    reference's records, a failure named by its kind and, for Python's and NumPy's own
    exceptions and warnings, its type.
    """
    run = run or HiddenRun(records=records)
    try:
        for index, expected in enumerate(expected_records):
            expected = Record.from_json(expected)
            if index >= len(records):
                return _unfinished(run, name, len(expected_records), expected.label)
            got = Record.from_json(records[index])
            if got.kind == FAILED:
                return failed_call(expected.label, (got.failure, got.culprit))
            if got.kind != expected.kind or got.label != expected.label:
                return f"the hidden checks of {name} did not run in their order."
            if expected.kind == ACCURACY:
                _accuracy(decode(got.predictions), expected)
            else:
                _same_result(got, expected)
    except CheckFailed as failure:
        return str(failure)
    except (ValueError, TypeError, KeyError):
        return f"the hidden checks of {name} recorded a result the grader cannot read."
    if len(records) > len(expected_records):
        return f"the hidden checks of {name} did not run in their order."
    if run.stopped or run.error:
        return _unfinished(run, name, len(expected_records))
    return None


def _unfinished(run, name, count, at=None):
    """Why the hidden checks of `name` ended before their `count` results, at the check `at`."""
    where = f" at {at}" if at else ""
    if run.stopped == TIMED_OUT:
        return f"the hidden checks of {name} ran past the time limit of their cell{where}."
    if run.stopped == DIED:
        return (
            f"the kernel died in the hidden checks of {name}{where} (a crash, a memory or "
            "process limit)."
        )
    if run.stopped == NOT_RUN:
        return f"the hidden checks of {name} did not run: the kernel was stopped before them."
    if run.error:
        return f"the hidden checks of {name} stopped at {error_name(run.error)}{where}."
    return (
        f"the hidden checks of {name} did not all run: {count} results expected, "
        f"{len(run.records)} recorded."
    )


def _same_result(got, expected):
    """The student's result matches the reference's: the same within the tolerance, or in the
    record's view (`autograder.judge.views`); with `again`, every call returned the same."""
    value, label = decode(got.result), expected.label
    if len(got.again) != len(expected.again):
        raise ValueError("the record does not hold every call")
    for repeated in got.again:
        try:
            same(decode(repeated), value, label, rtol=0.0, atol=0.0)
        except CheckFailed:
            raise CheckFailed(
                f"{label} returned something else when called again with the same inputs: "
                "the same seed should give the same result (draw it from "
                "np.random.default_rng(seed))."
            ) from None
    reference, rtol, atol = decode(expected.result), expected.rtol, expected.atol
    if expected.view is not None:
        compare_in_view(expected.view, value, reference, label, rtol, atol)
    else:
        same(value, reference, label, rtol, atol)


def same(got, expected, label, rtol=1e-7, atol=1e-12):
    """Compare a result with the reference's, recursively through tuples, lists and dicts."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            raise CheckFailed(f"{label} should return a dict, got {describe(got)}.")
        if set(got) != set(expected):
            raise CheckFailed(
                f"{label} should return the keys {sorted(expected)}: {keys_differ(got, expected)}."
            )
        for key in expected:
            same(got[key], expected[key], f'{label}["{key}"]', rtol, atol)
    elif isinstance(expected, (tuple, list)):
        kind = type(expected).__name__
        if type(got) is not type(expected) or len(got) != len(expected):
            raise CheckFailed(
                f"{label} should return a {kind} of {len(expected)}, got {describe(got)}."
            )
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            same(g, e, f"{label}[{i}]", rtol, atol)
    elif is_number(expected):
        # A number is a number: an int, a float, a NumPy scalar or a 0-d array, whichever the
        # reference returned.
        expect_number(got, label, finite=bool(np.isfinite(float(expected))))
        _values(got, expected, label, rtol, atol)
    elif isinstance(expected, np.ndarray):
        # Values, not dtypes: bool or int 0/1 predictions, an int one-hot matrix hold the
        # reference's float values exactly, and behave the same wherever the course uses them.
        expect_array(got, expected.shape, label)
        _values(got, expected, label, rtol, atol)
    elif isinstance(got, Unencodable) or got != expected:
        raise CheckFailed(f"{label} returned a different value from the reference solution.")


def _values(got, expected, label, rtol, atol):
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        raise CheckFailed(
            f"{label} returned NaN or infinity on a hidden input, expected finite values."
        )
    wrong = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if wrong.any():
        # Which part of the result (the label's path: ["costs"][1]) and how far off, never
        # the hidden input or the expected value. A difference from a 0 of the reference is
        # said as it is: relative to 0 it would be a meaningless 1e+12.
        differences, sizes = np.abs(got - expected)[wrong], np.abs(expected)[wrong]
        nonzero = sizes > atol
        if wrong.size == 1:
            by = (
                f"a relative {float(differences[0] / sizes[0]):.2g}"
                if nonzero[0]
                else (f"{float(differences[0]):.2g} where the reference's value is 0")
            )
            raise CheckFailed(
                f"{label} should be the reference solution's value, but differs from it by "
                f"{by} (tolerance {rtol:g})."
            )
        if nonzero.any():
            largest = np.nanmax(differences[nonzero] / sizes[nonzero])
            worst = f"largest relative difference {float(largest):.2g}"
        else:
            worst = f"largest difference {float(np.nanmax(differences)):.2g} where it is 0"
        raise CheckFailed(
            f"{label} should match the reference solution, but {int(wrong.sum())} of "
            f"{wrong.size} values differ from the reference solution's ({worst}; tolerance "
            f"{rtol:g})."
        )


def _accuracy(predictions, expected):
    labels, label = decode(expected.labels), expected.label
    if not isinstance(predictions, np.ndarray) or predictions.shape != labels.shape:
        raise CheckFailed(
            f"{label}: the predictions should have shape {labels.shape}, "
            f"got {describe(predictions)}."
        )
    accuracy = float(np.mean(predictions == labels))
    if not accuracy >= expected.minimum:
        raise CheckFailed(f"{label} is {accuracy:.4g}, it should be at least {expected.minimum:g}.")
