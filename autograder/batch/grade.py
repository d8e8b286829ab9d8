"""`grade`: grade every submitted notebook with nbgrader; write grades.csv and the feedback.

The layout is nbgrader's: SUBMITTED_DIR/<student_id>/<assignment_id>/<name>.ipynb. This module
is the coordinator: it sets the course up once, hands each submission to a worker
(`autograder.batch.worker`, run where `autograder.batch.executors` says), and is the only
writer of the batch's gradebook (`db_url`, SQLite in OUT_DIR by default).

A submission's rows are appended to OUT_DIR's journal once its notebook has finished, so a
batch that is interrupted resumes where it stopped, and a submission is not graded again
(unless `force`) while neither its files nor its assignment's source notebooks have changed;
only the assignments with something to grade are released into the gradebooks again.
"""

from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from ..course.paths import assignments, source_hash
from ..output.grades import write_grades
from ..output.journal import Journal
from ..output.layout import OutputFolder
from ..output.statuses import GRADED
from ..pipeline.config import grading_api
from ..reporting.report import write_report
from ..sandbox import reference_times
from ..sandbox.bubblewrap import sandbox_problem
from ..sandbox.limits import Limits
from .executors import blas_threads, run
from .gradebook import record_in_gradebook
from .submissions import find_submissions, submission_hash


class SandboxUnavailable(RuntimeError):
    pass


def grade(
    submitted_dir,
    out_dir,
    limits=None,
    force=False,
    jobs=1,
    scheduler=None,
    db_url=None,
    progress=False,
):
    """Grade everything under `submitted_dir`; return (the rows of grades.csv, the cell scores,
    [(student, assignment, the exception)] of the submissions the grader itself failed on).

    A failure of the grader (an exception in a worker, a lost Dask worker, nbgrader failing on
    a notebook it was given) is never a student's 0: it is returned, not written to the
    journal or grades.csv, so that the next run grades that submission again."""
    limits = limits or Limits()
    if limits.sandbox != "none" and sandbox_problem():
        raise SandboxUnavailable(
            f"{sandbox_problem()}. Student code would run with your rights; "
            "pass --sandbox none to grade without a sandbox anyway."
        )
    submitted_dir, out_dir = Path(submitted_dir).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    output = OutputFolder(out_dir)
    db_url = db_url or output.default_db_url()
    submissions = find_submissions(submitted_dir)
    known = set(assignments())

    journal = Journal(output.journal)
    submitted = {assignment for _, assignment in submissions} & known
    sources = {assignment: source_hash(assignment) for assignment in submitted}
    pending = []
    for (student, assignment), paths in sorted(submissions.items()):
        digest = submission_hash(paths, sources.get(assignment, ""))
        if force or not journal.has(student, assignment, digest):
            pending.append((student, assignment, [str(p) for p in paths], digest))
    if limits.threads is None:
        limits = replace(limits, threads=blas_threads(jobs, len(pending), scheduler))
    if pending:  # only the assignments graded now: a late submission's, say
        set_up(output, submitted_dir, limits, db_url, {a for _, a, _, _ in pending} & known)
    tasks = [
        ((str(out_dir), str(submitted_dir), student, assignment, paths, limits), digest)
        for student, assignment, paths, digest in pending
    ]
    bar = tqdm(
        total=len(tasks), unit="notebook", disable=not progress or not tasks, dynamic_ncols=True
    )
    not_graded, failures = 0, []
    with bar:
        for (task, digest), outcome in run(tasks, jobs, scheduler, limits.threads):
            _, _, student, assignment, _, _ = task
            if isinstance(outcome, BaseException):
                failures.append((student, assignment, outcome))
            else:
                if assignment in known:
                    record_in_gradebook(db_url, student, assignment, outcome)
                journal.add(student, assignment, digest, outcome)
                not_graded += sum(row.status != GRADED for row in outcome.rows)
            bar.set_postfix(not_graded=not_graded, grader_failed=len(failures), refresh=False)
            bar.update()
    rows, cells = journal.results(submissions)
    write_grades(rows, output.grades)
    write_report(out_dir)
    return rows, cells, failures


def set_up(output, submitted_dir, limits, db_url, assignment_ids):
    """Release each assignment into OUT_DIR/release, register it in the batch's gradebook and
    in the template that every worker copies, and time its reference's cells (once for its
    source notebooks: `autograder.sandbox.reference_times`)."""
    output.template.unlink(missing_ok=True)
    for db_path_or_url in [output.template, db_url]:
        api = grading_api(output, submitted_dir, limits, db_path_or_url)
        for assignment in sorted(assignment_ids):
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not set up {assignment}:\n{result['log']}")
    for assignment in sorted(assignment_ids):
        reference_times.measure(assignment, output.root, limits.threads, limits.cell_seconds)
