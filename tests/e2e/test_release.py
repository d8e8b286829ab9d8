"""The student notebooks in exercises/ are generated from solutions/ and carry no answer."""

import shutil

import nbformat
from support import REPO, fold, run, secret_lines

from nnscratch.cells import is_locked
from nnscratch.chapter import read_chapter


def exercise_notebooks():
    return sorted((REPO / "exercises").rglob("*.ipynb"))


def test_exercises_are_in_sync_with_solutions():
    result = run("release", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def copy_of_course(tmp_path):
    for folder in ["autograder", "solutions", "exercises"]:
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(REPO / folder, tmp_path / folder, ignore=ignore)
    return tmp_path


def test_a_stale_exercise_is_named_by_release_check(tmp_path):
    course = copy_of_course(tmp_path)
    source = course / "solutions" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    notebook = nbformat.read(source, as_version=4)
    notebook.cells[0].source += "\n\nOne more sentence."
    nbformat.write(notebook, source)
    result = run("release", "--check", cwd=course)
    assert result.returncode == 1
    assert "exercises/ch1_sigmoid/sigmoid_neuron.ipynb is out of date" in result.stdout


def test_a_missing_exercise_is_named_by_release_check(tmp_path):
    course = copy_of_course(tmp_path)
    (course / "exercises" / "ch1_sigmoid" / "sigmoid_neuron.ipynb").unlink()
    result = run("release", "--check", cwd=course)
    assert result.returncode == 1
    assert "exercises/ch1_sigmoid/sigmoid_neuron.ipynb" in result.stdout


def test_release_regenerates_a_hand_edited_exercise(tmp_path):
    course = copy_of_course(tmp_path)
    exercise = course / "exercises" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    exercise.write_text(exercise.read_text().replace("YOUR CODE HERE", "edited by hand"))
    assert run("release", cwd=course).returncode == 0
    assert (
        exercise.read_bytes() == (REPO / "exercises/ch1_sigmoid/sigmoid_neuron.ipynb").read_bytes()
    )


def test_exercises_carry_no_solution_and_no_hidden_test():
    secrets = secret_lines()
    assert len(secrets) > 10, "the source notebooks should have solution and hidden-test regions"
    for path in exercise_notebooks():
        text = path.read_text()
        for marker in ["BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "autograder.kernel"]:
            assert marker not in text, f"{path.name} contains {marker!r}"
        sources = fold(" ".join(c.source for c in nbformat.read(path, as_version=4).cells))
        leaked = [line for line in secrets if line in sources]
        assert not leaked, f"{path.name} contains solution lines: {leaked}"


def test_each_stub_keeps_signature_and_docstring_and_raises_not_implemented():
    for path in exercise_notebooks():
        items = read_chapter(path).items
        assert items, f"{path.name} has no graded function"
        for name, item in items.items():
            keyword = "class" if item.kind == "class" else "def"
            assert f"{keyword} {name}(" in item.source or f"class {name}:" in item.source
            assert '"""' in item.source and "Arguments:" in item.source
            assert "raise NotImplementedError()" in item.source


def test_every_graded_function_is_followed_by_its_locked_test_cells_with_points():
    for path in exercise_notebooks():
        chapter = read_chapter(path)
        for item in chapter.items.values():
            assert item.tests, f"{item.name} has no test cell"
            assert item.tests[0].index == item.index + 1, f"{item.name}'s test does not follow it"
            for test in item.tests:
                assert is_locked(chapter.cells[test.index]) and test.points > 0


def test_the_source_notebooks_have_no_committed_outputs():
    for path in (REPO / "solutions").rglob("*.ipynb"):
        assert '"output_type"' not in path.read_text(), f"{path} has outputs committed"


def test_a_provided_cell_behind_its_chapters_solution_is_named_and_rewritten(tmp_path):
    course = copy_of_course(tmp_path)
    source = course / "solutions" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
    text = source.read_text()
    assert "# e^(-|z|) lies in (0, 1]" in text
    source.write_text(text.replace("# e^(-|z|) lies in (0, 1]", "# e^(-|z|) is at most 1"))
    result = run("release", "--check", cwd=course)
    assert result.returncode == 1
    assert (
        "solutions/ch2_logistic_regression/logistic_regression.ipynb: provided_sigmoid is out "
        "of date" in result.stdout
    )
    assert run("release", cwd=course).returncode == 0
    later = course / "solutions" / "ch2_logistic_regression" / "logistic_regression.ipynb"
    assert "# e^(-|z|) is at most 1" in later.read_text()
    assert run("release", "--check", cwd=course).returncode == 0
