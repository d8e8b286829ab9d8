"""From an LMS's zip to SUBMITTED_DIR/<student_id>/<assignment_id>/<notebook>.ipynb.

Every file of the archive ends either written or listed with the reason it was not: refused by
`archive`, not named as the LMS names files, not a released notebook, a student the roster does
not know, or one of several files of one notebook from one student. Of those, the newest by the
LMS's order is written and the others listed as older; where the LMS gives no order (Moodle),
none is written and all are listed as ambiguous, for the instructor to choose."""

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import canvas, moodle
from .archive import MEMBER_BYTES, TOTAL_BYTES, Reader, Unreadable, members, open_archive
from .matching import match
from .notebooks import identify, released

LMSES = {"canvas": canvas, "moodle": moodle}


@dataclass
class Collected:
    """What `collect` did: `written` [(member, path, upload)], `unmatched` [(member, reason)],
    `missing` [student_id of the roster with no notebook written]."""

    written: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)
    missing: list = field(default_factory=list)


def collect(
    archive,
    lms,
    students,
    out,
    assignment=None,
    member_bytes=MEMBER_BYTES,
    total_bytes=TOTAL_BYTES,
    catalogue=None,
):
    """Write the notebooks of an LMS's `archive` (a zip path) for the roster's `students` under
    `out`; a Collected. `lms` is "canvas" or "moodle"; `assignment` keeps to one assignment."""
    platform, catalogue = LMSES[lms], catalogue or released()
    result, candidates = Collected(), {}
    with open_archive(archive) as zipped:
        for member, info, refused in members(zipped):
            found = refused or _find(member, platform, students, catalogue, assignment)
            if isinstance(found, str):
                result.unmatched.append((member, found))
            else:
                target, upload = found
                candidates.setdefault(target, []).append((upload, member, info))
        reader = Reader(zipped, member_bytes, total_bytes)
        for target, files in sorted(candidates.items()):
            kept = _newest(files, result.unmatched)
            if kept is None:
                continue
            upload, member, info = kept
            try:
                data = reader.read(info)
            except Unreadable as error:
                result.unmatched.append((member, str(error)))
                continue
            path = Path(out, *target)
            _write(path, data)
            result.written.append((member, path, upload))
    written = {path.relative_to(out).parts[0] for _, path, _ in result.written}
    result.missing = [s.student_id for s in students if s.student_id not in written]
    result.unmatched.sort()
    return result


def _find(member, platform, students, catalogue, assignment):
    """((student_id, assignment, notebook), Upload) a member is, or the reason it is none."""
    upload = platform.parse(member)
    if isinstance(upload, str):
        return upload
    notebook = identify(upload.original, catalogue, assignment)
    if isinstance(notebook, str):
        return notebook
    student, reason = match(students, platform, upload.number, upload.name)
    if reason:
        return reason
    return (student, *notebook), upload


def _newest(files, unmatched):
    """The one file to keep of one student's notebook, listing the others; None if none is."""
    if len(files) == 1:
        return files[0]
    orders = [upload.order for upload, _, _ in files]
    if None in orders or len(set(orders)) < len(orders):
        reason = f"ambiguous: {len(files)} files of this notebook from one student, in no order"
        unmatched.extend((member, reason) for _, member, _ in files)
        return None
    files = sorted(files, key=lambda file: file[0].order)
    for _, member, _ in files[:-1]:
        unmatched.append((member, f"older than {files[-1][1]}, which is kept"))
    return files[-1]


def _write(path, data):
    """Whole or not at all: a file that is there is never half a notebook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
