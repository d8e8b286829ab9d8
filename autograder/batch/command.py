"""`python -m autograder grade`: what the instructor sees of a batch, and its exit status."""

import sys
from pathlib import Path

from ..output.layout import OutputFolder
from ..reporting.summary import summary
from .grade import SandboxUnavailable, grade


def grade_command(submitted_dir, out_dir, limits=None, force=False, **where):
    """Exit 0 when every submission got its rows, 1 when the grader itself failed on some
    (said on stderr; grading them again retries them), 2 when it cannot grade at all."""
    try:
        rows, cells, failures = grade(
            Path(submitted_dir), Path(out_dir), limits, force, progress=True, **where
        )
    except SandboxUnavailable as error:
        print(f"not grading: {error}")
        return 2
    print(summary(rows, cells))
    print(f"{len(rows)} notebooks -> {OutputFolder(out_dir).grades}")
    for student, assignment, error in failures:
        print(
            f"the grader failed on {student}/{assignment} (no grade recorded; run grade again "
            f"to retry it): {type(error).__name__}: {error}",
            file=sys.stderr,
        )
    return 1 if failures else 0
