"""`export`: a batch's grades as the gradebook import files of learning-management systems.

`python -m autograder export OUT_DIR --format canvas|moodle|csv` reads OUT_DIR/grades.csv and
writes one row per student, one column per assignment (the sum of its notebooks' scores):

- `canvas`: Canvas's gradebook CSV ("Import grades in the Gradebook from a CSV file"): the
  columns `Student, ID, SIS User ID, SIS Login ID, Section`, then one per assignment, and a
  `Points Possible` row after the header, as Canvas's own export has. Canvas matches a row to a
  student by `SIS User ID` or `SIS Login ID`: here the nbgrader student id, so name the
  submission folders by that id. `ID` (Canvas's own number) is left empty.
- `moodle`: Moodle's grade import ("Import grades: CSV file"): an `ID number` column to map to
  the user's ID number, then one column per assignment, to map to grade items on import.
- `csv`: `student_id`, then one column per assignment.

Only student ids and scores, nothing else. A notebook with no score (not graded) counts 0,
as in grades.csv.
"""

import csv
from pathlib import Path

from ..output.grades import read_rows, totals
from ..output.layout import OutputFolder

FORMATS = ("canvas", "moodle", "csv")


def class_scores(rows):
    """(assignments in order, {student: {assignment: score}}, {assignment: points possible})."""
    scores, possible = {}, {}
    for (student, assignment), (score, maximum) in totals(rows).items():
        scores.setdefault(student, {})[assignment] = score
        # Every student's submission of an assignment has one maximum: take the largest known
        # (a notebook that could not be read has none).
        possible[assignment] = max(possible.get(assignment, 0.0), maximum)
    return sorted(possible), scores, possible


def export(out_dir, format, path=None):
    """Write the export of OUT_DIR's grades in `format`; its path (default OUT_DIR/<format>.csv)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    assignments, scores, possible = class_scores(read_rows(OutputFolder(out_dir).grades))
    path = Path(path or out_dir / f"{format}.csv")
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        if format == "canvas":
            writer.writerow(
                ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *assignments]
            )
            writer.writerow(
                ["Points Possible", "", "", "", "", *(_number(possible[a]) for a in assignments)]
            )
        elif format == "moodle":
            writer.writerow(["ID number", *assignments])
        else:
            writer.writerow(["student_id", *assignments])
        for student in sorted(scores):
            marks = [_number(scores[student].get(a, 0.0)) for a in assignments]
            if format == "canvas":
                writer.writerow([student, "", student, student, "", *marks])
            else:
                writer.writerow([student, *marks])
    return path


def _number(value):
    return f"{value:g}"
