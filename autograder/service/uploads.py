"""An upload's checks, before anything is stored: the size, that it is a notebook, and that it
is the assignment's notebook. The file's name never becomes a path: it only picks among the
assignment's own notebook names, and the upload is stored under a server-made id.

The notebook checks are `grade`'s own (`autograder.batch.worker.read_submission`), so an
upload the service accepts is one `grade` would grade, and one it refuses, one `grade` would
give the status `invalid notebook` or `not this assignment's notebook`.
"""

import hashlib
import os
from pathlib import Path

from ..batch.worker import read_submission
from ..course.paths import notebooks
from ..output.statuses import FOREIGN, INVALID

MAX_UPLOAD_MB = 10


class Refused(Exception):
    """An upload refused: the HTTP status and the sentence the student reads."""

    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def too_large(limit_bytes):
    return Refused(
        413,
        f"The file is larger than this service accepts ({limit_bytes // 1024**2} MB). "
        "A notebook is that large when it holds big outputs: clear them "
        "(Kernel > Restart & Clear Output), save, and upload it again.",
    )


def limited(receive, limit_bytes):
    """An ASGI `receive` that refuses a request body past `limit_bytes` as it streams in, so
    that an oversized upload is never held whole, in memory or on disk."""
    seen = 0

    async def bounded():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit_bytes:
                raise too_large(limit_bytes)
        return message

    return bounded


def pick_notebook(assignment, filename, release):
    """The name of the assignment's notebook an upload is (its file name matched against the
    assignment's notebook names, never used as a path; the only one, when there is one)."""
    names = [path.name for path in notebooks(assignment, release)]
    if len(names) == 1:
        return names[0]
    name = os.path.basename((filename or "").replace("\\", "/"))
    if name in names:
        return name
    raise Refused(422, f"{assignment} has the notebooks {', '.join(names)}: upload one of them.")


def check_notebook(path, released_path, assignment):
    """Refused unless the file at `path` is a notebook of the released notebook's assignment."""
    if path.stat().st_size == 0:
        raise Refused(422, "The file is empty: save the notebook in Jupyter, then upload it.")
    problem, _ = read_submission(path, released_path)
    if problem == INVALID:
        raise Refused(
            422,
            "This file is not a Jupyter notebook (it is not a notebook's JSON). Upload the "
            ".ipynb file Jupyter saves, not an export or a copy of its text.",
        )
    if problem == FOREIGN:
        raise Refused(
            422,
            f"This notebook is not {assignment}'s: it has none of its graded cells. "
            "Did you upload another chapter's notebook?",
        )
    if problem:
        raise Refused(422, f"This notebook cannot be graded: {problem}.")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def keep(temporary, final):
    """Move a checked upload to its final name atomically and durably: the file is on disk
    before the row that accepts it is committed."""
    with open(temporary, "rb") as file:
        os.fsync(file.fileno())
    os.replace(temporary, final)
    folder = os.open(Path(final).parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
