"""The class roster: the CSV that says who each student is. `serve` gives each student a
personal link from it; `collect` matches an LMS's file names against it
(`autograder.collect.matching`).

Columns, by their header (any order, case ignored; others are ignored):

- `student_id` (required): the id grading uses, and the name of the student's folder;
- `name`, `email` (optional): the student's name, used to match when no LMS id does;
- `canvas_id` (optional): the student's Canvas user id (the number in the address of the
  student's page in Canvas, `/users/12345`);
- `moodle_id` (optional): the student's participant id in this Moodle assignment (its grading
  worksheet shows "Participant 1234567"), which differs from one assignment to the next.

A roster id becomes a folder name: it must be letters, digits, `.`, `_`, `-`, `@` or `+`,
starting with a letter or digit."""

import csv
import re
from dataclasses import dataclass, field

SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}")
LMS_COLUMNS = ("canvas_id", "moodle_id")


class RosterError(ValueError):
    """A roster this command cannot use; the message says why."""


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str = ""
    email: str = ""
    lms_ids: dict = field(default_factory=dict)


def read_roster(path):
    """The students of a roster CSV, in its order."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    if not rows:
        raise RosterError(f"{path}: empty; its first row names the columns (student_id, ...)")
    header = [column.strip().lower() for column in rows[0]]
    if "student_id" not in header:
        raise RosterError(f"{path}: no student_id column in the header row {rows[0]}")
    students, seen = [], {}
    for line, row in enumerate(rows[1:], start=2):
        # A short row lacks its last columns; a long one's extra cells have no column.
        values = dict(zip(header, (value.strip() for value in row), strict=False))
        if not any(values.values()):
            continue
        student = Student(
            student_id=values.get("student_id", ""),
            name=values.get("name", ""),
            email=values.get("email", ""),
            lms_ids={column: values[column] for column in LMS_COLUMNS if values.get(column)},
        )
        if not SAFE_ID.fullmatch(student.student_id):
            raise RosterError(
                f"{path}, line {line}: the student id {student.student_id!r} cannot name a "
                "folder (letters, digits, . _ - @ +, starting with a letter or digit)"
            )
        keys = [f"student_id {student.student_id}"]
        keys += [f"{column} {value}" for column, value in student.lms_ids.items()]
        for key in keys:
            if key in seen:
                raise RosterError(f"{path}, line {line}: {key} is also on line {seen[key]}")
            seen[key] = line
        students.append(student)
    return students
