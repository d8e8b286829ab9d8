"""How Canvas names the files of "Download Submissions" (an assignment's bulk zip).

From Canvas's own source, `lib/content_zipper.rb` (instructure/canvas-lms, `ContentZipper`):
each uploaded file is the member

    <sortable name>[_LATE]_<user id>_<attachment id>_<file name as uploaded>

at the top of the zip. `get_filename` joins the student's sortable name ("Doe, Jane"), `LATE`
for a late submission and the numeric user id with `_`, then `sanitize_file_name` deletes every
character that is not a letter, digit or `_`; `get_user_name` lowercased the name and joined any
`_<digits>_` in it, so the name holds no `_<digits>_`. So Jane Doe (user 12345), late,
uploading `sigmoid_neuron.ipynb` as attachment 6789012 gives
`doejane_LATE_12345_6789012_sigmoid_neuron.ipynb`.
Older Canvas lowercased the whole name (`doejane_late_12345_...`), and older still wrote
`doejaneLATE_12345_...`: all three are read. The zip holds each student's current submission
only; attachment ids grow with each upload, so the larger is the newer file.

With anonymous grading the name is left out and the id is `anon_<anonymous id>`: such a file
names no student this command can match. A file whose name already exists in the student's
folder is renamed by Canvas's `Attachment.make_unique_filename` to `<base>-1<ext>`, `-2`, ...:
`notebooks.identify` reads those back."""

import re
import unicodedata

from .upload import Upload

NAME = re.compile(
    r"(?P<name>[^/]*?)(?P<late>_LATE|LATE|_late)?_(?P<number>\d+)_(?P<attachment>\d+)_"
    r"(?P<original>[^/]+)"
)
ANONYMOUS = re.compile(r"(?:LATE_)?anon_", re.IGNORECASE)
# The roster column holding each student's Canvas user id.
ID_COLUMN = "canvas_id"
FORM = "<sortable name>[_LATE]_<user id>_<attachment id>_<file name>"


def parse(member):
    """The Upload a member name tells of, or the reason it tells none."""
    if "/" in member:
        return f"in a folder: Canvas puts every file at the top of its zip as {FORM}"
    if ANONYMOUS.match(member):
        return "anonymous grading: Canvas names no student (download with names shown)"
    match = NAME.fullmatch(member)
    if not match:
        return f"not named as Canvas names a submitted file: {FORM}"
    return Upload(
        number=match["number"],
        name=match["name"],
        original=match["original"],
        order=int(match["attachment"]),
        late=match["late"] is not None,
    )


def name_key(name):
    """A student's name as Canvas writes it in the zip, from a roster's name: the sortable name
    ("Doe, Jane", or made from "Jane Doe" with the last word as the surname, as Canvas makes it),
    lowercased, with only letters, digits and `_` left (`sanitize_file_name`)."""
    name = unicodedata.normalize("NFC", name.strip())
    words = name.split()
    if "," not in name and len(words) > 1:
        name = f"{words[-1]}, {' '.join(words[:-1])}"
    name = re.sub(r"_(\d+)_", r"\1", name)
    return re.sub(r"\W", "", name.lower())
