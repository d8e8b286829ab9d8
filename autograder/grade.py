"""`grade`: grade every submitted notebook with nbgrader; write grades.csv and the feedback.

The layout is nbgrader's: SUBMITTED_DIR/<student_id>/<assignment_id>/<name>.ipynb. Each
submission is copied into OUT_DIR and put back into the released notebook's shape before
nbgrader sees it (the original is never touched); then nbgrader's own autograde runs it in a
sandboxed kernel, the hidden results are judged outside the sandbox, and nbgrader's
generate_feedback writes the feedback. Every notebook ends as one row with a status.

A submission's row is appended to OUT_DIR/journal.jsonl once its notebook has finished, so a
batch that is interrupted resumes where it stopped, and a submission whose content has not
changed since it was graded is not graded again (unless `force`).
"""

import csv
import hashlib
import json
import logging
import os
import shutil
import warnings
from dataclasses import asdict, astuple, dataclass, fields
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from sqlalchemy.exc import SAWarning

from .course import REPO, assignments, nbgrader_config, notebooks
from .execute import KERNEL_DIED, GradingExecute
from .hidden import SEED_VARIABLE
from .normalize import is_foreign, normalize
from .preprocessors import (
    CompareHiddenResults,
    OverwriteCells,
    ProvideReferences,
    ShortenTracebacks,
)
from .sandbox import SandboxedKernelManager, sandbox_problem

TIMEOUT_ERROR = "CellTimeoutError"

# nbgrader's gradebook triggers SQLAlchemy's autoflush warnings on every new submission; they
# are about nbgrader's session handling, not about the grades, and would bury the report.
warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")


@dataclass
class Row:
    student_id: str
    assignment_id: str
    notebook: str
    score: float
    max_score: float | str
    status: str


@dataclass
class Limits:
    """What one student notebook may use. The defaults fit the slowest solution notebook with
    a wide margin."""

    cell_seconds: int = 120
    notebook_seconds: int = 600
    memory_bytes: int = 2 * 1024**3
    processes: int = 64
    sandbox: str = "bwrap"


class SandboxUnavailable(RuntimeError):
    pass


def grade_command(submitted_dir, out_dir, limits=None, force=False):
    limits = limits or Limits()
    try:
        rows = grade(Path(submitted_dir), Path(out_dir), limits, force=force)
    except SandboxUnavailable as error:
        print(f"not grading: {error}")
        return 2
    for row in rows:
        where = f"{row.student_id}/{row.assignment_id}/{row.notebook}"
        print(f"{where}: {row.score:g}/{row.max_score} {row.status}")
    print(f"{len(rows)} notebooks -> {Path(out_dir) / 'grades.csv'}")
    return 0


def grade(submitted_dir, out_dir, limits=None, force=False):
    """Grade everything under `submitted_dir`; return the rows written to OUT_DIR/grades.csv."""
    limits = limits or Limits()
    if limits.sandbox != "none" and sandbox_problem():
        raise SandboxUnavailable(
            f"{sandbox_problem()}. Student code would run with your rights; "
            "pass --sandbox none to grade without a sandbox anyway."
        )
    submitted_dir, out_dir = submitted_dir.resolve(), out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    api = _nbgrader(out_dir, submitted_dir, limits)
    journal = Journal(out_dir / "journal.jsonl")
    submissions = find_submissions(submitted_dir)
    known = set(assignments())
    for assignment in sorted({assignment for _, assignment in submissions} & known):
        _must(api.generate_assignment(assignment, force=True, create=True), f"set up {assignment}")
    for (student, assignment), paths in sorted(submissions.items()):
        digest = content_hash(paths)
        if not force and journal.has(student, assignment, digest):
            continue
        if assignment in known:
            rows = grade_submission(api, out_dir, student, assignment, paths)
        else:
            rows = [Row(student, assignment, p.name, 0, "", "unknown assignment") for p in paths]
        journal.add(student, assignment, digest, rows)
    rows = journal.rows(submissions)
    write_grades(rows, out_dir / "grades.csv")
    return rows


def find_submissions(submitted_dir):
    """{(student_id, assignment_id): [notebook paths]} in nbgrader's submitted layout."""
    submissions = {}
    for notebook in sorted(Path(submitted_dir).glob("*/*/*.ipynb")):
        student, assignment = notebook.parent.parent.name, notebook.parent.name
        submissions.setdefault((student, assignment), []).append(notebook)
    return submissions


