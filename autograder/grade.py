"""`grade`: grade every submitted notebook with nbgrader; write grades.csv and the feedback.

The layout is nbgrader's: SUBMITTED_DIR/<student_id>/<assignment_id>/<name>.ipynb. Each
submission is copied into OUT_DIR before nbgrader sees it (the original is never touched), then
nbgrader's own autograde and generate_feedback run with its gradebook in OUT_DIR/gradebook.db.
A notebook that cannot be graded still gets its row, with the reason in `status`.
"""

import csv
import hashlib
import logging
import os
import shutil
import warnings
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import nbformat
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    OverwriteKernelspec,
)
from sqlalchemy.exc import SAWarning

from .course import REPO, assignments, nbgrader_config, notebooks
from .hidden import SEED_VARIABLE
from .preprocessors import OverwriteCells, ShortenTracebacks

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


def grade_command(submitted_dir, out_dir, jobs=1, timeout=60):
    rows = grade(Path(submitted_dir), Path(out_dir), timeout=timeout)
    for row in rows:
        where = f"{row.student_id}/{row.assignment_id}/{row.notebook}"
        print(f"{where}: {row.score:g}/{row.max_score} {row.status}")
    print(f"{len(rows)} notebooks -> {Path(out_dir) / 'grades.csv'}")
    return 0


def grade(submitted_dir, out_dir, timeout=60):
    """Grade everything under `submitted_dir`; return the rows written to OUT_DIR/grades.csv."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    api = _nbgrader(out_dir, timeout)
    submissions = find_submissions(submitted_dir)
    known = set(assignments())
    for assignment in sorted({assignment for _, assignment in submissions} & known):
        _must(api.generate_assignment(assignment, force=True, create=True), f"set up {assignment}")
    rows = []
    for (student, assignment), paths in sorted(submissions.items()):
        if assignment in known:
            rows += grade_submission(api, out_dir, student, assignment, paths)
        else:
            rows += [Row(student, assignment, p.name, 0, "", "unknown assignment") for p in paths]
    write_grades(rows, out_dir / "grades.csv")
    return rows


def find_submissions(submitted_dir):
    """{(student_id, assignment_id): [notebook paths]} in nbgrader's submitted layout."""
    submissions = {}
    for notebook in sorted(Path(submitted_dir).glob("*/*/*.ipynb")):
        student, assignment = notebook.parent.parent.name, notebook.parent.name
        submissions.setdefault((student, assignment), []).append(notebook)
    return submissions


def grade_submission(api, out_dir, student, assignment, paths):
    """Autograde one student's notebooks of one assignment and return their rows."""
    expected = {path.name for path in notebooks(assignment)}
    staged = out_dir / "submitted" / student / assignment
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    rows, gradable = [], []
    for path in paths:
        problem = notebook_problem(path, expected)
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
        else:
            shutil.copyfile(path, staged / path.name)
            gradable.append(path.name)
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
        for name in gradable:
            notebook = gradebook.find_submission_notebook(Path(name).stem, assignment, student)
            autograded = out_dir / "autograded" / student / assignment / name
            status = "timeout" if _timed_out(autograded) else "graded"
            rows.append(Row(student, assignment, name, notebook.score, notebook.max_score, status))
    return rows


def notebook_problem(path, expected_names):
    """Why a submitted file cannot be graded, or None when it can."""
    if path.name not in expected_names:
        return "unknown notebook"
    try:
        nbformat.validate(nbformat.read(path, as_version=4))
    except Exception:
        return "invalid notebook"
    return None


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


def _nbgrader(out_dir, timeout):
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
    config.GenerateFeedback.preprocessors = [
        GetGrades,
        ClearHiddenTests,
        ShortenTracebacks,
        CSSHTMLHeaderPreprocessor,
    ]
    config.Execute.timeout = timeout
    config.Execute.interrupt_on_timeout = True
    # The hidden tests import `autograder.hidden`; figures need no display.
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


def _timed_out(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    return any(
        output.get("ename") == TIMEOUT_ERROR
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    )


def _must(result, what):
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not {what}:\n{result['error']}")
