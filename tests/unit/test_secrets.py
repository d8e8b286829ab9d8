"""What the grader says of a hidden run carries no text the student's code chose.

A student's function called by a hidden test may hold anything the kernel held (the hidden
tests' source, the reference's): whatever it raises, warns or returns, the sentence the grader
writes names only the grader's labels, Python's and NumPy's own type names, shapes and digits.
The end-to-end attacks are in tests/e2e/test_secrets.py.
"""

import functools
import warnings

import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_output

from autograder.judge.runs import DIED, MAX_NAME, MAX_RECORDS, NOT_RUN, TIMED_OUT, HiddenRun
from autograder.judge.verdict import verdict
from autograder.kernel import expect, recording
from autograder.kernel.records import Record
from autograder.kernel.results import RECORD_MIME
from autograder.pipeline.hidden_phase import kept
from autograder.pipeline.shorten_tracebacks import MAX_ERROR_CHARACTERS, ShortenTracebacks
from nnscratch.checks import CheckFailed
from nnscratch.checks._errors import compare_raised
from nnscratch.checks._together import compare_together

SECRET = "expect(sigmoid, _rng.normal(0.0, 10.0), name='sigmoid')  # a hidden line"


def said(student, reference=lambda z: np.tanh(z)):
    """The grader's sentence about `student` against `reference` on one hidden input."""
    with recording() as got:
        try:
            expect(student, np.ones((2, 3)), name="sigmoid")
        except CheckFailed:
            pass  # in a kernel, the hidden tests stop here; the record says how
    with recording() as expected:
        expect(reference, np.ones((2, 3)), name="sigmoid")
    message = verdict(got, expected, "sigmoid")
    assert message is not None
    assert "_rng" not in message and "hidden line" not in message, message
    return message


def raising(error):
    def student(z):
        raise error

    return student


def test_an_exception_is_named_by_its_type_never_by_its_message():
    message = said(raising(ValueError(SECRET)))
    assert message.startswith("sigmoid(<array of shape (2, 3)>) raised ValueError on a hidden")


def test_an_exception_of_the_students_own_class_is_not_named():
    message = said(raising(type(SECRET, (Exception,), {})("x")))
    assert "raised an exception of a class of its own" in message


def test_a_stub_still_hears_what_to_do():
    assert "replace `raise NotImplementedError()`" in said(raising(NotImplementedError(SECRET)))


def test_a_warning_is_named_by_its_category_never_by_its_message():
    def student(z):
        warnings.warn(SECRET, stacklevel=1)
        return np.tanh(z)

    assert "gave a UserWarning on a hidden input" in said(student)


@pytest.mark.parametrize(
    "result",
    [
        SECRET,
        type(SECRET, (), {})(),
        {SECRET: 1.0},
        np.zeros(3, dtype=[(SECRET, "f8")]),
        np.array([SECRET]),
        [SECRET, SECRET],
    ],
    ids=["string", "object-of-a-class-named-by-it", "dict-key", "field-name", "str-array", "list"],
)
def test_a_result_is_described_by_type_and_shape_never_by_its_text(result):
    said(lambda z: result)


def test_a_dict_with_other_keys_is_told_which_are_missing():
    message = said(lambda z: {"a": 1.0, SECRET: 2.0}, reference=lambda z: {"a": 1.0, "b": 2.0})
    assert message.endswith("should return the keys ['a', 'b']: ['b'] missing and 1 other key.")


def test_a_record_with_a_label_of_its_own_is_judged_by_the_references_label():
    with recording() as expected:
        expect(np.tanh, np.ones(2), name="sigmoid")
    forged = [{**expected[0], "label": SECRET}]
    assert (
        verdict(forged, expected, "sigmoid")
        == "the hidden checks of sigmoid did not run in their order."
    )


