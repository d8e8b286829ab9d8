"""Notebook outputs that the grader adds to a student's cells."""

from nbformat import NotebookNode


def error_output(ename, evalue):
    """An error output whose one-line traceback is what the student's feedback shows."""
    return NotebookNode(
        output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )
