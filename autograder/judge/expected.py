"""The reference's hidden results: the hidden-test code of a source notebook, run in the grader
with the reference implementation in place of the student's.

Several notebooks may be graded at once in one process (the threads of a Dask worker): what
is per student (the seed of the hidden inputs, the records) travels with each call, never
through the process's environment.
"""

import threading
from functools import lru_cache

from nnscratch.chapter import read_chapter

from ..course.reference import run_reference_cells
from ..kernel import hidden
from .remember import remembered


def expected_records(notebook_path, seed):
    """{grade id: [records]} of the reference for one student's seed."""
    return {
        test.grade_id: _records(
            str(notebook_path),
            test.grade_id,
            test.hidden,
            # A cell that draws no random input gives every student the same results.
            seed if test.draws_per_student_inputs else None,
        )
        for test in read_chapter(notebook_path).tests
    }


# Enough for every cell of a few students: cells that draw no random input are asked for by
# every submission and stay; per-student ones are not asked for again but at a regrade.
@lru_cache(maxsize=256)
def _records(notebook_path, grade_id, code, seed):
    namespace = dict(hidden_scope(notebook_path))
    with hidden.recording(seed or 0) as records:
        exec(compile(code, f"<hidden tests {grade_id}>", "exec"), namespace)
    return tuple(records)


def hidden_scope(notebook_path):
    """What the reference's hidden code runs in: the reference cells' names, with the graded
    functions remembering their results across students (`autograder.judge.remember`). The
    functions' own calls to each other go through their namespace, and are not remembered."""
    # Run once per process: a caller arriving while `warm_up`'s thread runs it waits for it.
    with _scope_lock:
        return _hidden_scope(str(notebook_path))  # one cache entry, whichever type it came as


def warm_up(notebook_path):
    """Start running the reference cells in a thread, to be ready when the student's kernel
    has finished: their imports (matplotlib, scikit-learn: about 2 s in a new grading
    process) then overlap the kernel's run instead of following it. Only the cells run
    here, which record nothing: the hidden code, whose warnings `nnscratch.checks.call`
    records, still runs in the caller's thread."""
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
    # Only functions are pure: a class's methods change their object.
    for name, item in read_chapter(notebook_path).items.items():
        if item.kind == "function":
            scope[name] = remembered(namespace[name])
    return scope
