"""The class report's pieces on made-up scores (the report itself: tests/e2e/test_report.py)."""

from autograder.reporting.report import heatmap


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
