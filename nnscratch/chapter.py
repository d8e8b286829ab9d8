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
  of a class: grade id `test_<name>`, or `test_<Class>_<method>`. Each holds the public check
  and, between `### BEGIN HIDDEN TESTS` and `### END HIDDEN TESTS`, the hidden tests.

Which graded items a test depends on is read from the reference solution itself (`uses`):
the graded functions and classes its item calls, and for a method the other methods it calls
on `self`, followed through their own calls. The grader puts the reference versions of
exactly those in place for the test, so a mistake costs only its own item's points. Nothing
about it is written in a test cell, so formatting a notebook cannot change a grade.

This module reads notebooks; it implements none of their functions.
"""

import ast
import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

GRADED_MARKER = "# GRADED FUNCTION: "
# nbgrader's own delimiters, matched as nbgrader matches them: anywhere in a line.
SOLUTION_REGION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_REGION = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
IMPORTS_ID = "imports"
PROVIDED_PREFIX = "provided"
TEST_PREFIX = "test_"
INIT = "__init__"


# What a cell is.


def grading(cell):
    """A cell's nbgrader metadata ({} for a plain cell)."""
    return cell.get("metadata", {}).get("nbgrader") or {}


def grade_id(cell):
    return grading(cell).get("grade_id")


def source_of(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def is_code(cell):
    return cell.get("cell_type") == "code"


def is_solution(cell):
    return bool(grading(cell).get("solution"))


def is_grade(cell):
    """A cell that earns points (a test cell, or a manually graded answer)."""
    return bool(grading(cell).get("grade"))


def is_test(cell):
    """A test cell: graded, code, not a solution (nbgrader's autograder test)."""
    return is_code(cell) and bool(grading(cell).get("grade")) and not is_solution(cell)


def is_locked(cell):
    """Read-only for the student (nbgrader's rule: solutions never are, tests always are)."""
    info = grading(cell)
    if info.get("solution"):
        return False
    return bool(info.get("grade") or info.get("locked"))


def graded_name(source):
    """The item a cell defines when its first line is `# GRADED FUNCTION: <name>`, else None."""
    first = source.split("\n", 1)[0]
    if not first.startswith(GRADED_MARKER):
        return None
    name = first[len(GRADED_MARKER) :].strip()
    return name if name.isidentifier() else None


# The regions of a cell's source, split as nbgrader splits them.


def _split(source, region):
    """(lines inside the regions, lines outside them); the delimiter lines are in neither."""
    begin, end = region
    inside, outside, within = [], [], False
    for line in source.split("\n"):
        if begin in line:
            within = True
        elif end in line:
            within = False
        else:
            (inside if within else outside).append(line)
    return inside, outside


def without_hidden_tests(source):
    """The source as the student receives it: nbgrader's ClearHiddenTests, line for line."""
    return "\n".join(_split(source, HIDDEN_REGION)[1])


def hidden_code(source):
    """The code of a cell's hidden-test regions, in order."""
    return "\n".join(_split(source, HIDDEN_REGION)[0])


def solution_code(source):
    """A graded cell as the reference runs it: the solution markers removed, nothing else."""
    begin, end = SOLUTION_REGION
    return "\n".join(line for line in source.split("\n") if begin not in line and end not in line)


def secret_lines(source):
    """The lines of a cell that a student must never see: its solution and hidden regions."""
    return _split(source, SOLUTION_REGION)[0] + _split(source, HIDDEN_REGION)[0]


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

    @property
    def label(self):
        """What the test is of, as a student reads it: `sigmoid`, `NeuralNetwork.fit`."""
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
        item, method = _target(key, chapter.items)
        test = TestCell(key, grading(cell).get("points", 0), item, method, source, index)
        chapter.tests.append(test)
        if item in chapter.items:
            chapter.items[item].tests.append(test)
    _wire(chapter)
    return chapter


def read_assignment(assignment, root):
    """The chapter models of an assignment's notebooks under `root`, by file name."""
    return [read_chapter(path) for path in sorted((Path(root) / assignment).glob("*.ipynb"))]


def _target(test_id, items):
    """(item, method) that a test cell's grade id names: `test_f`, or `test_C_method`."""
    name = test_id.removeprefix(TEST_PREFIX)
    if name in items:
        return name, None
    for item in items.values():
        if item.kind == "class" and name.startswith(f"{item.name}_"):
            method = name.removeprefix(f"{item.name}_")
            if method in item.methods:
                return item.name, method
    return name, None  # a test of nothing graded here: the model keeps it, unwired


def _kind_and_methods(code, name):
    """("function" | "class", the class's methods) of the item `name` that `code` defines."""
    definition = _definition(code, name)
    if isinstance(definition, ast.ClassDef):
        methods = tuple(
            node.name
            for node in definition.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        )
        return "class", methods
    return "function", ()


def _definition(code, name):
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
    """Fill in each test's `uses`, from what the reference solutions refer to.

    The pieces are graded functions and classes (`f`, `C`) and the graded methods of a class
    (`C.m`: `__init__` and every method with a test of its own). A function's test uses the
    graded pieces its reference refers to, followed through theirs. A method's test drives an
    object whose other graded methods are all the reference's, so that a declared sequence
    (`fit`, then `transform`) tests only the method the points are for; the student's own
    helper methods stay theirs.
    """
    items = chapter.items
    definitions = {name: _definition(item.solution, name) for name, item in items.items()}
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
        seen = direct(start)
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


# The provided cells: an earlier chapter's functions, one source by construction.


def provided_header(pieces):
    """The comment that opens a provided cell, naming what it holds and where it comes from."""
    if len(pieces) == 1:
        [(origin, name)] = pieces
        return f"# PROVIDED FUNCTION: {name}, from the solution of {origin} (read-only)"
    lines = ["# PROVIDED FUNCTIONS (read-only), from the solutions of earlier chapters:"]
    for origin in dict.fromkeys(origin for origin, _ in pieces):
        names = ", ".join(name for where, name in pieces if where == origin)
        lines += textwrap.wrap(
            f"{origin}: {names}", 96, initial_indent="# ", subsequent_indent="#   "
        )
    return "\n".join(lines)


def provided_source(origin, names, read):
    """The source of a provided cell giving `names` from assignment `origin`.

    `read(assignment)` returns that assignment's chapter models. Each function comes with the
    graded items of its chapter that it calls, and with what its chapter was itself provided
    (chapter 1's sigmoid for chapter 2's propagate), earlier chapters first.
    """
    pieces = _provided_pieces(origin, tuple(names), read, set())
    body = []
    for assignment, name in pieces:
        item = _find_item(read(assignment), name)
        first, _, rest = item.solution.partition("\n")
        body.append(rest.strip("\n") if first.startswith(GRADED_MARKER) else item.solution)
    return provided_header(pieces) + "\n\n\n" + "\n\n\n".join(body)


def _provided_pieces(origin, names, read, seen):
    chapters = read(origin)
    if not chapters:
        raise KeyError(f"a provided cell names the assignment {origin!r}, which has no notebook")
    pieces, needed = [], set()
    for name in names:
        _find_item(chapters, name)  # an unknown name is an error, said here
        needed |= {name} | _callees(chapters, name)
    referred = _free_names(chapters, needed)
    for chapter in chapters:
        for cell in chapter.provided:
            wanted = tuple(name for name in cell.names if name in referred)
            if cell.origin and wanted:
                pieces += _provided_pieces(cell.origin, wanted, read, seen)  # earlier first
    for chapter in chapters:
        for item in chapter.items.values():
            if item.name in needed and (origin, item.name) not in seen:
                seen.add((origin, item.name))
                pieces.append((origin, item.name))
    return pieces


def _find_item(chapters, name):
    for chapter in chapters:
        if name in chapter.items:
            return chapter.items[name]
    raise KeyError(f"{chapters[0].path.parent.name} has no graded item {name!r} to provide")


def _callees(chapters, name):
    """The graded items of the same chapter that `name` calls, followed through their calls."""
    found, stack = set(), [name]
    while stack:
        current = stack.pop()
        for chapter in chapters:
            if current in chapter.items:
                for other in _free_names(chapters, {current}):
                    if other not in found and any(other in c.items for c in chapters):
                        found.add(other)
                        stack.append(other)
    return found - {name}


def _free_names(chapters, names):
    """Every name the solutions of `names` refer to."""
    referred = set()
    for chapter in chapters:
        for name in names:
            if name in chapter.items:
                node = _definition(chapter.items[name].solution, name)
                if node is not None:
                    referred |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    return referred
