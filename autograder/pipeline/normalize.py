"""Put a submitted notebook back into the shape of the released one before nbgrader sees it.

The released notebook's cells win: every read-only and test cell comes from the release, in
the release's order, with the release's nbgrader metadata, so a student cannot delete,
duplicate, reorder or rename a test. The student's answers (their solution cells, found by
grade id) and any cells they added (kept after the cell they followed) are all that stays of
the submission. What was changed is reported, and the grader marks it `tampered`.
"""

import copy

from nnscratch.cells import grade_id, grading, is_grade, is_solution, without_hidden_tests


def normalize(submitted, released):
    """The notebook to grade and the list of changes found, as short sentences."""
    order = {grade_id(c): i for i, c in enumerate(released.cells) if grade_id(c)}
    problems, seen, placed, anchor = [], set(), [], -1
    for position, cell in enumerate(submitted.cells):
        key = grade_id(cell)
        if key in order and key not in seen:
            seen.add(key)
            if order[key] < anchor:
                problems.append(f"cell {key} was moved")
            anchor = order[key]
            placed.append(((anchor, 0, position), _restore(cell, released.cells[anchor], problems)))
        else:
            if key in order:
                problems.append(f"cell {key} was duplicated")
            elif key:
                problems.append(f"cell {key} is not a cell of this notebook")
            placed.append(((anchor, 1, position), _plain(cell)))
    for key, index in order.items():
        if key not in seen:
            problems.append(f"cell {key} was deleted")
            placed.append(((index, 0, -1), copy.deepcopy(released.cells[index])))
    notebook = copy.deepcopy(released)
    notebook.cells = [cell for _, cell in sorted(placed, key=lambda item: item[0])]
    return notebook, list(dict.fromkeys(problems))


def is_foreign(submitted, released):
    """True when the submission holds none of the released notebook's graded or answer cells.
    Read-only cells do not count: every notebook of the course shares its first one's grade id
    (`imports`), and another chapter's notebook would pass for this one, to be graded as
    `tampered` rather than named for what it is."""
    keys = {grade_id(c) for c in released.cells if is_grade(c) or is_solution(c)}
    return not keys & {grade_id(c) for c in submitted.cells}


def _restore(cell, released_cell, problems):
    """The released cell, keeping the student's source where the cell is theirs to answer."""
    restored = copy.deepcopy(released_cell)
    if is_solution(released_cell):
        restored.source = cell.get("source", "")
    elif (
        without_hidden_tests(cell.get("source", "")) != released_cell.source
        or cell.get("cell_type") != released_cell.cell_type
    ):
        problems.append(f"read-only cell {grade_id(released_cell)} was edited")
    if _declared(grading(cell)) != _declared(grading(released_cell)):
        problems.append(f"the grading metadata of cell {grade_id(released_cell)} was changed")
    return restored


def _declared(info):
    """The grading metadata an author sets (nbgrader adds the checksum and cell type itself)."""
    return {k: v for k, v in info.items() if k not in ("checksum", "cell_type")}


def _plain(cell):
    """A cell the student added (or a copy of one of ours): it runs, but is never graded."""
    plain = copy.deepcopy(cell)
    plain.get("metadata", {}).pop("nbgrader", None)
    return plain
