"""The instructor manual's tables are the grader's own: its statuses and its limits."""

from support import REPO

from autograder.output.statuses import markdown_table
from autograder.sandbox import limits


def test_the_instructor_manual_lists_exactly_the_statuses_the_grader_writes():
    manual = (REPO / "book" / "instructors.md").read_text()
    table = manual.split("<!-- statuses-start -->")[1].split("<!-- statuses-end -->")[0]
    assert [line.strip() for line in table.strip().splitlines()] == markdown_table().splitlines()


def test_the_instructor_manual_gives_the_limits_the_grader_applies():
    manual = (REPO / "book" / "instructors.md").read_text()
    table = manual.split("<!-- limits table -->")[1].split("<!-- end limits table -->")[0]
    assert [line.strip() for line in table.strip().splitlines()] == (
        limits.markdown_table().splitlines()
    )
