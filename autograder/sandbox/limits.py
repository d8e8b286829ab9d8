"""What one student notebook may use: every limit's default, defined once.

The command line (`grade --timeout ...`), the nbgrader configuration (`GradingExecute`), the
sandbox (prlimit, the pids cgroup) and the instructor manual's tables of limits and statuses
all read them from here.
"""

import math
from dataclasses import dataclass

CELL_SECONDS = 120  # `--timeout`: the most any one cell may take
NOTEBOOK_SECONDS = 600  # `--notebook-timeout`: the whole notebook
MEMORY_MB = 2048  # `--memory`: the kernel's address space
PROCESSES = 64  # `--processes`: the kernel's processes and threads
SCRATCH_MB = 256  # the sandbox's writable /tmp, and the largest file the kernel may write
# A cell the reference also has gets FACTOR times the reference's time for it here, plus
# MARGIN_SECONDS, never above CELL_SECONDS (`cell_limit`).
FACTOR = 10
MARGIN_SECONDS = 10
# A kernel that has not answered an interrupt within this time is stuck where no interrupt
# reaches (a loop that ignores SIGINT, a long call in C), and is killed (nbclient's
# `iopub_timeout`, whose default this is).
INTERRUPT_GRACE_SECONDS = 4
# The reference's own cells, timed to size the limits, are not held to the students' limit:
# on a busy machine a reference cell can take longer than `--timeout`.
REFERENCE_CELL_SECONDS = 600


def cell_limit(reference_seconds, timeout):
    """The limit of a cell whose reference run took `reference_seconds`."""
    return min(timeout, math.ceil(FACTOR * reference_seconds + MARGIN_SECONDS))


@dataclass(frozen=True)
class Limits:
    """The limits of one batch's notebooks."""

    cell_seconds: int = CELL_SECONDS
    notebook_seconds: int = NOTEBOOK_SECONDS
    memory_bytes: int = MEMORY_MB * 1024**2
    processes: int = PROCESSES
    sandbox: str = "bwrap"
    threads: int | None = None  # BLAS threads; the coordinator fills in cores / jobs

    @property
    def cpu_seconds(self):
        """The kernel's CPU time (RLIMIT_CPU), a backstop behind the wall-clock limits. CPU
        time counts every thread of the kernel: a notebook whose BLAS keeps `threads` cores
        busy for the whole notebook limit uses `threads` times as much, and must reach that
        wall-clock limit (`timeout`) rather than be killed first (`crashed`)."""
        return (self.threads or 1) * self.notebook_seconds + MARGIN_SECONDS


def markdown_table():
    """The instructor manual's table of limits (a test keeps the two the same)."""
    rows = [
        (
            "time of one cell",
            f"{times_in_words(FACTOR)} what the reference takes for that cell plus "
            f"{MARGIN_SECONDS} s, at most {CELL_SECONDS} s",
            f"`--timeout SECONDS` (the {CELL_SECONDS} s)",
        ),
        (
            "time of the whole notebook",
            f"{NOTEBOOK_SECONDS} s, and as much again for its hidden tests, which run after it",
            "`--notebook-timeout SECONDS`",
        ),
        (
            "a kernel that ignores the interrupt at a cell's limit",
            f"killed after {INTERRUPT_GRACE_SECONDS} s",
            "fixed",
        ),
        ("memory of the kernel (address space)", f"{MEMORY_MB} MB", "`--memory MB`"),
        ("processes and threads of the kernel", f"{PROCESSES}", "`--processes N`"),
        (
            "CPU time of the kernel, over all its threads",
            f"the notebook's time times its BLAS threads, plus {MARGIN_SECONDS} s "
            f"({Limits(threads=1).cpu_seconds} s with one thread)",
            "follows the two above",
        ),
        ("the writable `/tmp`, and the largest file written", f"{SCRATCH_MB} MB", "fixed"),
        (
            "BLAS threads of the kernel's NumPy",
            "the cores divided by the notebooks graded at once; 1 on a Dask cluster",
            "`--threads N`",
        ),
    ]
    lines = ["| limit | default | set with |", "| --- | --- | --- |"]
    return "\n".join(lines + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def times_in_words(factor):
    """ "ten times", as the manual says it."""
    return {10: "ten times"}.get(factor, f"{factor} times")
