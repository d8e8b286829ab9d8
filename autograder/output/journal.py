"""journal.jsonl: every finished submission's outcome, one JSON line each, appended as they
finish, so that a batch that is interrupted resumes where it stopped.

An entry is {"student", "assignment", "hash" (of the submission and its sources), "rows"
(grades.csv's rows), "cells" ({notebook: {grade id: [score, max score]}}), "messages"
({notebook: {grade id: the sentence a failed test showed}})}. A student's later entry for the
same assignment replaces the earlier one. This module is the journal's only reader and writer.
"""

import json
import os
from dataclasses import asdict

from .grades import Row


def read_appended(path):
    """Every entry in the order it was appended, superseded ones included."""
    entries = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # the line being written when the batch was killed
    return entries


def read_entries(path, present=None):
    """{(student, assignment): its last entry}; only the keys in `present`, when given."""
    entries = {}
    for entry in read_appended(path):
        key = (entry["student"], entry["assignment"])
        if present is None or key in present:
            entries[key] = entry
    return entries


def write_entries(path, entries):
    """Write a whole journal (a made-up batch: the benchmarks, the tests)."""
    path.write_text("".join(json.dumps(entry) + "\n" for entry in entries), encoding="utf-8")


class Journal:
    """The journal of one OUT_DIR, read once, then appended to."""

    def __init__(self, path):
        self.path = path
        self.entries = read_entries(path)

    def has(self, student, assignment, digest):
        entry = self.entries.get((student, assignment))
        return entry is not None and entry["hash"] == digest

    def add(self, student, assignment, digest, outcome):
        entry = {"student": student, "assignment": assignment, "hash": digest}
        entry["rows"] = [asdict(row) for row in outcome.rows]
        entry["cells"] = outcome.cells
        entry["messages"] = outcome.messages
        self.entries[student, assignment] = entry
        with open(self.path, "a", encoding="utf-8") as file:
            file.write(json.dumps(entry) + "\n")
            file.flush()
            os.fsync(file.fileno())

    def results(self, submissions):
        """The rows and per-notebook cell scores of the submissions present now, in order."""
        entries = [self.entries[key] for key in sorted(submissions) if key in self.entries]
        rows = [Row(**row) for entry in entries for row in entry["rows"]]
        return rows, cell_scores(entries)


def cell_scores(entries):
    """[(assignment, notebook, {grade id: (score, max score)})] of journal entries."""
    return [
        (entry["assignment"], notebook, scores)
        for entry in entries
        for notebook, scores in entry.get("cells", {}).items()
    ]
