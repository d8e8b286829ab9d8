"""The course's notebook conventions, read in one place: a notebook as a chapter model.

Every tool of the course that needs to know what a cell of an exercise is asks here: the
release, the grader and its preprocessors, the student's self-check, the sample submissions,
the tests and the benchmark. A notebook (the source in `solutions/`, or the student's exercise
released from it) reads into a `Chapter`:

- the **imports** cell (grade id `imports`, read-only);
- the **provided** cells (grade ids starting with `provided`, read-only): an earlier chapter's
  functions, declared in the cell's metadata (`{"nnscratch": {"provides": {"from": ASSIGNMENT,
  "names": [...]}}}`) and written by `python -m autograder release` from that chapter's source;
- the **graded items**: a solution cell whose first line is `# GRADED FUNCTION: <name>`,
  defining a function or a class of that name, its answer between `### BEGIN SOLUTION` and
  `### END SOLUTION` (a class has one such region per method);
- the **test cells** (grade cells that are not solutions), one per function, or one per method
  of a class: grade id `test_<name>`, or `test_<Class>_<method>`; a function's secondary
  requirement (its input checks) may have a test of its own, `test_<name>_<part>`, with its
  own share of the points. Each holds the public check
  and, between `### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`, the hidden tests.

Which graded items a test depends on (`uses`) is every graded item defined before its own,
which the student's item may call whatever its reference does, and what the reference solution
itself refers to: the graded functions and classes its item calls, and for a method the other
graded methods of its class, followed through their own calls. The grader puts the reference
versions of those in place for the test, so a mistake costs only its own item's points. Nothing
about it is written in a test cell, so formatting a notebook cannot change a grade.

What a single cell is (a test, a solution, locked) is defined in `nnscratch.cells`; the
provided cells' sources are written by the release (`autograder.course.provided`). This module
reads notebooks; it implements none of their functions.
"""

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

from .cells import (
    IMPORTS_ID,
    INIT,
    PROVIDED_PREFIX,
    TEST_PREFIX,
    grade_id,
    graded_name,
    grading,
    hidden_code,
    is_code,
    is_solution,
    is_test,
    solution_code,
    source_of,
    without_hidden_tests,
)

# The model.


@dataclass
class TestCell:
    """The test cell of a graded function, or of one method of a graded class."""

    grade_id: str
    points: float
    item: str
    method: str | None
    source: str
    index: int
    uses: tuple = ()  # the reference pieces put in place for this test: "f", "C", "C.method"
    part: str | None = None  # a function's secondary requirement with its own test: input_checks

    @property
    def label(self):
        """What the test is of, as a student reads it: `sigmoid`, `NeuralNetwork.fit`,
        `random_mini_batches (input checks)`."""
        if self.part:
            return f"{self.item} ({self.part.replace('_', ' ')})"
        return f"{self.item}.{self.method}" if self.method else self.item

    @property
    def public(self):
        return without_hidden_tests(self.source)

    @property
    def hidden(self):
        return hidden_code(self.source)

    @property
    def draws_per_student_inputs(self):
        """False when the hidden code draws no random input: every student's is the same."""
        return "hidden_rng(" in self.hidden


@dataclass
class GradedItem:
    """A graded function or class: its solution cell and its test cells."""

    name: str
    kind: str  # "function" or "class"
    grade_id: str
    source: str
    index: int
    methods: tuple = ()
    tests: list = field(default_factory=list)

    @property
    def solution(self):
        return solution_code(self.source)

    @property
    def points(self):
        return sum(test.points for test in self.tests)


@dataclass
class ProvidedCell:
    """A read-only cell that gives this chapter an earlier chapter's functions."""

    grade_id: str
    source: str
    index: int
    origin: str | None = None  # the assignment the functions come from
    names: tuple = ()


@dataclass
class Chapter:
    """One notebook of an assignment, read through the course's conventions."""

    path: Path | None
    cells: list
    imports: str | None = None
    imports_index: int = -1
    provided: list = field(default_factory=list)
    items: dict = field(default_factory=dict)  # name -> GradedItem, in notebook order
    tests: list = field(default_factory=list)  # TestCell, in notebook order

    @property
    def name(self):
        return self.path.stem if self.path else None

    def test_with_id(self, grade_id):
        """The test cell of that grade id, or None."""
        return next((test for test in self.tests if test.grade_id == grade_id), None)

    def test_of(self, label):
        """The test of a function or method, by its label (`sigmoid`, `NeuralNetwork.fit`)."""
        return next(test for test in self.tests if test.label == label)

    def reference_cells(self, names=None):
        """The code that makes up the reference, in notebook order: the imports, the provided
        cells and the solution of every graded item, or only of the items `names` refers to
        (a test's `uses`: `f`, `C` or `C.method`)."""
        wanted = set(self.items) if names is None else {name.split(".")[0] for name in names}
        unknown = wanted - set(self.items)
        if unknown:
            raise KeyError(f"{self.name} has no graded item {sorted(unknown)}")
        cells = [(self.imports_index, self.imports)] if self.imports is not None else []
        cells += [(cell.index, cell.source) for cell in self.provided]
        cells += [(self.items[name].index, self.items[name].solution) for name in wanted]
        return [source for _, source in sorted(cells, key=lambda pair: pair[0])]

    def reference_source(self, names):
        """The reference code a test needs for `names`, as one piece of source."""
        return "\n\n".join(self.reference_cells(names))


