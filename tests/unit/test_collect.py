"""`collect` on zips laid out as Canvas and Moodle name their bulk downloads (no kernel)."""

import json
import stat
import zipfile

import pytest

from autograder.__main__ import main as autograder_main
from autograder.collect import canvas, moodle
from autograder.collect.command import collect_command
from autograder.collect.notebooks import identify, released
from autograder.roster import RosterError, read_roster


def notebook(text):
    """A small notebook whose one cell says `text`: which file landed where is read back."""
    cell = {"cell_type": "markdown", "metadata": {}, "source": [text]}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def make_zip(path, members, links=()):
    """A zip of {member name: text}, plus symbolic-link members named in `links`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(zipfile.ZipInfo(name), text)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


def make_roster(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def files_under(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def reasons(output):
    """{member name: reason} of the printed list of files not collected."""
    listed = output.split(" not collected:\n", 1)[1].splitlines()
    return dict(line.strip()[1:].split("': ", 1) for line in listed)


@pytest.fixture
def canvas_class(tmp_path):
    """A Canvas download (names as lib/content_zipper.rb writes them) and its roster."""
    archive = make_zip(
        tmp_path / "submissions.zip",
        {
            "doejane_12345_1001_sigmoid_neuron.ipynb": notebook("jane first"),
            # The resubmission: Canvas renamed the file (`-1`) and flagged it late.
            "doejane_LATE_12345_1002_sigmoid_neuron-1.ipynb": notebook("jane second"),
            "doejane_12345_1005_notes.pdf": "%PDF-1.4",
            "doejohn_22222_1003_sigmoid_neuron (1).ipynb": notebook("john"),
            "lópezanamaría_33333_1004_logistic_regression.ipynb": notebook("ana"),
            "lópezanamaría_33333_1008_hidden_layer.ipynb": notebook("x" * 20_000),
            "smithpat_99999_1006_sigmoid_neuron.ipynb": notebook("pat"),
            "../../evil.ipynb": notebook("evil"),
            "/etc/cron.d/evil.ipynb": notebook("evil"),
        },
        links=["doejohn_22222_1007_mnist_multiclass.ipynb"],
    )
    roster = make_roster(
        tmp_path / "roster.csv",
        "student_id,name,email,canvas_id\n"
        "s001,Jane Doe,jane@example.edu,12345\n"
        # No Canvas id: found by the sortable name Canvas makes of "Doe, John".
        's002,"Doe, John",,\n'
        "s003,Ana María López,,33333\n"
        "s004,Bo Chen,,44444\n",
    )
    return archive, roster


def test_a_canvas_download_lands_in_the_submitted_layout_newest_file_kept(
    canvas_class, tmp_path, capsys
):
    archive, roster = canvas_class
    out = tmp_path / "submitted"
    status = collect_command(archive, "canvas", roster, out, member_bytes=10_000)
    assert files_under(out) == [
        "s001/ch1_sigmoid/sigmoid_neuron.ipynb",
        "s002/ch1_sigmoid/sigmoid_neuron.ipynb",
        "s003/ch2_logistic_regression/logistic_regression.ipynb",
    ]
    assert "jane second" in (out / "s001/ch1_sigmoid/sigmoid_neuron.ipynb").read_text()
    assert "john" in (out / "s002/ch1_sigmoid/sigmoid_neuron.ipynb").read_text()
    assert status == 1
    printed = capsys.readouterr().out
    assert "3 notebooks of 3 students" in printed and "1 marked late" in printed
    assert "no notebook from 1 student of the roster: s004" in printed


def test_every_canvas_file_not_collected_is_listed_with_why(canvas_class, tmp_path, capsys):
    archive, roster = canvas_class
    collect_command(archive, "canvas", roster, tmp_path / "submitted", member_bytes=10_000)
    listed = reasons(capsys.readouterr().out)
    assert listed.keys() == {
        "doejane_12345_1001_sigmoid_neuron.ipynb",
        "doejane_12345_1005_notes.pdf",
        "lópezanamaría_33333_1008_hidden_layer.ipynb",
        "smithpat_99999_1006_sigmoid_neuron.ipynb",
        "../../evil.ipynb",
        "/etc/cron.d/evil.ipynb",
        "doejohn_22222_1007_mnist_multiclass.ipynb",
    }
    assert listed["doejane_12345_1001_sigmoid_neuron.ipynb"].startswith("older than doejane_LATE")
    assert listed["doejane_12345_1005_notes.pdf"] == "not a notebook (.pdf)"
    assert listed["lópezanamaría_33333_1008_hidden_layer.ipynb"].startswith("too large")
    assert listed["smithpat_99999_1006_sigmoid_neuron.ipynb"].startswith("unknown student")
    assert listed["../../evil.ipynb"].startswith("unsafe name")
    assert listed["/etc/cron.d/evil.ipynb"].startswith("unsafe name")
    assert listed["doejohn_22222_1007_mnist_multiclass.ipynb"].startswith("a symbolic link")


def test_no_name_from_the_archive_becomes_a_path(canvas_class, tmp_path):
    archive, roster = canvas_class
    out = tmp_path / "deep" / "submitted"
    collect_command(archive, "canvas", roster, out)
    written = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert "evil.ipynb" not in written and "notes.pdf" not in written
    assert not any("(1)" in name or "-1" in name for name in written)


@pytest.mark.parametrize(
    "member, late",
    [
        ("doejane_12345_1002_sigmoid_neuron.ipynb", False),
        ("doejane_LATE_12345_1002_sigmoid_neuron.ipynb", True),  # Canvas now
        ("doejane_late_12345_1002_sigmoid_neuron.ipynb", True),  # older: all lowercased
        ("doejaneLATE_12345_1002_sigmoid_neuron.ipynb", True),  # older still
    ],
)
def test_every_canvas_spelling_of_late_reads_as_the_same_student(member, late):
    upload = canvas.parse(member)
    assert (upload.number, upload.name, upload.order, upload.late) == (
        "12345",
        "doejane",
        1002,
        late,
    )
    assert upload.original == "sigmoid_neuron.ipynb"


def test_canvas_anonymous_grading_is_named_as_the_reason():
    assert canvas.parse("LATE_anon_xb3Tq_1002_sigmoid_neuron.ipynb").startswith("anonymous")


def test_a_roster_name_is_matched_as_canvas_writes_it():
    assert canvas.name_key("Jane Doe") == canvas.name_key("Doe, Jane") == "doejane"
    assert canvas.name_key("Ana María López") == "lópezanamaría"
    assert canvas.name_key("O'Brien-Smith, Mary Ann") == "obriensmithmaryann"


@pytest.fixture
def moodle_roster(tmp_path):
    return make_roster(
        tmp_path / "roster.csv",
        "student_id,name,moodle_id\n"
        "s001,Jane Doe,\n"
        # Moodle's clean_filename deletes the apostrophe: the name still matches.
        "s002,John O'Neil,\n"
        # Blind marking names everyone "Participant": the participant id decides.
        "s003,Kim Park,7777\n"
        "s005,Sam Lee,\n"
        "s006,Sam Lee,\n",
    )


MOODLE_STUDENTS = ["Jane Doe_1234567", "Sam Lee_3456789", "Jo Bloggs_4567890"]
MOODLE_FILES = {
    "Jane Doe_1234567_assignsubmission_file{sep}sigmoid_neuron.ipynb": "jane",
    "Jane Doe_1234567_assignsubmission_file{sep}logistic_regression.ipynb": "jane a",
    "Jane Doe_1234567_assignsubmission_file{sep}logistic_regression (1).ipynb": "jane b",
    "Jane Doe_1234567_assignsubmission_onlinetext_onlinetext.html": "<p>hi</p>",
    "John ONeil_2345678_assignsubmission_file{sep}sigmoid_neuron-2.ipynb": "john",
    "Participant_7777_assignsubmission_file{sep}sigmoid_neuron.ipynb": "kim",
    "Sam Lee_3456789_assignsubmission_file{sep}sigmoid_neuron.ipynb": "sam",
    "Jo Bloggs_4567890_assignsubmission_file{sep}sigmoid_neuron.ipynb": "jo",
    "Jo Bloggs_4567890_assignsubmission_file{sep}report.pdf": "%PDF",
}


@pytest.mark.parametrize("sep", ["/", "_"], ids=["in folders", "in one folder"])
def test_a_moodle_download_in_either_layout_lands_in_the_submitted_layout(
    sep, moodle_roster, tmp_path, capsys
):
    members = {name.format(sep=sep): notebook(text) for name, text in MOODLE_FILES.items()}
    if sep == "/":
        # A folder the student uploaded keeps its place under the student's folder.
        members["John ONeil_2345678_assignsubmission_file/work/sigmoid_neuron-2.ipynb"] = (
            members.pop("John ONeil_2345678_assignsubmission_file/sigmoid_neuron-2.ipynb")
        )
    archive = make_zip(tmp_path / "moodle.zip", members)
    out = tmp_path / "submitted"
    status = collect_command(archive, "moodle", moodle_roster, out)
    assert files_under(out) == [
        "s001/ch1_sigmoid/sigmoid_neuron.ipynb",
        "s002/ch1_sigmoid/sigmoid_neuron.ipynb",
        "s003/ch1_sigmoid/sigmoid_neuron.ipynb",
    ]
    assert "kim" in (out / "s003/ch1_sigmoid/sigmoid_neuron.ipynb").read_text()
    assert status == 1
    listed = reasons(capsys.readouterr().out)
    jane, sam, jo = (f"{who}_assignsubmission_file{sep}" for who in MOODLE_STUDENTS)
    assert listed.keys() == {
        f"{jane}logistic_regression.ipynb",
        f"{jane}logistic_regression (1).ipynb",
        "Jane Doe_1234567_assignsubmission_onlinetext_onlinetext.html",
        f"{sam}sigmoid_neuron.ipynb",
        f"{jo}sigmoid_neuron.ipynb",
        f"{jo}report.pdf",
    }
    # Moodle's names give no order: neither of two files of one notebook is chosen.
    assert listed[f"{jane}logistic_regression.ipynb"].startswith("ambiguous: 2 files")
    assert listed[f"{jane}logistic_regression (1).ipynb"].startswith("ambiguous: 2 files")
    onlinetext = listed["Jane Doe_1234567_assignsubmission_onlinetext_onlinetext.html"]
    assert onlinetext == "a submission of Moodle's onlinetext plugin, not an uploaded file"
    assert listed[f"{sam}sigmoid_neuron.ipynb"].startswith("ambiguous: s005, s006")
    assert listed[f"{jo}sigmoid_neuron.ipynb"].startswith("unknown student")
    assert listed[f"{jo}report.pdf"] == "not a notebook (.pdf)"


def test_moodle_names_are_read_from_both_layouts():
    folders = moodle.parse("Jane Doe_1234567_assignsubmission_file/sigmoid_neuron.ipynb")
    flat = moodle.parse("Jane Doe_1234567_assignsubmission_file_sigmoid_neuron.ipynb")
    assert folders == flat
    assert (flat.number, flat.name, flat.original) == (
        "1234567",
        "Jane Doe",
        "sigmoid_neuron.ipynb",
    )
    assert moodle.parse("sigmoid_neuron.ipynb").startswith("not named as Moodle names")


@pytest.mark.parametrize(
    "original",
    [
        "sigmoid_neuron.ipynb",
        "sigmoid_neuron (1).ipynb",
        "sigmoid_neuron(2).ipynb",
        "sigmoid_neuron-2.ipynb",
        "sigmoid_neuron (1)-1.ipynb",
        "Sigmoid_Neuron.IPYNB",
    ],
)
def test_a_renamed_copy_of_a_released_notebook_is_that_notebook(original):
    assert identify(original, released()) == ("ch1_sigmoid", "sigmoid_neuron.ipynb")


def test_a_notebook_the_course_did_not_release_is_not_guessed():
    assert identify("my_homework.ipynb", released()).startswith("a notebook the course did not")
    assert identify("sigmoid_neuron.py", released()) == "not a notebook (.py)"


def test_with_an_assignment_given_another_assignments_notebook_is_listed():
    reason = identify("logistic_regression.ipynb", released(), assignment="ch1_sigmoid")
    assert reason == "logistic_regression.ipynb of ch2_logistic_regression, not of ch1_sigmoid"


def test_a_notebook_name_two_assignments_share_needs_the_assignment_named():
    catalogue = {"shared.ipynb": ["a1", "a2"]}
    assert identify("shared.ipynb", catalogue).startswith("ambiguous: shared.ipynb is in a1, a2")
    assert identify("shared (1).ipynb", catalogue, assignment="a2") == ("a2", "shared.ipynb")


def test_the_archive_total_is_capped_as_well_as_each_file(canvas_class, tmp_path, capsys):
    archive, roster = canvas_class
    collect_command(archive, "canvas", roster, tmp_path / "out", total_bytes=200)
    listed = reasons(capsys.readouterr().out)
    capped = [reason for reason in listed.values() if "together pass the limit" in reason]
    assert capped, listed


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("name,email\nJane,j@x\n", "no student_id column"),
        ("student_id\n../../etc\n", "cannot name a folder"),
        ("student_id,canvas_id\na,1\nb,1\n", "canvas_id 1 is also on line 2"),
    ],
)
def test_a_roster_that_cannot_be_used_says_why(tmp_path, text, complaint):
    with pytest.raises(RosterError, match=complaint):
        read_roster(make_roster(tmp_path / "roster.csv", text))


def test_a_roster_with_a_byte_order_mark_and_short_rows_reads(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("\ufeffStudent_ID,Name,Canvas_ID\ns1,Jane Doe\n\n".encode())
    [student] = read_roster(path)
    assert (student.student_id, student.name, student.lms_ids) == ("s1", "Jane Doe", {})


def test_an_archive_that_is_no_zip_exits_2(tmp_path, capsys):
    archive = tmp_path / "download.zip"
    archive.write_text("not a zip")
    roster = make_roster(tmp_path / "roster.csv", "student_id\ns1\n")
    assert collect_command(archive, "canvas", roster, tmp_path / "out") == 2
    assert "not a readable zip archive" in capsys.readouterr().out


def test_an_archive_whose_every_file_is_collected_exits_0(tmp_path):
    archive = make_zip(tmp_path / "a.zip", {"doejane_12345_1_sigmoid_neuron.ipynb": notebook("")})
    roster = make_roster(tmp_path / "roster.csv", "student_id,canvas_id\ns1,12345\n")
    assert collect_command(archive, "canvas", roster, tmp_path / "out") == 0


def test_python_dash_m_autograder_collect_reaches_collect(tmp_path):
    archive = make_zip(tmp_path / "a.zip", {"doejane_12345_1_sigmoid_neuron.ipynb": notebook("")})
    roster = make_roster(tmp_path / "roster.csv", "student_id,canvas_id\ns1,12345\n")
    out = tmp_path / "out"
    command = ["collect", str(archive), "--from", "canvas", "--roster", str(roster)]
    assert autograder_main([*command, "--out", str(out)]) == 0
    assert files_under(out) == ["s1/ch1_sigmoid/sigmoid_neuron.ipynb"]
