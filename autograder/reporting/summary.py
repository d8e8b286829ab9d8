"""The console summary of a batch: counts per status, and how the class did on each test."""

import statistics
from collections import Counter

from .labels import label_of_test


def summary(rows, cells, label_of=None):
    """Counts per status, and how the class did on each graded function.

    `cells` are (assignment, notebook, {grade id: (score, max score)}) of each graded notebook;
    `label_of(assignment, notebook, grade id)` names a test as a student reads it (`predict`,
    `NeuralNetwork.fit`; read from the source notebooks by default).
    """
    label_of = label_of or label_of_test
    lines = [
        "status: " + ", ".join(f"{n} {s}" for s, n in Counter(r.status for r in rows).most_common())
    ]
    several = len({assignment for assignment, _, _ in cells}) > 1
    by_test = {}
    for assignment, notebook, scores in cells:
        for grade_id, (score, max_score) in scores.items():
            name = label_of(assignment, notebook, grade_id)
            name = f"{assignment}: {name}" if several else name
            by_test.setdefault(name, []).append((score or 0, max_score))
    if by_test:
        width = max(28, *(len(name) + 1 for name in by_test))
        lines.append(f"{'graded function':<{width}} {'mean':>9} {'full marks':>11} {'zero':>6}")
    for name, scores in sorted(by_test.items(), key=lambda item: _share(item[1], full=True)):
        mean = statistics.mean(s for s, _ in scores)
        lines.append(
            f"{name:<{width}} {mean:>5.2f}/{scores[0][1]:<3g} {_share(scores, full=True):>10.0%} "
            f"{_share(scores, full=False):>6.0%}"
        )
    return "\n".join(lines)


def _share(scores, full):
    return sum((s == m) if full else (s == 0) for s, m in scores) / len(scores)
