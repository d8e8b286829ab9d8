"""The instructor's class report and grade exports, from the session's one graded batch."""

import csv
import re
import subprocess
import sys
from collections import defaultdict

import pytest
from support import fold, run, secret_lines, visible_text

from autograder.course.paths import assignments
from autograder.reporting.export import FORMATS


@pytest.fixture(scope="module")
def report(graded):
    return (graded / "report.html").read_text(encoding="utf-8")


def grade_rows(graded):
    with open(graded / "grades.csv", newline="") as file:
        return list(csv.DictReader(file))


def test_grade_writes_a_self_contained_report(report):
    assert report.startswith("<!DOCTYPE html>")
    assert "<script" not in report and "<link" not in report
    sources = re.findall(r'src="([^"]*)"', report)
    assert sources and all(source.startswith("data:image/png;base64,") for source in sources)
    assert all(re.search(r'alt="[^"]{20,}"', tag) for tag in re.findall(r"<img[^>]*>", report))


def test_the_report_names_every_student_and_each_status_with_its_students(graded, report):
    rows = grade_rows(graded)
    text = visible_text(report)
    for row in rows:
        assert row["student_id"] in text
    # The two files of chapter 1 that are not notebooks: their status, with their names.
    status_table = text.split("How grading ended", 1)[1].split("ch1_sigmoid", 1)[0]
    assert "invalid notebook" in status_table
    assert "truncated-json" in status_table and "empty-file" in status_table


def test_the_report_groups_what_the_failed_checks_said_and_holds_no_hidden_test(report):
    # chapter 1's mistake of a neuron without its bias: its check's sentence, with a count.
    row = r"<td>neuron_output</td><td class='number'>(\d+)</td><td>[^<]*Remember the bias b"
    assert re.search(row, report), "the report should group the sentence of a forgotten bias"
    text = fold(visible_text(report))
    leaked = [line for line in secret_lines() if line in text]
    assert not leaked, f"the report shows hidden-test or solution lines: {leaked[:3]}"


def test_the_report_links_each_feedback_page_relatively_inside_out_dir(graded, report):
    links = re.findall(r'href="([^"]+)"', report)
    assert links
    for link in links:
        assert not link.startswith(("/", "http", "file:")), link
        assert (graded / link).resolve().is_file(), link
        assert (graded / link).resolve().is_relative_to(graded.resolve())
    assert str(graded) not in report


def test_the_report_opens_in_a_browser_without_errors_or_requests(graded, chromium):  # noqa: F811
    context = chromium.new_context()
    page, errors, requests = context.new_page(), [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    context.route(
        re.compile(r"^(?!file:|data:)"),
        lambda route: (requests.append(route.request.url), route.abort()),
    )
    page.goto((graded / "report.html").as_uri(), wait_until="load")
    images = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    context.close()
    assert not errors and not requests, errors + requests
    assert images and all(images)


def test_report_rewrites_the_page_from_out_dir_without_grading_again(graded, tmp_path):
    grades_before = (graded / "grades.csv").stat().st_mtime_ns
    (graded / "report.html").rename(tmp_path / "report.html")
    result = run("report", graded, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (graded / "report.html").read_text() == (tmp_path / "report.html").read_text()
    assert (graded / "grades.csv").stat().st_mtime_ns == grades_before


def totals_of(rows):
    totals = defaultdict(float)
    for row in rows:
        totals[row["student_id"], row["assignment_id"]] += float(row["score"] or 0)
    return totals


@pytest.mark.parametrize("format", FORMATS)
def test_export_writes_one_row_per_student_with_the_lms_header(graded, tmp_path, format):
    target = tmp_path / f"{format}.csv"
    result = run("export", graded, "--format", format, "--to", target, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(target, newline="") as file:
        table = list(csv.reader(file))
    header = {
        "canvas": ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
        "moodle": ["ID number"],
        "csv": ["student_id"],
    }[format]
    rows = grade_rows(graded)
    assignments = sorted({row["assignment_id"] for row in rows})
    assert table[0] == header + assignments
    body = table[2:] if format == "canvas" else table[1:]
    if format == "canvas":
        assert table[1][0] == "Points Possible"
    students = sorted({row["student_id"] for row in rows})
    assert [line[0] for line in body] == students
    totals = totals_of(rows)
    for line in body:
        for assignment, value in zip(assignments, line[len(header) :], strict=True):
            assert float(value) == pytest.approx(totals.get((line[0], assignment), 0.0))


def test_nbgrader_export_reads_the_gradebook_grade_wrote_with_the_same_totals(graded, tmp_path):
    target = tmp_path / "nbgrader.csv"
    database = f"--db=sqlite:///{graded / 'gradebook.db'}"
    command = [sys.executable, "-m", "nbgrader", "export", database, f"--to={target}"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(target, newline="") as file:
        exported = {
            (row["student_id"], row["assignment"]): float(row["score"])
            for row in csv.DictReader(file)
        }
    known = set(assignments())
    totals = totals_of(grade_rows(graded))
    expected = {key: total for key, total in totals.items() if key[1] in known}
    assert set(expected) <= set(exported)
    for key, score in exported.items():
        # nbgrader lists every student under every assignment: 0 where nothing was submitted.
        assert score == pytest.approx(expected.get(key, 0.0)), key
