"""The class list: a CSV with a `student_id` column and, optionally, `name` and `email`.

A student id becomes a folder name of OUT_DIR (nbgrader's layout), so only ids that are safe
as one path component are accepted; the roster is the instructor's, but a typo should fail
here, with its line, not as a path somewhere in grading.
"""

import csv
import re
from dataclasses import dataclass

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")


class RosterError(ValueError):
    pass


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str = ""
    email: str = ""


def read_roster(path):
    """The students of a roster CSV, in its order; RosterError names a bad line."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        if "student_id" not in (reader.fieldnames or []):
            raise RosterError(f"{path}: no `student_id` column (columns: student_id, name, email)")
        students, seen = [], set()
        for line, row in enumerate(reader, start=2):
            student_id = (row.get("student_id") or "").strip()
            if not SAFE_ID.match(student_id):
                raise RosterError(
                    f"{path}, line {line}: student id {student_id!r} must be letters, digits "
                    "and . _ @ + - (it names the student's folders)"
                )
            if student_id in seen:
                raise RosterError(f"{path}, line {line}: student {student_id} is listed twice")
            seen.add(student_id)
            name, email = (row.get(k) or "" for k in ("name", "email"))
            students.append(Student(student_id, name.strip(), email.strip()))
    return students


def new_students(roster, known_ids):
    """The roster's students the service does not have yet: a second `serve --roster` adds
    them and leaves everyone else's link as it is."""
    return [student for student in roster if student.student_id not in known_ids]
