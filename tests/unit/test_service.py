"""The grading service's pure pieces, without a server or a kernel: the links, the policy, the
rate limit, which submission counts, the roster, an upload's checks, and the queue's store."""

import asyncio
from datetime import datetime, timedelta, timezone

import nbformat
import pytest
from support import REPO

from autograder.roster import RosterError, Student, read_roster
from autograder.service.app import redact
from autograder.service.command import new_students
from autograder.service.policy import (
    AFTER_DEADLINE,
    Policy,
    PolicyError,
    counting,
    load_policies,
)
from autograder.service.store import GRADED, QUEUED, Store, Submission
from autograder.service.tokens import hash_token, is_id, new_id, new_token
from autograder.service.uploads import Refused, check_notebook, limited, pick_notebook

KNOWN = ["ch1_sigmoid", "ch2_logistic_regression"]
RELEASED = REPO / "exercises" / "ch1_sigmoid" / "sigmoid_neuron.ipynb"
T0 = datetime(2026, 10, 1, 12, 0, tzinfo=timezone.utc)


# Links.


def test_a_link_is_random_and_only_its_hash_is_kept():
    first, second = new_token(), new_token()
    assert first != second and len(first) >= 43  # 32 random bytes
    assert hash_token(first) == hash_token(first) != hash_token(second)
    assert first not in hash_token(first) and len(hash_token(first)) == 64


def test_a_submission_id_is_random_hex_and_nothing_else_passes_for_one():
    assert is_id(new_id()) and new_id() != new_id()
    for guess in ["../x", "1", "G" * 32, new_id()[:-1], new_id() + "0", "0" * 31 + "/"]:
        assert not is_id(guess)


def test_a_logged_path_holds_no_token():
    token = new_token()
    assert redact(f"/s/{token}/submissions/abc") == "/s/<token>/submissions/abc"
    assert redact(f"/i/{token}") == "/i/<token>"
    assert token not in redact(f"/s/{token}/submit")


# The policy.


