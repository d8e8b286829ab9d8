"""What a cell of the course's notebooks is: nbgrader's metadata and regions, read in one place.

Every tool asks here (through `nnscratch.chapter`, which re-exports these): a test, a solution,
a read-only cell, the regions nbgrader strips, and the `# GRADED FUNCTION: <name>` marker.
"""

GRADED_MARKER = "# GRADED FUNCTION: "
# nbgrader's own delimiters, matched as nbgrader matches them: anywhere in a line.
SOLUTION_REGION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_REGION = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
IMPORTS_ID = "imports"
PROVIDED_PREFIX = "provided"
TEST_PREFIX = "test_"
INIT = "__init__"


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
