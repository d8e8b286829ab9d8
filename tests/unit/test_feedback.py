"""The feedback exporter renders what nbconvert's HTMLExporter would, with its work done once,
and renders whatever a student wrote inert: no script of theirs can run in the page."""

import base64
import hashlib
import re
from collections import Counter
from pathlib import Path

import jinja2
import nbgrader
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from support import visible_text

from autograder.pipeline.feedback import MISSING_ALT, FeedbackExporter
from autograder.pipeline.page_policy import MATHJAX_FOLDER

# A 1 x 1 pixel PNG, base64.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)


def page_with_images():
    plot = new_code_cell("plt.show()")
    plot.outputs = [new_output("display_data", data={"image/png": PNG})]
    described = new_markdown_cell('<img src="seven.png" alt="a handwritten seven">')
    undescribed = new_markdown_cell('<IMG src="eight.png"\nwidth=20>')
    return new_notebook(cells=[plot, described, undescribed])


def render(notebook):
    html, _ = FeedbackExporter(template_name="classic").from_notebook_node(notebook)
    return html


def alt_texts(html):
    """Each image's alternative text, None where it has none."""
    return [
        match.group(1) if match else None
        for tag in re.findall(r"<img\b[^>]*>", html, flags=re.IGNORECASE)
        for match in [re.search(r'\balt="([^"]*)"', tag)]
    ]


def test_every_image_has_a_description_and_a_given_one_is_kept():
    html = render(page_with_images())
    assert Counter(alt_texts(html)) == Counter([MISSING_ALT, "a handwritten seven", MISSING_ALT])


def test_a_second_notebook_renders_without_compiling_a_template(monkeypatch):
    notebook = page_with_images()
    first = render(notebook)

    def compile_again(*args, **kwargs):
        raise AssertionError("a template was compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", compile_again)
    second = render(notebook)
    uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    assert re.sub(uuid, "", second) == re.sub(uuid, "", first)


def test_the_text_a_student_reads_is_the_stock_exporters():
    notebook = page_with_images()
    stock, _ = HTMLExporter(template_name="classic").from_notebook_node(notebook)
    ours = render(notebook)
    assert visible_text(ours).split() == visible_text(stock).split()


# The student's page as `grade` writes it: nbgrader's feedback template, with its scores.
FORMGRADER = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
NBGRADER = {"notebook": "sigmoid_neuron", "score": 6.0, "max_score": 10.0, "late_penalty": 0}

MARKDOWN_ATTACKS = """# A heading

<script>window.pwned = 1</script>
<img src="x" onerror="window.pwned = 2">
<a href="javascript:window.pwned = 3">a link</a>
<a href=" JaVaScRiPt:window.pwned = 4">a link</a>
<a href="files/javascript:window.pwned = 5">a link</a>
<a href="data:text/html,<script>window.pwned = 6</script>">a link</a>
<svg onload="window.pwned = 7"><script>window.pwned = 8</script></svg>
<iframe srcdoc="<script>parent.pwned = 9</script>"></iframe>
<form action="javascript:window.pwned = 10"><button>go</button></form>
<meta http-equiv="refresh" content="0;url=javascript:window.pwned = 11">
<base href="https://attacker.invalid/">
<details open ontoggle="window.pwned = 12"><summary>more</summary></details>
<object data="javascript:window.pwned = 13"></object>
<style>h4 { display: none }</style>
<div style="position: fixed; top: 0">Score: 10 / 10</div>
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="window.pwned = 20"><script>x</script></svg>'


def feedback_page(*cells):
    exporter = FeedbackExporter(
        template_name="feedback",
        extra_template_basedirs=[str(FORMGRADER / "templates")],
        extra_template_paths=[
            str(FORMGRADER / "static" / "node_modules" / "bootstrap" / "dist" / "css")
        ],
    )
    notebook = new_notebook(cells=list(cells))
    html, _ = exporter.from_notebook_node(notebook, resources={"nbgrader": NBGRADER})
    return html


def hostile_page():
    outputs = new_code_cell("display(...)")
    outputs.outputs = [
        new_output("display_data", data={"text/html": MARKDOWN_ATTACKS, "text/plain": "html"}),
        new_output("display_data", data={"text/markdown": MARKDOWN_ATTACKS}),
        new_output("display_data", data={"image/svg+xml": SVG}),
        new_output("display_data", data={"application/javascript": "window.pwned = 30"}),
        new_output(
            "display_data",
            data={"text/html": MARKDOWN_ATTACKS},
            metadata={"text/html": {"isolated": True}},
        ),
        new_output("execute_result", data={"text/latex": "<script>window.pwned = 31</script>"}),
        new_output("stream", text="<script>window.pwned = 32</script>"),
    ]
    return feedback_page(new_markdown_cell(MARKDOWN_ATTACKS), outputs)


def tags(html):
    return re.findall(r"<[a-zA-Z][^>]*>", html)


def test_no_script_of_the_students_is_left_in_their_feedback_page():
    html = hostile_page()
    head, body = html.split("</head>", 1)
    assert "<script" not in body.lower()
    assert len(re.findall(r"<script", head)) == 2, "MathJax's configuration and MathJax only"
    # nbconvert's own frame around an `isolated` HTML output: what it holds is inert too (and
    # the policy's default-src 'none' keeps it from loading at all).
    framed = re.compile(
        r'<iframe\s+class="isolated-iframe"[^>]*src="data:text/html;base64,([^"]*)">'
    )
    inside = [base64.b64decode(frame).decode() for frame in framed.findall(body)]
    assert inside
    for tag in tags(framed.sub("", body) + "".join(inside)):
        assert not re.search(r"\son\w+\s*=", tag), tag
        assert not re.search(r"""=\s*["']?\s*javascript:""", tag, flags=re.I), tag
        assert not re.search(r"""(href|src)=["']?data:(?!image/)""", tag), tag
        assert not re.match(r"<(iframe|svg|form|meta|base|object|style|button)\b", tag), tag
        assert "style=" not in tag, tag  # a student's style could hide or forge the score


