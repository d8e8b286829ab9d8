"""Sample submissions, built from the released exercise and the reference solution.

Each chapter has a module `autograder/course/samples/<assignment>.py` with:
- `ALTERNATIVES`: {student id: {graded item: the source of its cell}}, other correct ways to
  write the items; each must score full marks;
- `MISTAKES`: {student id: Mistake(...)}, one typical mistake each: the cells it changes, the
  sentence a student reads about it, and the tests it loses (by default every test of the items
  it changes: a mistake in one method of a class names that method). Its notebook may also run
  past the cell limit, as it would in the student's own Jupyter;
- `TOO_SLOW` (optional): alternatives whose notebook runs past the tests' cell limit (30 s):
  full marks still, status `timeout`.
Besides those, every assignment gets `correct` (the reference solution in every graded cell)
and `stub` (the exercise as released).
"""

import copy
import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import nbformat

from nnscratch.cells import GRADED_MARKER
from nnscratch.chapter import read_chapter

from ..paths import EXERCISES, assignments, notebooks
from ..reference import graded_solutions


@dataclass(frozen=True)
class Mistake:
    """A typical mistake: what it changes, what the student is told, which tests it loses."""

    cells: dict  # {graded item: the source of its cell}
    says: str  # words of the sentence its public check (or, if `hidden`, its feedback) says
    hidden: bool = False  # only the hidden tests catch it: its public checks pass
    loses: tuple = ()  # test labels ("f", "C.method"); default every test of the items changed

    def lost_tests(self, chapter):
        """The labels of the tests this mistake loses in `chapter`."""
        if self.loses:
            return tuple(self.loses)
        return tuple(t.label for name in self.cells for t in chapter.items[name].tests)


def sample_module(assignment):
    """The samples module of `assignment`; ModuleNotFoundError (naming it) when there is none."""
    return importlib.import_module(f"{__name__}.{assignment}")


def sample_submissions(assignment):
    """{student id: {graded item: cell source}} for every sample of `assignment`."""
    module = sample_module(assignment)
    solutions = graded_solutions(assignment)
    samples = {"correct": solutions, "stub": {}}
    for student, cells in module.ALTERNATIVES.items():
        samples[student] = {**solutions, **cells}
    for student, mistake in module.MISTAKES.items():
        samples[student] = {**solutions, **mistake.cells}
    return samples


def fill(notebook, cells):
    """A copy of an exercise notebook whose graded cells hold `cells`' sources."""
    notebook = copy.deepcopy(notebook)
    for name, item in read_chapter(notebook).items.items():
        if name in cells:
            source = cells[name].strip("\n")
            header = f"{GRADED_MARKER}{name}"
            notebook.cells[item.index].source = (
                source if source.startswith(header) else f"{header}\n\n{source}"
            )
    return notebook


def has_samples(assignment):
    return importlib.util.find_spec(f"{__name__}.{assignment}") is not None


def write_samples(assignment_ids, out_dir):
    """Write every sample as OUT_DIR/<student>/<assignment>/<notebook> (nbgrader's layout).
    Without `assignment_ids`, every assignment that has a samples module."""
    if not assignment_ids:
        assignment_ids = assignments()
        for assignment in assignment_ids:
            if not has_samples(assignment):
                print(f"{assignment} has no samples: add autograder/course/samples/{assignment}.py")
        assignment_ids = [a for a in assignment_ids if has_samples(a)]
    for assignment in assignment_ids:
        exercises = {
            path.name: nbformat.read(path, as_version=4)
            for path in notebooks(assignment, EXERCISES)
        }
        for student, cells in sample_submissions(assignment).items():
            folder = Path(out_dir) / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            for name, notebook in exercises.items():
                nbformat.write(fill(notebook, cells), folder / name)
        print(f"wrote the samples of {assignment} to {out_dir}/<student>/{assignment}/")
    return 0
