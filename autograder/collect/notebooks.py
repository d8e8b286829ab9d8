"""Which released notebook a student's file is: only these names ever become file names."""

import re

from ..course import paths

# The marks a copy of a file gets on its way back: ` (1)` from a browser or a desktop that
# would not overwrite a download, `-1` from Canvas's `Attachment.make_unique_filename` when the
# student's folder already holds the name. Either may follow the other.
COPY_MARK = re.compile(r"(?:\s*\(\d+\)|-\d+)$")


def released():
    """{notebook file name: [assignment ids]} of every assignment of the course."""
    catalogue = {}
    for assignment in paths.assignments():
        for notebook in paths.notebooks(assignment):
            catalogue.setdefault(notebook.name, []).append(assignment)
    return catalogue


def identify(original, catalogue, assignment=None):
    """(assignment id, notebook name) of the released notebook a file named `original` is, or
    the reason it is none. `assignment` keeps to one assignment."""
    stem, dot, extension = original.rpartition(".")
    if not dot or extension.lower() != "ipynb":
        return f"not a notebook (.{extension})" if dot else "not a notebook (no extension)"
    names = {name.casefold(): name for name in catalogue}
    while stem.casefold() + ".ipynb" not in names:
        shorter = COPY_MARK.sub("", stem)
        if shorter == stem:
            known = ", ".join(sorted(catalogue))
            return f"a notebook the course did not release (its notebooks: {known})"
        stem = shorter
    notebook = names[stem.casefold() + ".ipynb"]
    assignments = catalogue[notebook]
    if assignment is not None:
        if assignment not in assignments:
            return f"{notebook} of {', '.join(assignments)}, not of {assignment}"
        return assignment, notebook
    if len(assignments) > 1:
        return f"ambiguous: {notebook} is in {', '.join(assignments)} (give --assignment)"
    return assignments[0], notebook
