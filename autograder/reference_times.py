"""How long each cell of an assignment's source notebook takes here, to size each cell's limit.

A shape bug that broadcasts (a `dw` of shape (1, 784) turning `w` into (784, 784)) makes a
training cell run hundreds of times longer than the reference's: without a limit of its own,
such a cell sits at the whole `--timeout`, in every cell it slows. So the grader runs each
source notebook once, on this machine, with the BLAS threads a graded notebook gets, and gives
every cell the student's notebook shares with it (by cell id, which the release and Jupyter
keep) a limit of ten times the reference's time plus `MARGIN_SECONDS`, never above
`--timeout`. The times are kept in OUT_DIR, keyed by the source notebooks, so a batch or a
late submission measures them once.
"""

import hashlib
import json
import math
import os
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .course import notebooks
from .kernel_manager import THREAD_VARIABLES
from .reference import solutions_dir

TIMES_FILE = "reference_times.json"
FACTOR = 10
MARGIN_SECONDS = 10


def cell_limit(reference_seconds, timeout):
    """The limit of a cell whose reference run took `reference_seconds`."""
    return min(timeout, math.ceil(FACTOR * reference_seconds + MARGIN_SECONDS))


def measure(assignment, out_dir, threads, timeout):
    """{notebook name: {cell id: seconds}} of the assignment's source notebooks, from
    OUT_DIR's record when the sources have not changed, else measured now and recorded."""
    path = Path(out_dir) / TIMES_FILE
    record = json.loads(path.read_text()) if path.is_file() else {}
    sources = notebooks(assignment, solutions_dir())
    key = _digest(sources, threads)
    if record.get(assignment, {}).get("key") != key:
        times = {source.name: _cell_seconds(source, threads, timeout) for source in sources}
        record[assignment] = {"key": key, "notebooks": times}
        path.write_text(json.dumps(record, indent=1))
    return record[assignment]["notebooks"]


def recorded(out_dir, assignment):
    """{notebook name: {cell id: seconds}} recorded in OUT_DIR ({} when none was measured)."""
    path = Path(out_dir) / TIMES_FILE
    if not path.is_file():
        return {}
    return json.loads(path.read_text()).get(assignment, {}).get("notebooks", {})


def _cell_seconds(source, threads, timeout):
    notebook = nbformat.read(source, as_version=4)
    env = {**os.environ, "MPLBACKEND": "Agg", **{v: str(threads) for v in THREAD_VARIABLES}}
    client = NotebookClient(
        notebook,
        timeout=timeout,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(source.parent)}},
    )
    client.execute(env=env)
    return executed_cell_seconds(notebook)


def executed_cell_seconds(notebook):
    """{cell id: seconds} of an executed notebook, from nbclient's timing metadata."""
    seconds = {}
    for cell in notebook.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.status.busy" in timing and "shell.execute_reply" in timing:
            start, end = (
                datetime.fromisoformat(timing[key].replace("Z", "+00:00"))
                for key in ("iopub.status.busy", "shell.execute_reply")
            )
            seconds[cell.id] = (end - start).total_seconds()
    return seconds


def _digest(sources, threads):
    digest = hashlib.sha256(str(threads).encode())
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()
