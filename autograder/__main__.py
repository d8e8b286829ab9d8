"""Command line of the instructor side:
`python -m autograder {release,collect,grade,serve,report,export,check,samples}`."""

import argparse
import os
import sys

from .collect import command as collect
from .sandbox.limits import CELL_SECONDS, MEMORY_MB, NOTEBOOK_SECONDS, PROCESSES


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="regenerate exercises/ from solutions/")
    release.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    release.add_argument(
        "--check", action="store_true", help="exit 1, naming the files, if exercises/ is stale"
    )

    grade = commands.add_parser("grade", help="grade every notebook under SUBMITTED_DIR")
    grade.add_argument(
        "submitted", metavar="SUBMITTED_DIR", help="<student_id>/<assignment_id>/<name>.ipynb"
    )
    grade.add_argument(
        "--out", required=True, metavar="OUT_DIR", help="where grades.csv and feedback/ go"
    )
    add_grading_options(grade)
    grade.add_argument("--force", action="store_true", help="regrade unchanged submissions too")

    serve = commands.add_parser("serve", help="grade notebooks as students upload them")
    serve.add_argument("--out", required=True, metavar="OUT_DIR", help="as grade's --out")
    serve.add_argument("--roster", metavar="CSV", help="student_id[, name, email]: adds students")
    serve.add_argument("--policy", metavar="FILE", help="each assignment's deadline and limits")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    serve.add_argument("--url", help="the address students use, for the links (behind a proxy)")
    serve.add_argument("--max-upload", type=int, default=10, metavar="MB", help="(10 MB)")
    serve.add_argument(
        "--new-instructor-link", action="store_true", help="replace the instructor's link"
    )
    serve.add_argument(
        "--new-link",
        action="append",
        default=[],
        metavar="STUDENT_ID",
        help="replace a student's link (lost or leaked); repeatable",
    )
    serve.add_argument(
        "--links-only", action="store_true", help="add the roster, print the links, exit"
    )
    add_grading_options(serve)

    check = commands.add_parser("check", help="run the public checks of one notebook")
    check.add_argument("notebook", metavar="NOTEBOOK")
    check.add_argument(
        "--timeout",
        type=int,
        default=CELL_SECONDS,
        metavar="SECONDS",
        help="time limit of one cell",
    )

    report = commands.add_parser("report", help="write OUT_DIR/report.html from a graded OUT_DIR")
    report.add_argument("out", metavar="OUT_DIR")

    export = commands.add_parser("export", help="write the grades of OUT_DIR for an LMS")
    export.add_argument("out", metavar="OUT_DIR")
    export.add_argument("--format", choices=["canvas", "moodle", "csv"], default="csv")
    export.add_argument("--to", metavar="FILE", help="default: OUT_DIR/<format>.csv")

    samples = commands.add_parser("samples", help="write the sample submissions of assignments")
    samples.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")
    samples.add_argument(
        "--out", required=True, metavar="DIR", help="written as DIR/<student>/<assignment>/"
    )

    collect.add_parser(commands)

    args = parser.parse_args(argv)
    if args.command == "release":
        from .course import release as command

        return command.check(args.assignments) if args.check else command.release(args.assignments)
    if args.command == "grade":
        from .batch.command import grade_command

        return grade_command(
            args.submitted,
            args.out,
            limits_of(args),
            force=args.force,
            jobs=args.jobs,
            scheduler=args.scheduler,
            db_url=args.db,
        )
    if args.command == "collect":
        return collect.main(args)
    if args.command == "serve":
        from .service.command import serve_command

        return serve_command(
            args.out,
            limits_of(args),
            roster=args.roster,
            policy=args.policy,
            db_url=args.db,
            jobs=args.jobs,
            scheduler=args.scheduler,
            host=args.host,
            port=args.port,
            url=args.url,
            max_upload_mb=args.max_upload,
            new_instructor_link=args.new_instructor_link,
            new_links=args.new_link,
            links_only=args.links_only,
        )
    if args.command == "report":
        from .reporting.report import write_report

        print(f"the class report -> {write_report(args.out)}")
        return 0
    if args.command == "export":
        from .reporting.export import export

        print(f"{args.format} grades -> {export(args.out, args.format, args.to)}")
        return 0
    if args.command == "check":
        from .check import check_command

        return check_command(args.notebook, timeout=args.timeout)
    from .course.samples import write_samples

    return write_samples(args.assignments, args.out)


def add_grading_options(parser):
    """Where and within which limits a student's notebook is graded: the same for `grade` and
    `serve`."""
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count(), metavar="N", help="notebooks at once (cores)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="BLAS threads of one notebook (cores / jobs; 1 on a Dask cluster)",
    )
    parser.add_argument("--scheduler", metavar="ADDRESS", help="grade on this Dask cluster")
    parser.add_argument(
        "--db", metavar="URL", help="the gradebook's SQLAlchemy URL (OUT_DIR/gradebook.db)"
    )
    parser.add_argument(
        "--timeout", type=int, default=CELL_SECONDS, metavar="SECONDS", help="limit of one cell"
    )
    parser.add_argument(
        "--notebook-timeout",
        type=int,
        default=NOTEBOOK_SECONDS,
        metavar="SECONDS",
        help="limit of a notebook",
    )
    parser.add_argument(
        "--memory", type=int, default=MEMORY_MB, metavar="MB", help="memory of a kernel"
    )
    parser.add_argument("--processes", type=int, default=PROCESSES, help="processes of a kernel")
    parser.add_argument(
        "--sandbox",
        choices=["bwrap", "none"],
        default="bwrap",
        help="run student code in bubblewrap (default) or, knowingly, with your rights",
    )


def limits_of(args):
    from .sandbox.limits import Limits

    return Limits(
        cell_seconds=args.timeout,
        notebook_seconds=args.notebook_timeout,
        memory_bytes=args.memory * 1024**2,
        processes=args.processes,
        sandbox=args.sandbox,
        threads=args.threads,
    )


if __name__ == "__main__":
    sys.exit(main())
