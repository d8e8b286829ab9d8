"""The reference's cells run while the student's kernel runs, not after it, and only once."""

import csv
import os
import shutil
from datetime import datetime

import nbformat
import numpy as np
from support import EXERCISE, REPO, run

from autograder.course.reference import graded_solutions
from autograder.course.samples import fill
from autograder.judge.expected import hidden_scope, warm_up
from nnscratch.chapter import read_chapter

# Prepended to the reference's imports cell: when (epoch seconds) the grader ran it. The same
# cell also runs in the sandboxed kernel (`use_reference`), where the file cannot be reached.
STAMP = """\
import time as _stamp_time
try:
    with open({path!r}, "a") as _stamp:
        _stamp.write(f"{{_stamp_time.time()}}\\n")
except OSError:
    pass
_stamp_time.sleep(0.5)  # long enough for a second caller to arrive while this runs
"""


def stamped_solutions(folder, stamp):
    """A copy of solutions/ whose chapter-1 reference records each run of its cells."""
    shutil.copytree(REPO / "solutions", folder)
    path = folder / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    notebook = nbformat.read(path, as_version=4)
    imports = notebook.cells[read_chapter(notebook).imports_index]
    imports.source = STAMP.format(path=str(stamp)) + imports.source
    nbformat.write(notebook, path)


def last_cell_end(notebook_path):
    """Epoch seconds at which the kernel answered the notebook's last executed cell."""
    ends = [
        datetime.fromisoformat(
            cell.metadata["execution"]["shell.execute_reply"].replace("Z", "+00:00")
        )
        for cell in nbformat.read(notebook_path, as_version=4).cells
        if "shell.execute_reply" in cell.get("metadata", {}).get("execution", {})
    ]
    return max(ends).timestamp()


def test_the_reference_runs_while_the_kernel_runs(tmp_path):
    stamp = tmp_path / "reference-runs"
    stamped_solutions(tmp_path / "solutions", stamp)
    folder = tmp_path / "in" / "ada" / "ch1_sigmoid"
    folder.mkdir(parents=True)
    nbformat.write(fill(EXERCISE, graded_solutions("ch1_sigmoid")), folder / "sigmoid_neuron.ipynb")

    env = {**os.environ, "NNSCRATCH_SOLUTIONS": str(tmp_path / "solutions")}
    result = run("grade", tmp_path / "in", "--out", tmp_path / "out", env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(tmp_path / "out" / "grades.csv", newline="") as file:
        (row,) = csv.DictReader(file)
    assert (row["score"], row["status"]) == ("10.0", "graded")
    graded = tmp_path / "out" / "autograded" / "ada" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    first_run = min(float(line) for line in stamp.read_text().split())
    assert first_run < last_cell_end(graded), "the reference waited for the kernel to finish"


def test_a_caller_during_the_warm_up_waits_for_it_instead_of_running_the_cells_again(tmp_path):
    stamp = tmp_path / "reference-runs"
    stamped_solutions(tmp_path / "solutions", stamp)
    source = tmp_path / "solutions" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    warm_up(source)
    scope = hidden_scope(str(source))  # while the warm-up sleeps in the stamped cell
    assert len(stamp.read_text().split()) == 1
    assert scope is hidden_scope(str(source))
    np.testing.assert_allclose(scope["sigmoid"](np.array([0.0, 2.0])), [0.5, 1 / (1 + np.exp(-2))])
