"""Public checks: one module per chapter, built on the expectations in `_core`.

In a notebook: `from nnscratch.checks.ch1_sigmoid import check_sigmoid`, then
`check_sigmoid(sigmoid)`. A failing check raises `CheckFailed` with a sentence saying what was
expected and what came back, and which ends by pointing to the hints above the graded cell
(`_hints`).
"""

from ._core import (
    HISTORY_KEYS,
    CheckFailed,
    call,
    describe,
    error_name,
    expect_array,
    expect_close,
    expect_history,
    expect_number,
    failed_call,
    is_number,
    keys_differ,
    not_implemented,
)
from ._views import views

__all__ = [
    "HISTORY_KEYS",
    "CheckFailed",
    "call",
    "describe",
    "error_name",
    "expect_array",
    "expect_close",
    "expect_history",
    "expect_number",
    "failed_call",
    "is_number",
    "keys_differ",
    "not_implemented",
    "views",
]
