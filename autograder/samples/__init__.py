"""Sample submissions, built from the released exercise and the reference solution.

Each chapter has a module `autograder/samples/<assignment>.py` with two dicts of
{student id: {function name: the source of its cell}}:
- `ALTERNATIVES`: other correct ways to write the functions; each must score full marks;
- `MISTAKES`: one typical mistake each; it must lose exactly the points of the functions named
  (its notebook may also run past the cell limit, as it would in the student's own Jupyter);
- `TOO_SLOW` (optional): alternatives whose notebook runs past the tests' cell limit (30 s):
  full marks still, status `timeout`.
Besides those, every assignment gets `correct` (the reference solution in every graded cell)
and `stub` (the exercise as released).
"""

import copy
import importlib
from pathlib import Path

import nbformat

from ..course import EXERCISES, assignments, notebooks
from ..reference import graded_name, graded_solutions


def sample_module(assignment):
    return importlib.import_module(f"{__name__}.{assignment}")


def sample_submissions(assignment):
    """{student id: {function name: cell source}} for every sample of `assignment`."""
    module = sample_module(assignment)
    solutions = graded_solutions(assignment)
    samples = {"correct": solutions, "stub": {}}
    for student, functions in {**module.ALTERNATIVES, **module.MISTAKES}.items():
        samples[student] = {**solutions, **functions}
    return samples


def fill(notebook, functions):
    """A copy of an exercise notebook whose graded cells hold `functions`' sources."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        name = graded_name(cell.source) if cell.cell_type == "code" else None
        if name in functions:
            source = functions[name].strip("\n")
            header = f"# GRADED FUNCTION: {name}"
            cell.source = source if source.startswith(header) else f"{header}\n\n{source}"
    return notebook


def write_samples(assignment_ids, out_dir):
    """Write every sample as OUT_DIR/<student>/<assignment>/<notebook> (nbgrader's layout)."""
    for assignment in assignment_ids or assignments():
        exercises = {
            path.name: nbformat.read(path, as_version=4)
            for path in notebooks(assignment, EXERCISES)
        }
        for student, functions in sample_submissions(assignment).items():
            folder = Path(out_dir) / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            for name, notebook in exercises.items():
                nbformat.write(fill(notebook, functions), folder / name)
        print(f"wrote the samples of {assignment} to {out_dir}/<student>/{assignment}/")
    return 0
