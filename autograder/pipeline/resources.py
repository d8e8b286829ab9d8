"""What nbgrader's `resources` say about the notebook being graded."""

from ..course.paths import solutions_dir


def source_notebook(nbgrader_resources):
    """The source notebook of the notebook nbgrader is grading."""
    info = nbgrader_resources["nbgrader"]
    return solutions_dir() / info["assignment"] / f"{info['notebook']}.ipynb"
