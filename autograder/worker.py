"""Grade one student's submission of one assignment: the unit of work of a batch.

A worker runs anywhere the course and OUT_DIR are (this process, a process pool, a Dask worker
on another machine with the same shared folder). It uses a private copy of the gradebook
template, so workers never write to the same database; the coordinator copies the per-cell
scores it returns into the batch's gradebook, as the only writer.
"""

import logging
import re
import shutil
import warnings
from dataclasses import dataclass, field
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

from . import (
    nbgrader_threads,  # noqa: F401 (nbgrader, safe for a worker's threads)
    reference_times,
)
from .course import COURSE_ID, nbgrader_config, notebooks
from .execute import KERNEL_DIED, TIMEOUT_ERROR, GradingExecute
from .feedback import FeedbackExporter
from .hidden import SEED_VARIABLE
from .kernel_manager import THREAD_VARIABLES, GradingKernelManager
from .normalize import is_foreign, normalize
from .preprocessors import (
    CompareHiddenResults,
    OverwriteCells,
    ProvideReferences,
    ShortenTracebacks,
)
from .sandbox import SandboxedKernelManager
from .seeds import student_seed
from .statuses import CRASHED, FOREIGN, GRADED, INVALID, TAMPERED, TIMEOUT, UNKNOWN

# nbgrader's gradebook triggers SQLAlchemy's autoflush warnings on every new submission; they
# are about nbgrader's session handling, not about the grades, and would bury the report.
warnings.filterwarnings("ignore", category=SAWarning)


@dataclass
class Limits:
    """What one student notebook may use. The defaults fit the slowest solution notebook with
    a wide margin."""

    cell_seconds: int = 120
    notebook_seconds: int = 600
    memory_bytes: int = 2 * 1024**3
    processes: int = 64
    sandbox: str = "bwrap"
    threads: int | None = None  # BLAS threads; the coordinator fills in cores / jobs


@dataclass
class Row:
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


def grade_one(task):
    """Grade `task` = (out_dir, submitted_dir, student, assignment, [paths], limits)."""
    out_dir, submitted_dir, student, assignment, paths, limits = task
    out_dir, paths = Path(out_dir), [Path(p) for p in paths]
    work = out_dir / "work" / f"{student}--{assignment}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copyfile(out_dir / "template.db", work / "gradebook.db")
    # This student's settings, for this notebook's kernel only.
    kernel_env = {variable: str(limits.threads or 1) for variable in THREAD_VARIABLES}
    kernel_env[SEED_VARIABLE] = str(student_seed(student, assignment))
    kernel_env["NBGRADER_EXECUTION"] = "autograde"  # what nbgrader's own kernels are told
    try:
        seconds = reference_times.recorded(out_dir, assignment)
        api = nbgrader_api(
            out_dir, Path(submitted_dir), limits, work / "gradebook.db", kernel_env, seconds
        )
        return _grade(api, out_dir, student, assignment, paths)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _grade(api, out_dir, student, assignment, paths):
    staged = out_dir / "submitted" / student / assignment
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    released = {p.name: p for p in notebooks(assignment, out_dir / "release")}
    outcome, gradable = Outcome([]), {}
    for path in paths:
        problem, notebook = read_submission(path, released.get(path.name))
        if problem:
            max_score = _max_score(api, path.name, assignment)
            outcome.rows.append(Row(student, assignment, path.name, 0, max_score, problem))
            continue
        notebook, changes = normalize(notebook, nbformat.read(released[path.name], as_version=4))
        nbformat.write(notebook, staged / path.name)
        gradable[path.name] = TAMPERED if changes else GRADED
    if not gradable:
        return outcome

    result = api.autograde(assignment, student, force=True, create=True)
    if not result["success"]:
        # Every way a student's notebook can end has its status (GradingExecute): nbgrader
        # failing is the grader's failure, to report, never a student's 0.
        cause = _cause(f"{result['log']}\n{result['error']}")
        raise GraderFailure(f"nbgrader could not autograde the notebook: {cause}")
    api.generate_feedback(assignment, student, force=True)
    with Gradebook(api.coursedir.db_url, COURSE_ID) as gradebook:
        for name, status in gradable.items():
            stem = Path(name).stem
            notebook = gradebook.find_submission_notebook(stem, assignment, student)
            autograded = out_dir / "autograded" / student / assignment / name
            status = _execution_status(autograded) or status
            outcome.rows.append(
                Row(student, assignment, name, notebook.score, notebook.max_score, status)
            )
            outcome.cells[stem] = {g.name: (g.score, g.max_score) for g in notebook.grades}
            outcome.messages[stem] = failure_sentences(autograded, set(outcome.cells[stem]))
    return outcome


def failure_sentences(notebook_path, grade_ids):
    """{grade id: the first line of the error a failed test cell showed}: what its feedback
    says (the class report groups them), never its hidden input, which no message holds."""
    sentences = {}
    for cell in nbformat.read(notebook_path, as_version=4).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in grade_ids:
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                text = (output.get("evalue") or "").strip()
                sentences[grade_id] = text.splitlines()[0] if text else output.get("ename", "")
                break
    return sentences


def read_submission(path, released_path):
    """(None, notebook) when a submitted file can be graded, else (the reason, None)."""
    if released_path is None:
        return UNKNOWN, None
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception:
        return INVALID, None
    if is_foreign(notebook, nbformat.read(released_path, as_version=4)):
        return FOREIGN, None
    return None, notebook


EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception|Failed|Interrupt)\b: ")


class GraderFailure(RuntimeError):
    """nbgrader could not grade a notebook it was given: the grader's failure, not a student's."""


def _cause(text):
    """The last exception named in nbgrader's log, past its own wrapper exception."""
    causes = [
        line.strip()
        for line in text.splitlines()
        if EXCEPTION_LINE.match(line.strip()) and "NbGraderException" not in line
    ]
    return causes[-1] if causes else (text.strip().splitlines() or ["(no message)"])[-1]


def nbgrader_api(out_dir, submitted_dir, limits, db_path, kernel_env=None, reference_seconds=None):
    """nbgrader for a course whose submissions, grades and feedback live in `out_dir`; the
    kernels it starts get `kernel_env` in their environment, and each cell a limit sized by
    `reference_seconds` ({notebook: {cell id: seconds}}, `autograder.reference_times`)."""
    config = nbgrader_config(
        out_dir,
        db_path,
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
    config.GenerateFeedback.exporter_class = FeedbackExporter
    config.GradingExecute.timeout = limits.cell_seconds
    config.GradingExecute.reference_seconds = dict(reference_seconds or {})
    config.GradingExecute.notebook_timeout = limits.notebook_seconds
    config.GradingExecute.interrupt_on_timeout = True
    # The notebook is done: kill its kernel rather than wait for a clean exit (~0.6 s each).
    config.GradingExecute.shutdown_kernel = "immediate"
    config.GradingExecute.kernel_manager_class = GradingKernelManager
    config.GradingKernelManager.kernel_env = dict(kernel_env or {})
    if limits.sandbox != "none":
        config.GradingExecute.kernel_manager_class = SandboxedKernelManager
        config.SandboxedKernelManager.memory_bytes = limits.memory_bytes
        config.SandboxedKernelManager.max_processes = limits.processes
        config.SandboxedKernelManager.hidden_paths = [str(out_dir), str(submitted_dir)]
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def _max_score(api, name, assignment):
    with Gradebook(api.coursedir.db_url, COURSE_ID) as gradebook:
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
        return CRASHED
    if TIMEOUT_ERROR in errors:
        return TIMEOUT
    return None
