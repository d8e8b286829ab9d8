"""The web application (Starlette): the student's and the instructor's pages, the upload, the
downloads. Every route under a personal link (`/s/<token>`, `/i/<token>`) finds its person by
the token's hash; a wrong link, or another student's submission id, is a plain 404, the same
answer as a page that does not exist.

Every response carries a Content-Security-Policy that forbids scripts (the service's pages
have none; a student's feedback page must run none of what the student's code printed), frame
embedding and plugins, with `Referrer-Policy: no-referrer` so that a link followed from a page
never carries the token to another site.
"""

import logging
import re
import threading
from contextlib import asynccontextmanager
from datetime import datetime, timezone

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..course.paths import notebooks
from ..reporting.export import FORMATS, export
from . import pages
from .policy import HOUR, Policy, counting
from .store import QUEUED, Submission
from .tokens import hash_token, is_id, new_id
from .uploads import Refused, check_notebook, keep, limited, pick_notebook, sha256_of, too_large

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'; img-src 'self' data:; "
        # nbgrader's feedback and the class report carry their style inline.
        "style-src 'self' 'unsafe-inline'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
TOKEN_IN_PATH = re.compile(r"^/(s|i)/[^/]+")
log = logging.getLogger("autograder.service")


def redact(path):
    """A request path fit for a log: the personal link's token replaced."""
    return TOKEN_IN_PATH.sub(r"/\1/<token>", path)


