"""The service's pages: small HTML templates in which everything a student or a roster wrote
is escaped. No script at all: a page that waits for a grade refreshes itself (a meta
refresh), so the Content-Security-Policy can forbid every script (`app`)."""

import html
from pathlib import Path

from .policy import AFTER_DEADLINE
from .store import FAILED, GRADED, QUEUED, RUNNING

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: left; }
.note { color: #555; }
.refused { border-left: 4px solid #b00; padding-left: 0.8rem; }
"""
# A submission's page reloads itself until graded; the instructor's, more slowly, while
# anything waits. The student's own page does not: it holds the upload form.
REFRESH_SECONDS = 2
INSTRUCTOR_REFRESH_SECONDS = 10
STATES = {
    QUEUED: "queued: waiting for a free grader",
    RUNNING: "running: being graded",
    GRADED: "graded",
    FAILED: "not graded: the grader failed on it (not your notebook's fault); your instructor "
    "has been told and will grade it again",
}

e = html.escape


def page(title, body, refresh=None):
    """A whole page; `refresh`: reload it after that many seconds (a grade awaited)."""
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'{meta}<title>{e(title)}</title><link rel="stylesheet" href="/style.css"></head>'
        f"<body>\n<h1>{e(title)}</h1>\n{body}\n</body></html>\n"
    )


def when(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "none"


def score_of(submission):
    rows = submission.rows
    total = sum(float(r["score"] or 0) for r in rows)
    most = sum(float(r["max_score"] or 0) for r in rows)
    statuses = ", ".join(sorted({r["status"] for r in rows}))
    return f"{total:g} / {most:g} ({statuses})"


def result_cell(submission, policy, now):
    if submission.state != GRADED:
        return e(STATES[submission.state].split(":")[0])
    if not policy.shows_results(now):
        return "graded; results after the deadline"
    return e(score_of(submission))


def submissions_table(submissions, base, policy, counting, now):
    if not submissions:
        return '<p class="note">No submission yet.</p>'
    lines = ["<table><tr><th>received (UTC)</th><th>sha256</th><th>result</th><th></th></tr>"]
    for submission in reversed(submissions):
        if submission is counting:
            counts = "<strong>counts</strong>"
        elif not policy.counts(submission.received_at):
            counts = "late: does not count"
        else:
            counts = ""
        lines.append(
            f'<tr><td><a href="{base}/submissions/{submission.id}">'
            f"{e(when(submission.received_at))}</a></td>"
            f"<td><code>{submission.sha256[:12]}</code></td>"
            f"<td>{result_cell(submission, policy, now)}</td><td>{counts}</td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def rules(policy):
    text = f"Deadline: {e(when(policy.deadline))}. Up to {policy.per_hour} submissions an hour. "
    text += "The last submission received before the deadline counts."
    if policy.hidden_results == AFTER_DEADLINE:
        text += " Scores and feedback show after the deadline; until then, run the public checks "
        text += "yourself with <code>python -m nnscratch check NOTEBOOK</code>."
    return f'<p class="note">{text}</p>'


def student_page(student, policies, submissions, counting, base, now):
    """`submissions` and `counting`: {assignment: [its submissions, oldest first]} and
    {assignment: the one that counts or None}."""
    parts = [
        f"<p>Signed in as <strong>{e(student)}</strong> by your personal link: keep it "
        "to yourself, it is your password.</p>"
    ]
    for assignment, policy in policies.items():
        mine = submissions.get(assignment, [])
        parts += [
            f"<h2>{e(assignment)}</h2>",
            rules(policy),
            f'<form method="post" action="{base}/submit" enctype="multipart/form-data">'
            f'<input type="hidden" name="assignment" value="{e(assignment)}">'
            f'<label>Notebook: <input type="file" name="notebook" accept=".ipynb" required>'
            '</label> <button type="submit">Submit</button></form>',
            submissions_table(mine, base, policy, counting.get(assignment), now),
        ]
    return page(f"Your submissions, {student}", "\n".join(parts))


def submission_page(submission, policy, counts, feedback_names, base, now):
    parts = [
        f"<p>{e(submission.assignment)}, <code>{e(submission.notebook)}</code>, received "
        f"{e(when(submission.received_at))}, sha256 <code>{submission.sha256}</code>.</p>",
        f"<p>Status: <strong>{e(STATES[submission.state])}</strong></p>",
    ]
    if counts:
        parts.append("<p>This is the submission that counts: your last before the deadline.</p>")
    elif not policy.counts(submission.received_at):
        parts.append("<p>Received after the deadline: graded for you, but it does not count.</p>")
    else:
        parts.append("<p>A later submission counts instead of this one.</p>")
    if submission.state == GRADED:
        if policy.shows_results(now):
            parts.append(f"<p>Score: {e(score_of(submission))}</p>")
            parts += [
                f'<p><a href="{base}/submissions/{submission.id}/feedback/{e(name)}">'
                f"Read the feedback: {e(name)}</a></p>"
                for name in feedback_names
            ]
        else:
            parts.append(
                f"<p>Your score and feedback show after the deadline, "
                f"{e(when(policy.deadline))}.</p>"
            )
    parts.append(f'<p><a href="{base}">Back to your submissions</a></p>')
    waiting = submission.state in (QUEUED, RUNNING)
    refresh = REFRESH_SECONDS if waiting else None
    return page(f"Submission {submission.id[:8]}", "\n".join(parts), refresh=refresh)


def instructor_page(students, submissions, policies, base):
    parts = [
        f'<p><a href="{base}/report.html">The class report</a> (refreshed as grades arrive) · '
        f'<a href="{base}/grades.csv">grades.csv</a> · LMS exports: '
        + " · ".join(
            f'<a href="{base}/export/{f}.csv">{f}</a>' for f in ("canvas", "moodle", "csv")
        )
        + "</p>",
        "<h2>Grade an assignment again</h2>",
        '<p class="note">After a fix to its hidden tests or reference: each student\'s counting '
        "submission is graded again.</p>",
    ]
    for assignment in policies:
        parts.append(
            f'<form method="post" action="{base}/regrade">'
            f'<input type="hidden" name="assignment" value="{e(assignment)}">'
            f'<button type="submit">Regrade {e(assignment)}</button></form>'
        )
    parts.append(
        "<h2>Submissions</h2><table><tr><th>student</th><th>assignment</th>"
        "<th>received (UTC)</th><th>state</th><th>result</th><th>feedback</th></tr>"
    )
    for s in reversed(submissions):
        result = score_of(s) if s.state == GRADED else s.error
        link = f'<a href="{base}/submissions/{s.id}">{s.id[:8]}</a>'
        parts.append(
            f"<tr><td>{e(s.student_id)}</td><td>{e(s.assignment)}</td>"
            f"<td>{e(when(s.received_at))}</td><td>{e(s.state)}</td><td>{e(result)}</td>"
            f"<td>{link}</td></tr>"
        )
    parts.append("</table>")
    parts.append(f'<p class="note">{len(students)} students on the roster.</p>')
    waiting = any(s.state in (QUEUED, RUNNING) for s in submissions)
    return page("Instructor", "\n".join(parts), refresh=waiting and INSTRUCTOR_REFRESH_SECONDS)


def instructor_submission_page(submission, feedback_names, base):
    links = "".join(
        f'<p><a href="{base}/submissions/{submission.id}/feedback/{e(name)}">{e(name)}</a></p>'
        for name in feedback_names
    )
    body = (
        f"<p>{e(submission.student_id)}, {e(submission.assignment)}, received "
        f"{e(when(submission.received_at))}: {e(submission.state)}"
        f"{'; ' + e(score_of(submission)) if submission.state == GRADED else ''}</p>{links}"
    )
    return page(f"Submission {submission.id[:8]}", body)


def message(title, text, back=None):
    link = f'<p><a href="{back}">Back</a></p>' if back else ""
    return page(title, f'<p class="refused">{e(text)}</p>{link}')


def feedback_names(folder):
    return sorted(path.name for path in Path(folder).glob("*.html"))
