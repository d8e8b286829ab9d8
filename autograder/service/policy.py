"""Each assignment's rules, from the policy file (YAML):

    ch1_sigmoid:
      deadline: 2026-10-01T23:59:00+02:00   # ISO 8601 with its time zone; none: no deadline
      per_hour: 10                          # submissions a student may make in any hour
      hidden_results: after-deadline        # or at-once (the default)

Only the assignments the file names are offered; without a file, every assignment is, with
no deadline, 10 submissions an hour and results at once. The rules are pure functions of the
times, so that they are tested without a server or a clock.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import yaml

AT_ONCE, AFTER_DEADLINE = "at-once", "after-deadline"
PER_HOUR = 10
HOUR = timedelta(hours=1)


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class Policy:
    deadline: datetime | None = None
    per_hour: int = PER_HOUR
    hidden_results: str = AT_ONCE

    def counts(self, received_at):
        """Whether a submission received then may count: on time, or no deadline."""
        return self.deadline is None or received_at <= self.deadline

    def shows_results(self, now):
        """Whether a student may see their scores and feedback page now."""
        return self.hidden_results == AT_ONCE or (self.deadline is not None and now > self.deadline)

    def retry_after(self, recent, now):
        """Seconds until the student may submit again, given the times of their submissions
        (of this assignment); None when they may submit now."""
        window = sorted(t for t in recent if t > now - HOUR)
        if len(window) < self.per_hour:
            return None
        oldest_that_must_leave = window[len(window) - self.per_hour]
        return max(1, int((oldest_that_must_leave + HOUR - now).total_seconds()) + 1)


def load_policies(path, known):
    """{assignment: Policy} of the policy file `path`, or every assignment in `known` with the
    defaults when `path` is None; PolicyError says what is wrong."""
    if path is None:
        return {assignment: Policy() for assignment in known}
    with open(path, encoding="utf-8") as file:
        data = yaml.safe_load(file) or {}
    if not isinstance(data, dict) or not data:
        raise PolicyError(f"{path}: expected one entry per assignment, e.g. `ch1_sigmoid: {{}}`")
    return {
        assignment: parse_policy(assignment, rules, known) for assignment, rules in data.items()
    }


def parse_policy(assignment, rules, known):
    if assignment not in known:
        raise PolicyError(f"unknown assignment {assignment!r}: the course has {', '.join(known)}")
    rules = rules or {}
    unknown = set(rules) - {"deadline", "per_hour", "hidden_results"}
    if unknown:
        raise PolicyError(f"{assignment}: unknown setting(s) {', '.join(sorted(unknown))}")
    deadline = rules.get("deadline")
    if deadline is not None:
        if isinstance(deadline, str):
            try:
                deadline = datetime.fromisoformat(deadline)
            except ValueError as error:
                raise PolicyError(f"{assignment}: deadline {deadline!r}: {error}") from None
        if not isinstance(deadline, datetime) or deadline.tzinfo is None:
            raise PolicyError(
                f"{assignment}: the deadline needs a date, a time and a time zone, "
                "as in 2026-10-01T23:59:00+02:00"
            )
    per_hour = rules.get("per_hour", PER_HOUR)
    if not isinstance(per_hour, int) or isinstance(per_hour, bool) or per_hour < 1:
        raise PolicyError(f"{assignment}: per_hour must be a whole number of at least 1")
    hidden = rules.get("hidden_results", AT_ONCE)
    if hidden not in (AT_ONCE, AFTER_DEADLINE):
        raise PolicyError(f"{assignment}: hidden_results is {AT_ONCE} or {AFTER_DEADLINE}")
    if hidden == AFTER_DEADLINE and deadline is None:
        raise PolicyError(f"{assignment}: hidden_results: {AFTER_DEADLINE} needs a deadline")
    return Policy(deadline, per_hour, hidden)


def counting(submissions, policy):
    """The submission that counts among `submissions` (each with `.received_at`): the last one
    received on time; None when none was."""
    on_time = [s for s in submissions if policy.counts(s.received_at)]
    return max(on_time, key=lambda s: s.received_at, default=None)
