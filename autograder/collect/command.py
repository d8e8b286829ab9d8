"""`python -m autograder collect ARCHIVE --from canvas|moodle --roster CSV --out SUBMITTED_DIR`.

Exit 0 when every file of the archive was written; 1 when some were listed as not collected
(the notebooks that could be are written all the same); 2 when nothing could be done (the
archive is no zip, the roster cannot be used)."""

from ..course.paths import assignments
from ..roster import RosterError, read_roster
from .archive import MEMBER_BYTES, TOTAL_BYTES, ArchiveError
from .collect import LMSES, collect


def add_parser(subcommands):
    """The `collect` subcommand, on the command line's subparsers."""
    parser = subcommands.add_parser(
        "collect", help="turn an LMS's bulk download of an assignment into SUBMITTED_DIR"
    )
    parser.add_argument("archive", metavar="ARCHIVE", help="the LMS's zip of the submissions")
    parser.add_argument(
        "--from", dest="lms", choices=sorted(LMSES), required=True, help="the LMS that made it"
    )
    parser.add_argument(
        "--roster",
        required=True,
        metavar="CSV",
        help="columns student_id[, name, email, canvas_id, moodle_id]",
    )
    parser.add_argument(
        "--out", required=True, metavar="SUBMITTED_DIR", help="<student_id>/<assignment_id>/"
    )
    parser.add_argument(
        "--assignment",
        choices=assignments(),
        metavar="ASSIGNMENT",
        help="collect this assignment's notebooks only",
    )
    parser.add_argument(
        "--member-limit",
        type=int,
        default=MEMBER_BYTES // 2**20,
        metavar="MB",
        help="refuse a file larger than this",
    )
    parser.add_argument(
        "--total-limit",
        type=int,
        default=TOTAL_BYTES // 2**20,
        metavar="MB",
        help="refuse files past this much read in all",
    )
    return parser


def main(args):
    """Run `collect` for parsed arguments; the exit status."""
    return collect_command(
        args.archive,
        args.lms,
        args.roster,
        args.out,
        assignment=args.assignment,
        member_bytes=args.member_limit * 2**20,
        total_bytes=args.total_limit * 2**20,
    )


def collect_command(archive, lms, roster, out, **options):
    """Collect, print what was written and every file that was not, with why; the exit status."""
    try:
        result = collect(archive, lms, read_roster(roster), out, **options)
    except (ArchiveError, RosterError, OSError) as error:
        print(f"not collecting: {error}")
        return 2
    students = {path.relative_to(out).parts[0] for _, path, _ in result.written}
    late = sum(upload.late for _, _, upload in result.written)
    print(
        f"{_count(len(result.written), 'notebook')} of {_count(len(students), 'student')} -> {out}"
        + (f" ({late} marked late by {lms})" if late else "")
    )
    if result.missing:
        missing = ", ".join(result.missing)
        print(f"no notebook from {_count(len(result.missing), 'student')} of the roster: {missing}")
    if result.unmatched:
        print(f"{_count(len(result.unmatched), 'file')} not collected:")
        for member, reason in result.unmatched:
            print(f"  {member!r}: {reason}")
    return 1 if result.unmatched else 0


def _count(number, noun):
    return f"{number} {noun}" + ("" if number == 1 else "s")
