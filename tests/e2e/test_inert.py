"""A hostile student's HTML is inert wherever it is shown: no script of the student's runs in
their feedback page or in the class report, and the score a page shows is the grader's.

One chapter-1 notebook, graded once: its markdown and its outputs carry `<script>`, `onerror`
and `onload` handlers, `javascript:` links, SVG with scripts, an isolated iframe, a refresh, a
`<base>`, a style that hides the score, and scripts that rewrite the score. Every attack sets
the page's title, the global `pwned` or opens a dialog, which the tests look for.
"""

import csv

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from support import REPO, run

from autograder.course.reference import graded_solutions
from autograder.course.samples import fill
from autograder.output.layout import OutputFolder

NAME = "sigmoid_neuron.ipynb"
STUDENT = "mallory"
TITLE = "sigmoid_neuron"  # what the feedback page's title is, whatever the notebook holds

# Each attack runs `pwn(n)`: the global `pwned`, the title and a dialog all say it ran.
# Backquotes, so that the same text fits in a script and in an attribute.
PWN = "window.pwned={n};document.title=`pwned {n}`;alert({n})"
FAKE_SCORE = "document.querySelectorAll(`h4`).forEach(h=>h.textContent=`Score: 10.0 / 10.0`)"


def attacks(start):
    """HTML that would run script `start`, `start + 1`, ... if rendered as it is."""
    scripts = [
        "<script>{}</script>",
        '<img src="x" onerror="{}">',
        '<a class="pwn-link" href="javascript:{}">pwn-link</a>',
        '<svg onload="{}"><script>{}</script></svg>',
        '<iframe srcdoc="<script>parent.{}</script>"></iframe>',
        '<details open ontoggle="{}"><summary>details</summary></details>',
        '<form action="javascript:{}"><button class="pwn-button">pwn-button</button></form>',
        '<meta http-equiv="refresh" content="0;url=javascript:{}">',
        '<object data="javascript:{}"></object>',
        '<math><mtext><table><mglyph><style><img src=x onerror="{}"></style></mglyph></table>'
        "</mtext></math>",
    ]
    html = [template.replace("{}", PWN.format(n=start + i)) for i, template in enumerate(scripts)]
    html.append(f"<script>{FAKE_SCORE}</script>")
    html.append(f'<img src="y" onerror="{FAKE_SCORE}">')
    html.append('<base href="https://attacker.invalid/"><style>h4 { display: none }</style>')
    return "\n".join(html)


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" onload="{}"><script>{}</script>'
    '<rect width="10" height="10"/></svg>'
).replace("{}", PWN.format(n=90))

OUTPUTS = f"""
from IPython.display import HTML, SVG, Javascript, Markdown, display
display(HTML({attacks(20)!r}))
display(HTML({attacks(40)!r}, metadata={{"isolated": True}}))
display(Markdown({attacks(60)!r}))
display(SVG({SVG!r}))
display(Javascript({PWN.format(n=91)!r}))
display({{"text/html": {attacks(70)!r}, "text/plain": "html"}}, raw=True)
"""

# The student's own error text reaches the feedback and the report's sentences.
RAISING_NEURON = f"""
def neuron_output(w, b, X):
    raise ValueError({attacks(100).splitlines()[1]!r})
"""


def hostile_notebook():
    exercise = nbformat.read(REPO / "exercises" / "ch1_sigmoid" / NAME, as_version=4)
    notebook = fill(exercise, {**graded_solutions("ch1_sigmoid"), "neuron_output": RAISING_NEURON})
    notebook.cells.insert(1, new_markdown_cell("# Hello\n\n" + attacks(0)))
    notebook.cells.append(new_code_cell(OUTPUTS))
    notebook.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"x": "</script><script>pwned=99</script>"}
    }
    return notebook


@pytest.fixture(scope="module")
def hostile_graded(tmp_path_factory):
    submitted = tmp_path_factory.mktemp("submitted")
    folder = submitted / STUDENT / "ch1_sigmoid"
    folder.mkdir(parents=True)
    nbformat.write(hostile_notebook(), folder / NAME)
    out = tmp_path_factory.mktemp("graded")
    result = run("grade", submitted, "--out", out, "--timeout", "30", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def score(hostile_graded):
    with open(hostile_graded / "grades.csv", newline="") as file:
        [row] = list(csv.DictReader(file))
    assert row["status"] == "graded", row
    return float(row["score"]), float(row["max_score"])


def open_page(chromium, path):
    """Open `path` offline; (page, dialogs opened, its context). Nothing leaves the machine."""
    context = chromium.new_context()
    context.route("http*://**", lambda route: route.abort())
    page, dialogs = context.new_page(), []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # an onload, a refresh or a toggle runs soon after load
    return page, dialogs, context


def assert_no_script_ran(page, dialogs, title):
    assert page.evaluate("window.pwned") is None, "a student's script set the sentinel"
    assert page.title() == title
    assert dialogs == []


@pytest.fixture(scope="module")
def feedback(hostile_graded, chromium):
    path = OutputFolder(hostile_graded).feedback_of(STUDENT, "ch1_sigmoid") / "sigmoid_neuron.html"
    page, dialogs, context = open_page(chromium, path)
    yield page, dialogs, path.read_text(encoding="utf-8")
    context.close()


def test_no_student_script_runs_in_the_feedback_page(feedback):
    page, dialogs, _ = feedback
    assert_no_script_ran(page, dialogs, TITLE)


def test_clicking_a_students_javascript_link_runs_nothing(feedback):
    page, dialogs, _ = feedback
    links = page.locator("a", has_text="pwn-link")
    assert links.count() >= 2, "the links should still be shown, as links that go nowhere"
    for index in range(links.count()):
        links.nth(index).click()
    page.wait_for_timeout(200)
    assert page.url.startswith("file:")
    assert_no_script_ran(page, dialogs, TITLE)


def test_the_feedback_shows_the_graders_score_visibly(feedback, score):
    page, _, _ = feedback
    heading = page.locator("h4").first
    assert heading.is_visible()
    assert heading.inner_text() == f"sigmoid_neuron (Score: {score[0]:.1f} / {score[1]:.1f})"
    assert score[0] < score[1], "neuron_output raises: the score is not full"


def test_the_student_sees_their_markup_as_text_and_the_graders_words_as_before(feedback):
    page, _, _ = feedback
    text = page.inner_text("body")
    assert "Hello" in text  # the student's markdown is still rendered
    assert "<script>" in text  # their script, shown as what they wrote
    assert "ValueError" in text  # the grader's error output is still shown


def test_no_student_script_runs_in_the_class_report(hostile_graded, chromium, feedback):
    page, dialogs, context = open_page(chromium, hostile_graded / "report.html")
    try:
        assert_no_script_ran(page, dialogs, "Class report")
        assert "onerror" in page.inner_text("body"), "the student's error sentence, as text"
    finally:
        context.close()
