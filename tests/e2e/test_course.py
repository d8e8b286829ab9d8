"""The course's shared nbgrader setup."""

import subprocess
import sys

from nbgrader.dbutil import _temp_alembic_ini

from autograder.pipeline.patches import alembic_head


def test_the_in_process_schema_revision_is_the_one_alembic_reports():
    # What nbgrader itself would stamp on a new gradebook, asked the slow way it asks.
    with _temp_alembic_ini("sqlite:////tmp/unused.db") as ini:
        heads = subprocess.run(
            ["alembic", "-c", ini, "heads"], capture_output=True, text=True, check=True
        ).stdout
    assert heads.split()[0] == alembic_head()


def test_the_kernel_side_helpers_do_not_import_nbgrader():
    # The hidden tests import these in every student's kernel (and an instructor's own run
    # loads the reference through them): importing nbgrader there cost 1.9 s per notebook.
    code = (
        "import sys, autograder.kernel, autograder.course.reference; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'nbgrader'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
