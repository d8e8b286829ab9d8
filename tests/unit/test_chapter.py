"""The chapter model (`nnscratch.chapter`): what a cell of the course is, read in one place."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.preprocessors import ClearHiddenTests
from support import REPO

from autograder.course.provided import provided_source
from nnscratch.cells import (
    graded_name,
    hidden_code,
    is_locked,
    is_test,
    solution_code,
    without_hidden_tests,
)
from nnscratch.chapter import read_assignment, read_chapter

SOURCE_CELLS = [
    cell
    for path in sorted((REPO / "solutions").glob("*/*.ipynb"))
    for cell in nbformat.read(path, as_version=4).cells
]


def graded_cell(source, grade_id, **grading):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, **grading}
    return cell


def solution(name, body, kind="def"):
    signature = f"def {name}(x):" if kind == "def" else f"class {name}:"
    return graded_cell(
        f"# GRADED FUNCTION: {name}\n\n\n{signature}\n{body}", name, solution=True, grade=False
    )


def check_cell(grade_id, points, source="pass"):
    return graded_cell(source, grade_id, grade=True, solution=False, locked=True, points=points)


def chapter_of(*cells):
    return read_chapter(new_notebook(cells=list(cells)))


# What a cell is.


def test_a_graded_name_is_read_only_from_the_first_line():
    assert graded_name("# GRADED FUNCTION: sigmoid\ndef sigmoid(z): ...") == "sigmoid"
    assert graded_name("# GRADED FUNCTION: NeuralNetwork\nclass NeuralNetwork: ...") == (
        "NeuralNetwork"
    )
    assert graded_name("x = 1\n# GRADED FUNCTION: sigmoid") is None
    assert graded_name("# GRADED FUNCTION: not a name") is None


def test_a_test_cell_is_a_graded_code_cell_that_is_not_a_solution():
    assert is_test(check_cell("test_f", 1))
    assert not is_test(solution("f", "    return x"))
    markdown = new_markdown_cell("answer")
    markdown.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "essay"}
    assert not is_test(markdown)
    assert not is_test(new_code_cell("print(1)"))


def test_test_cells_are_locked_and_solutions_never_are():
    assert is_locked(check_cell("test_f", 1))
    assert not is_locked(graded_cell("x", "f", solution=True, locked=True))
    assert is_locked(graded_cell("import numpy", "imports", locked=True))
    assert not is_locked(new_code_cell("x = 1"))


@pytest.mark.parametrize("index", range(len(SOURCE_CELLS)))
def test_the_student_sees_of_a_cell_what_nbgrader_leaves_of_it(index):
    cell = SOURCE_CELLS[index]
    expected = nbformat.NotebookNode(source=cell.source)
    ClearHiddenTests()._remove_hidden_test_region(expected)
    assert without_hidden_tests(cell.source) == expected.source


def test_hidden_code_is_every_hidden_region_in_order_without_its_markers():
    source = "a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\nc\n# BEGIN HIDDEN TESTS\nd\n"
    source += "# END HIDDEN TESTS"
    assert hidden_code(source) == "b\nd"
    assert without_hidden_tests(source) == "a\nc"


def test_the_reference_is_the_solution_without_its_markers_only():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    y = x\n    ### END SOLUTION\n    return y"
    assert solution_code(source) == "def f(x):\n    y = x\n    return y"


# A notebook as a chapter.


def test_a_chapter_lists_its_graded_items_in_order_with_their_tests_and_points():
    chapter = chapter_of(
        graded_cell("import numpy as np", "imports", locked=True),
        solution("g", "    return 2 * x"),
        check_cell("test_g", 2),
        solution("C", "    def __init__(self): pass\n    def fit(self, X): pass", kind="class"),
        check_cell("test_C_fit", 3),
        check_cell("test_C___init__", 1),
    )
    assert chapter.imports == "import numpy as np"
    assert list(chapter.items) == ["g", "C"]
    assert (chapter.items["g"].kind, chapter.items["g"].points) == ("function", 2)
    assert chapter.items["C"].kind == "class"
    assert chapter.items["C"].methods == ("__init__", "fit")
    assert [t.label for t in chapter.items["C"].tests] == ["C.fit", "C.__init__"]
    assert chapter.items["C"].points == 4


def test_a_test_uses_the_graded_items_its_reference_calls_followed_through_their_calls():
    chapter = chapter_of(
        solution("f", "    return x"),
        check_cell("test_f", 1),
        solution("g", "    return f(x) + 1"),
        check_cell("test_g", 1),
        solution("h", "    helper = len\n    return g(x) * helper(x)"),
        check_cell("test_h", 1),
    )
    assert [t.uses for t in chapter.tests] == [(), ("f",), ("f", "g")]


def test_a_method_test_uses_the_reference_for_every_other_graded_method_and_its_callees():
    body = (
        "    def __init__(self):\n        self.w = f(1)\n"
        "    def fit(self, X):\n        return self._helper(X)\n"
        "    def _helper(self, X):\n        return X\n"
        "    def predict(self, X):\n        return f(X)\n"
    )
    chapter = chapter_of(
        solution("f", "    return x"),
        check_cell("test_f", 1),
        solution("Model", body, kind="class"),
        check_cell("test_Model_fit", 1),
        check_cell("test_Model_predict", 1),
    )
    fit, predict = chapter.test_of("Model.fit"), chapter.test_of("Model.predict")
    # The helper is not a graded method: the student's own helper stays theirs.
    assert fit.uses == ("Model.__init__", "Model.predict", "f")
    assert predict.uses == ("Model.__init__", "Model.fit", "f")


def test_the_wiring_of_the_course_is_what_its_chapters_teach():
    [chapter_2] = read_assignment("ch2_logistic_regression", REPO / "solutions")
    uses = {test.label: test.uses for test in chapter_2.tests}
    assert uses["optimize"] == ("initialize_with_zeros", "propagate")
    assert uses["model"] == ("initialize_with_zeros", "optimize", "predict", "propagate")
    # What the student's propagate may call of the items before it, whatever the reference does.
    assert uses["propagate"] == ("initialize_with_zeros",)
    assert uses["initialize_with_zeros"] == ()


def test_a_test_uses_the_reference_of_every_item_before_its_own_even_if_never_called():
    chapter = chapter_of(
        solution("cost", "    return x"),
        check_cell("test_cost", 1),
        solution("fit", "    return x + 1"),
        check_cell("test_fit", 1),
    )
    # A student's fit may compute its history with its own cost: the reference's stands in.
    assert chapter.test_of("fit").uses == ("cost",)
    assert chapter.test_of("cost").uses == ()


def test_a_reference_source_holds_the_imports_the_provided_cells_and_only_the_items_named():
    [chapter_2] = read_assignment("ch2_logistic_regression", REPO / "solutions")
    source = chapter_2.reference_source(["propagate"])
    assert "def sigmoid(z):" in source and "def propagate(" in source
    assert "def optimize(" not in source and "BEGIN SOLUTION" not in source
    assert source.index("import numpy as np") < source.index("def sigmoid")
    with pytest.raises(KeyError, match="no graded item"):
        chapter_2.reference_source(["sigmod"])


# Provided cells: an earlier chapter's functions, from that chapter's source.


def read(assignment):
    return read_assignment(assignment, REPO / "solutions")


def test_a_provided_function_is_its_chapters_solution_under_a_read_only_header():
    [chapter_1] = read("ch1_sigmoid")
    source = provided_source("ch1_sigmoid", ["sigmoid"], read)
    header, body = source.split("\n", 1)
    assert header == "# PROVIDED FUNCTION: sigmoid, from the solution of ch1_sigmoid (read-only)"
    assert body.strip("\n") == chapter_1.items["sigmoid"].solution.split("\n", 1)[1].strip("\n")


def test_a_provided_function_brings_what_it_calls_from_its_chapter_and_the_ones_before():
    source = provided_source("ch2_logistic_regression", ["optimize"], read)
    defined = [line for line in source.splitlines() if line.startswith("def ")]
    assert [line.split("(")[0] for line in defined] == [
        "def sigmoid",
        "def propagate",
        "def optimize",
    ]
    assert "# ch1_sigmoid: sigmoid" in source
    assert "# ch2_logistic_regression: propagate, optimize" in source


def test_a_provided_name_the_chapter_does_not_grade_is_an_error_naming_it():
    with pytest.raises(KeyError, match="'sigmod'"):
        provided_source("ch1_sigmoid", ["sigmod"], read)
