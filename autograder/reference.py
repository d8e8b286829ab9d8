"""The reference implementation of an assignment, read from its source notebook (one source).

The graded-function cells of `solutions/<assignment>/*.ipynb`, with nbgrader's solution markers
removed, are the reference: the hidden tests compare a student's functions with it, and the
sample submissions are built from it. Nothing is copied: change the solution, the reference follows.
"""

import json
import os
import re
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from .course import SOLUTIONS

GRADED = re.compile(r"^# GRADED FUNCTION: (\w+)", re.MULTILINE)
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def solutions_dir():
    return Path(os.environ.get("NNSCRATCH_SOLUTIONS", SOLUTIONS))


def graded_name(source):
    """The function a cell defines when it starts with `# GRADED FUNCTION: <name>`, else None."""
    match = GRADED.match(source)
    return match.group(1) if match else None


def strip_markers(source):
    return "\n".join(line for line in source.split("\n") if line.strip() not in MARKERS)


def reference_cells(notebook_path):
    """The code of the cells that make up the reference, in notebook order.

    Those are the imports cell (grade id `imports`), the cells of earlier chapters' functions
    (grade ids starting with `provided`) and every graded-function cell.
    """
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id == "imports" or grade_id.startswith("provided") or graded_name(source):
            cells.append(strip_markers(source))
    return cells


def graded_solutions(assignment):
    """{function name: the source of its solution cell} over the assignment's notebooks."""
    solutions = {}
    for path in sorted((solutions_dir() / assignment).glob("*.ipynb")):
        for source in reference_cells(path):
            name = graded_name(source)
            if name:
                solutions[name] = source
    return solutions


def reference_source(assignment, names):
    """The reference code up to the last of `names` in notebook order: the imports, the
    provided cells and every graded function up to there (their tests come before)."""
    cells, needed = [], set(names)
    for path in sorted((solutions_dir() / assignment).glob("*.ipynb")):
        for source in reference_cells(path):
            if not needed:
                break
            cells.append(source)
            needed.discard(graded_name(source))
    if needed:
        raise KeyError(f"{assignment} has no graded function {sorted(needed)}")
    return "\n\n".join(cells)


def run_reference_cells(paths, module_name):
    """A fresh namespace in which the reference cells of the notebooks `paths` have run."""
    namespace = {"__name__": module_name}
    for path in paths:
        for source in reference_cells(path):
            exec(compile(source, f"<reference {Path(path).name}>", "exec"), namespace)
    return namespace


@cache
def load_reference(assignment):
    """The reference of an assignment, run in a fresh namespace, as attributes."""
    paths = sorted((solutions_dir() / assignment).glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(
            f"no source notebook for assignment {assignment!r} in {solutions_dir()}"
        )
    namespace = run_reference_cells(paths, f"reference_{assignment}")
    return SimpleNamespace(**{k: v for k, v in namespace.items() if not k.startswith("__")})
