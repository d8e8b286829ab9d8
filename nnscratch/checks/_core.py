"""The building blocks of every check: call a function safely, then test type -> shape -> values.

Each expectation raises `CheckFailed` with one sentence that says what was expected and what
came back, so a student reads what to fix before any number. The same blocks serve the public
checks in the notebooks and the instructor's hidden tests.
"""

import builtins
import contextlib
import functools
import io
import threading
import warnings

import numpy as np


class CheckFailed(AssertionError):
    """A check found a wrong answer; the message says what was expected.

    `cause`, set by `call`, says what the function did without the words of the message:
    ("raised", the exception's type name) or ("warned", the warning's category name). The
    grader's hidden tests send only that (`autograder.kernel.hidden`).
    """

    cause = None

    def because(self, *cause):
        self.cause = cause
        return self


def describe(value):
    """Name a value's type (and shape) the way a student would: 'a numpy array of shape (3,)'."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a numpy {type(value).__name__}"
    if value is None:
        return "None (did you forget a `return`?)"
    if isinstance(getattr(value, "described", None), str):
        return value.described  # a stand-in that says what it stands for (the grader's)
    return f"a {type(value).__name__}"


def call(function, *args, label, expected="", hint="", allow_warnings=False):
    """Call `function(*args)` and return its result, failing on an exception or a warning.

    NumPy's warnings are switched on here whatever the notebook set, because nbgrader scores a
    test cell that writes to stderr 0 even when its checks pass. `label` names the call in
    messages, e.g. "sigmoid(-1000.0)"; `expected` says what should come back ("a float"), and
    `hint` is added to a failure message. With `allow_warnings`, NumPy's and Python's warnings
    are silenced instead (for code where a correct answer may warn, such as log(0) in a cost
    on saturated predictions): they still never reach stderr. What the function itself writes
    to stderr (a tqdm progress bar) is dropped, for the same reason.
    """
    numpy_errors = "ignore" if allow_warnings else "warn"
    caught = []
    # The warning filters are the process's: in a grader that judges several notebooks at once
    # (the threads of a Dask worker) one call at a time changes them, and only the warnings of
    # this thread count against the function.
    with (
        _one_call_at_a_time,
        warnings.catch_warnings(),
        np.errstate(all=numpy_errors, under="ignore"),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore" if allow_warnings else "always")
        warnings.showwarning = _recorder(caught, threading.get_ident())
        try:
            result = function(*args)
        except NotImplementedError:
            raise CheckFailed(not_implemented(label)).because(
                "raised", "NotImplementedError"
            ) from None
        except CheckFailed:
            raise
        except Exception as error:
            should = f" should return {expected}, but it" if expected else ""
            raise CheckFailed(
                f"{label}{should} raised {type(error).__name__}: {_sentence(error)}{_suffix(hint)}"
            ).because("raised", type(error).__name__) from None
    if caught:
        messages = "; ".join(sorted({str(message) for message in caught}))
        raise CheckFailed(
            f"{label} should run without warnings, but got: {messages}.{_suffix(hint)}"
        ).because("warned", type(caught[0]).__name__)
    return result


def not_implemented(label):
    """What a student reads of a function that is still the stub."""
    return (
        f"{label} raised NotImplementedError: replace `raise NotImplementedError()` in the "
        "function with your code."
    )


# The exceptions and warnings the grader's sentences about a hidden test may name: Python's and
# NumPy's own. Any other name is the student's code's to choose, and could carry what that
# code read in the kernel (the hidden tests' source).
_ERRORS = [
    c for c in vars(builtins).values() if isinstance(c, type) and issubclass(c, BaseException)
]
KNOWN_WARNINGS = frozenset(c.__name__ for c in _ERRORS if issubclass(c, Warning)) | {
    "ComplexWarning",
    "RankWarning",
    "VisibleDeprecationWarning",
}
KNOWN_ERRORS = (
    frozenset(c.__name__ for c in _ERRORS) | {"LinAlgError", "AxisError", "CheckFailed"}
) - KNOWN_WARNINGS


def error_name(type_name):
    """An exception's type name as a sentence may say it: Python's and NumPy's own only."""
    known = isinstance(type_name, str) and type_name in KNOWN_ERRORS
    return type_name if known else "an exception of a class of its own"


def warning_name(type_name):
    known = isinstance(type_name, str) and type_name in KNOWN_WARNINGS
    return f"a {type_name}" if known else "a warning of a class of its own"


