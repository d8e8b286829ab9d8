"""The hidden tests' side of grading, as it runs in the student's kernel.

A hidden test never compares anything in the student's kernel, where the student's code could
patch NumPy, walk the caller's frames or swallow the failure. It only calls the student's
function on a fresh input and hands the result to the grader (`expect`); the grader runs the
same hidden code with the reference implementation, outside the sandbox, and compares the two
(`autograder.judge.verdict`). The student's kernel never holds the reference of the function under
test, nor an expected value.

Where the results go depends on who runs the code:
- the grader's own run of the reference records them in a list (`recording`, per thread);
- a kernel the grader started (it sets `SEED_VARIABLE` in that kernel's environment only)
  sends them to the grader as outputs of their own mime type;
- anywhere else (an instructor running the source notebook, `nbgrader validate`, the
  instructor edition of the book) the functions still run, and must run cleanly, but
  nothing is recorded.
"""

import contextvars
import copy
import os
import zlib
from contextlib import contextmanager

import numpy as np

from nnscratch.checks import CheckFailed, call, views
from nnscratch.checks._core import STUDENT_CLASS, own_class

from .records import ACCURACY, FAILED, SAME, Record
from .results import RECORD_MIME, encode

SEED_VARIABLE = "NNSCRATCH_GRADING_SEED"
INIT = "__init__"
TOGETHER = "together"  # the view of `expect_together`'s record (nnscratch/checks/_together.py)
# Per thread: a Dask worker grades several notebooks at once, each in a thread of its own.
_recorded = contextvars.ContextVar("nnscratch_recorded", default=None)
_seed = contextvars.ContextVar("nnscratch_seed", default=None)


def hidden_rng(test_name):
    """The random generator of one hidden test: per student (the grader's seed), per test."""
    seed = _seed.get()
    base = int(os.environ.get(SEED_VARIABLE, "0") if seed is None else seed)
    return np.random.default_rng([base, zlib.crc32(test_name.encode())])


def expect(function, *args, name, rtol=1e-7, atol=1e-12, allow_warnings=False, view=None, repeat=1):
    """Run `function(*args)` on its own copy of the inputs and record its result for the grader.

    `name` is the graded function's name, used in the message a student reads. The tolerances
    the grader applies are those of the reference run, whatever the student's kernel records.
    An exception or a warning fails the test at once, with the sentence that says so.
    `view` names what the grader compares where a right result need not equal the reference's
    (`autograder.judge.views`: "partition", "gradient_check", "final_cost"); with `repeat` > 1 the
    function is called that many times, each on fresh copies, and must return the same each time.
    """
    _known_view(view)
    label = f"{name}({', '.join(_describe_input(a) for a in args)})"
    results = [_call(function, copy.deepcopy(args), label, allow_warnings) for _ in range(repeat)]
    again = tuple(encode(result) for result in results[1:])
    _record(Record(SAME, label, encode(results[0]), rtol, atol, view, again))


def expect_steps(
    cls,
    arguments,
    steps,
    *,
    name,
    attributes=(),
    rtol=1e-7,
    atol=1e-12,
    allow_warnings=False,
    view=None,
):
    """Drive a graded class through a declared sequence and record what it did, step by step.

    `cls(*arguments)` is constructed, then each step `(method, args)` is called in order on the
    object, with its own copy of the inputs. After each step, what the method returned and the
    `attributes` named (those the contract fixes, such as `parameters`) are recorded for the
    grader, who drives the reference class through the same steps and compares. `name` is what
    the test is of, as a student reads it (`NeuralNetwork.fit`). `view` names what the grader
    compares of each step's result, as in `expect` ("history": a training run's per-epoch
    record, where another shuffle gives other numbers).
    """
    _known_view(view)
    label = f"{name.split('.')[0]}({_describe_inputs(arguments)})"
    arguments = copy.deepcopy(tuple(arguments))
    instance = _call(cls, arguments, label, allow_warnings)
    for method, args in steps:
        step = f"{label}.{method}({_describe_inputs(args)})"
        if not callable(getattr(instance, method, None)):
            _record(Record(FAILED, step, failure="no method"))
            raise CheckFailed(f"{step}: the class should have a method {method}, it has none.")
        args = copy.deepcopy(tuple(args))
        returned = _call(getattr(instance, method), args, step, allow_warnings)
        state = {"returned": _encodable(returned, instance)}
        for attribute in attributes:
            state[attribute] = copy.deepcopy(getattr(instance, attribute, "<missing attribute>"))
        _record(Record(SAME, step, encode(state), rtol, atol, view))


def _call(function, args, label, allow_warnings):
    """`nnscratch.checks.call`, recording how a failing call failed: the grader's sentence
    about it is written outside the kernel, from the failure's kind and type name alone."""
    try:
        return call(function, *args, label=label, allow_warnings=allow_warnings)
    except CheckFailed as failure:
        failure_kind, culprit = failure.cause or ("raised", None)
        _record(Record(FAILED, label, failure=failure_kind, culprit=culprit))
        raise


