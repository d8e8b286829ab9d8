"""The chapter kit, tried as a new maintainer would, in a scratch copy of the course.

Into the copy go two new assignments, as their own files only:
- `ch7_sigmoid_again`, a copy of chapter 1 under a new id: its page in book/, its source
  notebook, its checks module, its samples module and two lines of `_toc.yml`;
- `ch0_graded_class`, a fixture that grades a class (tests/fixtures/course/): one class whose
  points are split by method.
Both source notebooks are formatted with ruff at a line length of 40 first, so that every long
line, a test's list of reference callees among them, is wrapped: formatting never changes a
grade. Then the copy is released, its samples graded in one batch and its book built.
"""

import hashlib
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import REPO, journal_cells, run

from nnscratch.chapter import read_assignment

FIXTURES = REPO / "tests" / "fixtures" / "course"
NEW = "ch7_sigmoid_again"
CLASS = "ch0_graded_class"
SKIPPED = {".git", ".venv", "_build", "tests", ".pytest_cache", ".ruff_cache", "__pycache__"}


def snapshot(root):
    """{relative path: content digest} of every file under `root`."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not SKIPPED & set(path.relative_to(root).parts)
    }


def add_chapter_copy(course):
    """Chapter 1 again, as `NEW`: only the files a chapter is."""
    (course / "solutions" / NEW).mkdir()
    notebook = (REPO / "solutions" / "ch1_sigmoid" / "sigmoid_neuron.ipynb").read_text()
    notebook = notebook.replace("nnscratch.checks.ch1_sigmoid", f"nnscratch.checks.{NEW}")
    (course / "solutions" / NEW / "sigmoid_neuron.ipynb").write_text(notebook)
    # A page's figure labels are the book's: the new page names its own.
    page = (REPO / "book" / "ch1_sigmoid.md").read_text().replace("name: fig-", f"name: {NEW}-")
    # So do its exercises' labels.
    page = page.replace(":label: ch1-", f":label: {NEW}-").replace(
        "{solution} ch1-", f"{{solution}} {NEW}-"
    )
    (course / "book" / f"{NEW}.md").write_text(page)
    shutil.copyfile(
        REPO / "nnscratch" / "checks" / "ch1_sigmoid.py",
        course / "nnscratch" / "checks" / f"{NEW}.py",
    )
    shutil.copyfile(
        REPO / "autograder" / "course" / "samples" / "ch1_sigmoid.py",
        course / "autograder" / "course" / "samples" / f"{NEW}.py",
    )
    toc = (course / "_toc.yml").read_text()
    # After the last chapter's exercise: the new chapter comes last.
    last = [
        line for line in toc.splitlines(True) if line.startswith("          - file: exercises/")
    ][-1]
    toc = toc.replace(
        last,
        last + f"      - file: book/{NEW}\n        sections:\n"
        f"          - file: exercises/{NEW}/sigmoid_neuron\n",
    )
    (course / "_toc.yml").write_text(toc)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The scratch course, before and after the two assignments were added and released."""
    course = tmp_path_factory.mktemp("kit") / "course"
    shutil.copytree(REPO, course, ignore=lambda folder, names: SKIPPED & set(names))
    before = snapshot(course)
    add_chapter_copy(course)
    shutil.copytree(FIXTURES, course, dirs_exist_ok=True)
    narrow = [sys.executable, "-m", "ruff", "format", "--line-length", "40", "--isolated"]
    for assignment in (NEW, CLASS):
        subprocess.run(
            [*narrow, course / "solutions" / assignment], check=True, capture_output=True
        )
    added = snapshot(course)
    result = run("release", cwd=course, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return course, before, added


@pytest.fixture(scope="module")
def graded(course):
    course, _, _ = course
    submitted, out = course.parent / "submitted", course.parent / "graded"
    result = run("samples", NEW, CLASS, "--out", submitted, cwd=course, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    result = run("grade", submitted, "--out", out, "--timeout", "30", cwd=course, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return {key: next(iter(cells.values())) for key, cells in journal_cells(out).items()}


def test_a_chapter_is_its_own_files_and_release_writes_only_its_exercises(course):
    course, before, added = course
    own = {
        f"book/{NEW}.md",
        f"solutions/{NEW}/sigmoid_neuron.ipynb",
        f"nnscratch/checks/{NEW}.py",
        f"autograder/course/samples/{NEW}.py",
        "_toc.yml",
        f"solutions/{CLASS}/standardizer.ipynb",
        f"nnscratch/checks/{CLASS}.py",
        f"autograder/course/samples/{CLASS}.py",
    }
    changed = {path for path in added if before.get(path) != added[path]}
    assert changed == own
    released = snapshot(course)
    generated = {path for path in released if added.get(path) != released[path]}
    assert generated == {
        f"exercises/{NEW}/sigmoid_neuron.ipynb",
        f"exercises/{CLASS}/standardizer.ipynb",
    }
    toc = yaml.safe_load((course / "_toc.yml").read_text())
    assert toc["parts"][1]["chapters"][-1]["file"] == f"book/{NEW}"


def test_formatting_rewrapped_the_source_notebooks_whose_tests_use_long_callee_lists(course):
    course, _, _ = course
    for assignment, original in [
        (CLASS, FIXTURES / "solutions" / CLASS / "standardizer.ipynb"),
        (NEW, REPO / "solutions" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"),
    ]:
        [chapter] = read_assignment(assignment, course / "solutions")
        formatted = chapter.path.read_text()
        assert "\n" in formatted and formatted.count("\n") > original.read_text().count("\n")
    [chapter] = read_assignment(CLASS, course / "solutions")
    assert any(len(repr(test.uses)) > 40 for test in chapter.tests)


def scores_of(graded, assignment, student):
    return {grade_id: score for grade_id, (score, _) in graded[student, assignment].items()}


@pytest.mark.parametrize("assignment", [NEW, CLASS])
def test_every_sample_of_a_new_chapter_scores_what_it_should(course, graded, assignment):
    course, _, _ = course
    [chapter] = read_assignment(assignment, course / "solutions")
    full = {test.grade_id: test.points for test in chapter.tests}
    samples = samples_in(course, assignment)
    assert scores_of(graded, assignment, "correct") == full
    assert set(scores_of(graded, assignment, "stub").values()) == {0}
    for student in samples.ALTERNATIVES:
        assert scores_of(graded, assignment, student) == full, student
    for student, mistake in samples.MISTAKES.items():
        lost = set(mistake.lost_tests(chapter))
        expected = {t.grade_id: 0 if t.label in lost else t.points for t in chapter.tests}
        assert scores_of(graded, assignment, student) == expected, student


def samples_in(course, assignment):
    """A new chapter's samples module, which lives only in the scratch course."""
    path = course / "autograder" / "course" / "samples" / f"{assignment}.py"
    spec = importlib.util.spec_from_file_location(f"autograder.course.samples.{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_bug_in_one_method_costs_that_methods_points_only(course, graded):
    # fit is worth 2, transform 2 and fit_transform 1: fit's test drives fit alone, transform's
    # drives the reference's fit and the student's transform, and so on.
    assert scores_of(graded, CLASS, "fit-sample-std") == {
        "test_Standardizer_fit": 0,
        "test_Standardizer_transform": 2,
        "test_Standardizer_fit_transform": 1,
    }


def test_the_book_builds_with_the_new_chapter(course, book):  # noqa: F811
    course, _, _ = course
    # The session's student edition ran every page already: its cache spares this build.
    shutil.copytree(Path(book).parent / ".jupyter_cache", course / "_build" / ".jupyter_cache")
    command = [Path(sys.executable).parent / "jupyter-book", "build", ".", "-W", "--keep-going"]
    result = subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    html = course / "_build" / "html"
    assert (html / "book" / f"{NEW}.html").is_file()
    assert (html / "exercises" / NEW / "sigmoid_neuron.html").is_file()
