"""Every graded function, and every graded method of a graded class, comes with progressive hints
in the student notebook: collapsed, numbered, in the markdown that introduces the task (the
markdown cells between the previous code cell and the graded cell), and none of them gives away a
line of the solution. A failing public check ends its sentence by pointing to them."""

import importlib
import inspect
import re
from functools import cache

import nbformat
import pytest
from support import ARGUMENT_FRAGMENT, REPO, SHORTEST_LINE, fold

from autograder.course.reference import load_reference, run_reference_cells
from nnscratch.cells import INIT
from nnscratch.chapter import read_chapter
from nnscratch.checks import CheckFailed
from nnscratch.checks._hints import pointer

SOLUTIONS = sorted((REPO / "solutions").glob("*/*.ipynb"))
FEWEST_HINTS = 2

# `<details><summary>Hint 2</summary>`, or `Hint 2 (forward)` when one cell introduces several
# pieces: the label names the function or method the hint is for.
DETAILS = re.compile(r"<details(?P<attributes>[^>]*)>(?P<body>.*?)</details>", re.S | re.I)
SUMMARY = re.compile(r"^\s*<summary>\s*Hint (?P<number>\d+)(?: \((?P<label>\w+)\))?\s*</summary>")
FENCE = re.compile(r"^\s*(```|~~~)", re.M)


def student_notebook(source):
    return REPO / "exercises" / source.parent.name / source.name


@cache
def student_cells(source):
    return nbformat.read(student_notebook(source), as_version=4).cells


def hints(text):
    """[(number, label or None, body, attributes of its <details>)] of a markdown text."""
    found = []
    for block in DETAILS.finditer(text):
        summary = SUMMARY.match(block["body"])
        if summary:
            body = block["body"][summary.end() :]
            found.append((int(summary["number"]), summary["label"], body, block["attributes"]))
    return found


def introducing_cells(cells, index):
    """The indices of the markdown cells that set the task of cell `index`: those between the
    code cell before it and it (a task with several parts may give each its own cell), or else
    the markdown cell nearest above it."""
    above = []
    for i in range(index - 1, -1, -1):
        if cells[i].cell_type == "code":
            break
        if cells[i].cell_type == "markdown":
            above.append(i)
    if above:
        return tuple(sorted(above))
    nearest = next((i for i in range(index - 1, -1, -1) if cells[i].cell_type == "markdown"), None)
    return () if nearest is None else (nearest,)


@cache
def pieces(source):
    """[(label, name the hints use, item)] of a source notebook: `sigmoid`, or each method of a
    graded class besides __init__ (`NeuralNetwork.forward`, hinted as `forward`)."""
    found = []
    for name, item in read_chapter(source).items.items():
        if item.kind == "class":
            found += [(f"{name}.{m}", m, item) for m in item.methods if m != INIT]
        else:
            found.append((name, name, item))
    return found


def hints_of_each_piece(source):
    """{label: [(number, body, attributes)]}: the hints each piece gets in the student notebook.

    A hint without a label counts for the one piece its cell introduces; a cell that introduces
    several pieces labels each hint with the piece's name."""
    cells = student_cells(source)
    items = read_chapter(student_notebook(source)).items
    where = {
        label: introducing_cells(cells, items[item.name].index) for label, _, item in pieces(source)
    }
    found = {}
    for label, name, _ in pieces(source):
        alone = list(where.values()).count(where[label]) == 1
        text = "\n\n".join(cells[i].source for i in where[label])
        found[label] = [
            (number, body, attributes)
            for number, hint_label, body, attributes in hints(text)
            if hint_label == name or (hint_label is None and alone)
        ]
    return found


CASES = [
    pytest.param(source, label, id=f"{source.parent.name}:{label}")
    for source in SOLUTIONS
    for label, _, _ in pieces(source)
]


def test_every_assignment_has_graded_pieces_to_hint():
    assert len(SOLUTIONS) == 6
    for source in SOLUTIONS:
        assert pieces(source), f"{source.name} has no graded function"


