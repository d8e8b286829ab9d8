"""`python -m nnscratch check NOTEBOOK`: a notebook's public checks from the shell, in any folder.

Exit 0 when every check cell passes, 1 when any fails, 2 when the notebook cannot be run.
The notebook file itself is never modified.
"""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .chapter import read_chapter

PASSED, FAILED, CANNOT_RUN = 0, 1, 2


def check_command(path, timeout=120):
    path = Path(path)
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:
        print(f"{path} cannot be read as a notebook: {_first_line(error)}")
        return CANNOT_RUN
    tests = read_chapter(notebook).tests
    if not tests:
        print(f"{path} has no public checks: is it an exercise notebook of the course?")
        return CANNOT_RUN
    client = NotebookClient(
        notebook,
        timeout=timeout,
        allow_errors=True,
        interrupt_on_timeout=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    try:
        client.execute()
    except Exception as error:
        print(f"{path} could not be run: {_first_line(error)}")
        return CANNOT_RUN

    failures = 0
    for test in tests:
        outputs = notebook.cells[test.index].get("outputs", [])
        error = next((o for o in outputs if o.get("output_type") == "error"), None)
        if error is None:
            print(f"PASS  {test.label}")
        else:
            failures += 1
            print(f"FAIL  {test.label}: {error.get('ename')}: {error.get('evalue')}")
    print(f"{len(tests) - failures} passed, {failures} failed")
    return FAILED if failures else PASSED


def _first_line(error):
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
