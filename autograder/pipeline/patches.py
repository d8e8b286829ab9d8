"""Every change this course makes to nbgrader itself, applied when this module is imported.

1. nbgrader stamps a new gradebook with its schema's newest revision, which it asks a
subprocess (`alembic heads`, 2.4 s here) for each time; it is a constant of the installed
nbgrader, read here in-process once in 0.2 s (`alembic_head`).

2. nbgrader, made safe for a process whose threads grade several notebooks at once.

A Dask worker with more than one thread runs several `autograde`s in one process. Two things
nbgrader does to the whole process break then (both seen: a notebook reported as failed, and a
worker left in a deleted folder for good):
- `nbgrader.utils.setenv`, around each notebook's autograde, deletes the variable when it
  leaves whatever it was before: the second of two threads to finish failed with KeyError;
- a converter's `start` changes into the course root and back, but the working directory is
  the process's: the thread that entered second saved the root as "before", restored it last,
  and left the worker there.
Importing this module replaces both with versions that count the threads inside: the variable
stays set, and the directory stays the root, while any thread is inside; the value and the
directory of before the first come back when the last one leaves. The course's paths are all
absolute, so what the directory is in between does not matter.
"""

import contextlib
import functools
import os
import threading
from pathlib import Path

import nbgrader
import nbgrader.api
import nbgrader.utils
from nbgrader.converters.base import BaseConverter

_lock = threading.Lock()
_variables = {}  # name -> [threads inside, the value before the first]
_directory = [0, None]  # [threads inside a converter's start, the directory before the first]


@contextlib.contextmanager
def shared_setenv(**variables):
    with _lock:
        for key, value in variables.items():
            inside = _variables.setdefault(key, [0, os.environ.get(key)])
            inside[0] += 1
            os.environ[key] = value
    try:
        yield
    finally:
        with _lock:
            for key in variables:
                inside = _variables[key]
                inside[0] -= 1
                if inside[0] == 0:
                    del _variables[key]
                    if inside[1] is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = inside[1]


def keeping_directory(start):
    @functools.wraps(start)
    def wrapper(self):
        with _lock:
            if _directory[0] == 0:
                _directory[1] = os.getcwd()
            _directory[0] += 1
        try:
            return start(self)
        finally:
            with _lock:
                _directory[0] -= 1
                if _directory[0] == 0:
                    os.chdir(_directory[1])

    return wrapper


@functools.cache
def alembic_head():
    """The newest revision of nbgrader's gradebook schema, which it stamps on a new gradebook."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()


nbgrader.api.get_alembic_version = alembic_head
if not getattr(BaseConverter.start, "__wrapped__", None):
    nbgrader.utils.setenv = shared_setenv
    BaseConverter.start = keeping_directory(BaseConverter.start)
