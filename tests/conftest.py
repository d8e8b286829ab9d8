"""Shared fixtures: the course's real commands, run once per session on sample submissions."""

import csv
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nnscratch.cells import secret_lines as secret_lines_of
from nnscratch.cells import source_of
from nnscratch.chapter import read_chapter

REPO = Path(__file__).resolve().parents[1]


def run(*args, cwd=REPO, **kwargs):
    """Run `python -m autograder ARGS` as an instructor would; return the completed process."""
    return subprocess.run(
        [sys.executable, "-m", "autograder", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        **kwargs,
    )


def journal_cells(graded):
    """{(student, assignment): {notebook: {grade id: (score, max score)}}} of a graded batch."""
    cells = {}
    for line in (graded / "journal.jsonl").read_text().splitlines():
        entry = json.loads(line)
        cells[entry["student"], entry["assignment"]] = entry["cells"]
    return cells


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


SHORTEST_LINE = 10  # shorter lines (`return s`) are too common to prove a leak
# One argument of a call wrapped over several lines (`sigmoid_derivative,`) proves nothing either.
ARGUMENT_FRAGMENT = re.compile(r"^[\w.\[\]\"'=-]+,?$")


def secret_lines():
    """Every line of a solution or hidden-test region of the source notebooks, whitespace folded."""
    lines, provided = set(), set()
    for path in (REPO / "solutions").rglob("*.ipynb"):
        chapter = read_chapter(path)
        for cell in chapter.cells:
            source = source_of(cell)
            # A later chapter's `provided*` cell publishes an earlier chapter's solution on purpose.
            if any(cell is chapter.cells[p.index] for p in chapter.provided):
                provided |= {fold(line) for line in source.splitlines()}
            for line in secret_lines_of(source):
                if len(fold(line)) >= SHORTEST_LINE and not ARGUMENT_FRAGMENT.match(fold(line)):
                    lines.add(fold(line))
    return lines - provided


def fold(text):
    return " ".join(text.split())


def feedback_text(graded, student, assignment):
    """The feedback HTML a student receives for an assignment, as the text a reader sees."""
    pages = sorted((graded / "feedback" / student / assignment).glob("*.html"))
    assert pages, f"no feedback for {student}/{assignment}"
    return "".join(visible_text(page.read_text()) for page in pages)


def visible_text(page):
    """An HTML page's text as a reader sees it: no scripts, styles or tags."""
    content = re.sub(r"<(script|style).*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", content))
