"""A hidden test's record: what one check hands the judge, built here and read back here.

A student's kernel sends records to the grader as display outputs (`RECORD_MIME`), and the
grader's own run of the reference collects them in a list; the judge compares the two
(`autograder.judge.verdict`). A record is plain JSON, so that nothing the kernel sends is
unpickled; `Record.from_json` refuses anything but the fields below.

- `same`: `result` (encoded by `autograder.kernel.results`) must be the reference's within
  `rtol` and `atol`, or the same through the `view` the hidden test names; `again` holds the
  results of further calls on the same inputs, which must equal the first.
- `accuracy`: `predictions` scored against the reference run's `labels`, at least `minimum`.
- `failed`: the call stopped the hidden tests: `failure` says how ("raised", "warned", or
  "no method" for a class without the method a step calls), `culprit` the exception's or the
  warning's type name. No message travels: the student's code writes those.
"""

from dataclasses import dataclass, fields

SAME, ACCURACY, FAILED = "same", "accuracy", "failed"


@dataclass(frozen=True)
class Record:
    kind: str
    label: str
    result: dict | None = None
    rtol: float | None = None  # set by the hidden test (`expect`'s defaults), for `same`
    atol: float | None = None
    view: str | None = None
    again: tuple = ()
    minimum: float | None = None
    predictions: dict | None = None
    labels: dict | None = None
    failure: str | None = None
    culprit: str | None = None

    def to_json(self):
        """The record as it travels: only the fields that are set."""
        data = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None and value != ():
                data[field.name] = list(value) if isinstance(value, tuple) else value
        return data

    @classmethod
    def from_json(cls, data):
        """The record `to_json` described; anything else raises ValueError."""
        names = {field.name for field in fields(cls)}
        if not isinstance(data, dict) or not set(data) <= names:
            raise ValueError("not a hidden-test record")
        if data.get("kind") not in (SAME, ACCURACY, FAILED):
            raise ValueError("a record of no known kind")
        if not isinstance(data.get("label"), str):
            raise ValueError("a record without its label")
        return cls(**{**data, "again": tuple(data.get("again", ()))})
