"""The reference's hidden results: the hidden-test code of a source notebook, run in the grader
with the reference implementation in place of the student's."""

import os
from contextlib import contextmanager
from functools import lru_cache

import nbformat

from . import hidden
from .reference import reference_cells

BEGIN, END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


def hidden_code(source):
    """The lines of a cell's hidden-test regions, in order."""
    lines, inside = [], False
    for line in source.splitlines():
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside:
            lines.append(line)
    return "\n".join(lines)


def test_cells(notebook_path):
    """{grade id: source} of the test cells (graded, not solutions) of a source notebook."""
    cells = {}
    for cell in nbformat.read(notebook_path, as_version=4).cells:
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and grading.get("grade") and not grading.get("solution"):
            cells[grading["grade_id"]] = cell.source
    return cells


def expected_records(notebook_path, seed):
    """{grade id: [records]} of the reference for one student's seed."""
    return {
        grade_id: _records(
            str(notebook_path), grade_id, hidden_code(source), _seed_key(source, seed)
        )
        for grade_id, source in test_cells(notebook_path).items()
    }


def _seed_key(source, seed):
    # A cell that draws no random input gives every student the same results: compute it once.
    return seed if "hidden_rng" in source else None


@lru_cache(maxsize=4096)
def _records(notebook_path, grade_id, code, seed):
    namespace = dict(_reference_namespace(notebook_path))
    with _seed(seed), hidden.recording() as records:
        exec(compile(code, f"<hidden tests {grade_id}>", "exec"), namespace)
    return tuple(records)


@lru_cache(maxsize=64)
def _reference_namespace(notebook_path):
    namespace = {"__name__": "__reference__"}
    for source in reference_cells(notebook_path):
        exec(compile(source, f"<reference {notebook_path}>", "exec"), namespace)
    return namespace


@contextmanager
def _seed(seed):
    previous = os.environ.get(hidden.SEED_VARIABLE)
    os.environ[hidden.SEED_VARIABLE] = str(seed or 0)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(hidden.SEED_VARIABLE, None)
        else:
            os.environ[hidden.SEED_VARIABLE] = previous
