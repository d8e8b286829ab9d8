"""Input checks, any chapter's: a function that must refuse a bad input with an error that says
what is wrong. A secondary requirement, graded by a test of its own (its own small share of the
points), so that the core behaviour keeps the rest whatever this test says.

What "says what is wrong" means: the message names the argument (in any spelling: batch_size,
"batch size", mini_batch_size) or the bad values (0; both counts, 10 and 9). `naming` lists the
ways to say it, each a tuple of words that must all appear; a message that says none of them
(`invalid input`, an empty message) does not say what is wrong.
"""

import re

from ._core import CheckFailed, describe, error_name


def says_what_is_wrong(message, naming):
    """True when `message` holds every word of one of the tuples of `naming`."""
    text = _words(message)
    return any(all(_holds(text, word) for word in words) for words in naming)


def _words(text):
    # batch_size, batch-size and "batch size" read alike; so do any case and spacing.
    return " " + re.sub(r"[\s_-]+", " ", str(text).lower()) + " "


def _holds(text, word):
    word = _words(word).strip()
    # A word or a number on its own: "0" is not in "10", nor "x" in "examples".
    return re.search(rf"(?<![\w.]){re.escape(word)}(?![\w]|\.\d)", text) is not None


def _is_number(word):
    try:
        float(word)
    except ValueError:
        return False
    return True


def said(naming):
    """The ways of `naming` in words: 'batch size, or 0'."""
    return ", or ".join(" and ".join(words) for words in naming)


def compare_raised(got, expected, label, rtol, atol):
    """The view `raises`: the error the reference raises, with a message that says what is
    wrong in any words (`expected["naming"]`, the reference's record: never the student's)."""
    if not isinstance(got, dict) or not {"raised", "message"} <= set(got):
        raise CheckFailed(f"{label} recorded {describe(got)}, not the error it raised.")
    error = expected["raised"]
    if got["raised"] is None:
        raise CheckFailed(
            f"{label} should raise {error} that says what is wrong, it raised nothing."
        )
    # The student's error and message are never repeated: the hidden tests run with the
    # references in the kernel, and the student's code writes both.
    if got["raised"] != error:
        raise CheckFailed(f"{label} should raise {error}, but raised {error_name(got['raised'])}.")
    if not says_what_is_wrong(got["message"], expected["naming"]):
        # The bad values are the hidden input's: the sentence names only the words.
        words = [w for w in expected["naming"] if not any(_is_number(x) for x in w)]
        raise CheckFailed(
            f"{label} raised {error}, but its message should say what is wrong: name "
            f"{said(words) if words else 'the argument'} or the bad value."
        )


VIEWS = {"raises": compare_raised}
