"""The hidden tests' side of grading, as it runs in the student's kernel.

A hidden test never compares anything in the student's kernel, where the student's code could
patch NumPy, walk the caller's frames or swallow the failure. It only calls the student's
function on a fresh input and hands the result to the grader (`expect`); the grader runs the
same hidden code with the reference implementation, outside the sandbox, and compares the two
(`autograder.verdict`). The student's kernel never holds the reference of the function under
test, nor an expected value.
"""

import copy
import os
import zlib
from contextlib import contextmanager

import numpy as np

from nnscratch.checks import call

from .results import RECORD_MIME, encode

SEED_VARIABLE = "NNSCRATCH_GRADING_SEED"
_recorded = None  # a list while the grader records the reference's results in-process


def hidden_rng(test_name):
    """The random generator of one hidden test: per student (the grader sets the seed), per test."""
    base = int(os.environ.get(SEED_VARIABLE, "0"))
    return np.random.default_rng([base, zlib.crc32(test_name.encode())])


def expect(function, *args, name, rtol=1e-7, atol=1e-12, allow_warnings=False):
    """Run `function(*args)` on its own copy of the inputs and record its result for the grader.

    `name` is the graded function's name, used in the message a student reads. The tolerances
    the grader applies are those of the reference run, whatever the student's kernel records.
    An exception or a warning fails the test at once, with the sentence that says so.
    """
    label = f"{name}({', '.join(_describe_input(a) for a in args)})"
    result = call(function, *copy.deepcopy(args), label=label, allow_warnings=allow_warnings)
    _record({"kind": "same", "label": label, "result": encode(result), "rtol": rtol, "atol": atol})


def expect_accuracy(predictions, labels, minimum, label):
    """Record the student's `predictions`, whose accuracy on `labels` must reach `minimum`.

    The grader scores them itself, against the labels of the reference's run: an accuracy
    computed here, where the student's code may have patched NumPy, would prove nothing.
    """
    record = {"kind": "accuracy", "label": label, "minimum": minimum}
    record["predictions"] = encode(np.asarray(predictions))
    record["labels"] = encode(np.asarray(labels))
    _record(record)


def use_reference(namespace, assignment, *names, source=None):
    """Replace the student's `names` in `namespace` with the reference versions.

    A test cell of a function that calls other graded functions starts with this, so a mistake
    in a callee costs only the callee's points. The grader passes `source`, the reference code
    of those callees (the sandbox hides solutions/); the instructor's own runs read solutions/.
    In a kernel, the student's own versions come back when the cell ends (`_restore_after_cell`).
    """
    if source is None:
        from .reference import load_reference

        reference = vars(load_reference(assignment))
    else:
        reference = {"__name__": f"reference_{assignment}"}
        exec(compile(source, f"<reference {assignment}>", "exec"), reference)
    _restore_after_cell(namespace, names)
    for name in names:
        namespace[name] = reference[name]


_MISSING = object()
_saved = {}  # name -> the student's value, for the test cell running now


def _restore_after_cell(namespace, names):
    """Put the student's functions back once the running cell ends, so the cells after a test
    (the MNIST training, say) run the student's code, as in their own notebook, and the feedback
    shows what their code does. Outside IPython (the reference's run) there is nothing to undo.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    if not _saved:

        def restore(*_):
            shell.events.unregister("post_run_cell", restore)
            for name, value in _saved.items():
                if value is _MISSING:
                    namespace.pop(name, None)
                else:
                    namespace[name] = value
            _saved.clear()

        shell.events.register("post_run_cell", restore)
    for name in names:
        # A second call in the same cell must not save the reference as the student's.
        _saved.setdefault(name, namespace.get(name, _MISSING))


@contextmanager
def recording():
    """Collect the records of `expect` in a list instead of sending them to the notebook."""
    global _recorded
    previous, _recorded = _recorded, []
    try:
        yield _recorded
    finally:
        _recorded = previous


def _record(record):
    if _recorded is not None:
        _recorded.append(record)
    else:
        from IPython.display import display

        display({RECORD_MIME: record}, raw=True)


def _describe_input(value):
    """Say what kind of input a hidden test used, never its values."""
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    if isinstance(value, (int, float, np.number)):
        return "<scalar>"
    return f"<{type(value).__name__}>"
