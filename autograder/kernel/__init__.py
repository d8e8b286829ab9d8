"""The only grading code a student's kernel imports, and the only part of the grader the
sandbox shows it: the hidden tests' helpers (`hidden`) and the encoding of their results
(`results`). Nothing here compares, holds a reference or knows nbgrader: the grader judges the
results outside the kernel (`autograder.judge`).

The hidden tests of a source notebook start with `from autograder.kernel import expect, ...`.
"""

from .hidden import (
    SEED_VARIABLE,
    expect,
    expect_accuracy,
    expect_draws,
    expect_raises,
    expect_steps,
    expect_together,
    hidden_rng,
    own_class,
    recording,
    use_reference,
)

__all__ = [
    "SEED_VARIABLE",
    "expect",
    "expect_accuracy",
    "expect_draws",
    "expect_raises",
    "expect_steps",
    "expect_together",
    "hidden_rng",
    "own_class",
    "recording",
    "use_reference",
]
