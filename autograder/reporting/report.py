"""`report`: OUT_DIR/report.html, what the class did, for the instructor, in one page.

Written by every `grade` run, and by `python -m autograder report OUT_DIR` from an existing
OUT_DIR without grading again. It reads only what grading wrote there: `grades.csv` (the rows)
and `journal.jsonl` (each test cell's points and the sentence a failed one showed). The page is
self-contained: its figures are PNGs inside it, its style is inline, it has no script and loads
nothing. It holds student ids, scores and the sentences the feedback already shows (grouped),
never a hidden input or code; its links to the feedback pages are relative, inside OUT_DIR.
"""

import base64
import html
import io
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from ..output.grades import read_rows, totals
from ..output.journal import read_entries
from ..output.layout import OutputFolder
from ..output.statuses import GRADED, STATUSES
from .labels import label_of_test

# Past this many students the heatmap shows those with the lowest share, who need help first;
# the full table is grades.csv.
HEATMAP_ROWS = 40
SENTENCES_PER_FUNCTION = 3
NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?")

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
h1, h2, h3 { line-height: 1.2; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; }
.note { color: #555; }
"""
# Defense in depth: the page quotes what students' errors said (escaped), and runs no script
# at all, so its browser may run none and load nothing but its own embedded images.
POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)


def write_report(out_dir):
    """Write OUT_DIR/report.html from OUT_DIR's grades.csv and journal.jsonl; its path."""
    import matplotlib

    matplotlib.use("Agg")  # figures into PNGs, whatever backend the environment names
    out_dir, output = Path(out_dir), OutputFolder(out_dir)
    rows = read_rows(output.grades)
    entries = read_entries(output.journal, {(r["student_id"], r["assignment_id"]) for r in rows})
    page = render(rows, entries, out_dir)
    output.report.write_text(page, encoding="utf-8")
    return output.report


def render(rows, entries, out_dir):
    by_assignment = defaultdict(list)
    for row in rows:
        by_assignment[row["assignment_id"]].append(row)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        "<title>Class report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Class report</h1>",
        f'<p class="note">{len({r["student_id"] for r in rows})} students, {len(rows)} notebooks. '
        "Scores come from <code>grades.csv</code>; every figure is labelled, so the page reads "
        "without colour.</p>",
        status_section(rows),
    ]
    for assignment, assignment_rows in sorted(by_assignment.items()):
        student_entries = {s: e for (s, a), e in entries.items() if a == assignment}
        parts.append(assignment_section(assignment, assignment_rows, student_entries, out_dir))
    parts.append("</body></html>")
    return "\n".join(parts)


