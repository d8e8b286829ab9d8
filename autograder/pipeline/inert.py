"""A student's HTML, made inert: it keeps what markdown and a notebook's outputs are made of
(headings, paragraphs, lists, tables, code, images, links) and loses every way to run a script.

Whatever a student writes in a markdown cell or makes an output show ends up in a page someone
else opens: their feedback, which may be served by the course's service to an instructor. A
`<script>`, an `onerror=` or a `javascript:` link there would run as that page (issue 36).

nbconvert's own sanitizer (`clean_html`, over bleach) is the right tool but the wrong allowlist
for a feedback page: it escapes `<p>`, headings and `<img>`, the very tags markdown renders to.
This is the same bleach with a list of tags wide enough for rendered markdown and tables, no
event handler, no `style`, and URLs only of kinds that cannot run script. Anything else is
escaped, not dropped: the student sees what they wrote, as text.
"""

import re

import bleach

TAGS = {
    *bleach.ALLOWED_TAGS,
    *(f"h{level}" for level in range(1, 7)),
    *("p", "div", "span", "pre", "br", "hr", "sub", "sup", "del", "s", "ins", "u", "small"),
    *("kbd", "samp", "var", "mark", "dl", "dt", "dd", "details", "summary", "figure"),
    *("figcaption", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
    *("colgroup", "col"),
}
# No `style`: a style can hide the grader's score or lay a forged one over it.
EVERY_TAG = {"class", "id", "title", "lang", "dir", "align"}
ATTRIBUTES = {
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "table": {"border"},  # pandas' tables have one
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "details": {"open"},
}
# bleach checks every URL's scheme against these; data: URLs are narrowed further below.
PROTOCOLS = {"http", "https", "mailto", "data"}
# An image may be embedded (a plot, a markdown attachment); an SVG inside <img> runs no script.
IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
# The page's own <style> blocks are the grader's; a student's (a pandas table brings one) would
# show as text once escaped, so it goes, content and all. What this misses, bleach escapes.
STYLE_BLOCK = re.compile(r"<style\b.*?</style\s*>", re.IGNORECASE | re.DOTALL)


def allowed_attribute(tag, name, value):
    if name not in EVERY_TAG and name not in ATTRIBUTES.get(tag, ()):
        return False
    if name in ("href", "src") and value.strip().lower().startswith("data:"):
        return tag == "img" and bool(IMAGE_DATA.match(value.strip()))
    return True


CLEANER = bleach.Cleaner(
    tags=TAGS,
    attributes=allowed_attribute,
    protocols=PROTOCOLS,
    strip=False,
    strip_comments=True,
)


def inert_html(html):
    """`html` with every way to run a script escaped or removed, its structure kept."""
    html = html.decode() if isinstance(html, bytes) else str(html)
    return CLEANER.clean(STYLE_BLOCK.sub("", html))