def _known_view(view):
    if view is not None and view not in views():
        raise ValueError(f"unknown view {view!r}: one of {sorted(views())}")


def expect_accuracy(predictions, labels, minimum, label):
    """Record the student's `predictions`, whose accuracy on `labels` must reach `minimum`.

    The grader scores them itself, against the labels of the reference's run: an accuracy
    computed here, where the student's code may have patched NumPy, would prove nothing.
    `predictions` may be a function of no arguments that trains and predicts: the grader's
    own run of the reference then skips it, since only its labels are used (a class's
    training, unlike a graded function's, is not remembered across students).
    """
    encoded = None
    if not callable(predictions):
        encoded = encode(np.asarray(predictions))
    elif _recorded.get() is None:  # not the grader's run of the reference, which skips it
        encoded = encode(np.asarray(_call(predictions, (), label, allow_warnings=True)))
    labels = encode(np.asarray(labels))
    _record(Record(ACCURACY, label, minimum=minimum, predictions=encoded, labels=labels))


def use_reference(namespace, names, source):
    """Put the reference versions of `names` in place in `namespace` for one test cell.

    The grader starts a test cell with this where its graded item calls other graded items
    (`nnscratch.chapter` reads which), so that a mistake in a callee costs only the callee's
    points. `source` is the reference code of those items (the sandbox hides solutions/).
    A name is a function or a whole class (`f`, `C`), or one method of a class (`C.method`):
    the student's class then gets the reference's method, and an object of it is set up by
    the student's `__init__` and then the reference's. In a kernel, the student's own versions
    come back when the cell ends (`_restore_after_cell`).
    """
    reference = {"__name__": "__reference__"}
    exec(compile(source, "<reference>", "exec"), reference)
    replaced, methods = {}, {}
    for name in names:
        owner, _, method = name.partition(".")
        if method:
            methods.setdefault(owner, []).append(method)
        else:
            replaced[name] = reference[name]
    for owner, owner_methods in methods.items():
        student = namespace.get(owner)
        if owner not in replaced and isinstance(student, type):
            replaced[owner] = _hybrid(student, reference[owner], owner_methods)
    _restore_after_cell(namespace, list(replaced))
    namespace.update(replaced)


def _hybrid(student, reference, methods):
    """The student's class with the reference's `methods`, and whatever else of the reference's
    class (a helper method) the student's class lacks: the student's own helpers stay theirs."""
    own = vars(reference)
    body = {k: v for k, v in own.items() if not k.startswith("__") and not hasattr(student, k)}
    body.update({m: own[m] for m in methods if m != INIT and m in own})
    if INIT in methods:

        def __init__(self, *args, **kwargs):
            try:
                student.__init__(self, *args, **kwargs)
            except Exception:
                pass  # the student's __init__ is graded by its own test, not by this one
            reference.__init__(self, *args, **kwargs)

        body[INIT] = __init__
    body["__qualname__"] = student.__qualname__
    body["__module__"] = student.__module__
    body[STUDENT_CLASS] = student  # for `own_class`
    return type(student.__name__, (student,), body)


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
def recording(seed=0):
    """Collect the records of `expect` in a list, in this thread, with hidden inputs drawn
    from `seed` (the grader's run of the reference for one student)."""
    records = []
    recorded, seeded = _recorded.set(records), _seed.set(seed)
    try:
        yield records
    finally:
        _recorded.reset(recorded)
        _seed.reset(seeded)


def _record(record):
    records = _recorded.get()
    if records is not None:
        records.append(record.to_json())
    elif SEED_VARIABLE in os.environ:  # a kernel the grader started
        from IPython.display import display

        display({RECORD_MIME: record.to_json()}, raw=True)


def _encodable(value, instance):
    """A step's result as the grader compares it: `self` (`fit` returning the object) as a
    marker, since the student's object and the reference's are different objects."""
    return "<the object itself>" if value is instance else value


def _describe_inputs(args):
    return ", ".join(_describe_input(a) for a in args)


def _describe_input(value):
    """Say what kind of input a hidden test used, never its values."""
    if isinstance(value, np.ndarray):
        return f"<array of shape {value.shape}>"
    if isinstance(value, (int, float, np.number)):
        return "<scalar>"
    return f"<{type(value).__name__}>"


def expect_draws(function, *args, seeds, name, view="random_draw", allow_warnings=False):
    """Record what `function(*args, seed)` draws for each of `seeds`, twice, for the grader.

    A random result is graded by what it must be, not by which generator or draw order produced
    it: the grader compares the draws in `view` (`random_draw`: the reference's shapes, its
    constant arrays, the scale of its random ones, other draws for other seeds) and the second
    round of calls must give the first's again, seed for seed.
    """
    _known_view(view)
    label = f"{name}({', '.join(_describe_input(a) for a in args)}, seed)"
    rounds = [
        [_call(function, (*copy.deepcopy(args), seed), label, allow_warnings) for seed in seeds]
        for _ in range(2)
    ]
    _record(Record(SAME, label, encode(rounds[0]), 1e-7, 1e-12, view, (encode(rounds[1]),)))


