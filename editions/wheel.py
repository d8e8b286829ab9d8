"""The student wheel: `nnscratch`, with the bundled MNIST inside, for a student outside the repo.

A student who downloads an exercise notebook from the book needs what its first cell imports
(`nnscratch`: data loaders, plotting helpers, public checks, `python -m nnscratch check`) and the
data it reads. The repository's own `pyproject.toml` also installs the instructor's `autograder`
and reads the data from `data/`; so the wheel is built, with `python -m build`, from a staged
copy: the `nnscratch` package, `data/mnist` (with its SHA256SUMS, which `load_mnist` verifies)
as package data in `nnscratch/_data/mnist`, and a pyproject of its own whose dependencies are
the ranges of `requirements.txt` that the exercise notebooks use.

Both editions of the book build it into their HTML folder (this module is their Sphinx
extension), next to the pages, where the setup page links it: `make` and the GitHub Pages
workflow publish it with the student edition.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What an exercise notebook and `python -m nnscratch check` import, by their requirements.txt names.
RUNTIME = [
    "numpy",
    "matplotlib",
    "seaborn",
    "scikit-learn",
    "tqdm",
    "nbformat",
    "nbclient",
    "ipykernel",
]
DATA_FILES = ["*.gz", "SHA256SUMS", "README.md"]


def version():
    """The project's version, from pyproject.toml (tomllib is Python 3.11+; the course has 3.10)."""
    text = (REPO / "pyproject.toml").read_text()
    return re.search(r'^version = "([^"]+)"', text, re.MULTILINE).group(1)


def wheel_name():
    """The file name pip expects of the wheel (PEP 427)."""
    return f"nnscratch-{version()}-py3-none-any.whl"


def runtime_requirements():
    """The lines of requirements.txt for the RUNTIME packages: one source for their ranges."""
    lines = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        name = re.match(r"[A-Za-z0-9_.-]+", line.strip())
        if name and not line.lstrip().startswith("#"):
            lines[name.group(0).lower()] = line.split("#")[0].strip()
    return [lines[name] for name in RUNTIME]


def pyproject():
    dependencies = ", ".join(f'"{line}"' for line in runtime_requirements())
    return f"""[build-system]
requires = ["setuptools>=70.1"]
build-backend = "setuptools.build_meta"

[project]
name = "nnscratch"
version = "{version()}"
description = "Neural Networks from Scratch: the student's helpers, checks and bundled MNIST"
requires-python = ">=3.10"
license = {{ text = "MIT" }}
dependencies = [{dependencies}]

[tool.setuptools.packages.find]
include = ["nnscratch*"]

[tool.setuptools.package-data]
nnscratch = ["_data/README.md", "_data/mnist/*"]
"""


def build_wheel(out_dir):
    """Build the student wheel into `out_dir`; its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nnscratch-wheel-") as staging:
        staging = Path(staging)
        shutil.copytree(
            REPO / "nnscratch", staging / "nnscratch", ignore=shutil.ignore_patterns("__pycache__")
        )
        data = staging / "nnscratch" / "_data" / "mnist"
        data.mkdir(parents=True)
        for pattern in DATA_FILES:
            for path in (REPO / "data" / "mnist").glob(pattern):
                shutil.copyfile(path, data / path.name)
        # The provenance and licences of the data travel with it.
        shutil.copyfile(REPO / "data" / "README.md", data.parent / "README.md")
        (staging / "pyproject.toml").write_text(pyproject())
        # The course's venv has setuptools and build: no download, the same tools every time.
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out_dir],
            cwd=staging,
            check=True,
            capture_output=True,
            text=True,
        )
    wheel = out_dir / wheel_name()
    if not wheel.is_file():
        raise RuntimeError(f"python -m build did not write {wheel}")
    return wheel


def _build_into_site(app, exception):
    if exception is None and app.builder.format == "html":
        build_wheel(app.outdir)


def setup(app):
    app.connect("build-finished", _build_into_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
