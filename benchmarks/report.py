"""How long `write_report` takes for a large class: the time it adds to every `grade` run.

A synthetic OUT_DIR of N students (default 400) with chapter 2's five graded functions: a
grades.csv and a journal.jsonl as `grade` writes them, each student missing a random share of
each function's points, with the sentences of chapter 2's typical mistakes. The baseline is
writing grades.csv itself, measured in the same run. `make benchmark` runs it after grading.py.
"""

import argparse
import csv
import tempfile
import time
from pathlib import Path

import numpy as np

from autograder.output.journal import write_entries
from autograder.output.layout import OutputFolder
from autograder.reporting.report import write_report

FUNCTIONS = {
    "test_initialize_with_zeros": 1,
    "test_propagate": 3,
    "test_optimize": 2,
    "test_predict": 2,
    "test_model": 2,
}
SENTENCES = [
    'propagate(w, b, X, Y): grads["dw"] should have shape (4, 1), got (1, 4).',
    "optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009): the cost rose to 1.2.",
    "predict(w, b, X) should return floats 0.0 and 1.0, got booleans.",
]


def synthetic_out_dir(folder, students, seed=0):
    rng = np.random.default_rng(seed)
    rows, entries = [], []
    for i in range(students):
        student = f"student-{i:04d}"
        cells, messages = {}, {}
        for grade_id, points in FUNCTIONS.items():
            score = float(points if rng.random() < 0.7 else rng.integers(0, points + 1))
            cells[grade_id] = [score, float(points)]
            if score < points:
                messages[grade_id] = SENTENCES[int(rng.integers(len(SENTENCES)))]
        total = sum(score for score, _ in cells.values())
        rows.append(
            [student, "ch2_logistic_regression", "logistic_regression.ipynb", total, 10.0, "graded"]
        )
        entries.append(
            {
                "student": student,
                "assignment": "ch2_logistic_regression",
                "hash": "",
                "rows": [],
                "cells": {"logistic_regression": cells},
                "messages": {"logistic_regression": messages},
            }
        )
    start = time.perf_counter()
    with open(folder / "grades.csv", "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["student_id", "assignment_id", "notebook", "score", "max_score", "status"])
        writer.writerows(rows)
    grades_seconds = time.perf_counter() - start
    write_entries(OutputFolder(folder).journal, entries)
    return grades_seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=400)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        grades_seconds = synthetic_out_dir(folder, args.students)
        start = time.perf_counter()
        path = write_report(folder)
        seconds = time.perf_counter() - start
        size = path.stat().st_size
    print(f"| {args.students} graded submissions | seconds |")
    print("| --- | ---: |")
    print(f"| write grades.csv (baseline) | {grades_seconds:.3f} |")
    print(f"| write report.html | {seconds:.2f} |")
    print(f"report.html: {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
