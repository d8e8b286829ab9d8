"""The grader's pure pieces, on made-up notebooks and records: normalize, the journal, the
summary, the cell limits. The end-to-end tests grade real notebooks with the same pieces."""

import copy

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.output.grades import Outcome, Row
from autograder.output.journal import Journal
from autograder.pipeline.normalize import is_foreign, normalize
from autograder.reporting.summary import summary
from autograder.sandbox.limits import cell_limit
from nnscratch.cells import is_grade, is_solution


def cell(source, grade_id=None, **grading):
    made = new_code_cell(source)
    if grade_id:
        made.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, **grading}
    return made


def released():
    return new_notebook(
        cells=[
            cell("import numpy as np", "imports", locked=True, grade=False, solution=False),
            cell("def f(x):\n    raise NotImplementedError()", "f", solution=True, grade=False),
            cell("check_f(f)", "test_f", grade=True, solution=False, locked=True, points=2),
            new_markdown_cell("Now plot it."),
        ]
    )


def sources(notebook):
    return [c.source for c in notebook.cells]


def test_an_honest_submission_keeps_its_answers_and_added_cells_and_reports_nothing():
    submitted = released()
    submitted.cells[1].source = "def f(x):\n    return x"
    submitted.cells.insert(2, new_code_cell("print(f(2))"))
    graded, problems = normalize(submitted, released())
    assert problems == []
    assert sources(graded)[1:4] == ["def f(x):\n    return x", "print(f(2))", "check_f(f)"]


def test_a_deleted_test_cell_comes_back_and_is_reported():
    submitted = released()
    del submitted.cells[2]
    graded, problems = normalize(submitted, released())
    assert problems == ["cell test_f was deleted"]
    # Back after its function (and the cells that followed the function in the submission).
    assert sorted(sources(graded)) == sorted(sources(released()))
    assert sources(graded).index("check_f(f)") > 1


def test_an_edited_test_cell_is_put_back_and_reported():
    submitted = released()
    submitted.cells[2].source = "pass"
    graded, problems = normalize(submitted, released())
    assert problems == ["read-only cell test_f was edited"]
    assert graded.cells[2].source == "check_f(f)"


def test_moved_duplicated_and_renamed_cells_are_reported_and_the_release_wins():
    submitted = released()
    submitted.cells = [submitted.cells[0], submitted.cells[2], submitted.cells[1]]
    submitted.cells.append(copy.deepcopy(submitted.cells[1]))
    submitted.cells[2].metadata.nbgrader.points = 100
    _, problems = normalize(submitted, released())
    assert "cell f was moved" in problems
    assert "cell test_f was duplicated" in problems
    graded, problems = normalize(released(), released())
    assert problems == []
    renamed = released()
    renamed.cells[1].metadata.nbgrader.grade_id = "my_f"
    graded, problems = normalize(renamed, released())
    assert "cell my_f is not a cell of this notebook" in problems
    assert "cell f was deleted" in problems


def test_a_notebook_without_any_of_the_graded_cells_is_foreign():
    assert is_foreign(new_notebook(cells=[cell("def f(x): ...")]), released())
    assert not is_foreign(released(), released())


def test_a_notebook_sharing_only_a_read_only_cell_is_foreign():
    # Every chapter's notebook starts with the same read-only `imports` cell.
    shared = released()
    shared.cells = [c for c in shared.cells if not (is_grade(c) or is_solution(c))]
    assert shared.cells and is_foreign(shared, released())


def test_the_journal_keeps_the_last_entry_of_each_submission_and_skips_a_torn_line(tmp_path):
    path = tmp_path / "journal.jsonl"
    journal = Journal(path)
    row = Row("ada", "ch1", "n.ipynb", 2.0, 2.0, "graded")
    journal.add("ada", "ch1", "h1", Outcome([row], {"n": {"test_f": (2.0, 2.0)}}))
    journal.add("ada", "ch1", "h2", Outcome([row], {"n": {"test_f": (1.0, 2.0)}}))
    with open(path, "a") as file:
        file.write('{"student": "bo", "assign')  # the line being written when killed
    again = Journal(path)
    assert again.has("ada", "ch1", "h2") and not again.has("ada", "ch1", "h1")
    rows, cells = again.results({("ada", "ch1"): [], ("bo", "ch1"): []})
    assert rows == [row]
    assert cells == [("ch1", "n", {"test_f": [1.0, 2.0]})]


def test_the_summary_counts_statuses_and_ranks_the_tests_the_class_struggled_with():
    rows = [
        Row(s, "a", "n.ipynb", 0, 3, status) for s, status in [("x", "graded"), ("y", "timeout")]
    ]
    cells = [("a", "n", {"test_f": (2, 2), "test_C_fit": (0, 1)}), ("a", "n", {"test_f": (0, 2)})]
    labels = {"test_f": "f", "test_C_fit": "C.fit"}
    text = summary(rows, cells, label_of=lambda a, n, g: labels[g])
    lines = text.splitlines()
    assert lines[0] == "status: 1 graded, 1 timeout"
    assert [line.split()[0] for line in lines[2:]] == ["C.fit", "f"]  # hardest first
    assert lines[3].split()[1:] == ["1.00/2", "50%", "50%"]


def test_the_summary_names_the_assignment_when_a_batch_has_several():
    cells = [("ch1", "n", {"test_f": (1, 1)}), ("ch2", "m", {"test_f": (0, 1)})]
    text = summary([], cells, label_of=lambda a, n, g: g.removeprefix("test_"))
    assert "ch1: f" in text and "ch2: f" in text


def test_a_cell_limit_is_ten_times_the_reference_plus_a_margin_never_above_the_timeout():
    assert cell_limit(0.001, 120) == 11
    assert cell_limit(8.0, 120) == 90
    assert cell_limit(20.0, 120) == 120
    assert cell_limit(0.001, 5) == 5
