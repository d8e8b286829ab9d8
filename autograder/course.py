"""Where the course lives on disk, and the nbgrader configuration every command shares."""

import os
import sys
from functools import cache
from pathlib import Path

from traitlets.config import Config

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "solutions"
EXERCISES = REPO / "exercises"
# nbgrader's course id, the same in every gradebook (PostgreSQL enforces that it exists).
COURSE_ID = "nnscratch"


def assignments():
    """Every assignment id, in course order (the folders of solutions/)."""
    return sorted(path.name for path in SOLUTIONS.iterdir() if path.is_dir())


def notebooks(assignment, root=SOLUTIONS):
    """The notebooks of one assignment under `root`, by name."""
    return sorted((root / assignment).glob("*.ipynb"))


def nbgrader_config(root, db, **directories):
    """An nbgrader configuration for a course rooted at `root` with its gradebook `db` (a path
    to an SQLite file, or any SQLAlchemy URL).

    `directories` sets nbgrader's folders (source, release, submitted, autograded, feedback) as
    absolute paths: nbgrader joins them onto the root, and an absolute path wins that join.
    """
    # nbgrader runs its helper `alembic` by name: find it beside the running Python.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    # Imported here: importing nbgrader takes 1.9 s, and the kernel's hidden-test helpers
    # import this module for its paths.
    import nbgrader.api

    nbgrader.api.get_alembic_version = alembic_head
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.source_directory = str(SOLUTIONS)
    for name, path in directories.items():
        setattr(config.CourseDirectory, f"{name}_directory", str(path))
    is_url = "://" in str(db)
    config.CourseDirectory.db_url = str(db) if is_url else f"sqlite:///{Path(db).resolve()}"
    config.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
    return config


@cache
def alembic_head():
    """The newest revision of nbgrader's gradebook schema, which it stamps on a new gradebook.

    nbgrader asks a subprocess (`alembic heads`, 2.4 s here) for it each time it creates a
    gradebook; it is a constant of the installed nbgrader, read here in-process in 0.2 s.
    """
    import nbgrader
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()
