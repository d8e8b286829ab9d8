"""What every grading process pays before its first notebook: its imports."""

import subprocess
import sys

import pytest

from autograder.course import REPO

PROBE = """
import sys
import autograder.worker
import nbformat
print(sys.modules.get("rfc3987_syntax", "absent"))
try:
    nbformat.validate({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{}]})
except nbformat.ValidationError:
    print("invalid notebook rejected")
"""


def test_a_grading_process_skips_the_iri_grammar_and_still_validates_notebooks():
    pytest.importorskip("rfc3987_syntax")  # installed with jupyter-events: the slow import
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["None", "invalid notebook rejected"]
