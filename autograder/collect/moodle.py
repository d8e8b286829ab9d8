"""How Moodle names the files of an assignment's "Download all submissions".

From Moodle's own source, `mod/assign/classes/downloader.php` (moodle/moodle, `downloader`,
Moodle 4.1 on; `download_submissions` in `mod/assign/locallib.php` before, with the same names):
a student's prefix is `<full name>_<participant id>`, the full name with every `_` turned into a
space and cleaned by `clean_filename` (which deletes `& < > " ` | ' : \\ /` and control
characters). With "Download submissions in folders" (the default since Moodle 3.1) each file is

    <full name>_<participant id>_assignsubmission_file/<file name as uploaded>

(under any folders the student made), and without it, all in one folder,

    <full name>_<participant id>_assignsubmission_file_<file name as uploaded>

Other submission plugins put their own files alongside (`..._assignsubmission_onlinetext_
onlinetext.html`). So Jane Doe, participant 1234567, gives
`Jane Doe_1234567_assignsubmission_file/sigmoid_neuron.ipynb`.

The participant id is not the Moodle user id: it is the assignment's own number for the
student (`get_uniqueid_for_user`, a row of `assign_user_mapping`), different in every
assignment, and the only name under blind marking (the full name is then "Participant"). The
grading worksheet of the assignment shows it as "Participant 1234567". The zip holds each
student's latest attempt only, and its names give no time: two files of one notebook from one
student cannot be ordered."""

import re
import unicodedata

from .upload import Upload

PREFIX = r"(?P<name>[^_/]*)_(?P<number>\d+)_assignsubmission_(?P<plugin>[a-z0-9]+)"
FLAT = re.compile(PREFIX + r"_(?P<original>[^/]+)")
FOLDERS = re.compile(PREFIX + r"/(?:[^/]+/)*(?P<original>[^/]+)")
# The roster column holding each student's participant id in this assignment.
ID_COLUMN = "moodle_id"
FORM = "<full name>_<participant id>_assignsubmission_file[/ or _]<file name>"
UNSAFE = re.compile(r"[\x00-\x1f\x7f&<>\"`|':\\/]")


def parse(member):
    """The Upload a member name tells of, or the reason it tells none."""
    match = FOLDERS.fullmatch(member) or FLAT.fullmatch(member)
    if not match:
        return f"not named as Moodle names a submitted file: {FORM}"
    if match["plugin"] != "file":
        return f"a submission of Moodle's {match['plugin']} plugin, not an uploaded file"
    return Upload(number=match["number"], name=match["name"], original=match["original"])


def name_key(name):
    """A student's full name as Moodle writes it in the zip, compared without case or repeated
    spaces: `_` read as a space and the characters `clean_filename` deletes left out."""
    name = UNSAFE.sub("", unicodedata.normalize("NFC", name).replace("_", " "))
    return " ".join(name.casefold().split())