def failed_call(label, how):
    """What a student reads of a call of a hidden test that failed, from how it failed alone
    (`CheckFailed.cause`, as the hidden test records it): never a word of the message, which the
    student's code wrote while the hidden tests were in its kernel."""
    kind, culprit = tuple(how) if isinstance(how, (list, tuple)) and len(how) == 2 else (None, None)
    if kind == "no method":
        return f"{label}: the class should have the method this step calls, it has none."
    if kind == "warned":
        return (
            f"{label} should run without warnings, but gave {warning_name(culprit)} on a "
            "hidden input."
        )
    if culprit == "NotImplementedError":
        return not_implemented(label)
    return (
        f"{label} raised {error_name(culprit)} on a hidden input. The hidden checks show no "
        "error message: call the function yourself on inputs of these shapes to read it."
    )


_one_call_at_a_time = threading.RLock()


def _recorder(caught, thread):
    """A `warnings.showwarning` that keeps the messages of `thread` and drops the others'."""

    def record(message, category, filename, lineno, file=None, line=None):
        if threading.get_ident() == thread:
            caught.append(message)

    return record


def keys_differ(got, expected):
    """How a dict's keys differ from the `expected` ones, without naming the dict's own keys
    (a key could hold any text; the grader's sentences repeat none): "['db'] missing and 1
    other key"."""
    missing, extra = sorted(set(expected) - set(got)), len(set(got) - set(expected))
    wrong = ([f"{missing} missing"] if missing else []) + (
        [f"{extra} other key{'s' * (extra > 1)}"] if extra else []
    )
    return " and ".join(wrong)


