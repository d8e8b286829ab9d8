"""Reading an LMS's zip without trusting it.

A member's name is only ever parsed, never used as a path: whatever is written is named by the
roster and the course. Names that would escape a folder if someone did use them (`../x`,
`/etc/x`, `C:x`, backslashes), symbolic links and encrypted members are refused outright, and
no member is read past a limit of its own nor the archive past a total (a zip bomb expands a few
kilobytes into gigabytes): the declared size is checked first, then the bytes actually read."""

import re
import stat
import zipfile
import zlib

DRIVE = re.compile(r"[A-Za-z]:")

# A notebook with its figures is a few megabytes; these leave room for a hundredfold.
MEMBER_BYTES = 256 * 2**20
TOTAL_BYTES = 8 * 2**30
CHUNK = 2**20


class ArchiveError(Exception):
    """An archive that cannot be read at all; the message says why."""


class Unreadable(Exception):
    """A member that cannot be read; the message says why."""


class TooLarge(Unreadable):
    """A member over a limit; the message says which."""


def open_archive(path):
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"{path}: not a readable zip archive ({error})") from error


def members(archive):
    """(member name, ZipInfo, reason it is refused or None) of every file of the archive."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        yield info.filename, info, refusal(info)


def refusal(info):
    name = info.filename
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or "\0" in name or DRIVE.match(name) or ".." in parts:
        return "unsafe name: it points outside the archive's folder (refused, never read)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link (refused, never read)"
    if info.flag_bits & 0x1:
        return "encrypted (refused)"
    return None


class Reader:
    """Reads members of one archive within a limit per member and a total."""

    def __init__(self, archive, member_bytes=MEMBER_BYTES, total_bytes=TOTAL_BYTES):
        self.archive, self.member_bytes, self.total_bytes = archive, member_bytes, total_bytes
        self.total = 0

    def read(self, info):
        """The member's bytes; Unreadable if damaged, TooLarge before reading past a limit."""
        limit = min(self.member_bytes, self.total_bytes - self.total)
        self._check(info.file_size, limit)
        data = bytearray()
        try:
            with self.archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    data += chunk
                    self._check(len(data), limit)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            # A damaged member, or a compression zipfile cannot undo (Windows' Deflate64).
            raise Unreadable(f"unreadable in the archive: {error}") from error
        self.total += len(data)
        return bytes(data)

    def _check(self, size, limit):
        if size <= limit:
            return
        if limit < self.member_bytes:
            raise TooLarge(
                f"too large: the archive's files together pass the limit of "
                f"{_megabytes(self.total_bytes)} (refused, a zip bomb's mark)"
            )
        raise TooLarge(
            f"too large: over the limit of {_megabytes(self.member_bytes)} for one file "
            "(refused, a zip bomb's mark)"
        )


def _megabytes(size):
    return f"{size / 2**20:g} MB"
