"""A student outside the repository: only the wheel the book publishes, and Jupyter's kernel.

The student edition is built as `make` builds it (test_book's `book` fixture); the wheel next to
its pages is installed into a fresh virtual environment in a scratch folder, the chapter 2
exercise notebook is copied into an empty folder, and everything runs from there.
"""

import json
import os
import subprocess
import sys

import nbformat
import pytest
import yaml
from support import REPO

from autograder.course.samples import fill, sample_submissions
from editions.wheel import wheel_name

NOTEBOOK = REPO / "exercises" / "ch2_logistic_regression" / "logistic_regression.ipynb"


@pytest.fixture(scope="module")
def student_env(book, tmp_path_factory):  # noqa: F811 (a fixture imported from test_book)
    """(python of a fresh venv holding only the published wheel and ipykernel, its environment)."""
    home = tmp_path_factory.mktemp("student-home")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
    python = venv / "bin" / "python"
    wheel = book / wheel_name()
    install = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            wheel,
            "ipykernel",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # Nothing of the course's own environment: not its venv on PATH, nor its kernels or data.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER", "NNSCRATCH", "MPL"))
    }
    env.update(HOME=str(home), PATH=f"{venv / 'bin'}:/usr/bin:/bin", MPLBACKEND="Agg")
    return python, env


def student_folder(tmp_path, filled):
    """An empty folder holding the chapter 2 exercise, its stubs filled with the solutions."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    if filled:
        notebook = fill(notebook, sample_submissions("ch2_logistic_regression")["correct"])
    nbformat.write(notebook, tmp_path / NOTEBOOK.name)
    return tmp_path


def run(student_env, folder, *args):
    python, env = student_env
    return subprocess.run(
        [python, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_book_publishes_the_wheel_with_the_bundled_mnist_and_the_setup_page_links_it(book):  # noqa: F811
    wheel = book / wheel_name()
    assert wheel.is_file(), f"the book has no {wheel_name()} next to its pages"
    listing = subprocess.run(
        [sys.executable, "-m", "zipfile", "-l", wheel], capture_output=True, text=True, check=True
    ).stdout
    for name in ["SHA256SUMS", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]:
        assert f"nnscratch/_data/mnist/{name}" in listing
    assert "autograder/" not in listing and "solutions/" not in listing
    setup = (book / "book" / "setup.html").read_text()
    assert f'href="../{wheel_name()}"' in setup
    assert f"pip install {wheel_name()}" in setup


@pytest.mark.parametrize("notebook", sorted((REPO / "exercises").glob("*/*.ipynb")), ids=str)
def test_each_exercise_says_in_its_first_cell_how_to_install_the_wheel(notebook):
    first = nbformat.read(notebook, as_version=4).cells[0].source
    assert f"pip install {wheel_name()}" in first
    assert f"python -m nnscratch check {notebook.name}" in first


def test_a_correct_notebook_runs_and_passes_every_check_outside_the_repository(
    student_env, tmp_path
):
    folder = student_folder(tmp_path, filled=True)
    execute = (
        "import nbformat, nbclient, sys; nb = nbformat.read(sys.argv[1], as_version=4); "
        "nbclient.NotebookClient(nb, timeout=300, kernel_name='python3').execute(); "
        "import nnscratch; print(nnscratch.__file__)"
    )
    result = run(student_env, folder, "-c", execute, NOTEBOOK.name)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert str(REPO) not in result.stdout, "the notebook imported the repository's nnscratch"
    check = run(student_env, folder, "-m", "nnscratch", "check", NOTEBOOK.name)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "5 passed, 0 failed" in check.stdout


def test_the_self_check_of_the_stubs_exits_1_outside_the_repository(student_env, tmp_path):
    folder = student_folder(tmp_path, filled=False)
    check = run(student_env, folder, "-m", "nnscratch", "check", NOTEBOOK.name)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "0 passed, 5 failed" in check.stdout


def test_the_pages_workflow_publishes_what_make_builds_and_never_the_instructor_edition():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [step["run"].strip() for step in steps if "run" in step]
    assert commands == ["make"], f"the workflow should build with `make` only, runs {commands}"
    uploads = [step for step in steps if "upload-pages-artifact" in step.get("uses", "")]
    assert [step["with"]["path"] for step in uploads] == ["_build/html"]
    # `make`'s default goal is the student edition, into _build/html.
    makefile = (REPO / "Makefile").read_text()
    assert "\nall: book\n" in makefile and "jupyter-book build . " in makefile
    text = json.dumps(workflow)
    assert "instructor" not in text and "solutions" not in text