@pytest.mark.parametrize("source, label", CASES)
def test_every_graded_function_has_progressive_hints_in_the_student_notebook(source, label):
    found = hints_of_each_piece(source)[label]
    assert len(found) >= FEWEST_HINTS, (
        f"{label} should have at least {FEWEST_HINTS} hints in the markdown above its graded cell "
        f"in exercises/{source.parent.name}/{source.name}, got {len(found)}"
    )
    numbers = [number for number, _, _ in found]
    assert numbers == list(range(1, len(found) + 1)), (
        f"the hints of {label} should be numbered 1, 2, ... in order, got {numbers}"
    )
    for number, body, attributes in found:
        assert "open" not in attributes.lower(), f"hint {number} of {label} should be collapsed"
        assert body.strip(), f"hint {number} of {label} is empty"


@pytest.mark.parametrize(
    "source, name",
    [
        pytest.param(source, name, id=f"{source.parent.name}:{name}")
        for source in SOLUTIONS
        for name in read_chapter(source).items
    ],
)
def test_no_hint_gives_away_a_line_of_the_solution(source, name):
    item = read_chapter(source).items[name]
    texts = [
        fold(body)
        for cell in student_cells(source)
        if cell.cell_type == "markdown"
        for _, _, body, _ in hints(cell.source)
    ]
    # A line as support.secret_lines counts one: long enough, and not a lone fragment such as
    # `self.grads` wrapped onto a line of its own, which names what the task text names too.
    lines = {fold(line) for line in item.solution.splitlines()}
    for line in (x for x in lines if len(x) >= SHORTEST_LINE and not ARGUMENT_FRAGMENT.match(x)):
        leaked = [text for text in texts if line in text]
        assert not leaked, f"a hint holds the line {line!r} of the solution of {name}"


@pytest.mark.parametrize("source, label", CASES)
def test_a_hint_describes_the_step_and_holds_no_code_block(source, label):
    for number, body, _ in hints_of_each_piece(source)[label]:
        assert not FENCE.search(body), f"hint {number} of {label} holds a fenced code block"
        assert "<pre" not in body.lower(), f"hint {number} of {label} holds a code block"


def public_checks(source):
    """The public checks of a source notebook's assignment: its checks module's check_*."""
    module = importlib.import_module(f"nnscratch.checks.{source.parent.name}")
    return [f for name, f in vars(module).items() if name.startswith("check_") and callable(f)]


def checked(check, namespace):
    """What `check` is called with in the notebook: the item its parameter names."""
    [parameter] = inspect.signature(check).parameters
    return namespace[parameter]


@pytest.mark.parametrize("source", SOLUTIONS, ids=lambda source: source.parent.name)
def test_every_public_check_declares_as_many_hints_as_the_notebook_holds(source):
    found = hints_of_each_piece(source)
    declared = {check.__name__: getattr(check, "hints", None) for check in public_checks(source)}
    assert None not in declared.values(), f"checks that point to no hints: {declared}"
    for name, (piece, count) in declared.items():
        assert count == len(found[piece]), (
            f"{name} points to {count} hints of {piece}; the notebook has {len(found[piece])}"
        )
    assert {piece for piece, _ in declared.values()} == set(found)


@pytest.mark.parametrize("source", SOLUTIONS, ids=lambda source: source.parent.name)
def test_a_failing_public_check_ends_by_pointing_to_the_hints_and_a_passing_one_does_not(
    source, capsys
):
    stub = run_reference_cells([student_notebook(source)], "stub")  # the exercise as released
    reference = vars(load_reference(source.parent.name))
    for check in public_checks(source):
        words = pointer(*check.hints)
        with pytest.raises(CheckFailed) as failure:
            check(checked(check, stub))
        assert str(failure.value).endswith(f". {words}"), str(failure.value)
        assert len(words) <= 60
        check(checked(check, reference))
        assert "Hints 1-" not in capsys.readouterr().out
