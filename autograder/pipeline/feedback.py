"""The exporter of the students' feedback pages: nbconvert's HTMLExporter, cheap per notebook.

nbgrader makes a new exporter for every notebook, and the stock one costs about 0.15 s there:
it compiles its Jinja templates again each time, then parses the whole page (a good part of it
inline CSS) with BeautifulSoup to give images without alternative text a default one. This one
keeps the compiled templates for the life of the process and adds that text with a pattern.

It is also where a student's content is made inert (issue 36): nbconvert's `sanitize_html` drops
script and widget outputs, turns SVG into images and passes each HTML output through
`clean_html`, which is `inert.inert_html` here; markdown cells, which the feedback template
renders without `clean_html`, pass through it at their last step; and the page's head declares
the Content-Security-Policy of `page_policy.py`.
"""

import re
from pathlib import Path

from jinja2 import BytecodeCache, FileSystemLoader
from nbconvert.exporters import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.strings import strip_files_prefix
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets import default

from .inert import inert_html
from .page_policy import MATHJAX_CONFIG, MATHJAX_URL, POLICY

# Our own templates, before nbconvert's and nbgrader's: the head's policy and MathJax.
TEMPLATES_FOLDER = Path(__file__).parent / "templates"

# nbconvert's own words, so that a page reads the same as with the stock exporter.
MISSING_ALT = "No description has been provided for this image"
IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)", re.IGNORECASE)


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates, kept in memory; Jinja keys them by name and source checksum."""

    def __init__(self):
        self._code = {}

    def load_bytecode(self, bucket):
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()


def files_prefix_stripped_then_inert(html):
    # Every template renders a markdown cell as `markdown2html | strip_files_prefix`, and
    # nothing after it in the feedback template: the last step, so that no later rewriting
    # (`href="files/javascript:..."` loses its `files/`) can undo the sanitizing.
    return inert_html(strip_files_prefix(html))


class FeedbackExporter(HTMLExporter):
    @default("sanitize_html")
    def _sanitize_html_default(self):
        return True

    @default("extra_loaders")
    def _extra_loaders_default(self):
        return [FileSystemLoader(str(TEMPLATES_FOLDER))]

    def default_filters(self):
        yield from super().default_filters()
        yield ("clean_html", inert_html)
        yield ("strip_files_prefix", files_prefix_stripped_then_inert)

    def _create_environment(self):
        environment = super()._create_environment()
        environment.bytecode_cache = TEMPLATES
        environment.globals.update(
            feedback_policy=POLICY, mathjax_config=MATHJAX_CONFIG, mathjax_url=MATHJAX_URL
        )
        return environment

    def from_notebook_node(self, nb, resources=None, **kw):
        # HTMLExporter's filters, then TemplateExporter's rendering, without the soup pass.
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        highlight = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        data_types = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight)
        self.register_filter("filter_data_type", data_types)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        # The feedback template is the classic one: its cells have none of the jp- classes
        # whose elements HTMLExporter makes focusable, so the alternative text is all to add.
        return IMG_WITHOUT_ALT.sub(f'<img alt="{MISSING_ALT}"', html), resources
