"""The hidden phase of a graded notebook: what runs in the kernel after the student's notebook,
and the little that comes back out of it.

A kernel keeps everything it executed (its input history, the line cache, the code objects on
the stack while a hidden test calls the student's function), and the student's code can read
all of it. So the grader runs a notebook in two phases (`GradingExecute`):

1. **the released notebook**: every cell as the student submitted it, the test cells with their
   public checks only. Nothing secret has entered the kernel; these outputs are the ones the
   student's feedback shows.
2. **the hidden phase**, after the last cell: for each test cell, the reference versions of
   the items it needs (`use_reference`) and its hidden tests. Of what the kernel says here,
   only the hidden-test records (`autograder.kernel.records`, plain JSON the grader judges
   outside the kernel), the name of an error's type and whether the cell finished are kept
   (`kept`); whatever the student's code prints, displays, updates or opens here is dropped.

A test whose item calls other graded items gets their reference versions in the hidden phase;
when its public check failed in the released run with the student's own versions of them, the
hidden phase also runs that public check again with the references (`HiddenPart.public`), so
that a mistake in a callee costs only the callee's points.
"""

from dataclasses import dataclass

from nnscratch.cells import grade_id, is_test, without_hidden_tests

from ..kernel.results import RECORD_MIME


@dataclass(frozen=True)
class HiddenPart:
    """What the hidden phase runs for one test cell (at `index` in the notebook)."""

    index: int
    grade_id: str
    uses: tuple
    public: str  # the public check with the references in place ("" without `uses`)
    hidden: str  # the hidden tests, with the references in place ("" without hidden tests)


def hidden_parts(nb, chapter):
    """{cell index: HiddenPart} of the test cells of `nb` that the source's `chapter` knows."""
    parts = {}
    for index, cell in enumerate(nb.cells):
        test = chapter.test_with_id(grade_id(cell)) if is_test(cell) else None
        if test is None:
            continue
        swap = reference_swap(chapter, test) if test.uses else ""
        parts[index] = HiddenPart(
            index,
            test.grade_id,
            test.uses,
            public=swap + without_hidden_tests(cell.source) if test.uses else "",
            hidden=swap + test.hidden if test.hidden.strip() else "",
        )
    return parts


def reference_swap(chapter, test):
    """The lines that put the reference versions of `test.uses` in place."""
    source = chapter.reference_source(test.uses)
    return (
        "from autograder.kernel import use_reference\n\n"
        f"use_reference(globals(), {test.uses!r}, source={source!r})\n"
    )


def public_code(cell):
    """A test cell as the released run executes it: its public check only."""
    return without_hidden_tests(cell.source)


def kept(msg):
    """What the grader keeps of one message of the hidden phase's kernel: a record, an error's
    type name, or nothing. The student's code controls everything else it says."""
    content = msg.get("content", {})
    if msg.get("msg_type") == "display_data" and RECORD_MIME in content.get("data", {}):
        return ("record", content["data"][RECORD_MIME])
    if msg.get("msg_type") == "error":
        return ("error", str(content.get("ename", "")))
    return None
