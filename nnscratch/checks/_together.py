"""The view of a graded class's method run with the student's own methods together (`together`,
recorded by `autograder.kernel.expect_together`), any chapter's.

A graded class is graded through its public methods. The record holds two runs of the same
steps: the student's own class, and the student's method under test with the reference's other
methods (which read and write the notebook's suggested layout). The method passes when either
run matches the reference's, each compared in the record's own view (`compared`) or value for
value. Where neither does, the student's object keeps its state in a layout of its own, and the
method under test is an earlier step or an earlier step of the student's own run returned
something else than the reference's, nothing tells that this method is at fault: it keeps its
points (the other method's test takes them). The sentence is the student's own run's.
"""

import functools

import numpy as np

from ._core import (
    CheckFailed,
    describe,
    expect_array,
    expect_number,
    failed_call,
    is_number,
    keys_differ,
)


def compare_together(got, expected, label, rtol, atol, views):
    """`views`: every view by name, among them the runs' own (`compared`)."""
    runs, wanted = got.get("runs"), expected["runs"]
    if not isinstance(runs, list) or len(runs) != len(wanted):
        raise ValueError("the record does not hold every run")
    compare = views[expected["compared"]] if expected["compared"] else values_match
    failures = []
    for run, want in zip(runs, wanted, strict=True):
        if isinstance(run, dict) and set(run) == {"failed"}:
            failures.append(failed_call(label, run["failed"]))  # how it failed, not its words
            continue
        try:
            compare(run, want, label, rtol, atol)
            return
        except CheckFailed as failure:
            failures.append(str(failure))
    if expected["declared"] and got.get("declared") is False:
        if not expected["judged_last"] or not _all_match(got.get("earlier"), expected["earlier"]):
            return
    raise CheckFailed(failures[0])


def _all_match(got, expected):
    if not isinstance(got, list) or len(got) != len(expected):
        return False
    try:
        for g, e in zip(got, expected, strict=True):
            values_match(g, e, "", 1e-7, 1e-12)
    except CheckFailed:
        return False
    return True


def values_match(got, expected, label, rtol, atol):
    """A run's state against the reference's, value for value within the tolerance, through
    dicts, lists and tuples; a number is any real number, an array any real dtype."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            keys = keys_differ(got, expected) if isinstance(got, dict) else describe(got)
            raise CheckFailed(f"{label} should give the keys {sorted(expected)}, got {keys}.")
        for key in expected:
            values_match(got[key], expected[key], f'{label}["{key}"]', rtol, atol)
    elif isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            raise CheckFailed(f"{label} should give {len(expected)} values, got {describe(got)}.")
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            values_match(g, e, f"{label}[{i}]", rtol, atol)
    elif is_number(expected) or isinstance(expected, np.ndarray):
        if is_number(expected):
            expect_number(got, label)
        else:
            expect_array(got, expected.shape, label)
        wrong = ~np.isclose(np.asarray(got, dtype=float), expected, rtol=rtol, atol=atol)
        if wrong.any():
            raise CheckFailed(
                f"{label} should match the reference solution, but {int(wrong.sum())} of "
                f"{wrong.size} values differ from it (tolerance {rtol:g})."
            )
    elif got != expected:
        raise CheckFailed(f"{label} gives a different value from the reference solution.")


def together(views):
    """The view `together`, comparing each run in its own view among `views`."""
    return functools.partial(compare_together, views=views)
