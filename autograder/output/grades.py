"""grades.csv: one row per submitted notebook, and what a worker hands back for a submission."""

import csv
from dataclasses import astuple, dataclass, field, fields


@dataclass
class Row:
    """A row of grades.csv; `status` is one of `autograder.output.statuses`."""

    student_id: str
    assignment_id: str
    notebook: str
    score: float
    max_score: float | str
    status: str


@dataclass
class Outcome:
    """A submission's rows, each test cell's score, {notebook: {grade id: (score, max)}}, and
    the sentence each failed test cell showed the student, {notebook: {grade id: sentence}}."""

    rows: list
    cells: dict = field(default_factory=dict)
    messages: dict = field(default_factory=dict)


def write_grades(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([field.name for field in fields(Row)])
        writer.writerows(astuple(row) for row in rows)


def read_rows(path):
    """grades.csv's rows as dicts of strings, as a spreadsheet would read them."""
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def totals(rows):
    """{(student, assignment): (score, max score)}, summed over the submission's notebooks:
    the one per-student sum of the report and the LMS exports."""
    sums = {}
    for row in rows:
        key = (row["student_id"], row["assignment_id"])
        score, maximum = sums.get(key, (0.0, 0.0))
        sums[key] = (score + float(row["score"] or 0), maximum + float(row["max_score"] or 0))
    return sums