def write(tmp_path, text, name="policy.yml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_policy_file_gives_each_assignment_its_deadline_rate_and_results(tmp_path):
    path = write(
        tmp_path,
        "ch1_sigmoid:\n  deadline: 2026-10-01T23:59:00+02:00\n  per_hour: 3\n"
        "  hidden_results: after-deadline\nch2_logistic_regression: {}\n",
    )
    policies = load_policies(path, KNOWN)
    assert list(policies) == KNOWN
    ch1 = policies["ch1_sigmoid"]
    assert ch1.deadline == datetime(2026, 10, 1, 21, 59, tzinfo=timezone.utc)
    assert (ch1.per_hour, ch1.hidden_results) == (3, AFTER_DEADLINE)
    assert policies["ch2_logistic_regression"] == Policy()


def test_without_a_policy_file_every_assignment_is_open_with_the_defaults():
    assert load_policies(None, KNOWN) == {a: Policy() for a in KNOWN}


@pytest.mark.parametrize(
    "text, says",
    [
        ("ch9_unknown: {}\n", "unknown assignment"),
        ("ch1_sigmoid:\n  deadline: 2026-10-01T23:59:00\n", "time zone"),
        ("ch1_sigmoid:\n  deadline: next friday\n", "deadline"),
        ("ch1_sigmoid:\n  per_hour: 0\n", "per_hour"),
        ("ch1_sigmoid:\n  hidden_results: never\n", "hidden_results"),
        ("ch1_sigmoid:\n  hidden_results: after-deadline\n", "needs a deadline"),
        ("ch1_sigmoid:\n  deadlne: 2026-10-01T23:59:00+00:00\n", "unknown setting"),
        ("", "one entry per assignment"),
    ],
)
def test_a_wrong_policy_file_is_refused_with_what_is_wrong(tmp_path, text, says):
    with pytest.raises(PolicyError, match=says):
        load_policies(write(tmp_path, text), KNOWN)


def test_hidden_results_wait_for_the_deadline_only_when_the_policy_says_so():
    deadline = T0 + timedelta(days=1)
    assert Policy().shows_results(T0)
    later = Policy(deadline=deadline, hidden_results=AFTER_DEADLINE)
    assert not later.shows_results(deadline - timedelta(seconds=1))
    assert later.shows_results(deadline + timedelta(seconds=1))


# The rate limit.


def test_submissions_up_to_the_allowance_in_an_hour_pass():
    policy = Policy(per_hour=3)
    assert policy.retry_after([], T0) is None
    assert policy.retry_after([T0 - timedelta(minutes=m) for m in (1, 2)], T0) is None


def test_one_more_waits_until_the_oldest_in_the_hour_leaves_it():
    policy = Policy(per_hour=2)
    recent = [T0 - timedelta(minutes=50), T0 - timedelta(minutes=5)]
    assert policy.retry_after(recent, T0) == 10 * 60 + 1


def test_submissions_older_than_an_hour_do_not_count_against_the_allowance():
    policy = Policy(per_hour=1)
    assert policy.retry_after([T0 - timedelta(minutes=61)], T0) is None


def test_thirty_submissions_in_a_minute_let_only_the_allowance_through():
    policy, accepted = Policy(per_hour=5), []
    for second in range(0, 60, 2):
        moment = T0 + timedelta(seconds=second)
        if policy.retry_after(accepted, moment) is None:
            accepted.append(moment)
    assert len(accepted) == 5


# Which submission counts.


class Sent:
    def __init__(self, minutes):
        self.received_at = T0 + timedelta(minutes=minutes)


def test_the_last_submission_before_the_deadline_counts_not_a_late_one():
    policy = Policy(deadline=T0)
    sent = [Sent(-30), Sent(-1), Sent(5)]
    assert counting(sent, policy) is sent[1]


def test_without_a_deadline_the_last_submission_counts():
    sent = [Sent(-30), Sent(90)]
    assert counting(sent, Policy()) is sent[1]


def test_nothing_counts_when_every_submission_was_late():
    assert counting([Sent(1)], Policy(deadline=T0)) is None


def test_a_submission_at_the_deadline_itself_is_on_time():
    assert Policy(deadline=T0).counts(T0)


# The roster.


def test_a_roster_gives_ids_names_and_emails(tmp_path):
    path = write(tmp_path, "student_id,name,email\nada,Ada L,ada@x.org\nben,,\n", "roster.csv")
    assert read_roster(path) == [Student("ada", "Ada L", "ada@x.org"), Student("ben")]


def test_a_roster_of_ids_alone_is_enough(tmp_path):
    assert read_roster(write(tmp_path, "student_id\ns1\n", "r.csv")) == [Student("s1")]


@pytest.mark.parametrize(
    "text, says",
    [
        ("id,name\nada,Ada\n", "no student_id column"),
        ("student_id\n../etc\n", "line 2"),
        ("student_id,name\nada,Ada\n,Bob\n", "line 3"),
        ("student_id\nada\nada\n", "student_id ada is also on line 2"),
        ("student_id\na/b\n", "cannot name a folder"),
    ],
)
def test_a_roster_line_that_cannot_name_a_folder_is_refused_with_its_line(tmp_path, text, says):
    with pytest.raises(RosterError, match=says):
        read_roster(write(tmp_path, text, "roster.csv"))


def test_serving_a_roster_again_adds_only_the_new_students():
    roster = [Student("ada"), Student("ben"), Student("cy")]
    assert new_students(roster, {"ada", "ben"}) == [Student("cy")]


# An upload's checks.


def notebook_file(tmp_path, content, name="upload.part"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def refusal(tmp_path, content):
    with pytest.raises(Refused) as refused:
        check_notebook(notebook_file(tmp_path, content), RELEASED, "ch1_sigmoid")
    return refused.value


def test_the_released_notebook_itself_is_accepted(tmp_path):
    check_notebook(notebook_file(tmp_path, RELEASED.read_bytes()), RELEASED, "ch1_sigmoid")


def test_an_empty_file_is_refused_as_empty(tmp_path):
    assert refusal(tmp_path, b"").status == 422
    assert "empty" in refusal(tmp_path, b"").message


@pytest.mark.parametrize("content", ["not json at all", '{"cells": [', '{"a": 1}', "\x00\x01"])
def test_a_file_that_is_not_a_notebook_is_refused_as_not_a_notebook(tmp_path, content):
    refused = refusal(tmp_path, content)
    assert refused.status == 422 and "not a Jupyter notebook" in refused.message


def test_another_assignments_notebook_is_refused_naming_the_assignment(tmp_path):
    other = REPO / "exercises" / "ch2_logistic_regression" / "logistic_regression.ipynb"
    refused = refusal(tmp_path, other.read_bytes())
    assert refused.status == 422 and "not ch1_sigmoid's" in refused.message


def test_a_notebook_without_any_of_the_assignments_cells_is_refused(tmp_path):
    empty = nbformat.writes(nbformat.v4.new_notebook())
    assert "not ch1_sigmoid's" in refusal(tmp_path, empty).message


def test_a_file_name_only_picks_among_the_assignments_notebooks(tmp_path):
    release = REPO / "exercises"
    for name in ["../../etc/passwd", "sigmoid_neuron (1).ipynb", "", None, "C:\\x\\y.ipynb"]:
        assert pick_notebook("ch1_sigmoid", name, release) == "sigmoid_neuron.ipynb"


def test_a_body_past_the_limit_is_refused_as_it_streams_in():
    chunks = [{"type": "http.request", "body": b"x" * 400, "more_body": True}] * 10

    async def receive():
        return chunks.pop()

    async def read_all(limit):
        bounded = limited(receive, limit)
        read = 0
        while chunks:
            read += len((await bounded())["body"])
        return read

    with pytest.raises(Refused) as refused:
        asyncio.run(read_all(1000))
    assert refused.value.status == 413 and "larger than" in refused.value.message
    assert len(chunks) == 7  # it stopped at the third chunk, not at the end


# The queue's store.


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'gradebook.db'}")


def submission(student, minutes, assignment="ch1_sigmoid"):
    received = T0 + timedelta(minutes=minutes)
    return Submission(new_id(), student, assignment, "n.ipynb", "0" * 64, received, QUEUED, [], "")


def test_a_link_finds_its_student_by_its_hash_and_a_wrong_one_finds_no_one(store):
    token, teacher = new_token(), new_token()
    store.add_person(hash_token(token), Student("ada"))
    store.replace_instructor(hash_token(teacher))
    assert store.person(hash_token(token)) == (True, "ada")
    assert store.person(hash_token(teacher)) == (True, None)
    assert store.person(hash_token(new_token())) == (False, None)
    assert store.person(token) == (False, None)  # the token itself is not what is kept


def test_a_new_instructor_link_replaces_the_old_one(store):
    old, new = new_token(), new_token()
    store.replace_instructor(hash_token(old))
    store.replace_instructor(hash_token(new))
    assert store.person(hash_token(old)) == (False, None)
    assert store.person(hash_token(new)) == (True, None)


def test_a_students_new_link_replaces_the_old_one_and_an_unknown_id_gets_none(store):
    old, new = new_token(), new_token()
    store.add_person(hash_token(old), Student("ada"))
    assert store.replace_link("ada", hash_token(new))
    assert store.person(hash_token(old)) == (False, None)
    assert store.person(hash_token(new)) == (True, "ada")
    assert not store.replace_link("nobody", hash_token(new_token()))


def test_the_queue_is_claimed_oldest_first_one_per_students_assignment(store):
    first, second, other = submission("ada", 1), submission("ada", 2), submission("ben", 3)
    for s in (other, second, first):
        store.add_submission(s)
    assert store.claim(set()).id == first.id
    # ada's second waits while her first grades: they share her folders in OUT_DIR.
    assert store.claim({("ada", "ch1_sigmoid")}).id == other.id
    assert store.claim({("ada", "ch1_sigmoid"), ("ben", "ch1_sigmoid")}) is None


def test_what_was_running_when_the_service_died_is_queued_again(store):
    running, graded = submission("ada", 1), submission("ben", 2)
    store.add_submission(running)
    store.add_submission(graded)
    store.claim(set())
    store.claim(set())
    store.finish(graded.id, GRADED, [{"score": 1}])
    store.requeue_running()
    states = {s.id: s.state for s in store.submissions()}
    assert states == {running.id: QUEUED, graded.id: GRADED}
    assert store.submission(graded.id).rows == [{"score": 1}]


def test_a_student_finds_only_their_own_submission_by_its_id(store):
    mine = submission("ada", 1)
    store.add_submission(mine)
    assert store.submission(mine.id, "ada").id == mine.id
    assert store.submission(mine.id, "ben") is None


def test_the_rate_limit_reads_a_students_recent_submissions_of_one_assignment(store):
    for s in [submission("ada", -70), submission("ada", -5), submission("ada", -4, "ch2_x")]:
        store.add_submission(s)
    store.add_submission(submission("ben", -1))
    recent = store.received_since("ada", "ch1_sigmoid", T0 - timedelta(hours=1))
    assert recent == [T0 - timedelta(minutes=5)]


# The pages' rules, on the application in this process (no server, no grading).


class IdleRunner:
    """Nothing grades: the rows are made up."""

    def start(self):
        pass

    stop = wake = start


def test_before_the_deadline_an_after_deadline_policy_withholds_score_and_feedback(store, tmp_path):
    from starlette.testclient import TestClient

    from autograder.output.layout import OutputFolder
    from autograder.service.app import Service

    output = OutputFolder(tmp_path)
    token = new_token()
    store.add_person(hash_token(token), Student("ada"))
    graded = submission("ada", 1)
    graded.state, graded.rows = GRADED, [{"notebook": "n.ipynb", "score": 7, "max_score": 10}]
    graded.rows[0]["status"] = "graded"
    store.add_submission(graded)
    pages = output.submission_feedback(graded.id)
    pages.mkdir(parents=True)
    (pages / "n.html").write_text("<p>the feedback</p>")
    base = f"/s/{token}/submissions/{graded.id}"

    def client(deadline):
        policy = Policy(deadline=deadline, hidden_results=AFTER_DEADLINE)
        service = Service(store, output, {"ch1_sigmoid": policy}, IdleRunner(), 1024)
        return TestClient(service.app())

    soon = client(datetime.now(timezone.utc) + timedelta(days=1))
    answer = soon.get(base + ".json").json()
    assert answer["state"] == GRADED and answer["rows"] is None and answer["feedback"] == []
    assert "7 / 10" not in soon.get(base).text and "after the deadline" in soon.get(base).text
    assert soon.get(base + "/feedback/n.html").status_code == 404

    past = client(datetime.now(timezone.utc) - timedelta(seconds=1))
    assert past.get(base + ".json").json()["rows"][0]["score"] == 7
    assert "7 / 10" in past.get(base).text
    assert past.get(base + "/feedback/n.html").text == "<p>the feedback</p>"


def test_a_submission_queued_again_while_it_ran_is_graded_again_not_marked_done(store):
    regraded = submission("ada", 1)
    store.add_submission(regraded)
    store.claim(set())
    store.requeue([regraded.id])  # the instructor's regrade, mid-run
    store.finish(regraded.id, GRADED, [{"score": 3}])
    after = store.submission(regraded.id)
    assert after.state == QUEUED and after.rows == [{"score": 3}] and after.graded_at
