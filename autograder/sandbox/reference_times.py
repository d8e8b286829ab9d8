"""How long each cell of an assignment's source notebook takes here, to size each cell's limit.

A shape bug that broadcasts (a `dw` of shape (1, 784) turning `w` into (784, 784)) makes a
training cell run hundreds of times longer than the reference's: without a limit of its own,
such a cell sits at the whole `--timeout`, in every cell it slows. So the grader runs each
source notebook once, on this machine, with the BLAS threads a graded notebook gets, and gives
every cell the student's notebook shares with it (by cell id, which the release and Jupyter
keep) a limit of `FACTOR` times the reference's time plus `MARGIN_SECONDS`, never above
`--timeout` (`autograder.sandbox.limits.cell_limit`). The times are kept in OUT_DIR, keyed by
the source notebooks, so a batch or a late submission measures them once; this machine's
cache keeps them for the next batch of the same sources.
"""

import json
import os
import platform
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ..course.paths import content_hash, notebooks, solutions_dir
from ..output.layout import OutputFolder
from .kernel_manager import THREAD_VARIABLES
from .limits import REFERENCE_CELL_SECONDS

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nnscratch"
TIMES_FILE = "reference_times.json"


def measure(assignment, out_dir, threads, timeout):
    """{notebook name: {cell id: seconds}} of the assignment's source notebooks, from
    OUT_DIR's record, or this machine's (`CACHE`, shared by every batch graded here), when the
    sources have not changed; else measured now. Recorded in both."""
    sources = notebooks(assignment, solutions_dir())
    key = _digest(sources, threads)
    out_record, cache_record = OutputFolder(out_dir).reference_times, CACHE / TIMES_FILE
    times = _lookup(out_record, key) or _lookup(cache_record, key)
    if times is None:
        times = {source.name: _cell_seconds(source, threads, timeout) for source in sources}
    _store(cache_record, key, times)
    _store(out_record, key, times, assignment)
    return times


def _lookup(path, key):
    entries = _read(path)
    found = next((e for e in entries.values() if e.get("key") == key), None)
    return found["notebooks"] if found else None


def _store(path, key, times, name=None):
    """Record `times` under `name` (OUT_DIR: by assignment) or under `key` (the cache)."""
    entries = _read(path)
    entries[name or key] = {"key": key, "notebooks": times}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(entries, indent=1))
    temporary.replace(path)  # whole, even with another batch writing beside this one


def _read(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def recorded(out_dir, assignment):
    """{notebook name: {cell id: seconds}} recorded in OUT_DIR ({} when none was measured)."""
    return _read(OutputFolder(out_dir).reference_times).get(assignment, {}).get("notebooks", {})


def _cell_seconds(source, threads, timeout):
    notebook = nbformat.read(source, as_version=4)
    env = {**os.environ, "MPLBACKEND": "Agg", **{v: str(threads) for v in THREAD_VARIABLES}}
    client = NotebookClient(
        notebook,
        timeout=max(timeout, REFERENCE_CELL_SECONDS),
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
    """The sources, the BLAS threads and this machine's name: what the times depend on."""
    return content_hash(sources, salt=f"{threads}\0{platform.node()}")
