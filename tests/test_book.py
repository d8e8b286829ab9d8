"""The student edition of the book: builds with warnings as errors, offline, with no answers."""

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, fold, secret_lines

EXERCISE_PAGE = "exercises/ch1_sigmoid/sigmoid_neuron.html"


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    """Build the book from clean into a scratch folder with `-W --keep-going`; its HTML folder."""
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [jupyter_book, "build", REPO, "--path-output", out, "-W", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html"


def visible_text(path):
    """What a file of the built site holds as text: HTML without tags, a notebook's cells."""
    if path.suffix == ".ipynb":
        return " ".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
    text = path.read_text(errors="replace")
    if path.suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


def test_every_page_of_the_toc_is_built(book):
    for page in ["book/intro.html", "book/ch1_sigmoid.html", EXERCISE_PAGE]:
        assert (book / page).is_file(), page


def test_the_student_edition_holds_no_solution_and_no_hidden_test(book):
    secrets = secret_lines()
    for path in book.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".md", ".txt", ".js", ".json"}:
            text = fold(visible_text(path))
            leaked = [line for line in secrets if line in text]
            assert not leaked, f"{path.relative_to(book)} contains solution lines: {leaked}"
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


def test_no_page_loads_a_script_stylesheet_or_font_from_the_network(book):
    for path in book.rglob("*.html"):
        page = path.read_text()
        remote = re.findall(r"""<(?:script|link)[^>]*(?:src|href)=["'](?:https?:)?//[^"']+""", page)
        assert not remote, f"{path.relative_to(book)} loads {remote}"


def test_math_is_rendered_by_a_bundled_mathjax(book):
    page = (book / "book" / "ch1_sigmoid.html").read_text()
    assert re.search(r'<script[^>]*src="[^"]*_static/mathjax/tex-chtml\.js', page)
    assert (book / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert page.count('class="math notranslate nohighlight"') >= 5


def test_the_narrative_page_shows_its_figure(book):
    page = (book / "book" / "ch1_sigmoid.html").read_text()
    images = re.findall(r'<img[^>]*src="([^"]+)"', page)
    assert images
    for image in images:
        assert (book / "book" / image).resolve().is_file(), image


def test_the_exercise_is_shown_unexecuted_with_a_download_of_the_student_notebook(book):
    page = (book / EXERCISE_PAGE).read_text()
    assert "raise NotImplementedError()" in html.unescape(re.sub(r"<[^>]+>", "", page))
    assert 'class="cell_output' not in page, "the exercise page shows executed outputs"
    download = re.search(r'href="([^"]+\.ipynb)"', page)
    assert download, "the exercise page has no .ipynb download link"
    served = (book / "exercises" / "ch1_sigmoid" / download.group(1)).resolve()
    notebook = nbformat.read(served, as_version=4)
    nbformat.validate(notebook)
    assert json.loads(served.read_text()) == json.loads(
        (REPO / "exercises" / "ch1_sigmoid" / "sigmoid_neuron.ipynb").read_text()
    )
