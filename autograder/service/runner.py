"""The loop that grades the queue, in a thread of the service: it claims queued submissions,
hands each to `grade`'s worker (`autograder.batch.worker.grade_one`, in `--jobs` processes or on
the `--scheduler` Dask cluster: `autograder.batch.executors.workers`), and records what comes
back as `grade` does: the batch gradebook, the journal, grades.csv and the class report.

Two submissions of one student's assignment never grade at once: the worker grades in
OUT_DIR's per-student folders (nbgrader's layout), so they are taken in the order received.
Only a submission that counts (the last on time: `policy`) goes to the gradebook and the
journal, so grades.csv, the report and the exports hold the counting ones; every submission
keeps its own feedback pages under its id.
"""

import shutil
import sys
import threading
import time
import traceback

from ..batch.executors import workers
from ..batch.grade import set_up
from ..batch.gradebook import record_in_gradebook
from ..batch.submissions import submission_hash
from ..course.paths import source_hash
from ..output.grades import write_grades
from ..output.journal import Journal
from ..reporting.report import write_report
from .store import FAILED, GRADED

# The class report draws its figures (seconds, with a class's heatmap): while grades pour in,
# write it at most this often; grades.csv is written after every submission.
REPORT_SECONDS = 60


class Runner:
    def __init__(self, store, output, policies, limits, jobs, scheduler, db_url):
        self.store, self.output, self.policies = store, output, policies
        self.limits, self.jobs, self.scheduler, self.db_url = limits, jobs, scheduler, db_url
        self.wakeup, self.stopping = threading.Event(), threading.Event()
        self.release_again = threading.Event()
        self.journal = Journal(output.journal)
        self.report_written, self.report_stale = 0.0, True
        self.thread = threading.Thread(target=self._run, name="grading", daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.wakeup.set()
        self.thread.join(timeout=10)

    def wake(self):
        """A submission was queued: look now rather than at the next tick."""
        self.wakeup.set()

    def regrade(self, assignment):
        """Grade again the counting submission of each student (after a fix to the assignment's
        hidden tests): released again first, once nothing is grading."""
        counted = {}
        for submission in self.store.submissions(assignment=assignment):
            if self.policies[assignment].counts(submission.received_at):
                counted[submission.student_id] = submission.id
        self.release_again.set()
        self.store.requeue(counted.values())
        self.wake()
        return len(counted)

    def _run(self):
        self.store.requeue_running()
        running = {}
        with workers(self.jobs, self.scheduler, self.limits.threads) as submit:
            while not self.stopping.is_set():
                try:
                    self._step(submit, running)
                except Exception:  # the database away a moment: the queue is still there
                    traceback.print_exc()
                    time.sleep(1)

    def _step(self, submit, running):
        """Record what finished, once the free workers have their next notebooks; wait a
        little."""
        finished = [(running.pop(f), f) for f in [f for f in running if f.done()]]
        if self.release_again.is_set() and not running and not finished:
            self.release_again.clear()
            self._release()
        # A finished submission's folders are busy until it is recorded.
        busy = {
            (s.student_id, s.assignment) for s in [*running.values(), *(s for s, _ in finished)]
        }
        while len(running) < self.jobs and not self.release_again.is_set():
            submission = self.store.claim(busy)
            if submission is None:
                break
            busy.add((submission.student_id, submission.assignment))
            try:
                running[submit(self._task(submission))] = submission
            except Exception as error:
                self._failed(submission, error)
        for submission, future in finished:
            try:
                self._finish(submission, future.result())
            except Exception as error:
                self._failed(submission, error)
        if self.report_stale and (
            not running or time.monotonic() - self.report_written > REPORT_SECONDS
        ):
            self._write_report()
        self.wakeup.wait(0.25)
        self.wakeup.clear()

    def _failed(self, submission, error):
        """The grader's failure, never the student's 0: said, kept, and regraded on request."""
        message = f"{type(error).__name__}: {error}"
        print(f"the grader failed on submission {submission.id}: {message}", file=sys.stderr)
        self.store.finish(submission.id, FAILED, error=message)
        shutil.rmtree(self.output.staged(submission.id), ignore_errors=True)

    def _release(self):
        set_up(self.output, self.output.service, self.limits, self.db_url, self.policies)

    def _task(self, submission):
        """`grade`'s task for one submission, staged in a submitted folder of its own."""
        staged = self.output.staged(submission.id)
        folder = staged / submission.student_id / submission.assignment
        shutil.rmtree(staged, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copyfile(self.output.upload(submission.id), folder / submission.notebook)
        paths = [str(folder / submission.notebook)]
        return (
            str(self.output.root),
            str(staged),
            submission.student_id,
            submission.assignment,
            paths,
            self.limits,
        )

    def _finish(self, submission, outcome):
        staged = self.output.staged(submission.id)
        student, assignment = submission.student_id, submission.assignment
        pages = self.output.submission_feedback(submission.id)
        shutil.rmtree(pages, ignore_errors=True)
        if self.output.feedback_of(student, assignment).is_dir():
            shutil.copytree(self.output.feedback_of(student, assignment), pages)
        if self.policies[assignment].counts(submission.received_at):
            paths = [staged / student / assignment / submission.notebook]
            digest = submission_hash(paths, source_hash(assignment))
            record_in_gradebook(self.db_url, student, assignment, outcome)
            self.journal.add(student, assignment, digest, outcome)
            rows, _ = self.journal.results(self.journal.entries)
            write_grades(rows, self.output.grades)
            self.report_stale = True
        else:
            self._restore_counting_feedback(student, assignment)
        self.store.finish(submission.id, GRADED, [vars(row) for row in outcome.rows])
        shutil.rmtree(staged, ignore_errors=True)

    def _restore_counting_feedback(self, student, assignment):
        """A late submission's grading wrote over OUT_DIR/feedback's page, which the report
        links to: put back the counting submission's."""
        graded = [
            s
            for s in self.store.submissions(student, assignment)
            if s.state == GRADED and self.policies[assignment].counts(s.received_at)
        ]
        folder = self.output.feedback_of(student, assignment)
        shutil.rmtree(folder, ignore_errors=True)
        if graded and self.output.submission_feedback(graded[-1].id).is_dir():
            shutil.copytree(self.output.submission_feedback(graded[-1].id), folder)

    def _write_report(self):
        if self.output.grades.exists():
            write_report(self.output.root)
        self.report_stale, self.report_written = False, time.monotonic()
