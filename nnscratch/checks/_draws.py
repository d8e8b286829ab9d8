"""The view of a random draw (`random_draw`), any chapter's: a random result judged by what it
must be, not by which generator or draw order produced it.

A hidden test records the draws of several seeds (`autograder.kernel.expect_draws`); this view
compares them with the reference's, array by array (in dicts, lists and tuples alike):
- an array the reference fills with one value (zero biases) must hold that value;
- a random array must have the reference's shape, be random (not one value repeated), and have
  the mean and the standard deviation of the reference's draw, within five standard errors:
  a standard deviation estimated from N normal draws is off by 1 / sqrt(2 N) relative, so two
  independent ones differ by about 1 / sqrt(N); their means by std sqrt(2 / N). Five standard
  errors fail a right draw about once in two million comparisons; with N = 500 they still
  tell sqrt(2 / n) from sqrt(1 / n), and a uniform draw in [0, 1) from a centred one;
- draws of different seeds differ where the reference's do.
The same seed giving the same draws again is the record's `again` (`repeat`), judged as for any
result.
"""

import numpy as np

from ._core import CheckFailed, describe, expect_array, keys_differ

STANDARD_ERRORS = 5


def compare_random_draw(got, expected, label, rtol, atol):
    if not isinstance(got, list) or len(got) != len(expected):
        raise CheckFailed(f"{label} should return a draw for each seed, got {describe(got)}.")
    draws = [_arrays(draw, want, label) for draw, want in zip(got, expected, strict=True)]
    for pairs in draws:
        for where, (value, reference) in pairs.items():
            _same_distribution(value, reference, f"{label}{where}", rtol, atol)
    first = draws[0]
    for pairs in draws[1:]:
        for where, (value, reference) in pairs.items():
            reference_differs = not np.array_equal(first[where][1], reference)
            if reference_differs and np.array_equal(first[where][0], value):
                raise CheckFailed(
                    f"{label}{where} should differ from one seed to another, but two seeds gave "
                    "the same values: draw them from a generator seeded with the seed argument."
                )


def _arrays(got, expected, label, where=""):
    """{path: (student's array, reference's array)} of every array in the reference's result."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or set(got) != set(expected):
            keys = keys_differ(got, expected) if isinstance(got, dict) else describe(got)
            raise CheckFailed(f"{label} should return the keys {sorted(expected)}, got {keys}.")
        pairs = {}
        for key in expected:
            pairs.update(_arrays(got[key], expected[key], label, f'{where}["{key}"]'))
        return pairs
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            raise CheckFailed(
                f"{label}{where} should be a sequence of {len(expected)}, got {describe(got)}."
            )
        pairs = {}
        for i, (g, e) in enumerate(zip(got, expected, strict=True)):
            pairs.update(_arrays(g, e, label, f"{where}[{i}]"))
        return pairs
    expected = np.asarray(expected)
    expect_array(got, expected.shape, f"{label}{where}")
    return {where: (got, expected)}


def _same_distribution(got, expected, label, rtol, atol):
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if not np.all(np.isfinite(got)):
        raise CheckFailed(f"{label} holds NaN or infinity, expected finite values.")
    if expected.size == 0:
        return
    if np.ptp(expected) == 0:  # one value: zero biases, say
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            raise CheckFailed(f"{label} should be filled with {float(expected.flat[0]):g}.")
        return
    if np.ptp(got) == 0:
        raise CheckFailed(
            f"{label} should hold random values, all different, got {float(got.flat[0]):g} "
            "everywhere: with equal weights, the units of a layer compute and learn the same."
        )
    n, spread = expected.size, float(np.std(expected))
    off = abs(float(np.std(got)) / spread - 1.0)
    if off > STANDARD_ERRORS / np.sqrt(n):
        raise CheckFailed(
            f"{label} should be drawn with the standard deviation the chapter teaches (the "
            f"reference's draw has {spread:.3g}), but its values have {float(np.std(got)):.3g}."
        )
    if abs(float(np.mean(got)) - float(np.mean(expected))) > STANDARD_ERRORS * spread * np.sqrt(
        2.0 / n
    ):
        raise CheckFailed(
            f"{label} should be drawn around the reference draw's mean "
            f"({float(np.mean(expected)):.2g}), but its values average {float(np.mean(got)):.2g}:"
            " draw standard normal numbers (mean 0), not uniform ones in [0, 1)."
        )


VIEWS = {"random_draw": compare_random_draw}
