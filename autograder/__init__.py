"""The instructor side of the course: release the exercises, grade submissions, report, export.

Run it as `python -m autograder {release,grade,report,export,check,samples}` (the instructor
manual, book/instructors.md, says every option). The packages follow the pipeline:

- `course`: the course on disk, its reference solutions, the release and the samples;
- `kernel`: the only grading code a student's kernel imports (the sandbox shows it nothing else);
- `judge`: the reference's results and the comparison with the student's, outside the kernel;
- `pipeline`: nbgrader, configured, with this course's preprocessors;
- `sandbox`: the limits, and the kernel that runs a student's code inside bubblewrap;
- `output`: OUT_DIR: its layout, grades.csv, the journal and the statuses;
- `batch`: grading a folder of submissions, in a pool or on a Dask cluster;
- `reporting`: the console summary, the class report and the LMS exports.
"""

import sys

# jsonschema, imported by nbformat, builds a parser of RFC 3987 IRIs from a grammar whenever
# the optional `rfc3987_syntax` is installed (jupyter-events installs it): 0.9 s of every
# process that grades, for a string format no notebook schema uses. Without it, jsonschema
# leaves that one format unchecked.
sys.modules.setdefault("rfc3987_syntax", None)
