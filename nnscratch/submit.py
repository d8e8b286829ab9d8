"""`python -m nnscratch submit NOTEBOOK --to URL`: hand a notebook in to the course's grading
service from a terminal or a notebook cell, and wait for its grade.

URL is the personal link the instructor sent (`https://.../s/<token>`). The standard library
only: the student's environment need not have anything else (Colab included), and nothing of
the grader is imported. Exit 0 once graded, 1 when the service refused the notebook or could
not grade it, 2 when the service cannot be reached.
"""

import json
import mimetypes
import secrets
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

POLL_SECONDS = 2


def multipart(fields, file_field, path):
    """A multipart/form-data body: (its content type, its bytes)."""
    boundary = secrets.token_hex(16)

    def part(disposition, content, kind=None):
        head = f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n"
        head += f"Content-Type: {kind}\r\n" if kind else ""
        return head.encode() + b"\r\n" + content + b"\r\n"

    parts = [part(f'name="{name}"', value.encode()) for name, value in fields.items()]
    # The service never uses the file name as a path; a quote would end the header's value.
    filename = path.name.replace('"', "")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    parts.append(part(f'name="{file_field}"; filename="{filename}"', path.read_bytes(), kind))
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def request(url, data=None, content_type=None):
    """(HTTP status, the JSON answer) of a request to the service."""
    headers = {"Accept": "application/json"}
    if content_type:
        headers["Content-Type"] = content_type
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=60) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {"error": f"the service answered {error.code} {error.reason}"}


def submit(notebook, link, assignment=None, wait=True, out=sys.stdout):
    """Upload `notebook` to the personal `link`; with `wait`, follow it until it is graded."""
    path, link = Path(notebook), link.rstrip("/")
    if not path.is_file():
        print(f"no such file: {path}", file=out)
        return 2
    origin = link.split("/s/")[0]
    fields = {"assignment": assignment} if assignment else {}
    content_type, body = multipart(fields, "notebook", path)
    try:
        status, answer = request(f"{link}/submit", body, content_type)
    except (urllib.error.URLError, OSError) as error:
        print(f"the grading service cannot be reached at {origin}: {error}", file=out)
        return 2
    if status != 202:
        print(f"not accepted ({status}): {answer.get('error', answer)}", file=out)
        return 1
    print(f"accepted: submission {answer['id'][:8]}, {answer['state']}", file=out, flush=True)
    if not wait:
        return 0
    state = answer["state"]
    while state in ("queued", "running"):
        time.sleep(POLL_SECONDS)
        try:
            _, answer = request(f"{origin}{answer['page']}.json")
        except (urllib.error.URLError, OSError):
            continue  # the service restarting: the submission is kept, keep asking
        if answer["state"] != state:
            state = answer["state"]
            print(state, file=out, flush=True)
    if state != "graded":
        print("the grader could not grade it; your instructor has been told", file=out)
        return 1
    if answer["rows"] is None:
        print("graded: your score and feedback show after the deadline", file=out)
    for row in answer["rows"] or []:
        print(
            f"{row['notebook']}: {row['score']:g} / {row['max_score']:g} ({row['status']})",
            file=out,
        )
    for page in answer["feedback"]:
        print(f"feedback: {origin}{page}", file=out)
    if not answer["counts"]:
        print("note: this submission does not count (a later one does, or it is late)", file=out)
    return 0
