"""Every way the grading of a submitted notebook can end: the `status` column of grades.csv.

This table is the one list: the grader writes only these, and the instructor manual's table of
statuses (book/instructors.md) is this one, rendered (`markdown_table`; a test keeps the two the
same). The limits it names are read from their one definition, `autograder.sandbox.limits`.
"""

from ..sandbox.limits import (
    CELL_SECONDS,
    FACTOR,
    INTERRUPT_GRACE_SECONDS,
    MARGIN_SECONDS,
    NOTEBOOK_SECONDS,
    times_in_words,
)

GRADED = "graded"
TAMPERED = "tampered"
TIMEOUT = "timeout"
CRASHED = "crashed"
INVALID = "invalid notebook"
FOREIGN = "not this assignment's notebook"
UNKNOWN = "unknown notebook"


STATUSES = {
    GRADED: "the notebook ran; its score is the sum of the tests it passed",
    TAMPERED: (
        "read-only or test cells were edited, deleted, duplicated, reordered or renamed: the "
        "released cells were put back and the notebook graded as released, so the honest "
        "answers still earn their points and the tampering earns none"
    ),
    TIMEOUT: (
        f"a cell ran past its limit ({times_in_words(FACTOR)} what the reference takes for it "
        f"here plus {MARGIN_SECONDS} s, at most `--timeout`, {CELL_SECONDS} s) or the notebook "
        f"past `--notebook-timeout` ({NOTEBOOK_SECONDS} s); the cells that finished still "
        "score, and the stopped cell's feedback shows what it printed and the limit it ran "
        "past. A kernel that does not answer the interrupt (a loop that ignores SIGINT, a long "
        f"call in C) is stopped after {INTERRUPT_GRACE_SECONDS} s, and the cells after it do "
        "not run"
    ),
    CRASHED: "the kernel died (a crash, a memory or process limit); the cells before still score",
    INVALID: "the file is not a notebook: broken JSON, an empty file",
    FOREIGN: "a notebook with none of this assignment's graded cells",
    UNKNOWN: (
        "a notebook the course does not have: a file name the assignment has no notebook of, "
        "or a folder of an assignment the course does not have"
    ),
}


def markdown_table():
    """The README's table of statuses."""
    lines = ["| status | what happened |", "| --- | --- |"]
    lines += [f"| `{status}` | {meaning} |" for status, meaning in STATUSES.items()]
    return "\n".join(lines)
