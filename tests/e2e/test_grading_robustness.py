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
from support import (
    EXERCISE,
    REPO,
    SOURCE,
    feedback_text,
    journal_lines,
    run,
    scores,
    write_batch,
)

from autograder.course.reference import graded_solutions
from autograder.course.samples import fill
from autograder.judge.expected import expected_records
from autograder.judge.seeds import student_seed


def test_two_students_get_different_hidden_inputs():
    alice = expected_records(SOURCE, student_seed("alice", "ch1_sigmoid"))
    bob = expected_records(SOURCE, student_seed("bob", "ch1_sigmoid"))
    assert alice["test_sigmoid"] != bob["test_sigmoid"]
    assert alice == expected_records(SOURCE, student_seed("alice", "ch1_sigmoid"))


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


def only_ada(folder):
    write_batch(folder)
    shutil.rmtree(folder / "ben")
    shutil.rmtree(folder / "cy")


def test_a_broken_reference_is_the_graders_failure_and_is_retried_not_a_students_zero(tmp_path):
    solutions = tmp_path / "solutions"
    shutil.copytree(REPO / "solutions", solutions)
    path = solutions / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    path.write_text(path.read_text().replace("s = float(s)", "s = float(s) / 0"))
    only_ada(tmp_path / "in")
    out, env = tmp_path / "out", {**os.environ, "NNSCRATCH_SOLUTIONS": str(solutions)}
    result = run("grade", tmp_path / "in", "--out", out, env=env, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the grader failed on ada/ch1_sigmoid" in result.stderr
    assert "ZeroDivisionError" in result.stderr
    assert scores(out) == {} and journal_lines(out) == []
    # The instructor mends the reference: the next run grades ada.
    result = run("grade", tmp_path / "in", "--out", out, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert scores(out) == {"ada": 10.0}


def test_a_kernel_that_cannot_start_is_the_graders_failure(tmp_path):
    # A bubblewrap that passes the grader's probe (`... true`) but starts no kernel.
    broken = tmp_path / "bwrap"
    broken.write_text('#!/bin/sh\ncase "$*" in *" true") exec bwrap "$@";; esac\nexit 1\n')
    broken.chmod(0o755)
    only_ada(tmp_path / "in")
    env = {**os.environ, "NNSCRATCH_BWRAP": str(broken)}
    result = run("grade", tmp_path / "in", "--out", tmp_path / "out", env=env, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the grader failed on ada/ch1_sigmoid" in result.stderr
    assert scores(tmp_path / "out") == {} and journal_lines(tmp_path / "out") == []


def test_a_cell_far_slower_than_the_reference_is_stopped_long_before_the_cell_limit(tmp_path):
    # The reference's neuron_output cell takes milliseconds: this one is stopped at
    # 10 x that + 10 s, not at --timeout's 300 s, and the student is told why it may be slow.
    slow = graded_solutions("ch1_sigmoid")["neuron_output"] + "\n\nimport time\n\ntime.sleep(200)"
    notebook = fill(EXERCISE, {**graded_solutions("ch1_sigmoid"), "neuron_output": slow})
    (tmp_path / "in" / "ada" / "ch1_sigmoid").mkdir(parents=True)
    nbformat.write(notebook, tmp_path / "in" / "ada" / "ch1_sigmoid" / "sigmoid_neuron.ipynb")
    started = time.monotonic()
    result = run("grade", tmp_path / "in", "--out", tmp_path / "out", "--timeout", "300")
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.monotonic() - started < 120
    [row] = csv.DictReader((tmp_path / "out" / "grades.csv").open())
    assert (row["status"], float(row["score"])) == ("timeout", 10.0)
    text = feedback_text(tmp_path / "out", "ada", "ch1_sigmoid")
    assert "ran past its time limit of 11 s, 10 times what the reference solution takes" in text
    assert "an array of the wrong shape" in text


def test_a_notebook_busy_on_several_blas_threads_reaches_its_wall_clock_limit_not_a_cpu_kill(
    tmp_path,
):
    # CPU time counts every thread of the kernel: 25 s of NumPy on 2 BLAS threads is about 50 s
    # of CPU, more than the 40 s notebook limit. A CPU limit equal to the wall-clock one killed
    # such a notebook half-way, as `crashed`; it must finish, within its wall-clock limit.
    busy = (
        "import time\nimport numpy as np\n\n"
        "a = np.ones((1500, 1500))\nend = time.monotonic() + 25\n"
        "while time.monotonic() < end:\n    a @ a\n"
    )
    notebook = fill(EXERCISE, graded_solutions("ch1_sigmoid"))
    notebook.cells.append(nbformat.v4.new_code_cell(busy))
    (tmp_path / "in" / "ada" / "ch1_sigmoid").mkdir(parents=True)
    nbformat.write(notebook, tmp_path / "in" / "ada" / "ch1_sigmoid" / "sigmoid_neuron.ipynb")
    limits = ["--threads", "2", "--timeout", "40", "--notebook-timeout", "40"]
    result = run("grade", tmp_path / "in", "--out", tmp_path / "out", *limits, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    [row] = csv.DictReader((tmp_path / "out" / "grades.csv").open())
    assert (row["status"], float(row["score"])) == ("graded", 10.0)
