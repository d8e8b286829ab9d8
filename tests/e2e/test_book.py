"""Both editions of the book: built with warnings as errors, offline, the student's without answers,
the instructor's with every solution and figure, every image described."""

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from support import REPO, exercise_pages, fold, pages, secret_lines

from autograder.kernel.results import RECORD_MIME
from nnscratch.chapter import read_chapter


@pytest.fixture(params=["student", "instructor"], scope="session")
def edition(request):
    """(edition name, its HTML folder), for the tests that hold for both editions."""
    fixture = "book" if request.param == "student" else "instructor_book"
    return request.param, request.getfixturevalue(fixture)


def visible_text(path):
    """What a file of the built site holds as text: HTML without tags, a notebook's cells."""
    if path.suffix == ".ipynb":
        return " ".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
    text = path.read_text(errors="replace")
    if path.suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


def test_every_page_of_the_toc_is_built(edition):
    name, folder = edition
    for page in pages(name):
        assert (folder / page).is_file(), f"the {name} edition has no {page}"


def test_the_instructor_toc_is_the_student_toc_with_each_exercise_swapped_for_its_source():
    student = pages("student")
    instructor = pages("instructor")
    assert len(student) == len(instructor)
    assert not any(page.startswith("exercises/") for page in instructor)
    for mine, theirs in zip(student, instructor, strict=True):
        assert theirs == mine.replace("exercises/", "solutions/", 1)
    for page in exercise_pages("instructor"):
        assert (REPO / page).with_suffix(".ipynb").is_file(), page


def test_the_student_edition_holds_no_solution_and_no_hidden_test(book):
    secrets = secret_lines()
    for path in book.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".md", ".txt", ".js", ".json"}:
            text = fold(visible_text(path))
            leaked = [line for line in secrets if line in text]
            assert not leaked, f"{path.relative_to(book)} contains solution lines: {leaked}"
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


def test_the_instructor_edition_shows_each_solution_executed_with_its_figures(instructor_book):
    secrets = secret_lines()
    for page in exercise_pages("instructor"):
        source = nbformat.read(REPO / Path(page).with_suffix(".ipynb"), as_version=4)
        solution = [
            fold(line)
            for item in read_chapter(source).items.values()
            for line in item.source.splitlines()
            if fold(line) in secrets
        ]
        shown = (instructor_book / page).read_text()
        text = fold(visible_text(instructor_book / page))
        missing = [line for line in solution if line not in text]
        assert solution and not missing, f"{page} does not show the solution lines {missing}"
        assert 'class="cell_output' in shown, f"{page} is not executed"
        figures = sum(cell.source.count("plt.show()") for cell in source.cells)
        images = re.findall(r'<img[^>]*src="([^"]+)"', shown)
        assert len(images) >= figures, f"{page} shows {len(images)} of its {figures} figures"
        for image in images:
            assert (instructor_book / page).parent.joinpath(image).resolve().is_file(), image
        assert RECORD_MIME not in shown, f"{page} shows the hidden tests' records"


def test_no_page_loads_a_script_stylesheet_or_font_from_the_network(edition):
    name, folder = edition
    for path in folder.rglob("*.html"):
        page = path.read_text()
        remote = re.findall(r"""<(?:script|link)[^>]*(?:src|href)=["'](?:https?:)?//[^"']+""", page)
        assert not remote, f"{name}: {path.relative_to(folder)} loads {remote}"
    for path in folder.rglob("*.css"):
        remote = re.findall(r"""url\(\s*["']?(?:https?:)?//[^)]+""", path.read_text())
        assert not remote, f"{name}: {path.relative_to(folder)} fetches {remote}"


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


def test_each_exercise_is_shown_unexecuted_with_a_download_of_the_student_notebook(book):
    for page in exercise_pages("student"):
        shown = (book / page).read_text()
        assert "raise NotImplementedError()" in html.unescape(re.sub(r"<[^>]+>", "", shown))
        assert 'class="cell_output' not in shown, f"{page} shows executed outputs"
        download = re.search(r'href="([^"]+\.ipynb)"', shown)
        assert download, f"{page} has no .ipynb download link"
        served = (book / page).parent.joinpath(download.group(1)).resolve()
        notebook = nbformat.read(served, as_version=4)
        nbformat.validate(notebook)
        expected = (REPO / page).with_suffix(".ipynb")
        assert json.loads(served.read_text()) == json.loads(expected.read_text()), page


