"""The public checks' helpers in a real kernel: a test cell's reference callees go away after it."""

import os

import nbformat
from nbclient import NotebookClient
from support import REPO


def test_the_students_functions_come_back_after_a_test_cell_that_used_the_references():
    # In a real kernel: a test cell swaps in reference callees; the cells after it, and the
    # feedback, must run the student's own code again, even after a failing test cell.
    source = "def sigmoid(z):\n    return 'reference'\ndef neuron_output(*a):\n    return 0\n"
    swap = f"use_reference(globals(), ['sigmoid'], source={source!r})"
    swap_both = swap.replace("['sigmoid']", "['sigmoid', 'neuron_output']")
    cells = [
        "from autograder.kernel import use_reference\ndef sigmoid(z):\n    return 'student'",
        f"{swap}\n{swap_both}\nprint(sigmoid(0), neuron_output())",
        "print(sigmoid(0), 'neuron_output' in globals())",
        f"{swap}\nraise ValueError('a failing test')",
        "print(sigmoid(0))",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    NotebookClient(notebook, timeout=60, allow_errors=True).execute(env=env)
    printed = [[o.get("text", "") for o in cell.outputs] for cell in notebook.cells]
    assert printed[1] == ["reference 0\n"]
    assert printed[2] == ["student False\n"]
    assert printed[4] == ["student\n"]
