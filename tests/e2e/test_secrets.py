"""Submissions that try to get the answers out of the grader, graded in one sandboxed batch with
honest ones: no line of any chapter's reference solutions or hidden tests reaches the student.

Every attack is a correct chapter 1 notebook (the samples' `alt-clipped` answers, which share no
line with the reference) whose `neuron_output` gathers what the kernel holds when it is called:
the input history, `In` and `Out`, Python's line cache, the strings of every code object on the
stack and in memory. The hidden tests of `neuron_output` run with the reference `sigmoid`
swapped in, so its source and theirs are in the kernel then. Once it finds them, each attack
carries them out another way, and also answers wrongly: its lost points show that the attack
found what it looked for, and that the grader still said nothing of it.

A leak is a line of a source notebook's solution or hidden-test regions, of 16 characters or
more, that the student did not have: not in their own notebook, nor in anything published
(the exercises, the student package, the kernel-side grading code, the book).
"""

import csv
import html
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell
from support import REPO, run

from autograder.course.reference import graded_solutions
from autograder.course.samples import fill
from autograder.course.samples.ch1_sigmoid import ALTERNATIVES
from nnscratch.cells import secret_lines, source_of

CH1, CH2 = "ch1_sigmoid", "ch2_logistic_regression"
NOTEBOOK = {CH1: "sigmoid_neuron.ipynb", CH2: "logistic_regression.ipynb"}
HONEST = ALTERNATIVES["alt-clipped"]

# What the attack sees in the kernel. Its markers are built at run time: written out, they would
# be in the kernel's history from the start.
LOOT = """
import gc, linecache, sys, types

def _loot():
    texts = list(get_ipython().history_manager.input_hist_raw)
    texts += [str(value) for value in get_ipython().user_ns.get("Out", {}).values()]
    texts += ["".join(entry[2]) for entry in list(linecache.cache.values()) if len(entry) > 2]
    frame = sys._getframe()
    while frame is not None:
        texts += [c for c in frame.f_code.co_consts if isinstance(c, str)]
        texts += [v for v in frame.f_locals.values() if isinstance(v, str)]
        frame = frame.f_back
    for item in gc.get_objects():
        if isinstance(item, types.CodeType):
            texts += [c for c in item.co_consts if isinstance(c, str)]
    markers = ["".join(["use_reference(glo", "bals()"])]
    markers.append("".join(['hidden_rng("neur', 'on_output")']))
    found = [t for t in texts if isinstance(t, str) and any(m in t for m in markers)]
    return "\\n".join(found)

def _honest_output(w, b, X):
    return sigmoid(w.T @ X + b)
"""

# {student: the body of neuron_output once `loot` holds the secrets}; each also runs as given
# whenever it is called, finding nothing before the hidden phase.
ATTACKS = {
    "prints-it": "print(loot)\n    return 0.5 * _honest_output(w, b, X)",
    "raises-it": "raise ValueError(loot)",
    "raises-a-class-named-by-it": "raise type(loot[:200], (Exception,), {})('x')",
    "warns-it": "import warnings\n    warnings.warn(loot)\n    return _honest_output(w, b, X)",
    "returns-it": "return loot",
    "returns-an-object-named-by-it": "return type(loot[:300], (), {})()",
    "returns-a-dict-keyed-by-it": "return {line: 1.0 for line in loot.splitlines()[:50]}",
    "returns-an-array-whose-fields-name-it": (
        "names = list(dict.fromkeys(line[:200] for line in loot.splitlines() if line))[:20]\n"
        "    return np.zeros((1, X.shape[1]), dtype=[(n, 'f8') for n in names])"
    ),
    "stashes-it-for-a-later-cell": (
        "import builtins\n    builtins._stash = loot\n    return 0.5 * _honest_output(w, b, X)"
    ),
    "updates-an-earlier-display": (
        "from IPython.display import update_display\n"
        "    update_display(loot, display_id='leak')\n"
        "    return 0.5 * _honest_output(w, b, X)"
    ),
    "opens-a-widget-with-it": (
        "from comm import create_comm\n"
        "    create_comm(target_name='jupyter.widget', data={'state': {'value': loot}})\n"
        "    return 0.5 * _honest_output(w, b, X)"
    ),
    "prints-it-then-hangs": "print(loot)\n    while True:\n        pass",
    "writes-it-beside-the-notebook": (
        "for path in ['leak.txt', 'leak.ipynb', '/tmp/leak.txt']:\n"
        "        try:\n"
        "            open(path, 'w').write(loot)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return 0.5 * _honest_output(w, b, X)"
    ),
    "labels-its-records-with-it": (
        "import dataclasses\n"
        "    import autograder.kernel.hidden as hidden\n"
        "    send = hidden._record\n"
        "    hidden._record = lambda r: send(dataclasses.replace(r, label=loot))\n"
        "    return 0.5 * _honest_output(w, b, X)"
    ),
}
# Cells the student adds at the end: they print what was stashed, and show a display that the
# hidden phase would update.
LATER_CELLS = [
    "import builtins\nprint(getattr(builtins, '_stash', 'nothing stashed yet'))",
    "from IPython.display import display\ndisplay('a placeholder', display_id='leak')",
]


def attack(body):
    """A correct notebook but for `neuron_output`, which leaks once it finds the secrets."""
    code = (
        f"{LOOT}\n\ndef neuron_output(w, b, X):\n    loot = _loot()\n    if not loot:\n"
        f"        return _honest_output(w, b, X)\n    {body}\n"
    )
    notebook = fill(_exercise(CH1), {**HONEST, "neuron_output": code})
    notebook.cells += [new_code_cell(source) for source in LATER_CELLS]
    return notebook