@pytest.mark.parametrize(
    "stopped, words",
    [
        (TIMED_OUT, "ran past the time limit of their cell at sigmoid(<array of shape (2,)>)"),
        (DIED, "the kernel died in the hidden checks of sigmoid at sigmoid("),
        (NOT_RUN, "did not run: the kernel was stopped before them"),
    ],
)
def test_a_hidden_run_that_ended_early_says_how(stopped, words):
    with recording() as expected:
        expect(np.tanh, np.ones(2), name="sigmoid")
    assert words in verdict([], expected, "sigmoid", HiddenRun(stopped=stopped))


def test_an_error_after_the_last_check_fails_the_cell_with_its_type_only():
    with recording() as expected:
        expect(np.tanh, np.ones(2), name="sigmoid")
    run = HiddenRun(records=list(expected), error=SECRET)
    message = verdict(run.records, expected, "sigmoid", run)
    assert message == "the hidden checks of sigmoid stopped at an exception of a class of its own."


def message(msg_type, **content):
    return {"msg_type": msg_type, "content": content}


def test_the_hidden_phase_keeps_only_records_and_error_names():
    record = Record("same", "sigmoid", {"float": 0.5}).to_json()
    assert kept(message("display_data", data={RECORD_MIME: record})) == ("record", record)
    assert kept(message("error", ename="ValueError", evalue=SECRET)) == ("error", "ValueError")
    for msg_type, content in [
        ("stream", {"name": "stdout", "text": SECRET}),
        ("display_data", {"data": {"text/plain": SECRET}}),
        ("update_display_data", {"data": {"text/plain": SECRET}, "transient": {"display_id": 1}}),
        ("execute_result", {"data": {"text/plain": SECRET}}),
        ("comm_open", {"data": {"state": {"value": SECRET}}, "target_name": "jupyter.widget"}),
        ("comm_msg", {"data": {"state": {"value": SECRET}}}),
        ("clear_output", {"wait": False}),
    ]:
        assert kept(message(msg_type, **content)) is None, msg_type


def test_a_flood_from_the_hidden_phase_is_cut_off():
    run = HiddenRun()
    for _ in range(MAX_RECORDS + 5):
        run.keep(("record", {}))
    run.keep(("error", "E" * 10_000))
    assert len(run.records) == MAX_RECORDS and len(run.error) == MAX_NAME


def refused(view, got, expected):
    """The sentence of `view` (`nnscratch.checks` views) for `got` against `expected`."""
    with pytest.raises(CheckFailed) as failure:
        view(got, expected, "f(<scalar>)", 1e-7, 1e-12)
    message = str(failure.value)
    assert "_rng" not in message and "hidden line" not in message, message
    return message


def test_an_input_check_is_judged_without_repeating_the_students_error_or_message():
    expected = {"raised": "ValueError", "message": "", "naming": [["batch size"], ["0"]]}
    named = {"raised": SECRET, "message": "batch size 0"}
    assert "raised an exception of a class of its own" in refused(compare_raised, named, expected)
    message = refused(compare_raised, {"raised": "ValueError", "message": SECRET}, expected)
    assert message.endswith("should say what is wrong: name batch size or the bad value.")


def test_a_class_run_that_failed_is_judged_by_how_it_failed_not_its_words():
    expected = {
        "runs": [{"returned": 1.0}, {"returned": 1.0}],
        "compared": None,
        "declared": True,
        "judged_last": True,
        "earlier": [],
    }
    got = {"runs": [{"failed": ["raised", SECRET]}, {"failed": SECRET}], "declared": True}
    together = functools.partial(compare_together, views={})
    assert "raised an exception of a class of its own" in refused(together, got, expected)


def test_an_error_line_in_the_feedback_is_bounded():
    cell = new_code_cell("raise ValueError(...)")
    cell.outputs = [new_output("error", ename="ValueError", evalue="x" * 10**6, traceback=[])]
    ShortenTracebacks().preprocess_cell(cell, {}, 0)
    [line] = cell.outputs[0].traceback
    assert line.startswith("ValueError: xxx") and len(line) == MAX_ERROR_CHARACTERS