def expect_raises(function, *args, name, error=ValueError, naming):
    """Record which error `function(*args)` raises, and its message, for the grader.

    For an input check, a requirement graded by a test of its own: the grader's view `raises`
    passes `error` (or a subclass) whose message says what is wrong in any words, one of the
    ways `naming` lists (tuples of words that must all appear, such as `[("batch size",),
    ("0",)]`), and fails another error, no error, or a message that says nothing.
    """
    label = f"{name}({', '.join(_describe_input(a) for a in args)})"

    def attempt():
        try:
            function(*copy.deepcopy(args))
        except NotImplementedError:
            raise  # the stub: `call` tells the student to replace it
        except error as raised:
            return {"raised": error.__name__, "message": str(raised)}
        except Exception as raised:
            return {"raised": type(raised).__name__, "message": str(raised)}
        return {"raised": None, "message": ""}

    result = {**_call(attempt, (), label, False), "naming": [list(words) for words in naming]}
    _record(Record(SAME, label, encode(result), 0.0, 0.0, "raises"))


def expect_together(
    cls,
    arguments,
    steps,
    *,
    name,
    attributes=(),
    start=(),
    layout=None,
    judged=-1,
    rtol=1e-7,
    atol=1e-12,
    allow_warnings=False,
    view=None,
):
    """Drive a graded class through `steps` as the student's own methods do it together, and
    record what the last step returned and the `attributes` named, for the grader.

    A graded class is graded through its public methods: the student's own class (`own_class`)
    runs the steps first, whatever layout its methods share their state in. The class in place
    (`cls`: the student's method under test with the reference's others) runs them too, and the
    grader passes the test when either run matches the reference's (the view `together`, each
    run compared as `view` says, or value for value): where the student's methods disagree with
    the reference together, the notebook's suggested layout, which the reference's methods
    read and write, tells whether the method under test is at fault. `start` names attributes
    every run starts from as the class in place sets them (its `__init__` ends with the
    reference's: the reference's parameters, whatever generator the student's drew with).
    `layout` = (attribute, keys) is the suggested layout through which the method under test and
    another share their state (`forward`'s cache, `backward`'s grads). When neither run matches
    and the student's own object does not keep that layout, nothing tells which method is at
    fault, and the grader takes no points for it: where the method under test is an earlier
    step (`judged`, an index into `steps`; the last by default), or where an earlier step of the
    student's own run returned something else than the reference's.
    """
    _known_view(view)
    label = f"{name.split('.')[0]}({_describe_inputs(arguments)})"
    step_names = ".".join(f"{method}(...)" for method, _ in steps)
    label = f"{label}.{step_names}"
    shared = {}
    if start:
        made = _call(cls, copy.deepcopy(tuple(arguments)), label, allow_warnings)
        shared = {attribute: getattr(made, attribute, None) for attribute in start}
    runs, declared, earlier = [], None, None
    for run_class in (own_class(cls), cls):
        returns = []
        try:
            instance = call(
                run_class,
                *copy.deepcopy(tuple(arguments)),
                label=label,
                allow_warnings=allow_warnings,
            )
            for attribute, value in shared.items():
                setattr(instance, attribute, copy.deepcopy(value))
            returned = None
            for method, args in steps:
                step = getattr(instance, method, None)
                if not callable(step):
                    raise CheckFailed(
                        f"{label}: the class should have a method {method}, it has none."
                    ).because("no method", None)
                returned = call(
                    step, *copy.deepcopy(tuple(args)), label=label, allow_warnings=allow_warnings
                )
                returns.append(_encodable(returned, instance))
            state = {"returned": _encodable(returned, instance)}
            for attribute in attributes:
                state[attribute] = copy.deepcopy(
                    getattr(instance, attribute, "<missing attribute>")
                )
        except CheckFailed as failure:
            # How it failed, never the words: the student's code wrote them (`failed_call`).
            instance, state = None, {"failed": list(failure.cause or ("raised", None))}
        if earlier is None:  # the student's own run: what its earlier steps returned
            earlier = returns[:-1] if "failed" not in state else []
        if declared is None and layout is not None:
            attribute, keys = layout
            kept = getattr(instance, attribute, None)
            declared = isinstance(kept, dict) and set(kept) == set(keys)
        runs.append(state)
    last = judged in (-1, len(steps) - 1)
    result = {"runs": runs, "compared": view, "declared": declared}
    result.update(earlier=earlier, judged_last=last)
    _record(Record(SAME, label, encode(result), rtol, atol, TOGETHER))
