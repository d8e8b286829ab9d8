"""The class report's pieces on made-up scores (the report itself: tests/e2e/test_report.py)."""

import html
import re

from autograder.reporting.report import heatmap, render


def test_the_heatmap_puts_the_hardest_function_left_and_the_weakest_student_on_top():
    shares = {
        "ana": {"easy": 1.0, "hard": 0.5},
        "bo": {"easy": 1.0, "hard": 0.0},
        "cy": {"easy": 0.5, "hard": 0.0},
    }
    totals = {"ana": (7.5, 10), "bo": (6.0, 10), "cy": (3.0, 10)}
    fig, shown = heatmap(shares, totals)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["hard", "easy"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cy", "bo", "ana"]
    assert shown == 3
    # Each cell says its number: the figure reads without colour.
    assert sorted(t.get_text() for t in ax.texts) == sorted(["0", "50", "0", "100", "100", "50"])


def test_a_students_words_in_the_report_are_text_and_the_page_may_run_no_script(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    attack = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    rows = [
        {
            "student_id": "$x^$",  # matplotlib's mathtext would fail on it unescaped
            "assignment_id": "ch1_sigmoid",
            "notebook": "sigmoid_neuron.ipynb",
            "score": "6",
            "max_score": "10",
            "status": "graded",
        }
    ]
    entries = {
        ("$x^$", "ch1_sigmoid"): {
            "cells": {"sigmoid_neuron": {"test_sigmoid": (0, 4)}},
            "messages": {"sigmoid_neuron": {"test_sigmoid": attack}},
        }
    }
    page = render(rows, entries, tmp_path)
    assert "<script" not in page and "<img src=x" not in page
    assert html.escape(attack) in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "default-src 'none'" in policy and "script-src" not in policy
