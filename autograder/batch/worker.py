"""Grade one student's submission of one assignment: the unit of work of a batch.

A worker runs anywhere the course and OUT_DIR are (this process, a process pool, a Dask worker
on another machine with the same shared folder). It uses a private copy of the gradebook
template, so workers never write to the same database; the coordinator copies the per-cell
scores it returns into the batch's gradebook, as the only writer.
"""

import re
import shutil
import warnings
from pathlib import Path

import nbformat
from sqlalchemy.exc import SAWarning

from ..course.paths import notebooks
from ..judge.seeds import student_seed
from ..kernel import SEED_VARIABLE
from ..output.grades import Outcome, Row
from ..output.layout import OutputFolder
from ..output.statuses import CRASHED, FOREIGN, GRADED, INVALID, TAMPERED, TIMEOUT, UNKNOWN
from ..pipeline.config import grading_api
from ..pipeline.execute import KERNEL_DIED, TIMEOUT_ERROR
from ..pipeline.normalize import is_foreign, normalize
from ..sandbox import reference_times
from ..sandbox.kernel_manager import THREAD_VARIABLES
from .gradebook import max_score, notebook_scores

# nbgrader's gradebook triggers SQLAlchemy's autoflush warnings on every new submission; they
# are about nbgrader's session handling, not about the grades, and would bury the report.
warnings.filterwarnings("ignore", category=SAWarning)


def grade_one(task):
    """Grade `task` = (out_dir, submitted_dir, student, assignment, [paths], limits)."""
    out_dir, submitted_dir, student, assignment, paths, limits = task
    output, paths = OutputFolder(out_dir), [Path(p) for p in paths]
    work = output.work(student, assignment)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copyfile(output.template, work / "gradebook.db")
    # This student's settings, for this notebook's kernel only.
    kernel_env = {variable: str(limits.threads or 1) for variable in THREAD_VARIABLES}
    kernel_env[SEED_VARIABLE] = str(student_seed(student, assignment))
    kernel_env["NBGRADER_EXECUTION"] = "autograde"  # what nbgrader's own kernels are told
    try:
        seconds = reference_times.recorded(out_dir, assignment)
        api = grading_api(output, submitted_dir, limits, work / "gradebook.db", kernel_env, seconds)
        return _grade(api, output, student, assignment, paths)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _grade(api, output, student, assignment, paths):
    db_url = api.coursedir.db_url
    staged = output.submitted / student / assignment
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    released = {p.name: p for p in notebooks(assignment, output.release)}
    outcome, gradable = Outcome([]), {}
    for path in paths:
        problem, notebook = read_submission(path, released.get(path.name))
        if problem:
            most = max_score(db_url, path.name, assignment)
            outcome.rows.append(Row(student, assignment, path.name, 0, most, problem))
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
    _only_pages(output.feedback / student / assignment, {Path(n).stem for n in gradable})
    for name, status in gradable.items():
        score, most, cells = notebook_scores(db_url, name, assignment, student)
        ran, sentences = read_run(output.autograded / student / assignment / name, set(cells))
        outcome.rows.append(Row(student, assignment, name, score, most, ran or status))
        outcome.cells[Path(name).stem] = cells
        outcome.messages[Path(name).stem] = sentences
    return outcome


def _only_pages(folder, notebooks):
    """Leave in a student's feedback folder only the pages of their `notebooks` (stems).
    nbgrader copies there every other file of the graded folder, where the student's code may
    have written anything."""
    pages = {folder / f"{stem}.html" for stem in notebooks}
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif path not in pages or path.is_symlink():
            path.unlink()


def read_run(notebook_path, grade_ids):
    """What the autograded notebook's outputs say of its run, read once: `crashed` or
    `timeout` when it shows one (else None), and {grade id: the first line of the error a
    failed test cell showed}, what its feedback says (the class report groups them), never its
    hidden input, which no message holds."""
    errors, sentences = set(), {}
    for cell in nbformat.read(notebook_path, as_version=4).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            errors.add(output.get("ename"))
            if grade_id in grade_ids and grade_id not in sentences:
                text = (output.get("evalue") or "").strip()
                sentences[grade_id] = text.splitlines()[0] if text else output.get("ename", "")
    if KERNEL_DIED in errors:
        return CRASHED, sentences
    if TIMEOUT_ERROR in errors:
        return TIMEOUT, sentences
    return None, sentences


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
