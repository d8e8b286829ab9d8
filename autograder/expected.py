"""The reference's hidden results: the hidden-test code of a source notebook, run in the grader
with the reference implementation in place of the student's."""

import os
import threading
from contextlib import contextmanager
from functools import lru_cache

import nbformat

from . import hidden
from .reference import graded_name, reference_cells, run_reference_cells, solutions_dir
from .remember import remembered

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


def source_notebook(nbgrader_resources):
    """The source notebook of the notebook nbgrader is grading, from its `resources`."""
    info = nbgrader_resources["nbgrader"]
    return solutions_dir() / info["assignment"] / f"{info['notebook']}.ipynb"


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


# Enough for every cell of a few students: cells that draw no random input are asked for by
# every submission and stay; per-student ones are not asked for again but at a regrade.
@lru_cache(maxsize=256)
def _records(notebook_path, grade_id, code, seed):
    namespace = dict(hidden_scope(notebook_path))
    with _seed(seed), hidden.recording() as records:
        exec(compile(code, f"<hidden tests {grade_id}>", "exec"), namespace)
    return tuple(records)


def hidden_scope(notebook_path):
    """What the reference's hidden code runs in: the reference cells' names, with the graded
    functions remembering their results across students (`autograder.remember`). The
    functions' own calls to each other go through their namespace, and are not remembered."""
    # Run once per process: a caller arriving while `warm_up`'s thread runs it waits for it.
    with _scope_lock:
        return _hidden_scope(str(notebook_path))  # one cache entry, whichever type it came as


def warm_up(notebook_path):
    """Start running the reference cells in a thread, to be ready when the student's kernel
    has finished: their imports (matplotlib, scikit-learn: about 2 s in a new grading
    process) then overlap the kernel's run instead of following it. Only the cells run
    here, which record nothing: the hidden code, whose warnings `nnscratch.checks.call`
    records process-wide, still runs in the caller's thread."""
    threading.Thread(target=_quietly, args=(hidden_scope, notebook_path), daemon=True).start()


def _quietly(function, *args):
    try:
        function(*args)
    except Exception:
        pass  # the grader's own call runs it again and reports the error where it belongs


_scope_lock = threading.Lock()


@lru_cache(maxsize=64)
def _hidden_scope(notebook_path):
    namespace = run_reference_cells([notebook_path], "__reference__")
    scope = dict(namespace)
    for source in reference_cells(notebook_path):
        name = graded_name(source)
        if name:
            scope[name] = remembered(namespace[name])
    return scope


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