def status_section(rows):
    counts = Counter(row["status"] for row in rows)
    lines = ["<h2>How grading ended</h2>", "<table><tr><th>status</th><th>notebooks</th>"]
    lines.append("<th>students</th><th>meaning</th></tr>")
    for status, count in counts.most_common():
        students = sorted({r["student_id"] for r in rows if r["status"] == status})
        who = "all the others" if status == GRADED else ", ".join(map(html.escape, students))
        meaning = html.escape(STATUSES.get(status, ""))
        lines.append(
            f"<tr><td>{html.escape(status)}</td><td class='number'>{count}</td>"
            f"<td>{who}</td><td class='note'>{meaning}</td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def assignment_section(assignment, rows, entries, out_dir):
    totals = student_totals(rows)
    shares = function_shares(assignment, entries)
    parts = [f"<h2>{html.escape(assignment)}</h2>"]
    scores = [score for score, _ in totals.values()]
    maximum = max((m for _, m in totals.values()), default=0)
    if scores:
        parts.append(
            f"<p>{len(scores)} students; mean {statistics.mean(scores):.2f} and median "
            f"{statistics.median(scores):.2f} out of {maximum:g}.</p>"
        )
        parts.append(
            figure(
                score_histogram(scores, maximum, assignment),
                f"Histogram of the scores of {assignment}, with the mean and median.",
            )
        )
    if shares:
        parts.append("<h3>Who got which function</h3>")
        parts.append(
            '<p class="note">The share of each graded function\'s points each student earned, '
            "hardest function first (left), students with the lowest total first (top).</p>"
        )
        fig, shown = heatmap(shares, totals)
        parts.append(
            figure(
                fig,
                f"Heatmap of {shown} students by graded function of "
                f"{assignment}: the share of points earned, in each cell.",
            )
        )
        if shown < len(shares):
            parts.append(
                f'<p class="note">The {shown} students with the lowest totals of '
                f"{len(shares)}; every score is in grades.csv.</p>"
            )
        parts.append(failures_section(assignment, entries))
    parts.append(students_table(rows, out_dir))
    return "\n".join(parts)


def student_totals(rows):
    """{student: (score, max score)} of one assignment's rows."""
    return {student: sums for (student, _), sums in totals(rows).items()}


def function_shares(assignment, entries):
    """{student: {graded function: share of its points earned}} from the journal's cells."""
    shares = {}
    for student, entry in entries.items():
        earned = {}
        for notebook, cells in entry.get("cells", {}).items():
            for grade_id, (score, maximum) in cells.items():
                if maximum:
                    earned[label_of_test(assignment, notebook, grade_id)] = (score or 0) / maximum
        if earned:
            shares[student] = earned
    return shares


def failures_section(assignment, entries):
    """For each graded function, the most frequent sentences its failed tests showed."""
    said = defaultdict(lambda: defaultdict(set))  # function -> pattern -> students
    example = {}
    for student, entry in entries.items():
        for notebook, messages in entry.get("messages", {}).items():
            for grade_id, sentence in messages.items():
                name = label_of_test(assignment, notebook, grade_id)
                pattern = NUMBER.sub("#", sentence)  # the same mistake, whatever the numbers
                said[name][pattern].add(student)
                example.setdefault((name, pattern), sentence)
    if not said:
        if not any("messages" in entry for entry in entries.values()):
            return '<p class="note">These submissions were graded before the grader kept what '
            "the failed checks said: grade them again with --force to see it here.</p>"
        return "<p>No test failed.</p>"
    lines = ["<h3>What the failed checks said</h3>", "<table>"]
    lines.append("<tr><th>graded function</th><th>students</th><th>the feedback said</th></tr>")
    for name in sorted(said, key=lambda n: -sum(len(s) for s in said[n].values())):
        common = sorted(said[name].items(), key=lambda item: -len(item[1]))
        for pattern, students in common[:SENTENCES_PER_FUNCTION]:
            lines.append(
                f"<tr><td>{html.escape(name)}</td><td class='number'>{len(students)}</td>"
                f"<td>{html.escape(example[name, pattern])}</td></tr>"
            )
    lines.append("</table>")
    return "\n".join(lines)


def students_table(rows, out_dir):
    lines = ["<h3>Each student</h3>", "<table>"]
    lines.append("<tr><th>student</th><th>notebook</th><th>score</th><th>status</th>")
    lines.append("<th>feedback</th></tr>")
    for row in sorted(rows, key=lambda r: (float(r["score"] or 0), r["student_id"])):
        stem = Path(row["notebook"]).stem
        # Relative to OUT_DIR, where the report is: the page links inside its folder.
        feedback = OutputFolder("").feedback_of(row["student_id"], row["assignment_id"])
        feedback = feedback / f"{stem}.html"
        link = (
            f'<a href="{html.escape(feedback.as_posix())}">{html.escape(stem)}.html</a>'
            if (out_dir / feedback).is_file()
            else ""
        )
        maximum = html.escape(row["max_score"] or "?")
        lines.append(
            f"<tr><td>{html.escape(row['student_id'])}</td><td>{html.escape(row['notebook'])}</td>"
            f"<td class='number'>{float(row['score'] or 0):g} / {maximum}</td>"
            f"<td>{html.escape(row['status'])}</td><td>{link}</td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def score_histogram(scores, maximum, assignment):
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(7, 3.2))
    # One bar per point when the points are few, else 20 bars.
    edges = np.arange(-0.5, maximum + 1) if maximum <= 30 else np.linspace(0, maximum, 21)
    counts, edges, bars = ax.hist(scores, bins=edges, color="#8fb3d9", edgecolor="black")
    ax.bar_label(bars, labels=[f"{int(c)}" if c else "" for c in counts])
    mean, median = statistics.mean(scores), statistics.median(scores)
    ax.axvline(mean, color="black", linestyle="--", label=f"mean {mean:.2f}")
    ax.axvline(median, color="black", linestyle=":", label=f"median {median:.2f}")
    ax.set_xlabel(f"score out of {maximum:g}")
    ax.set_ylabel("students")
    ax.set_title(assignment)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def heatmap(shares, totals):
    """(figure, number of students shown) of the students x functions shares."""
    import matplotlib.pyplot as plt
    import numpy as np

    functions = sorted({f for s in shares.values() for f in s})
    functions.sort(key=lambda f: statistics.mean(s.get(f, 0.0) for s in shares.values()))
    students = sorted(shares, key=lambda s: (totals[s][0] / (totals[s][1] or 1), s))
    students = students[:HEATMAP_ROWS]
    values = np.array([[shares[s].get(f, 0.0) for f in functions] for s in students])
    fig, ax = plt.subplots(
        figsize=(1.0 + 0.9 * len(functions), 1.2 + 0.32 * len(students)), layout="constrained"
    )
    shown = ax.imshow(values * 100, cmap="Greys_r", vmin=0, vmax=100, aspect="auto")
    fig.colorbar(shown, ax=ax, label="% of the function's points")
    for (row, column), value in np.ndenumerate(values):
        # Each cell says its number, dark on light and light on dark: no colour needed.
        ax.text(
            column,
            row,
            f"{100 * value:.0f}",
            ha="center",
            va="center",
            fontsize=8,
            color="black" if value > 0.5 else "white",
        )
    ax.set_xticks(range(len(functions)), functions)
    # A `$` in an id would start matplotlib's mathtext, which can fail the whole report.
    ax.set_yticks(range(len(students)), [student.replace("$", r"\$") for student in students])
    ax.set_xlabel("graded function (hardest first)")
    ax.set_ylabel("student (lowest total first)")
    plt.setp(ax.get_xticklabels(), rotation=40, ha="right", rotation_mode="anchor")
    return fig, len(students)


def figure(fig, alt):
    """An <img> holding `fig` as an embedded PNG, with its description as alt text."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<p><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></p>'
