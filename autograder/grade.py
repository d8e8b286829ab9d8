"""`grade`: grade every submitted notebook with nbgrader; write grades.csv and the feedback.

The layout is nbgrader's: SUBMITTED_DIR/<student_id>/<assignment_id>/<name>.ipynb. This module
is the coordinator: it sets the course up once, hands each submission to a worker
(`autograder.worker`: in this process, in a pool of `jobs` processes, or on a Dask cluster),
and is the only writer of the batch's gradebook (`db_url`, SQLite in OUT_DIR by default).

A submission's rows are appended to OUT_DIR/journal.jsonl once its notebook has finished, so a
batch that is interrupted resumes where it stopped, and a submission is not graded again
(unless `force`) while neither its files nor its assignment's source notebooks have changed;
only the assignments with something to grade are released into the gradebooks again.
"""

import csv
import ctypes
import functools
import hashlib
import json
import os
import signal
import statistics
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, astuple, fields, replace
from multiprocessing import get_context
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from . import reference_times
from .course import COURSE_ID, SOLUTIONS, assignments, notebooks
from .kernel_manager import THREAD_VARIABLES
from .reference import solutions_dir, source_chapters
from .report import write_report
from .sandbox import sandbox_problem
from .seeds import student_seed
from .statuses import GRADED
from .worker import Limits, Row, grade_one, nbgrader_api

PR_SET_PDEATHSIG = 1  # prctl(2)

__all__ = ["Limits", "Row", "grade", "grade_command", "student_seed"]


class SandboxUnavailable(RuntimeError):
    pass


def grade_command(submitted_dir, out_dir, limits=None, force=False, **where):
    """Exit 0 when every submission got its rows, 1 when the grader itself failed on some
    (said on stderr; grading them again retries them), 2 when it cannot grade at all."""
    try:
        rows, cells, failures = grade(
            Path(submitted_dir), Path(out_dir), limits, force, progress=True, **where
        )
    except SandboxUnavailable as error:
        print(f"not grading: {error}")
        return 2
    print(summary(rows, cells))
    print(f"{len(rows)} notebooks -> {Path(out_dir) / 'grades.csv'}")
    for student, assignment, error in failures:
        print(
            f"the grader failed on {student}/{assignment} (no grade recorded; run grade again "
            f"to retry it): {type(error).__name__}: {error}",
            file=sys.stderr,
        )
    return 1 if failures else 0


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
    submitted_dir, out_dir = submitted_dir.resolve(), out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    db_url = db_url or f"sqlite:///{out_dir / 'gradebook.db'}"
    submissions = find_submissions(submitted_dir)
    known = set(assignments())

    journal = Journal(out_dir / "journal.jsonl")
    submitted = {assignment for _, assignment in submissions} & known
    sources = {assignment: source_hash(assignment) for assignment in submitted}
    pending = []
    for (student, assignment), paths in sorted(submissions.items()):
        digest = content_hash(paths, sources.get(assignment, ""))
        if force or not journal.has(student, assignment, digest):
            pending.append((student, assignment, [str(p) for p in paths], digest))
    if limits.threads is None:
        limits = replace(limits, threads=blas_threads(jobs, len(pending), scheduler))
    if pending:  # only the assignments graded now: a late submission's, say
        set_up(out_dir, submitted_dir, limits, db_url, {a for _, a, _, _ in pending} & known)
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
    write_grades(rows, out_dir / "grades.csv")
    write_report(out_dir)
    return rows, cells, failures