class _Images(HTMLParser):
    """Each <img> of a page with its alt text and the caption of the <figure> around it."""

    def __init__(self):
        super().__init__()
        self.images, self.figures = [], []  # figures: [[captioned?, images inside]]
        self.in_caption = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.figures.append([False, []])
        elif tag == "figcaption":
            self.in_caption += 1
        elif tag == "img":
            image = {"src": attrs.get("src") or "", "alt": attrs.get("alt") or "", "caption": ""}
            self.images.append(image)
            if self.figures:
                self.figures[-1][1].append(image)

    def handle_data(self, data):
        if self.in_caption and self.figures and data.strip():
            self.figures[-1][0] = True

    def handle_endtag(self, tag):
        if tag == "figcaption":
            self.in_caption -= 1
        elif tag == "figure" and self.figures:
            captioned, images = self.figures.pop()
            for image in images:
                image["caption"] = image["caption"] or ("yes" if captioned else "")


def test_every_image_has_alt_text_or_a_caption(edition):
    """Alt text that is only the image's own file name (docutils' default) does not count."""
    name, folder = edition
    for path in sorted(folder.rglob("*.html")):
        page = path.relative_to(folder).as_posix()
        parser = _Images()
        parser.feed(path.read_text())
        undescribed = [
            image["src"]
            for image in parser.images
            if not image["caption"]
            and (not image["alt"].strip() or image["alt"].strip() == image["src"].strip())
        ]
        assert not undescribed, (
            f"{name} edition, {page}: image(s) with neither alt text nor a caption "
            f"({undescribed}): give each figure a caption (`mystnb: figure: caption:` in the "
            "cell's metadata) or alt text (`mystnb: image: alt:`)"
        )


def test_the_references_page_lists_the_cited_works_and_pages_cite_them(book):
    references = visible_text(book / "book" / "references.html")
    for title in [
        "Gradient-Based Learning Applied to Document Recognition",
        "Neural Networks and Deep Learning",
        "Deep Learning",
        "Understanding the Difficulty of Training Deep Feedforward Neural Networks",
        "Delving Deep into Rectifiers",
    ]:
        assert title.lower() in references.lower(), f"the references do not list {title!r}"
    for page in ["book/intro.html", "book/notation.html"]:
        assert re.search(r'<a[^>]*href="references\.html#id', (book / page).read_text()), page


def end_of_chapter_solutions():
    """{page: [prose of each `solution` block]} of the narrative pages, read from their MyST
    source line by line (a fence opens the block, the same fence alone closes it)."""
    solutions = {}
    for source in sorted((REPO / "book").glob("*.md")):
        lines, block, fence, in_code = source.read_text().splitlines(), None, None, False
        for line in lines:
            opening = re.match(r"^(`{3,}|:{3,})\{solution\}", line)
            if block is None and opening:
                block, fence = [], opening.group(1)
            elif block is not None and line.strip() == fence:
                solutions.setdefault(source.stem, []).append(" ".join(block))
                block = None
            elif block is not None and line.startswith("```"):
                in_code = not in_code  # a code block's lines render highlighted: left out
            elif block is not None and not in_code and not line.startswith(":"):
                block.append(line)
    return solutions


def prose_of(text):
    """The sentences of `text` between its formulas and its glued numbers: what a reader sees
    whatever MathJax does and whatever number the build computed."""
    pieces = re.split(r"\$[^$]*\$|\{glue(?::\w+)?\}`[^`]*`", text)
    parts = (plain(re.sub(r"[`*]", "", part)) for part in pieces)
    return [part for part in parts if len(part) >= 25]  # without MyST's `code` and *emphasis*


def plain(text):
    """Folded text with Sphinx's typographic quotes and dashes back to plain ones."""
    for typographic, simple in [("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "--")]:
        text = text.replace(typographic, simple)
    return fold(text)


def test_end_of_chapter_solutions_are_in_the_instructor_edition_only(book, instructor_book):
    solutions = end_of_chapter_solutions()
    assert solutions, "no narrative page has an end-of-chapter solution"
    published = [
        plain(visible_text(path))
        for path in book.rglob("*")
        if path.is_file() and path.suffix in {".html", ".md", ".ipynb", ".txt", ".json"}
    ]
    for page, blocks in solutions.items():
        shown = plain(visible_text(instructor_book / "book" / f"{page}.html"))
        for block in blocks:
            for sentence in prose_of(block):
                assert sentence in shown, f"the instructor's {page} lacks: {sentence!r}"
                assert not any(sentence in text for text in published), (
                    f"the student edition shows a solution of {page}: {sentence!r}"
                )
