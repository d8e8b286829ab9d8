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

    def default_db_url(self):
        return f"sqlite:///{self.gradebook}"
