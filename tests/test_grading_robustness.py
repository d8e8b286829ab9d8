"""Nothing lost, nothing random: per-student hidden inputs, reproducible regrades, a batch that
resumes after being killed, and no grading of strangers' code without a sandbox."""

import csv
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from conftest import REPO, run

from autograder.expected import expected_records
from autograder.grade import student_seed
from autograder.reference import graded_solutions
from autograder.samples import fill, sample_module

SOURCE = REPO / "solutions" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
EXERCISE = nbformat.read(REPO / "exercises" / "ch1_sigmoid" / "sigmoid_neuron.ipynb", as_version=4)


def test_two_students_get_different_hidden_inputs():
    alice = expected_records(SOURCE, student_seed("alice", "ch1_sigmoid"))
    bob = expected_records(SOURCE, student_seed("bob", "ch1_sigmoid"))
    assert alice["test_sigmoid"] != bob["test_sigmoid"]
    assert alice == expected_records(SOURCE, student_seed("alice", "ch1_sigmoid"))


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
    path = out / "journal.jsonl"
    return path.read_text().splitlines() if path.exists() else []


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    submitted = tmp_path_factory.mktemp("batch")
    return submitted, write_batch(submitted), tmp_path_factory.mktemp("graded")


def test_a_killed_batch_resumes_keeping_the_rows_it_had(batch):
    submitted, expected, out = batch
    grading = subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", submitted, "--out", out],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not journal_lines(out) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(grading.pid, signal.SIGKILL)
    grading.wait()
    finished = journal_lines(out)
    assert 1 <= len(finished) < 3, "the batch should have been killed half-way"

    result = run("grade", submitted, "--out", out, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert scores(out) == expected
    lines = journal_lines(out)
    assert lines[: len(finished)] == finished and len(lines) == 3, "a finished row was redone"


def test_an_unchanged_batch_is_not_graded_again(batch):
    submitted, expected, out = batch
    template = out / "template.db"  # what set-up released into, for the workers to copy
    before, released = journal_lines(out), template.stat().st_mtime_ns
    assert run("grade", submitted, "--out", out, timeout=600).returncode == 0
    assert journal_lines(out) == before
    assert template.exists() and template.stat().st_mtime_ns == released, "set up again for nothing"
    assert scores(out) == expected


def test_a_forced_regrade_reproduces_the_same_scores(batch):
    submitted, expected, out = batch
    first = (out / "grades.csv").read_text()
    assert run("grade", submitted, "--out", out, "--force", timeout=600).returncode == 0
    assert len(journal_lines(out)) == 6
    assert (out / "grades.csv").read_text() == first


def test_a_changed_source_regrades_the_unchanged_submissions(tmp_path):
    solutions = tmp_path / "solutions"
    shutil.copytree(REPO / "solutions", solutions)
    write_batch(tmp_path / "in")
    shutil.rmtree(tmp_path / "in" / "ben")
    shutil.rmtree(tmp_path / "in" / "cy")
    out, env = tmp_path / "out", {**os.environ, "NNSCRATCH_SOLUTIONS": str(solutions)}
    assert run("grade", tmp_path / "in", "--out", out, env=env, timeout=600).returncode == 0
    assert scores(out) == {"ada": 10.0}

    # The instructor "fixes" the reference of sigmoid: ada's right answer now differs from it.
    path = solutions / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    source = path.read_text()
    assert "s = float(s)" in source
    path.write_text(source.replace("s = float(s)", "s = float(s) / 2"))
    assert run("grade", tmp_path / "in", "--out", out, env=env, timeout=600).returncode == 0
    assert len(journal_lines(out)) == 2
    assert scores(out)["ada"] < 10.0


def test_grading_refuses_to_run_student_code_without_a_sandbox(tmp_path):
    write_batch(tmp_path / "submitted")
    env = {**os.environ, "NNSCRATCH_BWRAP": "/nonexistent/bwrap"}
    result = run("grade", tmp_path / "submitted", "--out", tmp_path / "out", env=env)
    assert result.returncode == 2
    assert "not grading" in result.stdout and "--sandbox none" in result.stdout
    assert not (tmp_path / "out" / "grades.csv").exists()
