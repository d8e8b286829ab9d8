"""The feedback exporter renders what nbconvert's HTMLExporter would, with its work done once."""

import re
from collections import Counter

import jinja2
from nbconvert.exporters import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from support import visible_text

from autograder.pipeline.feedback import MISSING_ALT, FeedbackExporter

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