def content_hash(paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def grade_submission(api, out_dir, student, assignment, paths):
    """Autograde one student's notebooks of one assignment and return their rows."""
    staged = out_dir / "submitted" / student / assignment
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    released = {p.name: p for p in notebooks(assignment, out_dir / "release")}
    rows, gradable = [], {}
    for path in paths:
        problem, notebook = read_submission(path, released.get(path.name))
        if problem:
            rows.append(
                Row(
                    student,
                    assignment,
                    path.name,
                    0,
                    _max_score(api, path.name, assignment),
                    problem,
                )
            )
            continue
        notebook, changes = normalize(notebook, nbformat.read(released[path.name], as_version=4))
        nbformat.write(notebook, staged / path.name)
        gradable[path.name] = "tampered" if changes else "graded"
    if not gradable:
        return rows

    os.environ[SEED_VARIABLE] = str(student_seed(student, assignment))
    result = api.autograde(assignment, student, force=True, create=True)
    if not result["success"]:
        status = failure_status(result["error"] or result["log"])
        return rows + [
            Row(student, assignment, name, 0, _max_score(api, name, assignment), status)
            for name in gradable
        ]
    api.generate_feedback(assignment, student, force=True)
    with Gradebook(api.coursedir.db_url) as gradebook:
        for name, status in gradable.items():
            notebook = gradebook.find_submission_notebook(Path(name).stem, assignment, student)
            autograded = out_dir / "autograded" / student / assignment / name
            status = _execution_status(autograded) or status
            rows.append(Row(student, assignment, name, notebook.score, notebook.max_score, status))
    return rows


def read_submission(path, released_path):
    """(None, notebook) when a submitted file can be graded, else (the reason, None)."""
    if released_path is None:
        return "unknown notebook", None
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception:
        return "invalid notebook", None
    if is_foreign(notebook, nbformat.read(released_path, as_version=4)):
        return "not this assignment's notebook", None
    return None, notebook


def failure_status(error):
    if "DeadKernel" in error or "Kernel died" in error:
        return "crashed"
    if "Timeout" in error:
        return "timeout"
    return "not graded: nbgrader failed"


def student_seed(student, assignment):
    """The seed of a student's hidden inputs: the same at every regrade, different per student."""
    digest = hashlib.sha256(f"{student}/{assignment}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def write_grades(rows, path):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow([field.name for field in fields(Row)])
        writer.writerows(astuple(row) for row in rows)


class Journal:
    """The rows of every finished submission, one JSON line each, appended as they finish."""

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

    def add(self, student, assignment, digest, rows):
        entry = {"student": student, "assignment": assignment, "hash": digest}
        entry["rows"] = [asdict(row) for row in rows]
        self.entries[student, assignment] = entry
        with open(self.path, "a", encoding="utf-8") as file:
            file.write(json.dumps(entry) + "\n")
            file.flush()
            os.fsync(file.fileno())

    def rows(self, submissions):
        """The rows of the submissions present now, in order."""
        return [
            Row(**row)
            for key in sorted(submissions)
            if key in self.entries
            for row in self.entries[key]["rows"]
        ]


def _nbgrader(out_dir, submitted_dir, limits):
    """The nbgrader API for a course whose submissions, grades and feedback live in `out_dir`."""
    config = nbgrader_config(
        out_dir,
        out_dir / "gradebook.db",
        release=out_dir / "release",
        submitted=out_dir / "submitted",
        autograded=out_dir / "autograded",
        feedback=out_dir / "feedback",
    )
    config.Application.log_level = logging.WARNING
    config.Autograde.sanitize_preprocessors = [
        ClearOutput,
        DeduplicateIds,
        OverwriteKernelspec,
        OverwriteCells,
        CheckCellMetadata,
    ]
    config.Autograde.autograde_preprocessors = [
        ProvideReferences,
        GradingExecute,
        CompareHiddenResults,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    config.GenerateFeedback.preprocessors = [
        GetGrades,
        ClearHiddenTests,
        ShortenTracebacks,
        CSSHTMLHeaderPreprocessor,
    ]
    config.GradingExecute.timeout = limits.cell_seconds
    config.GradingExecute.notebook_timeout = limits.notebook_seconds
    config.GradingExecute.interrupt_on_timeout = True
    if limits.sandbox != "none":
        config.GradingExecute.kernel_manager_class = SandboxedKernelManager
        config.SandboxedKernelManager.memory_bytes = limits.memory_bytes
        config.SandboxedKernelManager.max_processes = limits.processes
        config.SandboxedKernelManager.hidden_paths = [str(out_dir), str(submitted_dir)]
    # Without a sandbox the kernel inherits these: the hidden tests import `autograder.hidden`.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO), os.environ.get("PYTHONPATH")])
    )
    os.environ["MPLBACKEND"] = "Agg"
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def _max_score(api, name, assignment):
    with Gradebook(api.coursedir.db_url) as gradebook:
        try:
            return gradebook.find_notebook(Path(name).stem, assignment).max_score
        except MissingEntry:
            return ""


def _execution_status(notebook_path):
    """`crashed` or `timeout` when the executed notebook shows one, else None."""
    errors = {
        output.get("ename")
        for cell in nbformat.read(notebook_path, as_version=4).cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    }
    if KERNEL_DIED in errors:
        return "crashed"
    if TIMEOUT_ERROR in errors:
        return "timeout"
    return None


def _must(result, what):
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not {what}:\n{result['error']}")
