"""Sphinx extension of both editions: the end-of-chapter solutions reach the instructor only.

sphinx-exercise's `hide_solutions` (true in the student edition's `_config.yml`) leaves the
`solution` directives out of the HTML, but Sphinx still publishes each page's MyST source under
`_sources/` (the page's download button): there the solutions would still be. In an edition that
hides them, this drops every `solution` block from those copies once the build has written them.
"""

import re
from pathlib import Path

# A `solution` block, from its opening fence to the next line holding the same fence alone: a
# fence inside the block is shorter, as MyST requires. (The course does not use gated solutions.)
SOLUTION_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{solution\}.*?^(?P=fence)[ \t]*$\n?", re.MULTILINE | re.DOTALL
)


def without_solutions(text):
    """MyST source `text` with every solution block removed."""
    return SOLUTION_BLOCK.sub("", text)


def _strip_published_sources(app, exception):
    if exception is not None or not app.config.hide_solutions or app.builder.format != "html":
        return
    for path in Path(app.outdir, "_sources").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        stripped = without_solutions(text)
        if stripped != text:
            path.write_text(stripped, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _strip_published_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
