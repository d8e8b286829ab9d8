"""What the teaching text promises a reader, where a test can tell: one notation, honest figures,
and a test set that is touched once."""

import re

import matplotlib
import nbformat
import numpy as np
import pytest
from support import REPO

matplotlib.use("Agg")
from nnscratch.plotting import plot_weights  # noqa: E402

PAGES = sorted((REPO / "book").glob("*.md"))
SOURCES = sorted((REPO / "solutions").glob("*/*.ipynb"))


def texts():
    """(where, text) of every narrative page and every markdown cell of the source notebooks."""
    for page in PAGES:
        yield page.name, page.read_text()
    for source in SOURCES:
        for index, cell in enumerate(nbformat.read(source, as_version=4).cells):
            if cell.cell_type == "markdown":
                yield f"{source.name} cell {index}", cell.source


@pytest.mark.parametrize("where, text", list(texts()), ids=lambda value: str(value)[:40])
def test_the_course_writes_log_for_the_natural_logarithm_never_ln(where, text):
    if where == "notation.md":  # the page that says so
        text = text.replace("never writes $\\ln$", "")
    assert not re.search(r"\\ln\b", text), f"{where} writes \\ln: the notation page says \\log"


@pytest.mark.parametrize("where, text", list(texts()), ids=lambda value: str(value)[:40])
def test_y_hat_is_a_predicted_label_never_the_probability(where, text):
    equated = re.search(r"\\hat\s*\{?[yY]\}?\s*=\s*(a\b|A\b|A\^|\\sigma)", text)
    assert not equated, f"{where} equates a prediction with a probability: {equated.group(0)}"


@pytest.mark.parametrize("where, text", list(texts()), ids=lambda value: str(value)[:40])
def test_the_eigenvalues_of_a_hessian_are_numbered_largest_first(where, text):
    # The notation page: lambda_1 >= ... >= lambda_n, beta = lambda_1, kappa = lambda_1 / lambda_n.
    ascending = re.search(
        r"\\lambda_1\s*(\\leq?\b|<)|\\beta\s*=\s*\\lambda_n\b|\\lambda_n\s*=\s*\\beta\b", text
    )
    assert not ascending, f"{where} numbers eigenvalues smallest first: {ascending.group(0)}"


def test_the_weight_image_is_white_at_zero_and_symmetric_about_it():
    w = np.linspace(-1.0, 3.0, 784).reshape(784, 1)
    image = plot_weights(w).images[0]
    low, high = image.norm.vmin, image.norm.vmax
    assert low == -high, "a signed weight's colour scale must be centred on 0"
    red, green, blue, _ = image.cmap(image.norm(0.0))
    assert min(red, green, blue) > 0.9, "a weight of 0 must read as neutral (near white)"
    assert image.cmap(image.norm(low))[:3] != image.cmap(image.norm(high))[:3]


def test_chapter_2_chooses_the_learning_rate_on_a_validation_split_not_the_test_set():
    [source] = (REPO / "solutions" / "ch2_logistic_regression").glob("*.ipynb")
    cells = nbformat.read(source, as_version=4).cells
    start = next(i for i, c in enumerate(cells) if c.source.startswith("## 8. The learning rate"))
    comparison = "\n".join(c.source for c in cells[start:] if c.cell_type == "code")
    assert "X_val" in comparison and "Y_val" in comparison
    assert "X_test" not in comparison and "Y_test" not in comparison


CHAPTER_PAGES = sorted((REPO / "book").glob("ch*.md"))


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda page: page.stem)
def test_every_chapter_ends_with_its_summary_exercises_then_your_turn(page):
    # One order in every chapter: what to remember, the pen-and-paper exercises, then the
    # notebook ("Your turn"), the last section, which leads to the exercise page after it.
    text = page.read_text()
    heads = [line for line in text.splitlines() if line.startswith("## ")]
    assert heads[-3:] == ["## Summary", "## Exercises", "## Your turn"], heads[-3:]


FENCE_BLOCK = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
# A star between two terms; an optimum's star (theta^*, theta_*) and a code span's are not one.
PRODUCT_STAR = re.compile(r"(?<![\^_*{\\])\*(?![*}])")


@pytest.mark.parametrize("where, text", list(texts()), ids=lambda value: str(value)[:40])
def test_a_formula_writes_the_entry_by_entry_product_as_odot_never_a_star(where, text):
    if where == "notation.md":  # the page that says so
        text = text.replace("never $*$", "")
    formulas = MATH.findall(FENCE_BLOCK.sub("", re.sub(r"`[^`\n]*`", "", text)))
    starred = [formula for formula in formulas if PRODUCT_STAR.search(formula)]
    assert not starred, f"{where} writes * in a formula (the notation page: \\odot): {starred[0]}"
