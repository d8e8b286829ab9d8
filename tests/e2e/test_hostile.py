"""Broken, tampered, endless and hostile submissions, graded in one sandboxed batch with good ones.

Each case ends as one row with a clear status and never stops the batch, never changes another
student's result and never leaves a process behind. The rule: tampering earns no points, a hang
becomes `timeout`, a crash `crashed`, what is not a notebook `invalid notebook`; the honest
parts of a partly broken notebook still earn their points.

Chapter 1 is worth 10: sigmoid 4, sigmoid_derivative 3, neuron_output 3. An attack on
`sigmoid` that fails leaves 6; a kernel that dies in the `neuron_output` cell leaves 7.
"""

import copy
import csv
import hashlib
import http.server
import subprocess
import threading

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from support import REPO, feedback_text, run

from autograder.course.reference import graded_solutions
from autograder.course.samples import fill
from autograder.kernel.results import RECORD_MIME
from nnscratch.cells import grade_id

NAME = "sigmoid_neuron.ipynb"
EXERCISE = nbformat.read(REPO / "exercises" / "ch1_sigmoid" / NAME, as_version=4)
SOLUTIONS = graded_solutions("ch1_sigmoid")
WRONG_SIGMOID = """
def sigmoid(z):
    return 0.5 if np.ndim(z) == 0 else np.full(np.shape(z), 0.5)
"""


def answers(**functions):
    """The exercise with the reference answers, but for `functions` (name -> cell source)."""
    return fill(EXERCISE, {**SOLUTIONS, **functions})


def before(function, attack):
    """A correct submission whose `function` cell runs `attack` before defining it."""
    return answers(**{function: attack + "\n\n" + SOLUTIONS[function]})


def after(function, attack):
    return answers(**{function: SOLUTIONS[function] + "\n\n" + attack})


def wrong_sigmoid_and(attack):
    return answers(sigmoid=attack + "\n\n" + WRONG_SIGMOID)


def without(notebook, *grade_ids):
    notebook = copy.deepcopy(notebook)
    notebook.cells = [c for c in notebook.cells if grade_id(c) not in grade_ids]
    return notebook


def _cell(notebook, key):
    return next(c for c in notebook.cells if grade_id(c) == key)


def duplicated():
    notebook = answers()
    for key in ["sigmoid", "test_sigmoid"]:
        index = notebook.cells.index(_cell(notebook, key))
        copied = copy.deepcopy(notebook.cells[index])
        copied.id = f"{copied.id}-copy"  # as Jupyter does: a copy gets a new cell id
        notebook.cells.insert(index + 1, copied)
    return notebook


def reordered():
    """A wrong sigmoid, with the tests that swap in the reference sigmoid moved before its own."""
    notebook = answers(sigmoid=WRONG_SIGMOID)
    moved = [_cell(notebook, "test_sigmoid_derivative"), _cell(notebook, "test_neuron_output")]
    rest = [c for c in notebook.cells if c not in moved]
    first_test = rest.index(_cell(notebook, "test_sigmoid"))
    notebook.cells = rest[:first_test] + moved + rest[first_test:]
    return notebook


def renamed_grade_id():
    notebook = answers()
    _cell(notebook, "sigmoid").metadata.nbgrader.grade_id = "my_sigmoid"
    return notebook


def edited_test():
    notebook = answers(sigmoid=WRONG_SIGMOID)
    _cell(notebook, "test_sigmoid").source = "pass"
    return notebook


def more_points():
    notebook = answers()
    _cell(notebook, "test_sigmoid").metadata.nbgrader.points = 100
    return notebook


def foreign(key="propagate"):
    cell = new_code_cell("def propagate(w, b, X, Y):\n    return None")
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": key, "locked": False}
    cell.metadata["nbgrader"].update(schema_version=3, solution=True, task=False)
    return new_notebook(cells=[cell])


