"""The course's shared nbgrader setup."""

import subprocess

from nbgrader.dbutil import _temp_alembic_ini

from autograder.course import alembic_head


def test_the_in_process_schema_revision_is_the_one_alembic_reports():
    # What nbgrader itself would stamp on a new gradebook, asked the slow way it asks.
    with _temp_alembic_ini("sqlite:////tmp/unused.db") as ini:
        heads = subprocess.run(
            ["alembic", "-c", ini, "heads"], capture_output=True, text=True, check=True
        ).stdout
    assert heads.split()[0] == alembic_head()
