"""The instructor side of the course: release the exercises, grade submissions, check a notebook.

Run it as `python -m autograder {release,grade,report,export,check,samples}`; see the instructor
manual, book/instructors.md.
"""

import sys

# jsonschema, imported by nbformat, builds a parser of RFC 3987 IRIs from a grammar whenever
# the optional `rfc3987_syntax` is installed (jupyter-events installs it): 0.9 s of every
# process that grades, for a string format no notebook schema uses. Without it, jsonschema
# leaves that one format unchecked.
sys.modules.setdefault("rfc3987_syntax", None)
