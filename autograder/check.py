"""`python -m autograder check`: the instructor's name for the student's self-check.

The check lives in `nnscratch` (`python -m nnscratch check NOTEBOOK`), which students install
from the book's wheel and run outside the repository; this alias keeps the instructor's command.
"""

from nnscratch.check import CANNOT_RUN, FAILED, PASSED, check_command

__all__ = ["CANNOT_RUN", "FAILED", "PASSED", "check_command"]