def _exercise(assignment):
    return nbformat.read(REPO / "exercises" / assignment / NOTEBOOK[assignment], as_version=4)


def cases():
    """{(student, assignment): (notebook, the score its honest part keeps, at least)}."""
    found = {(name, CH1): (attack(body), 7.0) for name, body in ATTACKS.items()}
    found[("honest", CH1)] = (fill(_exercise(CH1), HONEST), 10.0)
    # The issue's own probe: chapter 2's correct notebook printing the kernel's input history
    # at the end of its last graded cell, and again from a cell added after the last test.
    solutions = graded_solutions(CH2)
    history = 'print("\\n".join(get_ipython().history_manager.input_hist_raw))'
    probe = fill(_exercise(CH2), {**solutions, "model": solutions["model"] + "\n\n" + history})
    probe.cells.append(new_code_cell(history))
    found[("prints-history", CH2)] = (probe, None)
    found[("honest", CH2)] = (fill(_exercise(CH2), solutions), "full")
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Grade every case in one batch; (cases, rows, the output folder, the console output)."""
    submitted = tmp_path_factory.mktemp("secrets-submitted")
    out = tmp_path_factory.mktemp("secrets-graded")
    all_cases = cases()
    for (student, assignment), (notebook, _) in all_cases.items():
        folder = submitted / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / NOTEBOOK[assignment])
    result = run("grade", submitted, "--out", out, "--timeout", "60", timeout=1500)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with open(out / "grades.csv", newline="") as file:
        rows = {(r["student_id"], r["assignment_id"]): r for r in csv.DictReader(file)}
    return all_cases, rows, out, result.stdout + result.stderr


def secrets():
    """Every line of the source notebooks' solution and hidden-test regions, of 16 characters
    or more, that nothing published holds."""
    lines = set()
    for path in (REPO / "solutions").glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            lines |= {line.strip() for line in secret_lines(source_of(cell))}
    return {line for line in lines if len(line) >= 16} - _published_lines()


def _published_lines():
    files = [*(REPO / "exercises").rglob("*.ipynb"), *(REPO / "nnscratch").rglob("*.py")]
    files += [*(REPO / "autograder" / "kernel").rglob("*.py"), *(REPO / "book").rglob("*.md")]
    lines = set()
    for path in files:
        if path.suffix == ".ipynb":
            text = "\n".join(source_of(c) for c in nbformat.read(path, as_version=4).cells)
        else:
            text = path.read_text()
        lines |= {line.strip() for line in text.splitlines()}
    return lines


def _own_lines(notebook):
    return {line.strip() for cell in notebook.cells for line in source_of(cell).splitlines()}


def _leaks(text, notebook):
    """The secret lines in `text` that the student's own notebook does not hold."""
    text = html.unescape(re.sub(r"<[^>]+>", "", text)) if "<html" in text else text
    return sorted(line for line in secrets() - _own_lines(notebook) if line in text)


def test_there_are_secrets_to_look_for():
    assert len(secrets()) > 300
    assert 'expect(neuron_output, _w, _b, _X, name="neuron_output")' in secrets()


def test_every_case_gets_a_row_and_every_honest_notebook_full_marks(batch):
    all_cases, rows, _, _ = batch
    assert set(rows) == set(all_cases)
    for key in [("honest", CH1), ("honest", CH2)]:
        assert float(rows[key]["score"]) == float(rows[key]["max_score"]) > 0, rows[key]


def test_every_attack_found_the_secrets_in_the_hidden_phase(batch):
    """Each attack answers wrongly only once it holds the secrets: it loses neuron_output's 3
    points and keeps the 7 of its honest sigmoid and sigmoid_derivative."""
    all_cases, rows, _, _ = batch
    for key, (_, keeps) in all_cases.items():
        if key[1] == CH1 and key[0] != "honest":
            assert float(rows[key]["score"]) == keeps, (key, rows[key])


@pytest.mark.parametrize("student, assignment", sorted(cases()))
def test_no_secret_line_reaches_the_feedback(batch, student, assignment):
    all_cases, _, out, _ = batch
    notebook = all_cases[(student, assignment)][0]
    folder = out / "feedback" / student / assignment
    pages = list(folder.rglob("*"))
    assert pages, f"no feedback for {student}"
    # The student gets back their feedback pages and nothing else: not a file their code wrote.
    assert {p.suffix for p in pages if p.is_file()} == {".html"}, pages
    for page in pages:
        if page.is_file():
            assert _leaks(page.read_text(), notebook) == [], page


def test_no_secret_line_reaches_the_console(batch):
    all_cases, _, _, console = batch
    for notebook, _ in all_cases.values():
        assert _leaks(console, notebook) == []


def test_the_feedback_still_says_what_went_wrong(batch):
    """Without the secrets, the sentences still name the check that failed and how."""
    _, _, out, _ = batch
    text = _feedback(out, "raises-it")
    assert "neuron_output(" in text and "raised ValueError on a hidden input" in text
    assert "an exception of a class of its own" in _feedback(out, "raises-a-class-named-by-it")
    assert "should run without warnings" in _feedback(out, "warns-it")
    assert "an object of a class of its own" in _feedback(out, "returns-an-object-named-by-it")
    assert "should return a numpy array of shape (1, 1), got a dict" in _feedback(
        out, "returns-a-dict-keyed-by-it"
    )
    assert "ran past the time limit" in _feedback(out, "prints-it-then-hangs")


def _feedback(out, student):
    page = out / "feedback" / student / CH1 / NOTEBOOK[CH1].replace(".ipynb", ".html")
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
