"""Who an LMS's file name says a student is, by the roster (`autograder.roster`)."""


def match(students, lms, number, name):
    """(student_id, None) of the student an LMS's number and name are, or (None, the reason).

    The LMS's own id decides when a roster row has it; otherwise the name, as the LMS writes it
    (`lms.name_key`), among the rows that have no id of that LMS (a row with another id is
    another person of the same name)."""
    for student in students:
        if student.lms_ids.get(lms.ID_COLUMN) == number:
            return student.student_id, None
    key = lms.name_key(name)
    unnumbered = [student for student in students if lms.ID_COLUMN not in student.lms_ids]
    named = [s.student_id for s in unnumbered if s.name and lms.name_key(s.name) == key]
    if key and len(named) > 1:
        return None, f"ambiguous: {', '.join(named)} on the roster are all named {name!r}"
    if not key or not named:
        return None, f"unknown student: no roster row has {lms.ID_COLUMN} {number} or {name!r}"
    return named[0], None