class SecurityHeaders:
    """Adds HEADERS to every response, and logs each request with its token redacted (the
    server's own access log, which would print it, is off)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in LOWER]
                headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
                log.info("%s %s %s", scope["method"], redact(scope["path"]), message["status"])
            await send(message)

        await self.app(scope, receive, send_with_headers)


LOWER = {k.lower().encode() for k in HEADERS}


class Service:
    """The routes, bound to the store, the output folder, the policies and the runner."""

    def __init__(self, store, output, policies, runner, max_upload_bytes):
        self.store, self.output, self.policies, self.runner = store, output, policies, runner
        self.max_upload_bytes = max_upload_bytes
        self.accepting = threading.Lock()  # a rate check and its insert, together

    def app(self):
        s, i = "/s/{token}", "/i/{token}"
        routes = [
            Route("/", lambda request: html(pages.message("Grading", HOME))),
            Route("/style.css", lambda r: Response(pages.STYLE, media_type="text/css")),
            Route(s, self.student),
            Route(s + "/submit", self.submit, methods=["POST"]),
            Route(s + "/submissions/{id}.json", self.student_submission_json),
            Route(s + "/submissions/{id}", self.student_submission),
            Route(s + "/submissions/{id}/feedback/{name}", self.student_feedback),
            Route(i, self.instructor),
            Route(i + "/report.html", self.report),
            Route(i + "/grades.csv", self.grades),
            Route(i + "/export/{format}.csv", self.export),
            Route(i + "/submissions/{id}", self.instructor_submission),
            Route(i + "/submissions/{id}/feedback/{name}", self.instructor_feedback),
            Route(i + "/feedback/{student}/{assignment}/{name}", self.report_feedback),
            Route(i + "/regrade", self.regrade, methods=["POST"]),
        ]
        app = Starlette(routes=routes, lifespan=self.lifespan)
        app.add_exception_handler(404, not_found)
        return SecurityHeaders(app)

    @asynccontextmanager
    async def lifespan(self, app):
        self.runner.start()
        yield
        self.runner.stop()

    # Who is asking.

    async def person(self, request):
        found, student = await run_in_threadpool(
            self.store.person, hash_token(request.path_params["token"])
        )
        return found, student

    async def student_of(self, request):
        found, student = await self.person(request)
        if not found or student is None:
            raise HTTPException(404)
        return student

    async def instructor_of(self, request):
        found, student = await self.person(request)
        if not found or student is not None:
            raise HTTPException(404)

    # The student.

    async def student(self, request):
        student = await self.student_of(request)
        mine = await run_in_threadpool(self.store.submissions, student)
        by_assignment = {}
        for submission in mine:
            by_assignment.setdefault(submission.assignment, []).append(submission)
        counted = {a: counting(by_assignment.get(a, []), p) for a, p in self.policies.items()}
        base = base_of(request)
        return html(pages.student_page(student, self.policies, by_assignment, counted, base, now()))

    async def own_submission(self, request):
        student = await self.student_of(request)
        submission_id = request.path_params["id"]
        submission = is_id(submission_id) and await run_in_threadpool(
            self.store.submission, submission_id, student
        )
        if not submission:
            raise HTTPException(404)
        return submission

    def policy_of(self, submission):
        """Its assignment's policy; the defaults for one the policy file no longer names."""
        return self.policies.get(submission.assignment, Policy())

    async def counts(self, submission):
        theirs = await run_in_threadpool(
            self.store.submissions, submission.student_id, submission.assignment
        )
        found = counting(theirs, self.policy_of(submission))
        return found is not None and found.id == submission.id

    async def student_submission(self, request):
        submission = await self.own_submission(request)
        names = pages.feedback_names(self.output.submission_feedback(submission.id))
        return html(
            pages.submission_page(
                submission,
                self.policy_of(submission),
                await self.counts(submission),
                names,
                base_of(request),
                now(),
            )
        )

    async def student_submission_json(self, request):
        submission = await self.own_submission(request)
        policy, base = self.policy_of(submission), base_of(request)
        shown = policy.shows_results(now()) and submission.state == "graded"
        names = pages.feedback_names(self.output.submission_feedback(submission.id))
        return JSONResponse(
            {
                "id": submission.id,
                "assignment": submission.assignment,
                "notebook": submission.notebook,
                "sha256": submission.sha256,
                "received_at": submission.received_at.isoformat(),
                "state": submission.state,
                "graded_at": submission.graded_at and submission.graded_at.isoformat(),
                "counts": await self.counts(submission),
                "rows": submission.rows if shown else None,
                "page": f"{base}/submissions/{submission.id}",
                "feedback": [f"{base}/submissions/{submission.id}/feedback/{n}" for n in names]
                if shown
                else [],
            }
        )

    async def student_feedback(self, request):
        submission = await self.own_submission(request)
        if not self.policy_of(submission).shows_results(now()):
            raise HTTPException(404)
        return self.feedback_file(submission, request.path_params["name"])

    def feedback_file(self, submission, name):
        folder = self.output.submission_feedback(submission.id)
        if name not in pages.feedback_names(folder):  # a name from the folder, never the URL
            raise HTTPException(404)
        return FileResponse(folder / name, media_type="text/html")

    async def submit(self, request):
        student = await self.student_of(request)
        wants_json = "application/json" in request.headers.get("accept", "")
        try:
            submission = await self.accept(request, student)
        except Refused as refused:
            if wants_json:
                return JSONResponse(
                    {"error": refused.message}, refused.status, headers=refused.headers
                )
            return html(
                pages.message("Not accepted", refused.message, back=base_of(request)),
                refused.status,
                refused.headers,
            )
        self.runner.wake()
        url = f"{base_of(request)}/submissions/{submission.id}"
        if wants_json:
            return JSONResponse({"id": submission.id, "state": QUEUED, "page": url}, 202)
        return RedirectResponse(url, 303)

    async def accept(self, request, student):
        """Check an upload and store it: its file under a new id, then its row. Refused
        before anything is kept when it is too large, too frequent or not the notebook."""
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_upload_bytes:
            raise too_large(self.max_upload_bytes)
        bounded = Request(request.scope, limited(request.receive, self.max_upload_bytes))
        try:
            form = await bounded.form(max_files=1, max_fields=5)
        except Refused:
            raise
        except Exception:
            raise Refused(400, "The upload could not be read: send it from the form.") from None
        assignment, upload = form.get("assignment"), form.get("notebook")
        if upload is None or isinstance(upload, str):
            raise Refused(400, "No file: choose your notebook in the form, then submit.")
        if not assignment:
            assignment = self.assignment_of(upload.filename)
        if assignment not in self.policies:
            raise Refused(404, f"No assignment {assignment!r} takes submissions here.")
        await run_in_threadpool(self.check_rate, student, assignment)
        name = pick_notebook(assignment, upload.filename, self.output.release)
        submission_id = new_id()
        final = self.output.upload(submission_id)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(f".{submission_id}.part")
        try:
            with open(temporary, "wb") as file:
                while block := await upload.read(1 << 16):
                    file.write(block)
            released = self.output.release / assignment / name
            await run_in_threadpool(check_notebook, temporary, released, assignment)
            digest = sha256_of(temporary)
            submission = Submission(
                submission_id, student, assignment, name, digest, now(), QUEUED, [], ""
            )
            await run_in_threadpool(keep, temporary, final)
            await run_in_threadpool(self.add, submission)
        except BaseException:
            temporary.unlink(missing_ok=True)
            final.unlink(missing_ok=True)
            raise
        finally:
            await form.close()
        return submission

    def assignment_of(self, filename):
        """The assignment whose notebook has this file name (`nnscratch submit` without one)."""
        for assignment in self.policies:
            if filename in {p.name for p in notebooks(assignment, self.output.release)}:
                return assignment
        raise Refused(422, "Which assignment is this? Name it, or keep the notebook's file name.")

    def check_rate(self, student, assignment):
        policy, moment = self.policies[assignment], now()
        recent = self.store.received_since(student, assignment, moment - HOUR)
        wait = policy.retry_after(recent, moment)
        if wait is not None:
            raise Refused(
                429,
                f"You have made {len(recent)} submissions of {assignment} in the past hour, "
                f"the most this course allows ({policy.per_hour}). Try again in {wait} s.",
                {"Retry-After": str(wait)},
            )

    def add(self, submission):
        with self.accepting:  # two uploads at once must not both pass the rate limit
            self.check_rate(submission.student_id, submission.assignment)
            self.store.add_submission(submission)

    # The instructor.

    async def instructor(self, request):
        await self.instructor_of(request)
        students = await run_in_threadpool(self.store.students)
        everything = await run_in_threadpool(self.store.submissions)
        return html(pages.instructor_page(students, everything, self.policies, base_of(request)))

    async def report(self, request):
        await self.instructor_of(request)
        if not self.output.report.exists():
            return html(pages.message("Class report", "No grade yet: the report comes with one."))
        return FileResponse(self.output.report, media_type="text/html")

    async def grades(self, request):
        await self.instructor_of(request)
        if not self.output.grades.exists():
            raise HTTPException(404)
        return FileResponse(self.output.grades, media_type="text/csv", filename="grades.csv")

    async def export(self, request):
        await self.instructor_of(request)
        format = request.path_params["format"]
        if format not in FORMATS or not self.output.grades.exists():
            raise HTTPException(404)
        self.output.exports.mkdir(parents=True, exist_ok=True)
        path = await run_in_threadpool(
            export, self.output.root, format, self.output.exports / f"{format}.csv"
        )
        return FileResponse(path, media_type="text/csv", filename=f"{format}.csv")

    async def any_submission(self, request):
        await self.instructor_of(request)
        submission_id = request.path_params["id"]
        submission = is_id(submission_id) and await run_in_threadpool(
            self.store.submission, submission_id
        )
        if not submission:
            raise HTTPException(404)
        return submission

    async def instructor_submission(self, request):
        submission = await self.any_submission(request)
        names = pages.feedback_names(self.output.submission_feedback(submission.id))
        return html(pages.instructor_submission_page(submission, names, base_of(request)))

    async def instructor_feedback(self, request):
        submission = await self.any_submission(request)
        return self.feedback_file(submission, request.path_params["name"])

    async def report_feedback(self, request):
        """The report's links, relative to it: OUT_DIR/feedback's counting pages."""
        await self.instructor_of(request)
        student, assignment = request.path_params["student"], request.path_params["assignment"]
        students = {row.student_id for row in await run_in_threadpool(self.store.students)}
        if student not in students or assignment not in self.policies:
            raise HTTPException(404)
        folder = self.output.feedback_of(student, assignment)
        if request.path_params["name"] not in pages.feedback_names(folder):
            raise HTTPException(404)
        return FileResponse(folder / request.path_params["name"], media_type="text/html")

    async def regrade(self, request):
        await self.instructor_of(request)
        form = await request.form(max_files=0, max_fields=2)
        assignment = form.get("assignment")
        if assignment not in self.policies:
            raise HTTPException(404)
        count = await run_in_threadpool(self.runner.regrade, assignment)
        text = f"{count} submissions of {assignment} are queued to be graded again."
        return html(pages.message("Regrading", text, back=base_of(request)), 202)


HOME = "Open the personal link your instructor sent you."
NOT_FOUND = "There is nothing here. Check that you copied your whole personal link."


def not_found(request, exc):
    return html(pages.message("Not found", NOT_FOUND), 404)


def html(text, status=200, headers=None):
    return HTMLResponse(text, status, headers=headers)


def base_of(request):
    """The path of the personal link, as the request reached it (relative to the host)."""
    kind = "s" if request.url.path.startswith("/s/") else "i"
    return f"/{kind}/{request.path_params['token']}"


def now():
    return datetime.now(timezone.utc)
