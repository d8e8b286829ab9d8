"""Where the course lives on disk: the repository, its assignments and their source notebooks."""

import hashlib
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
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


def solutions_dir():
    """Where the source notebooks are read from: solutions/, or `NNSCRATCH_SOLUTIONS` (a test
    grades against a changed copy of the sources)."""
    return Path(os.environ.get("NNSCRATCH_SOLUTIONS", SOLUTIONS))


def content_hash(paths, salt=""):
    """A digest of files' names and bytes, in order: what a grade or a time depends on."""
    digest = hashlib.sha256(salt.encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def source_hash(assignment):
    """A digest of an assignment's source notebooks, released from solutions/ and read for the
    reference: a fixed hidden test or a corrected reference regrades the assignment."""
    roots = sorted({SOLUTIONS, solutions_dir()})
    return content_hash([path for root in roots for path in notebooks(assignment, root)])
