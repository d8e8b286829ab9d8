"""Command line of the instructor side:
`python -m autograder {release,grade,report,export,check,samples}`."""

import argparse
import os
import sys

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
    grade.add_argument(
        "--jobs", type=int, default=os.cpu_count(), metavar="N", help="notebooks at once (cores)"
    )
    grade.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="BLAS threads of one notebook (cores / jobs; 1 on a Dask cluster)",
    )
    grade.add_argument("--scheduler", metavar="ADDRESS", help="grade on this Dask cluster")
    grade.add_argument(
        "--db", metavar="URL", help="the gradebook's SQLAlchemy URL (OUT_DIR/gradebook.db)"
    )
    grade.add_argument(
        "--timeout", type=int, default=CELL_SECONDS, metavar="SECONDS", help="limit of one cell"
    )
    grade.add_argument(
        "--notebook-timeout",
        type=int,
        default=NOTEBOOK_SECONDS,
        metavar="SECONDS",
        help="limit of a notebook",
    )
    grade.add_argument(
        "--memory", type=int, default=MEMORY_MB, metavar="MB", help="memory of a kernel"
    )
    grade.add_argument("--processes", type=int, default=PROCESSES, help="processes of a kernel")
    grade.add_argument(
        "--sandbox",
        choices=["bwrap", "none"],
        default="bwrap",
        help="run student code in bubblewrap (default) or, knowingly, with your rights",
    )
    grade.add_argument("--force", action="store_true", help="regrade unchanged submissions too")

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

    args = parser.parse_args(argv)
    if args.command == "release":
        from .course import release as command

        return command.check(args.assignments) if args.check else command.release(args.assignments)
    if args.command == "grade":
        from .batch.command import grade_command
        from .sandbox.limits import Limits

        limits = Limits(
            cell_seconds=args.timeout,
            notebook_seconds=args.notebook_timeout,
            memory_bytes=args.memory * 1024**2,
            processes=args.processes,
            sandbox=args.sandbox,
            threads=args.threads,
        )
        return grade_command(
            args.submitted,
            args.out,
            limits,
            force=args.force,
            jobs=args.jobs,
            scheduler=args.scheduler,
            db_url=args.db,
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


if __name__ == "__main__":
    sys.exit(main())
