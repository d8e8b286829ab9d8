"""The grading service as people use it: a real `python -m autograder serve` on a loopback
port, with a PostgreSQL gradebook, driven by a student's Chromium, `nnscratch submit`, httpx,
and a kill -9.

One server for the module (it grades six chapter 1 notebooks in all, with one job, so that a
submission waits while another runs): the order of the tests is the order of a class's day.
"""

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import nbformat
import pytest
from support import EXERCISE, REPO, free_port, journal_lines, write_batch

from autograder.course.reference import graded_solutions
from autograder.course.samples import fill, sample_module

STUDENTS = ["ada", "ben", "eve"]
PER_HOUR = 2
GRADING_SECONDS = 180
CSP = "script-src 'none'"


class Server:
    """`python -m autograder serve`, started, killed and started again on one port."""

    def __init__(self, folder, db_url):
        self.folder, self.port = folder, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "server.log"
        self.args = ["--out", folder / "out", "--db", db_url, "--policy", folder / "policy.yml"]
        self.args += ["--roster", folder / "roster.csv", "--jobs", "1", "--timeout", "30"]
        self.args += ["--port", self.port]
        self.process = None

    def start(self):
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "autograder", "serve", *map(str, self.args)],
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(self.base + "/", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        pytest.fail("the service did not start:\n" + self.log.read_text()[-3000:])

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def links(self):
        """{student id or "instructor": link} as the runs so far printed them."""
        found = re.findall(r"^([\w.@+-]+): (http://\S+)$", self.log.read_text(), re.M)
        return {who: link for who, link in found}


@pytest.fixture(scope="module")
def server(tmp_path_factory, postgres):
    folder = tmp_path_factory.mktemp("service")
    (folder / "roster.csv").write_text(
        "student_id,name\n" + "".join(f"{s},{s}\n" for s in STUDENTS)
    )
    (folder / "policy.yml").write_text(f"ch1_sigmoid:\n  per_hour: {PER_HOUR}\n")
    running = Server(folder, postgres)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    """Chapter 1's correct notebook, its stub, one mistake, as files."""
    folder = tmp_path_factory.mktemp("notebooks")
    expected = write_batch(folder)  # ada correct, ben a mistake, cy the stub
    return {
        "correct": folder / "ada" / "ch1_sigmoid" / "sigmoid_neuron.ipynb",
        "mistake": folder / "ben" / "ch1_sigmoid" / "sigmoid_neuron.ipynb",
        "stub": folder / "cy" / "ch1_sigmoid" / "sigmoid_neuron.ipynb",
        "scores": expected,
    }


def upload(link, content, name="sigmoid_neuron.ipynb", assignment="ch1_sigmoid", **headers):
    return httpx.post(
        link + "/submit",
        data={"assignment": assignment},
        files={"notebook": (name, content)},
        headers={"Accept": "application/json", **headers},
        timeout=60,
    )


def status(server, page):
    return httpx.get(server.base + page + ".json", timeout=10).json()


def wait_graded(server, page, seconds=GRADING_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = status(server, page)
        if answer["state"] in ("graded", "failed"):
            return answer
        time.sleep(0.5)
    pytest.fail(f"{page} was not graded in {seconds} s:\n{server.log.read_text()[-3000:]}")


def uploads(server):
    return sorted(p.name for p in (server.folder / "out" / "service" / "uploads").iterdir())


def student_submissions(server, student):
    """The submission pages listed on a student's own page."""
    page = httpx.get(server.links()[student], timeout=10).text
    return re.findall(r'href="(/s/[^/"]+/submissions/[0-9a-f]{32})"', page)


# The first run.


def test_the_first_run_prints_a_link_per_student_and_the_instructors(server):
    links = server.links()
    assert set(links) == {*STUDENTS, "instructor"}
    assert all(
        re.fullmatch(r"http://127\.0\.0\.1:\d+/[si]/[\w-]{43}", link) for link in links.values()
    )
    assert len(set(links.values())) == len(links)


def links_only(server, *extra):
    """`serve --links-only` beside the running service, with its arguments and `extra`."""
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "serve", *map(str, server.args), *extra]
        + ["--links-only"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, dict(re.findall(r"^(\w+): (http://\S+)$", result.stdout, re.M))


def test_serving_the_roster_again_adds_students_and_keeps_every_link(server):
    before = server.links()
    (server.folder / "roster2.csv").write_text("student_id\nada\nben\neve\nzoe\n")
    # The later --roster wins: argparse keeps the last.
    stdout, printed = links_only(server, "--roster", server.folder / "roster2.csv")
    assert list(printed) == ["zoe"]
    assert "1 new students; 3 kept their links" in stdout
    for who in STUDENTS:
        assert httpx.get(before[who], timeout=10).status_code == 200
    assert httpx.get(printed["zoe"], timeout=10).status_code == 200

    _, again = links_only(server, "--new-link", "zoe")
    assert list(again) == ["zoe"] and again["zoe"] != printed["zoe"]
    assert httpx.get(printed["zoe"], timeout=10).status_code == 404  # a lost link, replaced
    assert httpx.get(again["zoe"], timeout=10).status_code == 200


# A student's day, in a browser; the instructor watches the report.


def test_a_student_uploads_in_chromium_reads_the_feedback_and_the_report_changes(
    server, notebooks, chromium
):
    links = server.links()
    instructor = chromium.new_page()
    instructor.goto(links["instructor"] + "/report.html")
    assert "No grade yet" in instructor.content()

    page = chromium.new_page()
    page.goto(links["ada"])
    assert "ch1_sigmoid" in page.content() and "No submission yet" in page.content()
    page.set_input_files("input[type=file]", str(notebooks["correct"]))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/submissions/[0-9a-f]{32}$"))
    assert re.search(r"queued|running|graded", page.inner_text("body"))
    page.wait_for_selector("text=Score:", timeout=GRADING_SECONDS * 1000)
    assert "10 / 10 (graded)" in page.inner_text("body")
    assert "This is the submission that counts" in page.inner_text("body")
    with page.expect_navigation():
        page.click("text=Read the feedback")
    feedback = page.inner_text("body")
    assert "sigmoid" in feedback and "10" in feedback

    instructor.reload()
    deadline = time.monotonic() + 60  # the report is written once the queue is idle
    while "ada" not in instructor.inner_text("body") and time.monotonic() < deadline:
        time.sleep(1)
        instructor.reload()
    report = instructor.inner_text("body")
    assert "Class report" in report and "ada" in report
    instructor.click("text=sigmoid_neuron.html")  # the report's link to ada's feedback
    assert "sigmoid" in instructor.inner_text("body")


def test_every_page_forbids_scripts_and_keeps_the_token_out_of_referrers(server):
    links = server.links()
    [submission] = student_submissions(server, "ada")
    answer = status(server, submission)
    pages = [links["ada"], server.base + submission, server.base + answer["feedback"][0]]
    pages += [links["instructor"] + p for p in ("", "/report.html", "/grades.csv")]
    pages += [server.base + "/", server.base + "/s/wrong"]
    for url in pages:
        response = httpx.get(url, timeout=10)
        assert CSP in response.headers["content-security-policy"], url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_the_instructor_downloads_grades_and_exports_and_regrades_the_assignment(server):
    instructor = server.links()["instructor"]
    grades = httpx.get(instructor + "/grades.csv", timeout=10).text
    assert "ada,ch1_sigmoid,sigmoid_neuron.ipynb,10.0,10.0,graded" in grades
    canvas = httpx.get(instructor + "/export/canvas.csv", timeout=30).text
    assert canvas.startswith("Student,ID,SIS User ID") and "ada,,ada,ada,,10" in canvas
    assert "ID number,ch1_sigmoid" in httpx.get(instructor + "/export/moodle.csv", timeout=30).text
    entries_before = len(journal_lines(server.folder / "out"))

    response = httpx.post(instructor + "/regrade", data={"assignment": "ch1_sigmoid"}, timeout=30)
    assert response.status_code == 202 and "1 submissions of ch1_sigmoid" in response.text
    [submission] = student_submissions(server, "ada")
    assert wait_graded(server, submission)["rows"][0]["score"] == 10.0
    assert len(journal_lines(server.folder / "out")) == entries_before + 1


# From a terminal; then too many, too fast.


def test_nnscratch_submit_hands_a_notebook_in_and_waits_for_its_grade(server, notebooks):
    result = subprocess.run(
        [sys.executable, "-m", "nnscratch", "submit", notebooks["mistake"]]
        + ["--to", server.links()["eve"]],
        capture_output=True,
        text=True,
        timeout=GRADING_SECONDS,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "accepted" in result.stdout and "graded" in result.stdout
    assert f"{notebooks['scores']['ben']:g} / 10 (graded)" in result.stdout
    assert "feedback: http://127.0.0.1" in result.stdout


def test_thirty_uploads_in_a_minute_get_429_past_the_allowance_and_store_nothing(server, notebooks):
    eve, stub = server.links()["eve"], notebooks["stub"].read_bytes()
    before = uploads(server)
    # One submission is already eve's (from the terminal): the policy allows two an hour.
    # The one accepted now comes with a path for a name, which picks nothing and goes nowhere.
    answers = [upload(eve, stub, name="../../../../tmp/evil.ipynb") for _ in range(29)]
    assert [a.status_code for a in answers] == [202] + [429] * 28
    for refused in answers[1:]:
        assert 0 < int(refused.headers["retry-after"]) <= 3600
        assert "the most this course allows (2)" in refused.json()["error"]
    accepted = answers[0].json()
    assert uploads(server) == sorted(before + [f"{accepted['id']}.ipynb"])
    assert not os.path.exists("/tmp/evil.ipynb") and not list(server.folder.rglob("evil*"))
    answer = wait_graded(server, accepted["page"])
    assert answer["notebook"] == "sigmoid_neuron.ipynb" and answer["rows"][0]["score"] == 0.0


# What no one may do.


@pytest.mark.parametrize(
    "content, status, says",
    [
        (b"", 422, "empty"),
        (b"this is not JSON", 422, "not a Jupyter notebook"),
        (b'{"cells": [', 422, "not a Jupyter notebook"),
        ("ch2", 422, "not ch1_sigmoid's"),
        (b"x" * 50 * 1024**2, 413, "larger than this service accepts"),
    ],
)
def test_an_upload_that_is_not_the_notebook_is_refused_clearly_and_not_kept(
    server, content, status, says
):
    if content == "ch2":
        content = (
            REPO / "exercises/ch2_logistic_regression/logistic_regression.ipynb"
        ).read_bytes()
    before = uploads(server)
    response = upload(server.links()["ben"], content)
    assert response.status_code == status and says in response.json()["error"]
    assert uploads(server) == before
    assert not [p for p in (server.folder / "out" / "service" / "uploads").glob(".*")]


def test_the_upload_form_shows_a_refusal_as_a_page_with_its_reason(server):
    response = upload(server.links()["ben"], b"", Accept="text/html")
    assert response.status_code == 422 and "<title>Not accepted</title>" in response.text
    assert "The file is empty" in response.text


def test_a_wrong_or_missing_token_finds_nothing(server):
    ada = server.links()["ada"]
    token = ada.rsplit("/", 1)[1]
    for url in [
        server.base + "/s/" + token[:-1] + ("A" if token[-1] != "A" else "B"),
        server.base + "/s/",
        server.base + "/s",
        server.base + "/i/" + token,  # a student's link is not the instructor's
        server.base + "/i/" + token + "/grades.csv",
    ]:
        response = httpx.get(url, timeout=10)
        assert response.status_code == 404, url
        assert "ada" not in response.text
    assert upload(server.base + "/s/nottoken", b"{}").status_code == 404


def test_a_student_sees_nothing_of_anothers_submissions_even_by_their_ids(server):
    links = server.links()
    [ada_submission] = student_submissions(server, "ada")
    ada_id = ada_submission.rsplit("/", 1)[1]
    ben = links["ben"]
    for path in [
        f"/submissions/{ada_id}",
        f"/submissions/{ada_id}.json",
        f"/submissions/{ada_id}/feedback/sigmoid_neuron.html",
        f"/submissions/{ada_id[:-1]}0",
        "/submissions/" + "0" * 32,
        "/submissions/../../i",
        f"/submissions/{ada_id}/feedback/..%2F..%2Fgradebook.db",
    ]:
        response = httpx.get(ben + path, timeout=10)
        assert response.status_code == 404, path
        assert "sigmoid_neuron" not in response.text and "10 / 10" not in response.text


def test_no_log_line_holds_a_personal_link(server):
    log = server.log.read_text()
    requests = [line for line in log.splitlines() if re.search(r" (GET|POST) /", line)]
    assert any("/s/<token>" in line for line in requests)
    for who, link in server.links().items():
        token = link.rsplit("/", 1)[1]
        assert log.count(token) == 1, who  # the line of the first run that printed it


# A service killed while it grades.


def test_a_service_killed_mid_grading_grades_every_accepted_submission_once_after_restart(
    server, notebooks
):
    ben, out = server.links()["ben"], server.folder / "out"
    solutions = graded_solutions("ch1_sigmoid")
    forgets_bias = sample_module("ch1_sigmoid").MISTAKES["neuron-forgets-bias"].cells
    mistake = nbformat.writes(fill(EXERCISE, {**solutions, **forgets_bias})).encode()
    accepted = [
        upload(ben, notebooks["correct"].read_bytes()).json(),
        upload(ben, mistake).json(),
    ]
    deadline = time.monotonic() + 60
    while status(server, accepted[0]["page"])["state"] != "running":
        assert time.monotonic() < deadline, "the first submission never started"
        time.sleep(0.2)
    server.kill()
    server.start()
    answers = [wait_graded(server, a["page"]) for a in accepted]
    assert [a["state"] for a in answers] == ["graded", "graded"]
    assert answers[0]["rows"][0]["score"] == 10.0 and answers[1]["rows"][0]["score"] < 10.0
    bens = [e for e in journal_lines(out) if e["student"] == "ben"]
    assert len(bens) == 2  # each graded once: no entry lost, none twice
    assert answers[1]["counts"] and not answers[0]["counts"]
    grades = (out / "grades.csv").read_text()
    assert re.search(r"^ben,ch1_sigmoid,sigmoid_neuron\.ipynb,[\d.]+,10\.0,graded$", grades, re.M)