def read_chapter(notebook):
    """The chapter model of a notebook: a path to an .ipynb file, or the notebook itself."""
    path = None
    if isinstance(notebook, (str, Path)):
        path = Path(notebook)
        notebook = json.loads(path.read_text(encoding="utf-8"))
    chapter = Chapter(path=path, cells=notebook["cells"])
    pending_tests = []
    for index, cell in enumerate(chapter.cells):
        if not is_code(cell):
            continue
        source, key = source_of(cell), grade_id(cell) or ""
        name = graded_name(source)
        if key == IMPORTS_ID:
            chapter.imports, chapter.imports_index = source, index
        elif key.startswith(PROVIDED_PREFIX):
            provides = cell.get("metadata", {}).get("nnscratch", {}).get("provides", {})
            chapter.provided.append(
                ProvidedCell(
                    key, source, index, provides.get("from"), tuple(provides.get("names", ()))
                )
            )
        elif name and is_solution(cell):
            kind, methods = _kind_and_methods(solution_code(source), name)
            chapter.items[name] = GradedItem(name, kind, key, source, index, methods)
        elif is_test(cell):
            pending_tests.append((index, cell, source, key))
    for index, cell, source, key in pending_tests:
        item, method, part = _target(key, chapter.items)
        test = TestCell(key, grading(cell).get("points", 0), item, method, source, index, part=part)
        chapter.tests.append(test)
        if item in chapter.items:
            chapter.items[item].tests.append(test)
    _wire(chapter)
    return chapter


def read_assignment(assignment, root):
    """The chapter models of an assignment's notebooks under `root`, by file name."""
    return [read_chapter(path) for path in sorted((Path(root) / assignment).glob("*.ipynb"))]


def _target(test_id, items):
    """(item, method, part) that a test cell's grade id names: `test_f`, `test_C_method`, or
    `test_f_part`, a function's secondary requirement graded on its own (`input_checks`)."""
    name = test_id.removeprefix(TEST_PREFIX)
    if name in items:
        return name, None, None
    # The longest name first: test_relu_derivative_x is of relu_derivative, not of relu.
    for item in sorted(items.values(), key=lambda item: -len(item.name)):
        if not name.startswith(f"{item.name}_"):
            continue
        rest = name.removeprefix(f"{item.name}_")
        if item.kind == "class" and rest in item.methods:
            return item.name, rest, None
        if item.kind == "function":
            return item.name, None, rest
    return name, None, None  # a test of nothing graded here: the model keeps it, unwired


def _kind_and_methods(code, name):
    """("function" | "class", the class's methods) of the item `name` that `code` defines."""
    node = definition(code, name)
    if isinstance(node, ast.ClassDef):
        methods = tuple(
            child.name
            for child in node.body
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
        )
        return "class", methods
    return "function", ()


def definition(code, name):
    """The top-level `def` or `class` of `name` in `code` (None if absent or unparsable)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    found = None
    for node in tree.body:
        is_definition = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if is_definition and node.name == name:
            found = node  # the last definition wins, as when the cell runs
    return found


def _wire(chapter):
    """Fill in each test's `uses`: every other graded piece the student's item may call.

    The pieces are graded functions and classes (`f`, `C`) and the graded methods of a class
    (`C.m`: `__init__` and every method with a test of its own). A test uses every graded item
    defined before its own (whatever the student's code calls of them, not only what the
    reference calls) and the graded pieces its reference refers to, followed through theirs.
    A method's test drives an object whose other graded methods are all the reference's, so
    that a declared sequence (`fit`, then `transform`) tests only the method the points are
    for; the student's own helper methods stay theirs.
    """
    items = chapter.items
    definitions = {name: definition(item.solution, name) for name, item in items.items()}
    graded_methods = {name: {INIT} for name, item in items.items() if item.kind == "class"}
    for test in chapter.tests:
        if test.method and test.item in graded_methods:
            graded_methods[test.item].add(test.method)

    def direct(piece):
        """The graded pieces a function, a class or a method refers to."""
        name, _, method = piece.partition(".")
        node = definitions.get(name)
        if method and node is not None:
            node = next((n for n in node.body if getattr(n, "name", None) == method), None)
        if node is None:
            return set()
        found = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in items:
                found.add(sub.id)
            elif (
                method
                and isinstance(sub, ast.Attribute)
                and isinstance(sub.value, ast.Name)
                and sub.value.id == "self"
                and sub.attr in graded_methods.get(name, ())
            ):
                found.add(f"{name}.{sub.attr}")
        return found

    for test in chapter.tests:
        if test.item not in items:
            continue
        start = f"{test.item}.{test.method}" if test.method else test.item
        # Whatever the student's item calls: the student's code may call a graded item its
        # reference does not (a fit that computes its history with compute_cost), and
        # in notebook order it can call any item defined before its own.
        seen = direct(start) | {
            name for name, item in items.items() if item.index < items[test.item].index
        }
        if test.method:
            seen |= {f"{test.item}.{m}" for m in graded_methods[test.item] if m != test.method}
        stack = list(seen)
        while stack:
            for piece in direct(stack.pop()):
                if piece not in seen:
                    seen.add(piece)
                    stack.append(piece)
        seen -= {start, test.item}  # never the piece under test, nor its whole class
        test.uses = tuple(sorted(seen))
