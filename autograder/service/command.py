"""`python -m autograder serve`: set the course up once, add the roster's students, print the
new personal links, then serve until stopped (`app`), grading as submissions arrive
(`runner`)."""

import logging
import sys
from dataclasses import replace
from pathlib import Path

from ..batch.executors import blas_threads
from ..batch.grade import set_up
from ..course.paths import assignments
from ..output.layout import OutputFolder
from ..roster import RosterError, read_roster
from ..sandbox.bubblewrap import sandbox_problem
from .policy import PolicyError, load_policies
from .store import Store
from .tokens import hash_token, new_token

MB = 1024**2


def serve_command(
    out_dir,
    limits,
    roster=None,
    policy=None,
    db_url=None,
    jobs=1,
    scheduler=None,
    host="127.0.0.1",
    port=8000,
    url=None,
    max_upload_mb=10,
    new_instructor_link=False,
    new_links=(),
    links_only=False,
):
    """Exit 2 when the service cannot start (its reason said), else serve until stopped."""
    try:
        policies = load_policies(policy, assignments())
        students = read_roster(roster) if roster else []
    except (PolicyError, RosterError, OSError) as error:
        print(f"not serving: {error}", file=sys.stderr)
        return 2
    if limits.sandbox != "none" and sandbox_problem() and not links_only:
        print(
            f"not serving: {sandbox_problem()}. Student code would run with your rights; "
            "pass --sandbox none to serve without a sandbox anyway.",
            file=sys.stderr,
        )
        return 2
    output = OutputFolder(Path(out_dir).resolve())
    output.root.mkdir(parents=True, exist_ok=True)
    db_url = db_url or output.default_db_url()
    base = (url or f"http://{host}:{port}").rstrip("/")
    store = Store(db_url)
    if not print_links(store, students, base, new_instructor_link, new_links):
        return 2
    if links_only:
        return 0

    from .app import Service
    from .runner import Runner

    if limits.threads is None:
        limits = replace(limits, threads=blas_threads(jobs, jobs, scheduler))
    print(f"setting up {', '.join(policies)} (the reference's cell times, once)...", flush=True)
    set_up(output, output.service, limits, db_url, policies)
    runner = Runner(store, output, policies, limits, jobs, scheduler, db_url)
    service = Service(store, output, policies, runner, max_upload_mb * MB)
    return run_server(service.app(), host, port)


def print_links(store, students, base, new_instructor_link, new_links=()):
    """Add the roster's new students and print their links; the instructor's on the first run;
    a new link for the instructor or the students named, whose old ones stop working. Tokens
    are shown once, never kept. False when a student named is not on the roster."""
    if new_instructor_link or not store.has_instructor():
        token = new_token()
        store.replace_instructor(hash_token(token))
        print(f"instructor: {base}/i/{token}")
    added = new_students(students, store.known_students())
    for student in added:
        token = new_token()
        store.add_person(hash_token(token), student)
        print(f"{student.student_id}: {base}/s/{token}")
    if students:
        print(f"{len(added)} new students; {len(students) - len(added)} kept their links")
    for student_id in new_links:
        token = new_token()
        if not store.replace_link(student_id, hash_token(token)):
            print(f"no student {student_id} on the roster: no new link", file=sys.stderr)
            return False
        print(f"{student_id}: {base}/s/{token}")
    sys.stdout.flush()
    return True


def run_server(app, host, port):
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    # access_log off: it prints paths, and a path holds a personal link. `app` logs each
    # request with its token redacted. Behind a TLS proxy, uvicorn's proxy headers give the
    # client's address; set FORWARDED_ALLOW_IPS to the proxy's.
    uvicorn.run(app, host=host, port=port, access_log=False, proxy_headers=True)
    return 0


def new_students(roster, known_ids):
    """The roster's students the service does not have yet: a second `serve --roster` adds
    them and leaves everyone else's link as it is."""
    return [student for student in roster if student.student_id not in known_ids]
