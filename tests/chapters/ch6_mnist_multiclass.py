"""Chapter 6's helpers that its fast and end-to-end tests share: a quiet call, shifted digits."""

import contextlib
import io

import numpy as np


def quietly(function, *args):
    """Call `function(*args)` with its progress bar (stderr) captured; (result, stderr text)."""
    with contextlib.redirect_stderr(io.StringIO()) as err:
        result = function(*args)
    return result, err.getvalue()


def shifted(X, right, down):
    """Each digit (a column of X) moved by whole pixels, zeros coming in: np.roll, then blank the
    rows and columns that wrapped round."""
    images = np.roll(X.T.reshape(-1, 28, 28), (down, right), axis=(1, 2))
    if down > 0:
        images[:, :down] = 0
    elif down < 0:
        images[:, down:] = 0
    if right > 0:
        images[:, :, :right] = 0
    elif right < 0:
        images[:, :, right:] = 0
    return images.reshape(-1, 784).T
