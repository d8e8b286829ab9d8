"""`release`: generate the student notebooks in exercises/ from the source notebooks in solutions/.

Two steps, both from one source:
1. the `provided*` cells of the source notebooks are written from the earlier chapters'
   solutions they declare (`autograder.course.provided`);
2. nbgrader's generate_assignment makes the exercises (stubs for solutions, hidden tests
   removed, cells locked, checksums).
`--check` changes nothing: it names each stale provided cell, then generates into a scratch
folder and compares with exercises/ byte for byte.
"""

import filecmp
import tempfile
from pathlib import Path

import nbformat

from nnscratch.chapter import read_assignment, read_chapter

from ..pipeline.config import nbgrader_api, nbgrader_config
from .paths import EXERCISES, REPO, SOLUTIONS, assignments, notebooks
from .provided import provided_source


def generate(assignment_ids, release_dir):
    """Generate the student version of each assignment into `release_dir/<assignment>/`."""
    with tempfile.TemporaryDirectory() as scratch:
        config = nbgrader_config(scratch, Path(scratch) / "gradebook.db", release=release_dir)
        api = nbgrader_api(config)
        for assignment in assignment_ids:
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not generate {assignment}:\n{result['error']}")


def stale_provided_cells(assignment_ids):
    """[(source notebook path, the notebook with its provided cells rewritten, [grade ids of
    the cells that changed])] for each source notebook whose provided cells are out of date."""
    stale = []
    for assignment in assignment_ids:
        for path in notebooks(assignment, SOLUTIONS):
            notebook = nbformat.read(path, as_version=4)
            changed = []
            for cell in read_chapter(notebook).provided:
                if cell.origin is None:
                    continue
                fresh = provided_source(cell.origin, cell.names, _source_chapters)
                if notebook.cells[cell.index].source != fresh:
                    notebook.cells[cell.index].source = fresh
                    changed.append(cell.grade_id)
            if changed:
                stale.append((path, notebook, changed))
    return stale


def _source_chapters(assignment):
    return read_assignment(assignment, SOLUTIONS)


def release(assignment_ids=None):
    assignment_ids = assignment_ids or assignments()
    for path, notebook, changed in stale_provided_cells(assignments()):
        nbformat.write(notebook, path)
        print(f"wrote {', '.join(changed)} of {path.relative_to(REPO)} from their chapters")
    generate(assignment_ids, EXERCISES)
    for assignment in assignment_ids:
        print(f"released {assignment} -> {(EXERCISES / assignment).relative_to(EXERCISES.parent)}/")
    return 0


def stale_files(assignment_ids=None):
    """The files of exercises/ that differ from a fresh release, as paths relative to the repo."""
    assignment_ids = assignment_ids or assignments()
    with tempfile.TemporaryDirectory() as fresh:
        generate(assignment_ids, fresh)
        stale = []
        for assignment in assignment_ids:
            stale += _differences(Path(fresh) / assignment, EXERCISES / assignment)
    return sorted(str(path.relative_to(EXERCISES.parent)) for path in stale)


def check(assignment_ids=None):
    assignment_ids = assignment_ids or assignments()
    provided = stale_provided_cells(assignment_ids)
    for path, _, changed in provided:
        print(
            f"{path.relative_to(REPO)}: {', '.join(changed)} is out of date with the chapter it "
            "provides from: run `python -m autograder release` and commit the result"
        )
    stale = stale_files(assignment_ids)
    for path in stale:
        print(f"{path} is out of date: run `python -m autograder release` and commit the result")
    if not stale and not provided:
        print("exercises/ is in sync with solutions/")
    return 1 if stale or provided else 0


def _differences(fresh, committed):
    """Files of `committed` that are missing, extra or different compared with `fresh`."""
    names = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
    if committed.exists():
        names |= {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
    return [
        committed / name
        for name in sorted(names)
        if not ((fresh / name).is_file() and (committed / name).is_file())
        or not filecmp.cmp(fresh / name, committed / name, shallow=False)
    ]
