"""What the hidden phase of one test cell left (`autograder.pipeline.hidden_phase`): all the
judge may draw on, and so all a student's feedback may say of that phase."""

from dataclasses import dataclass, field

TIMED_OUT, DIED, NOT_RUN = "timed out", "died", "not run"
# A kernel that floods the grader with records is cut off there: no hidden test records more.
MAX_RECORDS = 1000
MAX_NAME = 100  # characters of an error's type name


@dataclass
class HiddenRun:
    public_passed: bool = False  # the public check, run again with the references, passed
    records: list = field(default_factory=list)  # the records' JSON, as the kernel sent them
    error: str | None = None  # the type name of the error the hidden tests stopped at
    stopped: str | None = None  # TIMED_OUT, DIED or NOT_RUN

    def keep(self, kept):
        """Add what the hidden phase kept of one message: ("record", json), ("error", name)."""
        if kept is None:
            return
        kind, value = kept
        if kind == "record" and len(self.records) < MAX_RECORDS:
            self.records.append(value)
        elif kind == "error" and self.error is None:
            self.error = value[:MAX_NAME]
