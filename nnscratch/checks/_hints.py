"""A failing public check sends the student to the hints above the graded cell.

Every graded function and method has two or three collapsed, numbered hints in the markdown
above its cell (tests/unit/test_hints.py). Its check declares how many, once, with
`@points_to_hints(piece, count)`; this module alone says how the failure sentence ends with
them. A check without the decorator (a course's item without hints) ends as it did.
"""

import functools

from ._core import CheckFailed


def pointer(piece, count):
    """The words that end a failing check's sentence: where the hints of `piece` are."""
    numbers = f"Hints 1-{count}"
    if "." in piece:  # a method of a graded class: its hints are labelled with its name
        return f"({numbers} for {piece.rpartition('.')[2]} are above the class's cell.)"
    return f"({numbers} are above this function's cell.)"


def points_to_hints(piece, count):
    """Decorate the public check of `piece` (`sigmoid`, `NeuralNetwork.forward`), which has
    `count` hints in the notebook: its failure sentence ends with where they are."""
    words = pointer(piece, count)

    def decorate(check):
        @functools.wraps(check)
        def run(*args, **kwargs):
            try:
                return check(*args, **kwargs)
            except CheckFailed as failure:
                message = str(failure).rstrip()
                if not message.endswith(words):
                    failure.args = (f"{message} {words}",)
                raise

        run.hints = (piece, count)
        return run

    return decorate
