"""Helpers for the Neural Networks from Scratch course.

Student notebooks import this package for data loaders, plots and public checks. It holds no
implementation of any graded function: a student cannot import an answer from here.
"""

__version__ = "0.1.0"
