"""Every chapter, through its samples: the public checks and the grader agree with each one.

The cases come from each chapter's own files: its source notebook (read through
`nnscratch.chapter`) and `autograder/course/samples/<assignment>.py`. A new chapter is tested
here by adding those, never by editing this file. The graded cases come from the session's one batch
(`graded` in conftest), which grades every sample of every chapter.
"""

import re

import pytest
from support import feedback_text, journal_cells

from autograder.course.paths import EXERCISES, assignments, notebooks
from autograder.course.reference import load_reference, source_chapters
from autograder.course.samples import has_samples, sample_module
from nnscratch.chapter import read_chapter
from nnscratch.checks import CheckFailed

ASSIGNMENTS = assignments()


CHAPTERS = [a for a in ASSIGNMENTS if has_samples(a)]
CORRECT = [
    (a, student) for a in CHAPTERS for student in ["correct", *sample_module(a).ALTERNATIVES]
]
MISTAKES = [(a, student) for a in CHAPTERS for student in sample_module(a).MISTAKES]


def checks_of(assignment):
    return [test for chapter in source_chapters(assignment) for test in chapter.tests]


def points_of(assignment):
    """{test label: points}."""
    return {test.label: test.points for test in checks_of(assignment)}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_chapter_has_its_samples(assignment):
    assert has_samples(assignment), (
        f"solutions/{assignment}/ has no samples module: add "
        f"autograder/course/samples/{assignment}.py with ALTERNATIVES (other correct answers) "
        "and MISTAKES (one typical mistake per test)"
    )


@pytest.mark.parametrize("assignment", CHAPTERS)
def test_every_test_is_worth_points_and_has_a_mistake_that_loses_it(assignment):
    points = points_of(assignment)
    assert points and all(value > 0 for value in points.values())
    [chapter] = source_chapters(assignment)
    lost = {
        label
        for mistake in sample_module(assignment).MISTAKES.values()
        for label in mistake.lost_tests(chapter)
    }
    assert lost <= set(points), f"mistakes name tests that do not exist: {lost - set(points)}"
    assert lost == set(points), f"tests without a typical-mistake sample: {set(points) - lost}"


# The public checks, in this process: the sample's cells run beside the reference's.


def namespace_with(assignment, cells):
    """The reference's names, with `cells` (graded item -> source) run over them."""
    namespace = {k: v for k, v in vars(load_reference(assignment)).items()}
    for source in cells.values():
        exec(compile(source, "<sample>", "exec"), namespace)
    return namespace


def public_failure(test, namespace):
    """The sentence the public check of `test` fails with, or None when it passes."""
    try:
        exec(compile(test.public, f"<public check of {test.label}>", "exec"), dict(namespace))
    except CheckFailed as failure:
        return str(failure)
    return None


@pytest.mark.parametrize(("assignment", "student"), CORRECT)
def test_the_public_checks_pass_every_correct_answer(assignment, student):
    cells = {} if student == "correct" else sample_module(assignment).ALTERNATIVES[student]
    namespace = namespace_with(assignment, cells)
    for test in checks_of(assignment):
        assert public_failure(test, namespace) is None, test.label


@pytest.mark.parametrize(("assignment", "student"), MISTAKES)
def test_the_public_check_tells_a_mistake_what_was_expected(assignment, student):
    mistake = sample_module(assignment).MISTAKES[student]
    [chapter] = source_chapters(assignment)
    namespace = namespace_with(assignment, mistake.cells)
    lost = mistake.lost_tests(chapter)
    failures = {test.label: public_failure(test, namespace) for test in chapter.tests}
    if mistake.hidden:
        assert not any(failures.values()), f"a public check catches it: {failures}"
        return
    messages = {label: failures[label] for label in lost if failures[label]}
    assert messages, f"no public check of {lost} fails"
    for label, message in messages.items():
        assert message.startswith(chapter.test_of(label).item), message
    assert any(mistake.says in message for message in messages.values()), messages


@pytest.mark.parametrize("assignment", CHAPTERS)
def test_a_stub_is_told_to_replace_not_implemented_error(assignment):
    for path in notebooks(assignment, EXERCISES):
        exercise = read_chapter(path)
        stubs = {name: item.source for name, item in exercise.items.items()}
        namespace = namespace_with(assignment, stubs)
        for test in exercise.tests:
            assert "replace `raise NotImplementedError()`" in public_failure(test, namespace)


# The grader, on the session's batch.


def total(rows, column):
    return sum(float(row[column]) for row in rows)


@pytest.mark.parametrize(
    ("assignment", "student"), [*CORRECT, *((a, "instructor") for a in CHAPTERS)]
)
def test_a_correct_answer_scores_full_marks(grades, assignment, student):
    rows = grades[student, assignment]
    too_slow = student in getattr(sample_module(assignment), "TOO_SLOW", ())
    assert {row["status"] for row in rows} == {"timeout" if too_slow else "graded"}
    assert total(rows, "score") == total(rows, "max_score") == sum(points_of(assignment).values())


@pytest.mark.parametrize("assignment", CHAPTERS)
def test_the_unchanged_stub_scores_zero_and_is_graded(grades, assignment):
    rows = grades["stub", assignment]
    assert {row["status"] for row in rows} == {"graded"}
    assert total(rows, "score") == 0
    assert total(rows, "max_score") == sum(points_of(assignment).values())


@pytest.mark.parametrize(("assignment", "student"), MISTAKES)
def test_a_typical_mistake_loses_exactly_the_points_of_its_tests(
    grades, graded, assignment, student
):
    [chapter] = source_chapters(assignment)
    lost = set(sample_module(assignment).MISTAKES[student].lost_tests(chapter))
    # A mistake can also make the MNIST training run past the cell limit (a 784 x 784 weight
    # matrix, say), as in the student's Jupyter; only its own tests' points are lost for it.
    assert {row["status"] for row in grades[student, assignment]} <= {"graded", "timeout"}
    scores = journal_cells(graded)[student, assignment][chapter.name]
    for test in chapter.tests:
        score, max_score = scores[test.grade_id]
        expected = 0 if test.label in lost else max_score
        assert score == expected, f"{test.label}: {score} of {max_score}, expected {expected}"


@pytest.mark.parametrize(("assignment", "student"), MISTAKES)
def test_the_feedback_of_a_mistake_names_it_and_says_what_was_expected(graded, assignment, student):
    mistake = sample_module(assignment).MISTAKES[student]
    [chapter] = source_chapters(assignment)
    text = feedback_text(graded, student, assignment)
    for label in mistake.lost_tests(chapter):
        item = chapter.test_of(label).item
        message = re.search(rf"CheckFailed: {item}\b.*", text)
        assert message, f"no failure sentence naming {item} in the feedback of {student}"
        assert re.search(r"should|expected", message.group(0)), message.group(0)
    assert mistake.says in text, f"the feedback of {student} does not say {mistake.says!r}"


@pytest.mark.parametrize(("assignment", "student"), MISTAKES)
def test_feedback_shows_no_hidden_test_code(graded, assignment, student):
    for student_id in [student, "stub", "correct"]:
        text = feedback_text(graded, student_id, assignment)
        assert "HIDDEN TESTS" not in text
        assert "autograder.kernel" not in text
        assert "Traceback (most recent call last)" not in text
