"""Shared fixtures: the course's real commands run once per session (one graded batch of every
sample, each edition of the book built once) and a browser. Helpers that are not fixtures are
in `support`."""

import csv
import shutil
from pathlib import Path

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, REPO, build_edition, postgres_server, run

from nnscratch.data import load_mnist

# Each chapter's fixtures that its fast and its end-to-end tests share, in tests/chapters/.
pytest_plugins = sorted(
    f"chapters.{path.stem}" for path in (Path(__file__).parent / "chapters").glob("ch*.py")
)


@pytest.fixture(scope="session")
def submitted(tmp_path_factory):
    """nbgrader's submitted/ layout: every sample of every assignment, the source notebooks
    themselves as student `instructor`, and two files of chapter 1 that are not notebooks."""
    root = tmp_path_factory.mktemp("submitted")
    result = run("samples", "--out", root)
    assert result.returncode == 0, result.stderr
    for source in (REPO / "solutions").glob("*/*.ipynb"):
        folder = root / "instructor" / source.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / source.name)
    for student, content in [("truncated-json", '{"cells": ['), ("empty-file", "")]:
        folder = root / student / "ch1_sigmoid"
        folder.mkdir(parents=True)
        (folder / "sigmoid_neuron.ipynb").write_text(content)
    return root


@pytest.fixture(scope="session")
def graded(submitted, tmp_path_factory):
    """Grade the whole batch once with `python -m autograder grade`; the output folder."""
    out = tmp_path_factory.mktemp("graded")
    # 30 s per cell: three times the correct MNIST training's, and the samples whose training
    # cannot end (a loop per example, a broadcast to 784 x 784) stop there, not at 120 s. The
    # batch of six chapters (88 notebooks) takes about 18 minutes on 2 cores: 30 allowed.
    result = run("grade", submitted, "--out", out, "--timeout", "30", timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def grades(graded):
    """{(student id, assignment id): [its rows of grades.csv]}."""
    rows = {}
    with open(graded / "grades.csv", newline="") as file:
        for row in csv.DictReader(file):
            rows.setdefault((row["student_id"], row["assignment_id"]), []).append(row)
    return rows


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    """The student edition's HTML folder."""
    return build_edition("student", tmp_path_factory)


@pytest.fixture(scope="session")
def instructor_book(tmp_path_factory):
    """The instructor edition's HTML folder."""
    return build_edition("instructor", tmp_path_factory)


# Per module: while Playwright's browser is open, its event loop runs in this thread, and a
# later test's asyncio.run() (a kernel's client) would fail.
@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: run `make system` (as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need the `playwright` package: run `make setup`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def postgres():
    """A real PostgreSQL server on a free local port, for this module; its database URL."""
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def mnist():
    """Chapter 2's question on the bundled MNIST, "is it a 7?": X_train, Y_train, X_test, Y_test
    with the labels as a (1, m) row of 0.0/1.0."""
    X_train, y_train = load_mnist("train")
    X_test, y_test = load_mnist("test")
    as_labels = lambda y: (y == 7).astype(float).reshape(1, -1)  # noqa: E731
    return X_train, as_labels(y_train), X_test, as_labels(y_test)
