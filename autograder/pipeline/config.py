"""nbgrader for this course: its configuration, and the pipelines of `autograde` and
`generate_feedback` declared as settings (nbgrader's own preprocessors and ours, in order)."""

import logging
import os
import sys
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
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
from traitlets.config import Config

from ..course.paths import COURSE_ID, SOLUTIONS
from ..sandbox.bubblewrap import SandboxedKernelManager
from ..sandbox.kernel_manager import GradingKernelManager
from ..sandbox.limits import INTERRUPT_GRACE_SECONDS
from . import patches  # noqa: F401 (nbgrader, patched before any of it runs)
from .compare_hidden_results import CompareHiddenResults
from .execute import GradingExecute
from .feedback import FeedbackExporter
from .overwrite_cells import OverwriteCells
from .shorten_tracebacks import ShortenTracebacks

# Before the notebook runs: nbgrader's checks that the submission is the released notebook.
SANITIZE = [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]
# The run: the notebook then its hidden tests in the kernel, their results judged outside it.
AUTOGRADE = [
    GradingExecute,
    CompareHiddenResults,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
# The student's page: their grades, no hidden test, one line of each error.
FEEDBACK = [GetGrades, ClearHiddenTests, ShortenTracebacks, CSSHTMLHeaderPreprocessor]


def nbgrader_config(root, db, **directories):
    """An nbgrader configuration for a course rooted at `root` with its gradebook `db` (a path
    to an SQLite file, or any SQLAlchemy URL).

    `directories` sets nbgrader's folders (source, release, submitted, autograded, feedback) as
    absolute paths: nbgrader joins them onto the root, and an absolute path wins that join.
    """
    # nbgrader runs its helper `alembic` by name: find it beside the running Python.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    config = Config()
    config.Application.log_level = logging.WARNING
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.source_directory = str(SOLUTIONS)
    for name, path in directories.items():
        setattr(config.CourseDirectory, f"{name}_directory", str(path))
    is_url = "://" in str(db)
    config.CourseDirectory.db_url = str(db) if is_url else f"sqlite:///{Path(db).resolve()}"
    config.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
    return config


def nbgrader_api(config):
    """nbgrader's API for a configuration of `nbgrader_config`."""
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def grading_api(output, submitted_dir, limits, db, kernel_env=None, reference_seconds=None):
    """nbgrader for a batch whose submissions, grades and feedback live in `output` (an
    `autograder.output.layout.OutputFolder`), with its gradebook `db`. The kernels it starts
    see neither `output` nor the instructor's `submitted_dir`, get `kernel_env` in their
    environment, and give each cell a limit sized by `reference_seconds` ({notebook: {cell id:
    seconds}}, `autograder.sandbox.reference_times`)."""
    config = nbgrader_config(
        output.root,
        db,
        release=output.release,
        submitted=output.submitted,
        autograded=output.autograded,
        feedback=output.feedback,
    )
    config.Autograde.sanitize_preprocessors = SANITIZE
    config.Autograde.autograde_preprocessors = AUTOGRADE
    config.GenerateFeedback.preprocessors = FEEDBACK
    config.GenerateFeedback.exporter_class = FeedbackExporter
    config.GradingExecute.timeout = limits.cell_seconds
    config.GradingExecute.reference_seconds = dict(reference_seconds or {})
    config.GradingExecute.notebook_timeout = limits.notebook_seconds
    config.GradingExecute.interrupt_on_timeout = True
    config.GradingExecute.iopub_timeout = INTERRUPT_GRACE_SECONDS
    # The notebook is done: kill its kernel rather than wait for a clean exit (~0.6 s each).
    config.GradingExecute.shutdown_kernel = "immediate"
    config.GradingExecute.kernel_manager_class = GradingKernelManager
    config.GradingKernelManager.kernel_env = dict(kernel_env or {})
    if limits.sandbox != "none":
        config.GradingExecute.kernel_manager_class = SandboxedKernelManager
        config.SandboxedKernelManager.memory_bytes = limits.memory_bytes
        config.SandboxedKernelManager.max_processes = limits.processes
        config.SandboxedKernelManager.cpu_seconds = limits.cpu_seconds
        config.SandboxedKernelManager.hidden_paths = [str(output.root), str(submitted_dir)]
    return nbgrader_api(config)
