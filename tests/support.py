"""What the tests share that is not a fixture: the repository, the instructor's command,
what counts as a secret line, how a page reads, a small batch of chapter 1, the book's pages,
servers on loopback (a free port, PostgreSQL)."""

import csv
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
import yaml

from autograder.course.reference import graded_solutions, load_reference
from autograder.course.samples import fill, sample_module
from autograder.judge.verdict import verdict
from autograder.kernel import recording, use_reference
from autograder.kernel.records import ACCURACY
from autograder.output.journal import read_appended, read_entries
from autograder.output.layout import OutputFolder
from editions import instructor_toc
from nnscratch.cells import secret_lines as secret_lines_of
from nnscratch.cells import source_of
from nnscratch.chapter import read_assignment, read_chapter
from nnscratch.checks import CheckFailed

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
    entries = read_entries(OutputFolder(graded).journal)
    return {key: entry["cells"] for key, entry in entries.items()}


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


def failure(check, function):
    """The sentence a public check fails `function` with."""
    with pytest.raises(CheckFailed) as caught:
        check(function)
    return str(caught.value)


def fold(text):
    return " ".join(text.split())


def feedback_text(graded, student, assignment):
    """The feedback HTML a student receives for an assignment, as the text a reader sees."""
    pages = sorted(OutputFolder(graded).feedback_of(student, assignment).glob("*.html"))
    assert pages, f"no feedback for {student}/{assignment}"
    return "".join(visible_text(page.read_text()) for page in pages)


def visible_text(page):
    """An HTML page's text as a reader sees it: no scripts, styles or tags."""
    content = re.sub(r"<(script|style).*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", content))


# A small batch of chapter 1.

SOURCE = REPO / "solutions" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
EXERCISE = nbformat.read(REPO / "exercises" / "ch1_sigmoid" / "sigmoid_neuron.ipynb", as_version=4)


def write_batch(folder):
    """Three students: correct, one mistake, the stub."""
    solutions = graded_solutions("ch1_sigmoid")
    mistakes = sample_module("ch1_sigmoid").MISTAKES
    notebooks = {
        "ada": fill(EXERCISE, solutions),
        "ben": fill(EXERCISE, {**solutions, **mistakes["overflowing-sigmoid"].cells}),
        "cy": EXERCISE,
    }
    for student, notebook in notebooks.items():
        (folder / student / "ch1_sigmoid").mkdir(parents=True)
        nbformat.write(notebook, folder / student / "ch1_sigmoid" / "sigmoid_neuron.ipynb")
    return {"ada": 10.0, "ben": 6.0, "cy": 0.0}


def scores(out):
    with open(out / "grades.csv", newline="") as file:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(file)}


def journal_lines(out):
    """The journal's entries in the order they were appended."""
    return read_appended(OutputFolder(out).journal)


# The book.

_built = {}


def build_edition(edition, tmp_path_factory):
    """Build one edition from clean into a scratch folder, once per session; its HTML folder.

    The student edition is built as `make` builds it (`jupyter-book build . -W --keep-going`),
    the instructor edition as `make book-instructor` does (`python -m editions instructor`),
    after the student edition, whose execution cache it shares.
    """
    if edition not in _built:
        student = tmp_path_factory.getbasetemp() / "student"
        if edition == "student":
            command = [Path(sys.executable).parent / "jupyter-book", "build", REPO]
            command += ["--path-output", student, "-W", "--keep-going"]
            html_folder = student / "_build" / "html"
        else:
            build_edition("student", tmp_path_factory)
            out = tmp_path_factory.mktemp("instructor")
            cache = student / "_build" / ".jupyter_cache"
            command = [sys.executable, "-m", "editions", "instructor", "--out", out]
            command += ["--cache", cache]
            html_folder = out / "html"
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
        _built[edition] = html_folder
    return _built[edition]


def toc_files(toc):
    """Every `file` of a table of contents, in reading order."""
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        walk(part["chapters"])
    return files


def pages(edition):
    """The pages of an edition, in reading order, as paths relative to its HTML folder."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    if edition == "instructor":
        toc = instructor_toc(toc)
    return [f"{file}.html" for file in toc_files(toc)]


def exercise_pages(edition):
    return [page for page in pages(edition) if page.startswith(("exercises/", "solutions/"))]


# Servers on loopback.

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server():
    """A real PostgreSQL server on a free local port while in the block; its database URL."""
    assert (PG_BIN / "initdb").exists(), "PostgreSQL is not installed: run `make system`"
    folder = Path(tempfile.mkdtemp(prefix="nnscratch-pg-"))
    shutil.chown(folder, "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = folder / "data"
    subprocess.run(
        [*as_postgres, PG_BIN / "initdb", "-D", data, "--auth=trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    port = free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    subprocess.run(
        [
            *as_postgres,
            PG_BIN / "pg_ctl",
            "-D",
            data,
            "-o",
            options,
            "-w",
            "start",
            "-l",
            folder / "log",
        ],
        check=True,
        capture_output=True,
    )
    try:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute("CREATE DATABASE gradebook")
        yield f"postgresql://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(
            [*as_postgres, PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
        )
        time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)


# The browser.

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# A hidden test in this process, as the grader judges it.


def hidden_verdict(assignment, label, cells, seed=0):
    """The grader's verdict on the hidden tests of the test `label` (`compute_cost`,
    `NeuralNetwork.fit`) for a submission whose graded items are the reference's but for
    `cells` ({graded item: source}): None when it passes, else the sentence the student reads.
    Like the grader, the test's `uses` are the reference's (a class: the student's with the
    reference's other methods)."""
    [chapter] = read_assignment(assignment, REPO / "solutions")
    test = chapter.test_of(label)
    reference = vars(load_reference(assignment))
    records = {}
    for who, changed in (("reference", {}), ("student", cells)):
        namespace = dict(reference)
        for source in changed.values():
            exec(compile(source, "<sample>", "exec"), namespace)
        if changed and test.uses:  # the line the grader starts the cell with
            use_reference(namespace, test.uses, chapter.reference_source(test.uses))
        with recording(seed) as records[who]:
            try:
                exec(compile(test.hidden, f"<hidden tests of {label}>", "exec"), namespace)
            except CheckFailed as failure:
                return str(failure)
    # An accuracy that trains (a function) is trained in a kernel only: the end-to-end tier's.
    kept = {
        who: [r for r in found if not (r["kind"] == ACCURACY and "predictions" not in r)]
        for who, found in records.items()
    }
    return verdict(kept["student"], kept["reference"], label)
