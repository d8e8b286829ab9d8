"""Results of graded functions as JSON, both ways, without pickle.

The grader decodes what a student's kernel produced, so decoding must never run code: arrays
travel as `.npy` bytes read back with `allow_pickle=False`, and anything that is not a number,
an array, a string, None, a tuple, a list or a dict with string keys is kept only as its type
name.

What the grader says of a student's result may carry nothing the student's code chose: a
class's name, a structured array's field names or a string could hold whatever that code read
in the kernel. So an array of anything but numbers or bools decodes as `Unencodable`, and an
`Unencodable` names its type only when it is one of Python's and NumPy's own (`KNOWN_TYPES`).
"""

import base64
import io

import numpy as np

RECORD_MIME = "application/vnd.nnscratch.hidden-result+json"


def encode(value):
    if value is None:
        return {"none": True}
    if isinstance(value, np.ndarray):
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return {"ndarray": base64.b64encode(buffer.getvalue()).decode()}
    if isinstance(value, (bool, np.bool_)):
        return {"bool": bool(value)}
    if isinstance(value, (float, np.floating)):
        return {"float": float(value), "type": type(value).__name__}
    if isinstance(value, (int, np.integer)):
        return {"int": int(value)}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, (tuple, list)):
        return {type(value).__name__: [encode(item) for item in value]}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"dict": {key: encode(item) for key, item in value.items()}}
    return {"other": type(value).__name__}


def decode(data):
    """The value `encode` described; an unknown or damaged description raises ValueError."""
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise ValueError("not an encoded result")
    kind = next(iter(data))
    if kind == "none":
        return None
    if kind == "ndarray":
        array = np.load(io.BytesIO(base64.b64decode(data["ndarray"])), allow_pickle=False)
        return array if array.dtype.kind in NUMERIC_KINDS else Unencodable("array")
    if kind == "float":
        return np.float64(data["float"]) if data.get("type") != "float" else float(data["float"])
    if kind in ("bool", "int", "str"):
        return {"bool": bool, "int": int, "str": str}[kind](data[kind])
    if kind in ("tuple", "list"):
        items = [decode(item) for item in data[kind]]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {str(key): decode(item) for key, item in data["dict"].items()}
    if kind == "other":
        return Unencodable(str(data["other"]))
    raise ValueError(f"unknown result kind {kind!r}")


# The dtypes of arrays the grader compares: bools, integers, floats (and complex, to say so).
NUMERIC_KINDS = "biufc"
# Types a result may be named by: Python's and NumPy's own, never a name the student chose.
KNOWN_TYPES = frozenset(
    {"array", "function", "method", "builtin_function_or_method", "generator", "set"}
    | {"frozenset", "bytes", "bytearray", "complex", "range", "type", "module", "map", "zip"}
    | {"filter", "enumerate", "dict_keys", "dict_values", "dict_items", "matrix", "ellipsis"}
)


class Unencodable:
    """Stands for a result the grader cannot compare (a function, an object...)."""

    def __init__(self, type_name):
        self.type_name = type_name
        # What `nnscratch.checks.describe` says of it.
        if type_name == "array":
            self.described = "a numpy array of something other than numbers"
        elif type_name in KNOWN_TYPES:
            self.described = f"a {type_name}"
        else:
            self.described = "an object of a class of its own"

    def __eq__(self, other):
        return isinstance(other, Unencodable) and other.type_name == self.type_name

    def __repr__(self):
        return self.described
