"""Every chapter's views, found where each chapter declares them: `VIEWS` in its check module.

A view says what of a hidden result the grader compares where a right answer need not equal
the reference's (any shuffle partitions a data set). A chapter that needs a new comparison adds
it to its own module, `nnscratch/checks/<chapter>.py`; nothing shared changes. Views any chapter
may use (`random_draw`, `raises`, `together`) are the kit's own, in modules of their own here.
"""

import importlib
import pkgutil
from functools import cache
from pathlib import Path

from ._draws import VIEWS as DRAWS
from ._errors import VIEWS as ERRORS
from ._together import together


@cache
def views():
    """{view name: compare(got, expected, label, rtol, atol)} of every chapter."""
    found = {**DRAWS, **ERRORS}  # the kit's own, for any chapter
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("_"):
            continue
        chapter = importlib.import_module(f"{__package__}.{module.name}")
        for name, compare in getattr(chapter, "VIEWS", {}).items():
            if name in found:
                raise ValueError(f"two chapters declare the view {name!r}")
            found[name] = compare
    found["together"] = together(found)  # a run's own view is any of the others
    return found
