"""Remember what a reference function returned, by the content of its inputs.

The grader runs the reference's hidden code once per student, since most hidden inputs are
drawn per student; some inputs are the same for every student, though (the course's MNIST
split). A reference function is a pure function of its inputs (the hidden tests compare the
students' functions with it), so what it returned for inputs it has seen is reused: in
chapter 2 that spares a 500-step training on MNIST per student.
"""

import copy
import functools
import hashlib
import threading
from collections import OrderedDict

import numpy as np


class CannotDigest(TypeError):
    pass


_ABSENT = object()


def remembered(function, size=256):
    """`function`, answering inputs it has seen from memory (the last `size` of them).
    `wrapper.misses` counts the calls that ran it."""
    memory = OrderedDict()
    lock = threading.Lock()  # the threads of one grading process share the memory

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            key = digest((args, kwargs))
        except CannotDigest:
            return function(*args, **kwargs)
        with lock:
            found = memory.get(key, _ABSENT)
            if found is not _ABSENT:
                memory.move_to_end(key)
        if found is _ABSENT:
            found = function(*args, **kwargs)  # outside the lock: two threads may both run it
            with lock:
                wrapper.misses += 1
                memory[key] = found
                if len(memory) > size:
                    memory.popitem(last=False)
        # A copy, so that what a caller does to the result stays out of the memory.
        return copy.deepcopy(found)

    wrapper.misses = 0
    return wrapper


def digest(value):
    """A digest of `value`'s content: arrays, numbers, strings and containers of them."""
    # SHA-256 runs on the CPU's SHA instructions here: twice blake2b's speed on the 50 MB of
    # the MNIST training set, which chapter 2's reference is asked about once per student.
    hasher = hashlib.sha256()
    _feed(hasher, value)
    return hasher.hexdigest()


def _feed(hasher, value):
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise CannotDigest("an array of Python objects")
        hasher.update(repr(("array", value.dtype.str, value.shape)).encode())
        hasher.update(np.ascontiguousarray(value).reshape(-1).view(np.uint8))  # no copy
    elif isinstance(value, (tuple, list)):
        hasher.update(repr((type(value).__name__, len(value))).encode())
        for item in value:
            _feed(hasher, item)
    elif isinstance(value, dict):
        hasher.update(repr(("dict", len(value))).encode())
        for key in sorted(value, key=repr):
            _feed(hasher, key)
            _feed(hasher, value[key])
    elif value is None or isinstance(value, (bool, int, float, complex, str, bytes, np.generic)):
        hasher.update(repr((type(value).__name__, value)).encode())
    else:
        raise CannotDigest(f"a {type(value).__name__}")
