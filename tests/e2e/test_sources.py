"""A source notebook runs as it is: an instructor opens it from its own folder and runs it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO

SOURCES = sorted((REPO / "solutions").glob("*/*.ipynb"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.parent.name)
def test_nbgrader_validate_passes_a_source_notebook_run_from_its_own_folder(path):
    # As an instructor's Jupyter would run it: the course's environment, no PYTHONPATH; the
    # figures drawn off screen.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["MPLBACKEND"] = "Agg"
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", path.name],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Success! Your notebook passes all the tests." in result.stdout, (
        result.stdout[-3000:] + result.stderr[-3000:]
    )
