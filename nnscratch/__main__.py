"""Command line of the student package: `python -m nnscratch check NOTEBOOK`.

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
    args = parser.parse_args(argv)
    from .check import check_command

    return check_command(args.notebook, timeout=args.timeout)


if __name__ == "__main__":
    sys.exit(main())
