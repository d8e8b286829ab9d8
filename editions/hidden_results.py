"""Sphinx extension of the instructor edition: drop the hidden tests' records quietly.

Run outside the grader, a hidden-test cell displays what it recorded for the grader as an
output of its own mime type. No renderer knows that type, so myst-nb skips it (right: it is
data for the grader, not for readers) with a warning, which the build turns into an error.
This filter silences exactly that warning, for exactly that mime type; any other unknown
output still fails the build.
"""

import logging

from autograder.results import RECORD_MIME


class _SkipHiddenResults(logging.Filter):
    def filter(self, record):
        return not (
            getattr(record, "subtype", None) == "unknown_mime_type"
            and RECORD_MIME in str(record.msg)
        )


def setup(app):
    for handler in logging.getLogger("sphinx").handlers:
        handler.filters.insert(0, _SkipHiddenResults())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
