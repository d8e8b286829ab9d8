"""What an LMS's member name says about the file it holds, whichever LMS named it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Upload:
    """One student's file, as its member name in the archive tells it.

    `number` is the LMS's own number for the student (Canvas's user id, Moodle's participant id),
    `name` the student's name as the LMS wrote it, `original` the file's name as uploaded;
    `order` ranks two files of one student (larger is newer), or is None where the LMS's names
    give no order; `late` is the LMS's late flag."""

    number: str
    name: str
    original: str
    order: int | None = None
    late: bool = False
