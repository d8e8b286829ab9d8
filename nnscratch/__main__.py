"""Command line of the student package: `python -m nnscratch check NOTEBOOK`, and
`python -m nnscratch submit NOTEBOOK --to URL` to hand it in to the grading service.

It works wherever `nnscratch` is installed (the course's venv, a student's own environment, a
Colab runtime), from any folder. Exit 0 when every public check passes, 1 when any fails, 2 when
the notebook cannot be run.
"""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nnscratch", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="run the public checks of one exercise notebook")
    check.add_argument("notebook", metavar="NOTEBOOK")
    check.add_argument(
        "--timeout", type=int, default=120, help="seconds allowed per cell (default 120)"
    )
    submit = commands.add_parser("submit", help="hand a notebook in to the grading service")
    submit.add_argument("notebook", metavar="NOTEBOOK")
    submit.add_argument("--to", required=True, metavar="URL", help="your personal link")
    submit.add_argument("--assignment", help="default: the one whose notebook has this name")
    submit.add_argument("--no-wait", action="store_true", help="do not wait for the grade")
    args = parser.parse_args(argv)
    if args.command == "submit":
        from .submit import submit as submit_command

        return submit_command(args.notebook, args.to, args.assignment, wait=not args.no_wait)
    from .check import check_command

    return check_command(args.notebook, timeout=args.timeout)


if __name__ == "__main__":
    sys.exit(main())