def test_a_students_markup_reads_as_the_text_they_wrote():
    text = visible_text(hostile_page())
    assert "<script>window.pwned = 1</script>" in text
    assert "<svg onload=" in text and "<iframe srcdoc=" in text


def test_an_svg_output_is_an_image_whose_scripts_never_run():
    html = hostile_page()
    encoded = base64.b64encode(SVG.encode()).decode()
    assert f'src="data:image/svg+xml;base64,{encoded}"' in html


def test_the_page_allows_mathjax_and_its_configuration_and_no_other_script():
    html = hostile_page()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert html.index("Content-Security-Policy") < html.index("<script")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    config = re.search(r"<script>(.*?)</script>", html, flags=re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(config.encode()).digest()).decode()
    assert directives["script-src"].split() == [MATHJAX_FOLDER, f"'sha256-{digest}'"]
    assert re.search(rf'<script src="{re.escape(MATHJAX_FOLDER)}MathJax.js\?', html)
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in policy
    assert directives["img-src"] == "data:"


def test_a_normal_notebook_keeps_its_plots_maths_tables_links_and_scores():
    markdown = new_markdown_cell(
        "## The sigmoid\n\n"
        "It maps $z$ to $\\sigma(z) = \\frac{1}{1 + e^{-z}}$, and $a < b$:\n\n"
        "$$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$$\n\n"
        "| z | sigma |\n| --- | --- |\n| 0 | 0.5 |\n\n"
        "- see [the book](https://example.org/book.html#sigmoid)\n"
        "- `np.exp` and **bold** and *emphasis*\n\n"
        "> a quote\n\n"
        '<img src="data:image/png;base64,' + PNG + '" alt="a dot">\n'
    )
    plot = new_code_cell("plt.show()")
    plot.outputs = [new_output("display_data", data={"image/png": PNG, "text/plain": "fig"})]
    html = feedback_page(markdown, plot)
    body = html.split("</head>", 1)[1]
    assert "(Score: 6.0 / 10.0)" in visible_text(body)
    assert re.search(r"<h2[^>]*>The sigmoid", body)
    assert "$\\sigma(z) = \\frac{1}{1 + e^{-z}}$" in body and "$a &lt; b$" in body
    assert "<table>" in body and "<th>sigma</th>" in body
    assert '<a href="https://example.org/book.html#sigmoid">the book</a>' in body
    assert "<code>np.exp</code>" in body and "<blockquote>" in body
    assert body.count(f"data:image/png;base64,{PNG}") == 2
    stock, _ = HTMLExporter(template_name="classic").from_notebook_node(
        new_notebook(cells=[markdown, plot])
    )
    page = visible_text(body)
    assert all(line in page for line in visible_text(stock.split("</head>")[1]).split())