def is_number(value):
    """True for any real number: a Python int or float, a NumPy integer or floating scalar, or
    a 0-d array of those (what `np.squeeze` of a (1, 1) array gives). A bool is not a number
    here, nor is a (1, 1) array, a list, None or a string."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    return (
        isinstance(value, np.ndarray)
        and value.ndim == 0
        and (np.issubdtype(value.dtype, np.integer) or np.issubdtype(value.dtype, np.floating))
    )


def expect_number(value, label, what="", finite=True):
    """A scalar answer (a cost, a bias, a rate) must be a real number, finite unless told.

    `what` names the part of the result the sentence is about ("the cost"), if not all of it.
    """
    part = f"{what} as " if what else ""
    if not is_number(value):
        advice = ""
        if isinstance(value, np.ndarray) and value.size == 1:
            advice = " Turn a one-element array into a number with float(...) or np.squeeze(...)."
        raise CheckFailed(f"{label} should return {part}a number, got {describe(value)}.{advice}")
    if finite and not np.isfinite(float(value)):
        raise CheckFailed(f"{label} should return {part}a finite number, got {float(value)}.")


def is_real_array(value):
    """True for an array of real numbers: bool, integer or floating-point values. An array whose
    values are right is right whatever its dtype (predictions of bool or int 0/1, an int one-hot
    matrix), as a number is a number; complex, object and string arrays are not."""
    return isinstance(value, np.ndarray) and value.dtype.kind in "biuf"


def expect_array(value, shape, label):
    """An array answer must be a NumPy array of exactly `shape`, of real numbers (any dtype of
    them: `is_real_array`)."""
    if not isinstance(value, np.ndarray):
        raise CheckFailed(
            f"{label} should return a numpy array of shape {shape}, got {describe(value)}."
        )
    if value.shape != tuple(shape):
        raise CheckFailed(f"{label} should return shape {tuple(shape)}, got shape {value.shape}.")
    if not is_real_array(value):
        raise CheckFailed(f"{label} should return numbers, got dtype {value.dtype}.")


def tip(text):
    """Advice that does not fail the check (the float form of an answer right in another dtype)."""
    print(f"Tip: {text}")


def expect_close(value, expected, label, rtol=1e-7, atol=1e-12, hint=""):
    """Values must match `expected` within the tolerance, and contain no NaN or infinity."""
    got = np.asarray(value, dtype=float)
    want = np.asarray(expected, dtype=float)
    if not np.all(np.isfinite(got)):
        raise CheckFailed(
            f"{label} returned NaN or infinity, expected finite values.{_suffix(hint)}"
        )
    if np.allclose(got, want, rtol=rtol, atol=atol):
        return
    if got.ndim == 0:
        raise CheckFailed(
            f"{label} should be {float(want):.10g}, got {float(got):.10g}.{_suffix(hint)}"
        )
    wrong = ~np.isclose(got, want, rtol=rtol, atol=atol)
    where = tuple(int(i) for i in np.argwhere(wrong)[0])
    raise CheckFailed(
        f"{label}: {int(wrong.sum())} of {wrong.size} values are wrong; at index {where} expected "
        f"{want[where]:.10g}, got {got[where]:.10g}.{_suffix(hint)}"
    )


def passed(name):
    print(f"All public checks of {name} passed.")


def _sentence(text):
    text = str(text).rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _suffix(hint):
    return f" {hint}" if hint else ""


def expect_pair(result, label, names):
    """`result` as a 2-tuple, named `names` (such as "(grads, cost)") in the sentence if not."""
    if not isinstance(result, tuple) or len(result) != 2:
        raise CheckFailed(f"{label} should return a tuple {names}, got {describe(result)}.")
    return result


def expect_keys(value, keys, label, what):
    """`value` is a dict with exactly `keys`; `what` names it in the sentence (`grads`)."""
    if not isinstance(value, dict):
        raise CheckFailed(f"{label} should return {what} as a dict, got {describe(value)}.")
    if set(value) != keys:
        raise CheckFailed(
            f"{label} should return {what} with the keys {sorted(keys)}, got {sorted(value)}."
        )


def expect_array_of(value, shape, label, what, meaning=""):
    """Like `expect_array`, but the sentence names the part of the result that is wrong."""
    shape = tuple(shape)
    also = f" ({meaning})" if meaning else ""
    if not isinstance(value, np.ndarray):
        raise CheckFailed(
            f"{label} should return {what} as a numpy array of shape {shape}{also}, "
            f"got {describe(value)}."
        )
    if value.shape != shape:
        raise CheckFailed(
            f"{label} should return {what} of shape {shape}{also}, got shape {value.shape}."
        )
    if not is_real_array(value):
        raise CheckFailed(f"{label} should return {what} as numbers, got dtype {value.dtype}.")


HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")


def expect_history(value, label, lengths=None):
    """`value` as a training history: a dict of the four HISTORY_KEYS, each a list (or 1-D
    array) of numbers, the accuracies fractions; with `lengths` ({key: n}), n entries in each.
    Returns the history with its entries as floats."""
    if not isinstance(value, dict) or set(value) != set(HISTORY_KEYS):
        got = keys_differ(value, HISTORY_KEYS) if isinstance(value, dict) else describe(value)
        raise CheckFailed(
            f"{label} should return the history as a dict with the keys {list(HISTORY_KEYS)}, "
            f"got {got}."
        )
    history = {}
    for key in HISTORY_KEYS:
        values = value[key]
        if isinstance(values, np.ndarray) and values.ndim == 1:
            values = list(values)
        if not isinstance(values, (list, tuple)):
            raise CheckFailed(
                f'{label} should return history["{key}"] as a list, got {describe(values)}.'
            )
        if lengths is not None and len(values) != lengths[key]:
            per = "none without a validation pair" if lengths[key] == 0 else "one per epoch"
            raise CheckFailed(
                f'{label} should return history["{key}"] with {lengths[key]} entries ({per}), '
                f"got {len(values)}."
            )
        for entry in values:
            expect_number(entry, label, f'each entry of history["{key}"]')
        if key.endswith("accuracy") and not all(0.0 <= float(v) <= 1.0 for v in values):
            raise CheckFailed(
                f'{label} should return history["{key}"] as fractions between 0 and 1.'
            )
        history[key] = [float(entry) for entry in values]
    return history


# A graded class is graded through its public methods.

STUDENT_CLASS = "__nnscratch_student_class__"  # set on a class the grader made from the student's


def own_class(cls):
    """The student's own class behind `cls`: the class itself, or, where the grader put in place
    a class of the student's method with the reference's others around it (a test cell of a
    method), the student's class it was made from."""
    return vars(cls).get(STUDENT_CLASS, cls) if isinstance(cls, type) else cls


def with_own_methods(check):
    """A public check of a graded class's method, run on the student's own class first (its
    methods together) and, where that fails and the grader put the reference's other methods in
    place around the student's method, on that class: so that another method's mistake does not
    fail this one. The own class's failure is the one told."""

    @functools.wraps(check)
    def run(cls):
        own = own_class(cls)
        try:
            return check(own)
        except CheckFailed as failure:
            if own is cls:
                raise
            first = failure
        try:
            return check(cls)
        except CheckFailed:
            raise first from None

    return run
