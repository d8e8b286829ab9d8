"""The service's state, all in the gradebook's database (`--db`: SQLite in OUT_DIR by default,
PostgreSQL for a real class), beside nbgrader's tables, in tables named `service_*`: one
database to back up, and the grades and the submissions they came from cannot drift apart.
Nothing lives only in memory: the queue is the submissions' `state` column, so a service
killed mid-grading grades, when started again, what was queued or running.

A submission's row is written once, when it is accepted (its file already on disk, under its
id: `uploads`); grading changes only its state and rows. Times are UTC ISO 8601 strings, which
sort as the times do in every database.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from nbgrader.api import Gradebook
from sqlalchemy import (
    Column,
    Index,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    insert,
    select,
    update,
)

from ..course.paths import COURSE_ID

QUEUED, RUNNING, GRADED, FAILED = "queued", "running", "graded", "failed"

metadata = MetaData()
people = Table(
    "service_people",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    # None for the instructor's link.
    Column("student_id", String(100), unique=True, nullable=True),
    Column("name", Text, nullable=False, default=""),
    Column("email", Text, nullable=False, default=""),
)
submissions = Table(
    "service_submissions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("student_id", String(100), nullable=False),
    Column("assignment", String(100), nullable=False),
    Column("notebook", String(200), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("received_at", String(40), nullable=False),
    Column("state", String(10), nullable=False),
    Column("rows", Text, nullable=False, default="[]"),  # grades.csv's rows, as JSON
    Column("error", Text, nullable=False, default=""),  # the grader's failure, for the instructor
    Column("graded_at", String(40), nullable=True),  # when its grading last ended
    Index("service_by_student", "student_id", "assignment", "received_at"),
    Index("service_by_state", "state", "received_at"),
)


@dataclass
class Submission:
    id: str
    student_id: str
    assignment: str
    notebook: str
    sha256: str
    received_at: datetime
    state: str
    rows: list
    error: str
    graded_at: datetime | None = None

    @classmethod
    def of(cls, row):
        values = dict(row._mapping)
        for moment in ("received_at", "graded_at"):
            if values[moment]:
                values[moment] = datetime.fromisoformat(values[moment])
        values["rows"] = json.loads(values["rows"])
        return cls(**values)


def now():
    return datetime.now(timezone.utc)


class Store:
    def __init__(self, db_url):
        # nbgrader's gradebook first: nbgrader stamps its schema version only in a database
        # that has no table yet.
        with Gradebook(db_url, COURSE_ID):
            pass
        self.engine = create_engine(db_url)
        metadata.create_all(self.engine)

    # People.

    def known_students(self):
        with self.engine.connect() as db:
            query = select(people.c.student_id).where(people.c.student_id.is_not(None))
            return {row.student_id for row in db.execute(query)}

    def add_person(self, token_hash, student=None):
        values = {"token_hash": token_hash, "student_id": None, "name": "", "email": ""}
        if student is not None:
            values.update(student_id=student.student_id, name=student.name, email=student.email)
        with self.engine.begin() as db:
            db.execute(insert(people).values(**values))

    def has_instructor(self):
        with self.engine.connect() as db:
            query = select(people.c.token_hash).where(people.c.student_id.is_(None))
            return db.execute(query).first() is not None

    def replace_instructor(self, token_hash):
        with self.engine.begin() as db:
            db.execute(people.delete().where(people.c.student_id.is_(None)))
            db.execute(insert(people).values(token_hash=token_hash, name="", email=""))

    def replace_link(self, student_id, token_hash):
        """Give a student a new link (theirs was lost or leaked); False for an unknown id."""
        with self.engine.begin() as db:
            changed = db.execute(
                update(people)
                .where(people.c.student_id == student_id)
                .values(token_hash=token_hash)
            )
            return changed.rowcount == 1

    def person(self, token_hash):
        """(found, the student id or None for the instructor) of a token's hash."""
        with self.engine.connect() as db:
            row = db.execute(select(people).where(people.c.token_hash == token_hash)).first()
        return (row is not None, row.student_id if row else None)

    def students(self):
        with self.engine.connect() as db:
            query = select(people).where(people.c.student_id.is_not(None))
            return sorted(db.execute(query), key=lambda row: row.student_id)

    # Submissions.

    def add_submission(self, submission):
        values = dict(vars(submission))
        values["received_at"] = submission.received_at.isoformat()
        values["rows"] = json.dumps(submission.rows)
        values["graded_at"] = None
        with self.engine.begin() as db:
            db.execute(insert(submissions).values(**values))

    def submissions(self, student_id=None, assignment=None):
        """Submissions, oldest first: a student's, an assignment's, or all."""
        query = select(submissions).order_by(submissions.c.received_at, submissions.c.id)
        if student_id is not None:
            query = query.where(submissions.c.student_id == student_id)
        if assignment is not None:
            query = query.where(submissions.c.assignment == assignment)
        with self.engine.connect() as db:
            return [Submission.of(row) for row in db.execute(query)]

    def submission(self, submission_id, student_id=None):
        """One submission; with `student_id`, only if it is that student's."""
        query = select(submissions).where(submissions.c.id == submission_id)
        if student_id is not None:
            query = query.where(submissions.c.student_id == student_id)
        with self.engine.connect() as db:
            row = db.execute(query).first()
        return Submission.of(row) if row else None

    def received_since(self, student_id, assignment, since):
        query = select(submissions.c.received_at).where(
            and_(
                submissions.c.student_id == student_id,
                submissions.c.assignment == assignment,
                submissions.c.received_at > since.isoformat(),
            )
        )
        with self.engine.connect() as db:
            return [datetime.fromisoformat(row.received_at) for row in db.execute(query)]

    # The queue.

    def requeue_running(self):
        """On start: what was running when the service stopped is graded again."""
        with self.engine.begin() as db:
            db.execute(
                update(submissions).where(submissions.c.state == RUNNING).values(state=QUEUED)
            )

    def claim(self, busy):
        """The oldest queued submission whose (student, assignment) is not in `busy`, now
        marked running; None when there is none. (One service process claims, so no two
        claims race.)"""
        query = select(submissions).where(submissions.c.state == QUEUED)
        query = query.order_by(submissions.c.received_at, submissions.c.id)
        with self.engine.begin() as db:
            for row in db.execute(query).all():
                if (row.student_id, row.assignment) not in busy:
                    db.execute(
                        update(submissions).where(submissions.c.id == row.id).values(state=RUNNING)
                    )
                    return Submission.of(row)
        return None

    def finish(self, submission_id, state, rows=(), error=""):
        """Record a grading's end. A submission queued again while it ran (a regrade) stays
        queued, to be graded again."""
        this = submissions.c.id == submission_id
        with self.engine.begin() as db:
            values = {"rows": json.dumps(list(rows)), "error": error}
            db.execute(
                update(submissions).where(this).values(graded_at=now().isoformat(), **values)
            )
            running = and_(this, submissions.c.state == RUNNING)
            db.execute(update(submissions).where(running).values(state=state))

    def requeue(self, submission_ids):
        with self.engine.begin() as db:
            for submission_id in submission_ids:
                db.execute(
                    update(submissions)
                    .where(submissions.c.id == submission_id)
                    .values(state=QUEUED)
                )
