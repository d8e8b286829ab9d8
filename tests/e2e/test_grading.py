"""The grade command on the session's one batch: grades.csv's columns, a row for every file,
the submissions untouched."""

from autograder.course.reference import source_chapters


def test_grades_csv_has_the_contract_columns_and_one_row_per_notebook(graded, submitted):
    lines = (graded / "grades.csv").read_text().splitlines()
    assert lines[0] == "student_id,assignment_id,notebook,score,max_score,status"
    assert len(lines) - 1 == len(list(submitted.glob("*/*/*.ipynb")))


def test_a_file_that_is_not_a_notebook_gets_a_row_not_a_crash(grades):
    [chapter] = source_chapters("ch1_sigmoid")
    for student in ["truncated-json", "empty-file"]:
        [row] = grades[student, "ch1_sigmoid"]
        assert (row["status"], float(row["score"])) == ("invalid notebook", 0)
        assert float(row["max_score"]) == sum(test.points for test in chapter.tests)


def test_grading_leaves_the_submissions_untouched(submitted, graded):
    stub = submitted / "stub" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    assert '"outputs": []' in stub.read_text()
    assert not list(submitted.rglob("*.html"))
