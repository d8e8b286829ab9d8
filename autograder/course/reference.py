"""The reference implementation of an assignment, read from its source notebook (one source).

The graded cells of `solutions/<assignment>/*.ipynb`, with nbgrader's solution markers removed,
are the reference (`nnscratch.chapter` reads them): the hidden tests compare a student's work
with it, and the sample submissions are built from it. Nothing is copied: change the solution,
the reference follows.
"""

from functools import cache
from pathlib import Path
from types import SimpleNamespace

from nnscratch.chapter import read_assignment, read_chapter

from .paths import solutions_dir


def source_chapters(assignment):
    """The chapter models of an assignment's source notebooks."""
    return read_assignment(assignment, solutions_dir())


def graded_solutions(assignment):
    """{graded item: the source of its solution cell, markers removed} over its notebooks."""
    return {
        name: item.solution
        for chapter in source_chapters(assignment)
        for name, item in chapter.items.items()
    }


def run_reference_cells(paths, module_name):
    """A fresh namespace in which the reference cells of the notebooks `paths` have run."""
    namespace = {"__name__": module_name}
    for path in paths:
        for source in read_chapter(path).reference_cells():
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
