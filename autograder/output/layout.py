"""OUT_DIR, the folder a batch writes: where each of its files lives.

Every reader and writer of OUT_DIR asks here, so a file moves in one place:

    grades.csv                  one row per submitted notebook (`autograder.output.grades`)
    journal.jsonl               each finished submission, appended (`autograder.output.journal`)
    report.html                 the class report (`autograder.reporting.report`)
    feedback/<student>/<assignment>/<notebook>.html
    gradebook.db                nbgrader's gradebook, unless `--db` names another
    template.db                 the gradebook each worker copies
    reference_times.json        the reference's time per cell (`autograder.sandbox.reference_times`)
    release/ submitted/ autograded/ work/   nbgrader's folders and the workers' scratch space
    service/uploads/<id>.ipynb  each submission to `serve`, under its id (`autograder.service`)
    service/staged/<id>/        a submission while it is graded, in nbgrader's layout
    service/feedback/<id>/      each submission's feedback pages, kept after later ones
    service/exports/            the LMS exports the instructor downloads
"""

from pathlib import Path


class OutputFolder:
    """The paths of one OUT_DIR."""

    def __init__(self, root):
        self.root = Path(root)

    grades = property(lambda self: self.root / "grades.csv")
    journal = property(lambda self: self.root / "journal.jsonl")
    report = property(lambda self: self.root / "report.html")
    feedback = property(lambda self: self.root / "feedback")
    gradebook = property(lambda self: self.root / "gradebook.db")
    template = property(lambda self: self.root / "template.db")
    reference_times = property(lambda self: self.root / "reference_times.json")
    release = property(lambda self: self.root / "release")
    submitted = property(lambda self: self.root / "submitted")
    autograded = property(lambda self: self.root / "autograded")

    def work(self, student, assignment):
        """A worker's scratch folder for one submission."""
        return self.root / "work" / f"{student}--{assignment}"

    def feedback_of(self, student, assignment):
        """The folder of a student's feedback pages for one assignment."""
        return self.feedback / student / assignment

    service = property(lambda self: self.root / "service")
    uploads = property(lambda self: self.service / "uploads")
    exports = property(lambda self: self.service / "exports")

    def upload(self, submission_id):
        return self.uploads / f"{submission_id}.ipynb"

    def staged(self, submission_id):
        """A submission's own submitted/ folder while it is graded."""
        return self.service / "staged" / submission_id

    def submission_feedback(self, submission_id):
        """A submission's feedback pages, kept when later submissions are graded."""
        return self.service / "feedback" / submission_id

    def default_db_url(self):
        return f"sqlite:///{self.gradebook}"