# Defined without harm; once called, it ignores the interrupt and never returns.
STUCK_NEURON = """
import signal

def neuron_output(w, b, X):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        pass
"""

EXEC_SOLUTION_FROM = """
import json
for _cell in json.load(open({path!r}))["cells"]:
    _source = "".join(_cell["source"])
    if _source.startswith("# GRADED FUNCTION: sigmoid\\n"):
        exec(_source.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
"""


def cases(submitted, out, port):
    """{student id: (the submitted notebook or raw text, expected score, expected status)}."""
    victim = submitted / "correct" / "ch1_sigmoid" / NAME
    return {
        "invalid-json": ('{"cells": [', 0, "invalid notebook"),
        "empty-file": ("", 0, "invalid notebook"),
        "other-assignment": (foreign(), 0, "not this assignment's notebook"),
        "test-cell-deleted": (without(answers(), "test_sigmoid"), 10, "tampered"),
        "test-cells-deleted-from-stub": (
            without(EXERCISE, "test_sigmoid", "test_sigmoid_derivative", "test_neuron_output"),
            0,
            "tampered",
        ),
        "cells-duplicated": (duplicated(), 10, "tampered"),
        "tests-reordered-to-borrow-the-reference": (reordered(), 6, "tampered"),
        "grade-id-changed": (renamed_grade_id(), 6, "tampered"),
        "test-cell-edited": (edited_test(), 6, "tampered"),
        "test-points-raised": (more_points(), 10, "tampered"),
        "raise-systemexit": (after("sigmoid", "raise SystemExit"), 10, "graded"),
        "sys-exit": (after("sigmoid_derivative", "import sys\nsys.exit()"), 10, "graded"),
        "os-exit": (before("neuron_output", "import os\nos._exit(0)"), 7, "crashed"),
        "segfault": (before("neuron_output", "import ctypes\nctypes.string_at(0)"), 7, "crashed"),
        "infinite-loop": (
            before("neuron_output", "print('looking', 'for', 42)\nwhile True:\n    pass"),
            7,
            "timeout",
        ),
        # Loops that shut the interrupt out. Ignoring SIGINT does: the kernel is killed, the
        # cells before keep their points, and the status is timeout (not a 0 for the whole
        # notebook). Blocking it in the main thread does not (another of the kernel's threads
        # takes the signal and Python still interrupts the main one): a plain timeout.
        "loop-ignoring-sigint": (
            before(
                "neuron_output",
                "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                "while True:\n    pass",
            ),
            7,
            "timeout",
        ),
        "loop-blocking-sigint": (
            before(
                "neuron_output",
                "import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})\n"
                "while True:\n    pass",
            ),
            7,
            "timeout",
        ),
        "stuck-inside-a-function-a-test-calls": (
            answers(neuron_output=STUCK_NEURON),
            7,
            "timeout",
        ),
        "2000-processes": (
            before(
                "sigmoid",
                "import subprocess\n"
                "_children = [subprocess.Popen(['sleep', '600']) for _ in range(2000)]",
            ),
            6,
            "graded",
        ),
        "allocate-8gb": (before("sigmoid", "_big = np.ones(8 * 1024**3 // 8)"), 6, "graded"),
        "write-1gb": (
            before(
                "sigmoid",
                "with open('/tmp/fill', 'wb') as _f:\n"
                "    for _ in range(1024):\n"
                "        _f.write(b'x' * 2**20)",
            ),
            6,
            "graded",
        ),
        "network-request": (
            after(
                "sigmoid",
                "import urllib.request\n"
                "try:\n"
                f"    urllib.request.urlopen('http://127.0.0.1:{port}/leak', timeout=3)\n"
                "except OSError:\n"
                "    pass",
            ),
            10,
            "graded",
        ),
        "reads-solutions": (
            answers(
                sigmoid=EXEC_SOLUTION_FROM.format(path=str(REPO / "solutions/ch1_sigmoid" / NAME))
            ),
            6,
            "graded",
        ),
        "reads-another-student": (
            answers(sigmoid=EXEC_SOLUTION_FROM.format(path=str(victim))),
            6,
            "graded",
        ),
        "imports-the-answers": (
            answers(
                sigmoid="from autograder.course.reference import load_reference\n"
                "sigmoid = load_reference('ch1_sigmoid').sigmoid"
            ),
            6,
            "graded",
        ),
        "writes-outside-its-folder": (
            after(
                "sigmoid",
                "for _path in ["
                + repr(str(victim))
                + ", "
                + repr(str(out / "gradebook.db"))
                + "]:\n"
                "    try:\n"
                "        open(_path, 'w').write('overwritten')\n"
                "    except OSError:\n"
                "        pass",
            ),
            10,
            "graded",
        ),
        "prints-100mb": (after("sigmoid_derivative", "print('x' * 100_000_000)"), 10, "graded"),
        "patches-numpy-and-testing": (
            wrong_sigmoid_and(
                "import numpy.testing\n"
                "np.allclose = lambda *a, **k: True\n"
                "np.isclose = lambda a, b, **k: np.ones(np.shape(a), dtype=bool)\n"
                "numpy.testing.assert_allclose = lambda *a, **k: None"
            ),
            6,
            "graded",
        ),
        "patches-the-checks": (
            wrong_sigmoid_and(
                "import nnscratch.checks._core as _core\n"
                "_core.expect_close = _core.expect_array = _core.expect_float = "
                "lambda *a, **k: None"
            ),
            6,
            "graded",
        ),
        "swallows-its-errors": (
            wrong_sigmoid_and(
                "get_ipython().showtraceback = lambda *a, **k: None\n"
                "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"
            ),
            6,
            "graded",
        ),
        "caches-the-public-answers": (
            answers(
                sigmoid="""
_KNOWN = {0.0: 0.5, 1.0: 0.7310585786300049}
def sigmoid(z):
    if np.ndim(z) == 0:
        return _KNOWN.get(float(z), 0.5)
    z = np.asarray(z, dtype=float)
    out = np.full(z.shape, 0.5)
    out[z < -100] = 0.0
    out[z > 100] = 1.0
    return out
"""
            ),
            6,
            "graded",
        ),
        "walks-frames-for-the-reference": (
            answers(
                sigmoid="""
import gc, sys
def sigmoid(z):
    frame = sys._getframe(1)
    while frame is not None:
        for value in [*frame.f_locals.values(), *frame.f_globals.values()]:
            if getattr(value, "__name__", "") == "sigmoid" and value is not sigmoid:
                return value(z)
        frame = frame.f_back
    for value in gc.get_objects():
        if getattr(value, "__name__", "") == "sigmoid" and value is not sigmoid:
            return value(z)
    return 0.5 if np.ndim(z) == 0 else np.full(np.shape(z), 0.5)
"""
            ),
            6,
            "graded",
        ),
        "imitates-success": (
            answers(
                sigmoid=f"""
from IPython.display import display
def sigmoid(z):
    print("Score: 4.0 / 4.0  All public checks of sigmoid passed.")
    display({{{RECORD_MIME!r}: {{"kind": "same", "label": "sigmoid", "result": {{"float": 0.5}},
              "rtol": 1e9, "atol": 1e9}}}}, raw=True)
    return 0.5 if np.ndim(z) == 0 else np.full(np.shape(z), 0.5)
"""
            ),
            6,
            "graded",
        ),
        "correct": (answers(), 10, "graded"),
        "stub": (EXERCISE, 0, "graded"),
    }


