"""The grading service under a deadline rush: 100 students submit chapter 1 notebooks within a
few seconds on loopback, against `python -m autograder grade` on the same notebooks.

    python benchmarks/service.py [--students 100] [--jobs 2] [--assignment ch1_sigmoid]

In the same run:
- the service: `python -m autograder serve` (SQLite gradebook, `--jobs N`) on a free loopback
  port; each student uploads their notebook from one of 20 client threads, as fast as the
  server takes them; the run then waits until every accepted submission is graded;
- the batch: `python -m autograder grade --jobs N` on the same notebooks in nbgrader's layout.

It reports the uploads accepted (and refused), that every accepted submission was graded
exactly once (each its own journal entry, none twice, none missing) and got the same row of
grades.csv as the batch gave it, the time from upload to graded feedback (median, 95th
percentile: the server's own received and graded times), and the throughput of both.
Not run by CI (about 15 minutes for 100 chapter 1 notebooks on 2 cores).
"""

import argparse
import csv
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
from grading import ENV, PYTHON, REPO, timed, write_batch

CLIENTS = 20


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_service(work, students, jobs, timeout):
    """The running service and {student: link}, once it answers."""
    (work / "roster.csv").write_text("student_id\n" + "".join(f"{s}\n" for s in students))
    port = free_port()
    command = [PYTHON, "-m", "autograder", "serve", "--out", work / "served", "--port", port]
    command += ["--roster", work / "roster.csv", "--jobs", jobs, "--timeout", timeout]
    log = open(work / "service.log", "w")
    process = subprocess.Popen(
        [str(c) for c in command], cwd=REPO, env=ENV, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    while True:
        assert process.poll() is None, (work / "service.log").read_text()[-3000:]
        try:
            if httpx.get(base + "/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    links = dict(re.findall(r"^(\S+): (http://\S+)$", (work / "service.log").read_text(), re.M))
    return process, base, links


def submit_all(links, submitted, assignment):
    """Upload every student's notebook, CLIENTS at a time; {student: the answer's JSON}."""

    def one(student):
        [path] = (submitted / student / assignment).glob("*.ipynb")
        with httpx.Client(timeout=120) as client:
            response = client.post(
                links[student] + "/submit",
                data={"assignment": assignment},
                files={"notebook": (path.name, path.read_bytes())},
                headers={"Accept": "application/json"},
            )
        return student, response.status_code, response.json()

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, sorted(p.name for p in submitted.iterdir())))


def wait_graded(base, accepted):
    """{student: the submission's final JSON}, once none is queued or running."""
    final = {}
    with httpx.Client(timeout=30) as client:
        while len(final) < len(accepted):
            for student, answer in accepted.items():
                if student not in final:
                    status = client.get(base + answer["page"] + ".json").json()
                    if status["state"] in ("graded", "failed"):
                        final[student] = status
            time.sleep(5)  # the figures are the server's own times: no need to ask often
    return final


def grades(path):
    with open(path, newline="") as file:
        return {row["student_id"]: row for row in csv.DictReader(file)}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--assignment", default="ch1_sigmoid")
    parser.add_argument("--timeout", type=int, default=30, help="cell limit of both")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="service-benchmark-"))
    submitted = work / "submitted"
    write_batch(args.assignment, args.students, submitted)
    students = sorted(p.name for p in submitted.iterdir())

    process, base, links = start_service(work, students, args.jobs, args.timeout)
    try:
        started = time.perf_counter()
        answers = submit_all(links, submitted, args.assignment)
        upload_seconds = time.perf_counter() - started
        accepted = {s: a for s, code, a in answers if code == 202}
        refused = [(s, code, a) for s, code, a in answers if code != 202]
        final = wait_graded(base, accepted)
        service_seconds = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=60)

    journal = [
        json.loads(line) for line in (work / "served" / "journal.jsonl").read_text().splitlines()
    ]
    per_student = {s: sum(e["student"] == s for e in journal) for s in accepted}
    latency = [
        (
            datetime.fromisoformat(f["graded_at"]) - datetime.fromisoformat(f["received_at"])
        ).total_seconds()
        for f in final.values()
    ]
    first = min(datetime.fromisoformat(f["received_at"]) for f in final.values())
    last = max(datetime.fromisoformat(f["graded_at"]) for f in final.values())
    served_span = (last - first).total_seconds()

    batch_seconds = timed(
        [PYTHON, "-m", "autograder", "grade", submitted, "--out", work / "batch"]
        + ["--jobs", str(args.jobs), "--timeout", str(args.timeout)],
        cwd=REPO,
    )
    served, batch = grades(work / "served" / "grades.csv"), grades(work / "batch" / "grades.csv")

    print(f"{args.students} students, {args.assignment}, --jobs {args.jobs}, in {work}")
    print(f"uploads: {len(accepted)} accepted, {len(refused)} refused, in {upload_seconds:.1f} s")
    for student, code, answer in refused:
        print(f"  refused {student}: {code} {answer}")
    print(f"final states: {sorted({f['state'] for f in final.values()})}")
    print(
        "graded exactly once: "
        f"{sum(n == 1 for n in per_student.values())} of {len(accepted)} "
        f"(twice or more: {sum(n > 1 for n in per_student.values())}, "
        f"never: {sum(n == 0 for n in per_student.values())})"
    )
    same = sum(served.get(s) == batch.get(s) for s in accepted)
    print(f"the same grades.csv row as grade's: {same} of {len(accepted)}")
    print(
        f"upload to feedback: median {statistics.median(latency):.1f} s, "
        f"95th percentile {percentile(latency, 0.95):.1f} s, max {max(latency):.1f} s"
    )
    print(
        f"service: first upload to last graded {served_span:.1f} s, "
        f"{len(final) / served_span * 60:.1f} notebooks/min "
        f"(wall, uploads included: {service_seconds:.1f} s)"
    )
    print(
        f"grade --jobs {args.jobs}: {batch_seconds:.1f} s, "
        f"{args.students / batch_seconds * 60:.1f} notebooks/min (set-up included)"
    )


if __name__ == "__main__":
    sys.exit(main())
