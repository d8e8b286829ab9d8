"""What every grading process pays before its first notebook: its imports."""

import subprocess
import sys

import pytest

from autograder.course.paths import REPO

# Asked in a fresh process: in this one, what was imported first decides what is in sys.modules.
PROBE = """
import importlib.util
print(importlib.util.find_spec("rfc3987_syntax") is not None)
import sys
import autograder.batch.worker
import nbformat
print(sys.modules.get("rfc3987_syntax", "absent"))
try:
    nbformat.validate({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{}]})
except nbformat.ValidationError:
    print("invalid notebook rejected")
"""


def test_a_grading_process_skips_the_iri_grammar_and_still_validates_notebooks():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    installed, *lines = result.stdout.split("\n")
    if installed != "True":
        pytest.skip("rfc3987_syntax (the slow import, installed with jupyter-events) is absent")
    assert lines[:2] == ["None", "invalid notebook rejected"]
