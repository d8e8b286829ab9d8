"""Views: what of a result the grader compares when a right answer need not equal the reference's.

By default a hidden test's result must be the reference's, within the record's tolerance
(`autograder.judge.verdict.same`). A hidden test may name a view instead
(`expect(..., view="partition")`); the grader, outside the student's kernel, then compares the
student's result and the reference's through that view. Each chapter declares its own views
beside its public checks (`VIEWS` in `nnscratch/checks/<chapter>.py`, collected by
`nnscratch.checks.views`), so a chapter that needs a new comparison touches only its own files.
"""

from nnscratch.checks import views


def compare_in_view(name, got, expected, label, rtol, atol):
    """Compare through the view `name`; raises CheckFailed with the sentence of the difference."""
    views()[name](got, expected, label, rtol, atol)