def blas_threads(jobs, notebooks, scheduler=None):
    """BLAS threads per notebook: this machine's cores shared among the notebooks that run at
    once; one on a Dask cluster, whose workers run one notebook per worker thread."""
    if scheduler:
        return 1
    return max(1, (os.cpu_count() or 1) // max(1, min(jobs, notebooks)))


def set_up(out_dir, submitted_dir, limits, db_url, assignment_ids):
    """Release each assignment into OUT_DIR/release, register it in the batch's gradebook and
    in the template that every worker copies, and time its reference's cells (once for its
    source notebooks: `autograder.reference_times`)."""
    template = out_dir / "template.db"
    template.unlink(missing_ok=True)
    for db_path_or_url in [template, db_url]:
        api = nbgrader_api(out_dir, submitted_dir, limits, db_path_or_url)
        for assignment in sorted(assignment_ids):
            result = api.generate_assignment(assignment, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(f"nbgrader could not set up {assignment}:\n{result['log']}")
    for assignment in sorted(assignment_ids):
        reference_times.measure(assignment, out_dir, limits.threads, limits.cell_seconds)


def run(tasks, jobs, scheduler, threads):
    """Yield ((task, digest), outcome or the exception it raised) as the workers finish.
    A pool's workers get `threads` BLAS threads each, as their notebooks' kernels do."""
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler) as client:
            futures = {client.submit(grade_one, t, pure=False): (t, d) for t, d in tasks}
            for future in dask_completed(futures):
                yield futures[future], _result(future)
    elif jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(
            jobs,
            mp_context=get_context("spawn"),
            initializer=start_worker,
            initargs=(os.getpid(), threads),
        ) as pool:
            futures = {pool.submit(grade_one, t): (t, d) for t, d in tasks}
            for future in as_completed(futures):
                yield futures[future], _result(future)
    else:
        for task, digest in tasks:
            try:
                yield (task, digest), grade_one(task)
            except Exception as error:
                yield (task, digest), error


def start_worker(parent, threads):
    """Set up a pool worker: it ends with the coordinator, and its own NumPy keeps to its
    share of the cores. The worker runs the reference's side of the hidden tests
    (`autograder.expected`) while the other workers' kernels compute: with a BLAS thread per
    core in every worker, the threads waited on each other's cores, and chapter 6's `fit` test
    took 14 s of a worker's CPU instead of 0.85 s, making --jobs 2 slower than --jobs 1.
    (A Dask worker's nanny already starts it with one BLAS thread.)"""
    end_with_parent(parent)
    # The variables for a BLAS loaded later (SciPy's own), the call for NumPy's, loaded already.
    os.environ.update({variable: str(threads) for variable in THREAD_VARIABLES})
    threadpool_limits(threads, user_api="blas")


def end_with_parent(parent):
    """Make a pool worker end when the coordinator does, killed or not, so that no worker
    goes on grading into OUT_DIR behind a batch that is resumed (Linux; elsewhere a no-op)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the coordinator died while this worker was starting
        os.kill(os.getpid(), signal.SIGTERM)


def _result(future):
    try:
        return future.result()
    except Exception as error:
        return error


def record_in_gradebook(db_url, student, assignment, outcome):
    """Write a worker's cell scores into the batch's gradebook, as its only writer."""
    with Gradebook(db_url, COURSE_ID) as gradebook:
        gradebook.update_or_create_student(student)
        try:
            gradebook.remove_submission(assignment, student)
        except MissingEntry:
            pass
        gradebook.add_submission(assignment, student)
        for notebook, scores in outcome.cells.items():
            for grade_id, (score, _) in scores.items():
                grade = gradebook.find_grade(grade_id, notebook, assignment, student)
                grade.auto_score = score
                grade.needs_manual_grade = False
        gradebook.db.commit()


def find_submissions(submitted_dir):
    """{(student_id, assignment_id): [notebook paths]} in nbgrader's submitted layout."""
    submissions = {}
    for notebook in sorted(Path(submitted_dir).glob("*/*/*.ipynb")):
        student, assignment = notebook.parent.parent.name, notebook.parent.name
        submissions.setdefault((student, assignment), []).append(notebook)
    return submissions


def source_hash(assignment):
    """A digest of an assignment's source notebooks, released from solutions/ and read for the
    reference: a fixed hidden test or a corrected reference regrades the assignment."""
    roots = sorted({SOLUTIONS, solutions_dir()})
    return content_hash([path for root in roots for path in notebooks(assignment, root)])


def content_hash(paths, salt=""):
    digest = hashlib.sha256(salt.encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_grades(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([field.name for field in fields(Row)])
        writer.writerows(astuple(row) for row in rows)


def summary(rows, cells, label_of=None):
    """Counts per status, and how the class did on each graded function.

    `cells` are (assignment, notebook, {grade id: (score, max score)}) of each graded notebook;
    `label_of(assignment, notebook, grade id)` names a test as a student reads it (`predict`,
    `NeuralNetwork.fit`; read from the source notebooks by default).
    """
    label_of = label_of or label_of_test
    lines = [
        "status: " + ", ".join(f"{n} {s}" for s, n in Counter(r.status for r in rows).most_common())
    ]
    several = len({assignment for assignment, _, _ in cells}) > 1
    by_test = {}
    for assignment, notebook, scores in cells:
        for grade_id, (score, max_score) in scores.items():
            name = label_of(assignment, notebook, grade_id)
            name = f"{assignment}: {name}" if several else name
            by_test.setdefault(name, []).append((score or 0, max_score))
    if by_test:
        width = max(28, *(len(name) + 1 for name in by_test))
        lines.append(f"{'graded function':<{width}} {'mean':>9} {'full marks':>11} {'zero':>6}")
    for name, scores in sorted(by_test.items(), key=lambda item: _share(item[1], full=True)):
        mean = statistics.mean(s for s, _ in scores)
        lines.append(
            f"{name:<{width}} {mean:>5.2f}/{scores[0][1]:<3g} {_share(scores, full=True):>10.0%} "
            f"{_share(scores, full=False):>6.0%}"
        )
    return "\n".join(lines)


def label_of_test(assignment, notebook, grade_id):
    """A test cell's name as a student reads it (`predict`, `NeuralNetwork.fit`)."""
    return _labels(assignment).get((notebook, grade_id), grade_id)


@functools.cache
def _labels(assignment):
    """{(notebook, grade id): label} of an assignment's source notebooks, read once: a summary
    or a report of 400 students asks thousands of times."""
    return {
        (chapter.name, test.grade_id): test.label
        for chapter in source_chapters(assignment)
        for test in chapter.tests
    }


def _share(scores, full):
    return sum((s == m) if full else (s == 0) for s, m in scores) / len(scores)


class Journal:
    """Every finished submission's outcome, one JSON line each, appended as they finish."""

    def __init__(self, path):
        self.path = path
        self.entries = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # the line being written when the batch was killed
                self.entries[entry["student"], entry["assignment"]] = entry

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
        cells = [
            (entry["assignment"], notebook, scores)
            for entry in entries
            for notebook, scores in entry.get("cells", {}).items()
        ]
        return rows, cells
