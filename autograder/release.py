"""`release`: generate the student notebooks in exercises/ from the source notebooks in solutions/.

nbgrader's generate_assignment does the work (stubs for solutions, hidden tests removed, cells
locked, checksums); `--check` generates into a scratch folder and compares byte for byte.
"""

import filecmp
import logging
import tempfile
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from .course import EXERCISES, assignments, nbgrader_config


def generate(assignment_ids, release_dir):
    """Generate the student version of each assignment into `release_dir/<assignment>/`."""
    with tempfile.TemporaryDirectory() as scratch:
        config = nbgrader_config(scratch, Path(scratch) / "gradebook.db", release=release_dir)
        config.Application.log_level = logging.WARNING
        api = NbGraderAPI(CourseDirectory(config=config), config=config)
        for assignment in assignment_ids:
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not generate {assignment}:\n{result['error']}")


def release(assignment_ids=None):
    assignment_ids = assignment_ids or assignments()
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
    stale = stale_files(assignment_ids)
    for path in stale:
        print(f"{path} is out of date: run `python -m autograder release` and commit the result")
    if not stale:
        print("exercises/ is in sync with solutions/")
    return 1 if stale else 0


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