class Listener(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        Listener.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def batch(tmp_path_factory, listener):
    """Write every case in nbgrader's layout, grade them in one batch; (cases, rows, paths)."""
    submitted = tmp_path_factory.mktemp("hostile-submitted")
    out = tmp_path_factory.mktemp("hostile-graded")
    all_cases = cases(submitted, out, listener.server_address[1])
    for student, (notebook, _, _) in all_cases.items():
        folder = submitted / student / "ch1_sigmoid"
        folder.mkdir(parents=True)
        if isinstance(notebook, str):
            (folder / NAME).write_text(notebook)
        else:
            nbformat.write(notebook, folder / NAME)
    before = _hashes(submitted)
    result = run(
        "grade",
        submitted,
        "--out",
        out,
        "--timeout",
        "10",
        "--notebook-timeout",
        "120",
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with open(out / "grades.csv", newline="") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    return all_cases, rows, {"submitted": submitted, "out": out, "before": before}


def _hashes(folder):
    return {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_suite_holds_at_least_twenty_hostile_cases(batch):
    all_cases, _, _ = batch
    assert len(set(all_cases) - {"correct", "stub"}) >= 20


def test_every_submission_ends_as_exactly_one_row(batch):
    all_cases, rows, _ = batch
    assert set(rows) == set(all_cases)


@pytest.mark.parametrize("student", list(cases(REPO, REPO, 0)))
def test_each_case_gets_its_status_and_only_its_honest_points(batch, student):
    all_cases, rows, _ = batch
    _, score, status = all_cases[student]
    row = rows[student]
    assert (row["status"], float(row["score"])) == (status, score), row


def test_a_stopped_cell_tells_the_student_the_limit_it_ran_past(batch):
    _, _, paths = batch
    text = feedback_text(paths["out"], "infinite-loop", "ch1_sigmoid")
    assert "ran past the grader's time limit (10 s per cell, 120 s per notebook)" in text
    # What the cell printed before it was stopped stays; the interrupt's own traceback does not.
    assert "looking for 42" in text
    assert "KeyboardInterrupt" not in text
    assert "Traceback (most recent call last)" not in text


# The first is stuck in a solution cell, so the test cell after it does not run; the second in
# the test cell itself, the notebook's last.
@pytest.mark.parametrize(
    ("student", "cells_not_run"),
    [("loop-ignoring-sigint", 1), ("stuck-inside-a-function-a-test-calls", 0)],
)
def test_a_cell_that_does_not_answer_the_interrupt_is_named_and_the_rest_not_run(
    batch, student, cells_not_run
):
    _, _, paths = batch
    text = feedback_text(paths["out"], student, "ch1_sigmoid")
    assert "ran past the grader's time limit (10 s per cell" in text
    assert "did not answer the interrupt" in text and "its kernel was stopped" in text
    assert text.count("KernelStopped: not run") == cells_not_run
    assert "KernelDied" not in text


def test_no_submission_was_modified_and_the_victim_kept_its_grade(batch):
    _, rows, paths = batch
    assert _hashes(paths["submitted"]) == paths["before"]
    assert (rows["correct"]["status"], float(rows["correct"]["score"])) == ("graded", 10)


def test_no_request_left_the_sandbox(batch, listener):
    assert Listener.hits == []


def test_no_process_is_left_behind(batch):
    # The batch's folders are on its sandboxes' command lines (other batches may be running).
    _, _, paths = batch
    for pattern in ["sleep 600", str(paths["out"])]:
        found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout
        assert not found.strip(), f"processes matching {pattern!r} are still running: {found}"


def test_feedback_never_shows_hidden_test_code_or_expected_values(batch):
    _, _, paths = batch
    pages = list((paths["out"] / "feedback").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text()
        # A student's own code is shown back to them, whatever it contains.
        own = (paths["submitted"] / page.parent.parent.name / "ch1_sigmoid" / NAME).read_text()
        for secret in [
            "BEGIN HIDDEN TESTS",
            "hidden_rng(",
            "expect(",
            "use_reference(",
            RECORD_MIME,
        ]:
            assert secret not in text or secret in own, f"{page} shows {secret!r}"
