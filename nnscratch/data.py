"""Data loaders for the course: MNIST in its idx-ubyte format, or as Colab's CSV.

Every loader returns the course's column-major layout: ``X`` of shape ``(784, m)``, float64 in
[0, 1], one column per image, and ``y`` of shape ``(m,)``, int64 labels 0..9.

The bundled MNIST subset lives in the repository's ``data/mnist`` (see its README for the
provenance and licences), and inside the package (``nnscratch/_data/mnist``) when it is installed
from the book's wheel. Set the environment variable ``NNSCRATCH_DATA`` to a folder holding
a ``mnist/`` folder to read it from elsewhere, like scikit-learn's ``data_home``.
"""

import gzip
import hashlib
import math
import os
import zlib
from pathlib import Path

import numpy as np

__all__ = ["DataFileError", "load_mnist", "load_mnist_csv", "load_moons", "read_idx", "write_idx"]

# idx type code -> big-endian NumPy dtype (http://yann.lecun.com/exdb/mnist/, "THE IDX FILE FORMAT")
IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
GZIP_MAGIC = b"\x1f\x8b"
SPLITS = {"train": "train", "test": "t10k"}
# Installed from the book's wheel, the data sit inside the package; in the repository, in data/.
_PACKAGED_DATA = Path(__file__).resolve().parent / "_data"
DEFAULT_DATA_HOME = (
    _PACKAGED_DATA if _PACKAGED_DATA.is_dir() else Path(__file__).resolve().parents[1] / "data"
)


class DataFileError(ValueError):
    """A data file exists but its content is not what it should be (damaged, wrong format)."""


def read_idx(path):
    """Read an idx-ubyte file (gzipped or not) into a NumPy array.

    Args:
        path: the file. Gzip is detected from the content, not from the name.

    Returns:
        An array of the shape and type given in the file's header, e.g. ``(m, 28, 28)`` uint8
        for MNIST images and ``(m,)`` uint8 for labels, in native byte order.

    Raises:
        FileNotFoundError: the file does not exist.
        DataFileError: the file is not an idx file, or holds fewer or more bytes than its
            header promises.
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise DataFileError(f"{path} is not a valid gzip file: {error}") from error

    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] not in IDX_DTYPES:
        raise DataFileError(
            f"{path} is not an idx file: it starts with bytes {raw[:4].hex(' ') or '(none)'}, "
            "expected 00 00, a type code (08, 09, 0b, 0c, 0d or 0e) and the number of dimensions"
        )
    dtype, ndim = IDX_DTYPES[raw[2]], raw[3]
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise DataFileError(
            f"{path} is truncated: its header promises {ndim} dimensions "
            f"({4 * ndim} bytes), the file holds {len(raw) - 4}"
        )
    shape = tuple(int(n) for n in np.frombuffer(raw, ">i4", count=ndim, offset=4))
    if min(shape, default=0) < 0:
        raise DataFileError(f"{path} is not an idx file: its header gives the shape {shape}")
    expected = math.prod(shape) * dtype.itemsize
    actual = len(raw) - header_size
    if expected != actual:
        what = "is truncated" if actual < expected else "has trailing bytes"
        values = "" if dtype.itemsize == 1 else f" values of {dtype.itemsize} bytes"
        dims = " x ".join(str(n) for n in shape) or "1"
        raise DataFileError(
            f"{path} {what}: the header promises {dims}{values} = {expected} bytes of data, "
            f"the file holds {actual}"
        )
    data = np.frombuffer(raw, dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def write_idx(path, array):
    """Write an array as an idx-ubyte file; a name ending in ``.gz`` gzips it.

    The gzip stream is deterministic (no time stamp, no file name, level 9), so the same array
    always gives the same bytes.

    Args:
        path: the file to write.
        array: an array of any shape, of type uint8, int8, int16, int32, float32 or float64.
    """
    array = np.asarray(array)
    codes = {dtype.newbyteorder("="): code for code, dtype in IDX_DTYPES.items()}
    code = codes.get(array.dtype.newbyteorder("="))
    if code is None:
        raise TypeError(
            f"the idx format cannot hold {array.dtype}: use uint8, int8, int16, int32, "
            "float32 or float64"
        )
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, ">i4").tobytes()
    content = header + array.astype(IDX_DTYPES[code]).tobytes()
    path = Path(path)
    if path.name.endswith(".gz"):
        with (
            open(path, "wb") as file,
            gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=file, mtime=0) as gz,
        ):
            gz.write(content)
    else:
        path.write_bytes(content)


def load_mnist(split="train", path=None):
    """Load MNIST images and labels.

    Args:
        split: ``"train"`` or ``"test"``.
        path: a folder holding the full MNIST files (``train-images-idx3-ubyte.gz``,
            ``train-labels-idx1-ubyte.gz``, ``t10k-images-idx3-ubyte.gz``,
            ``t10k-labels-idx1-ubyte.gz``; gzipped or not, and also spelt
            ``train-images.idx3-ubyte``). By default, the bundled 10,000-digit subset from
            ``$NNSCRATCH_DATA/mnist`` if that variable is set, else from the repository's
            ``data/mnist``; its files are checked against their sha256 in ``SHA256SUMS``.

    Returns:
        X: float64 array of shape ``(784, m)``, pixels / 255, one column per image, each
            column contiguous in memory (Fortran order).
        y: int64 array of shape ``(m,)``, the digits 0..9.
        With the bundled files, m is 8000 for ``"train"`` and 2000 for ``"test"``.

    Raises:
        ValueError: ``split`` is neither ``"train"`` nor ``"test"``.
        FileNotFoundError: a file is missing.
        DataFileError: a file is damaged: a bundled file does not match its checksum, or a
            file is not a valid idx file of (m, 28, 28) images or (m,) labels.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    prefix = SPLITS[split]
    if path is None:
        folder = Path(os.environ.get("NNSCRATCH_DATA") or DEFAULT_DATA_HOME) / "mnist"
        images_file = folder / f"{prefix}-images-idx3-ubyte.gz"
        labels_file = folder / f"{prefix}-labels-idx1-ubyte.gz"
        checksums = _read_checksums(folder / "SHA256SUMS")
        for file in (images_file, labels_file):
            _verify_sha256(file, checksums)
    else:
        images_file = _find_mnist_file(Path(path), f"{prefix}-images", "idx3-ubyte")
        labels_file = _find_mnist_file(Path(path), f"{prefix}-labels", "idx1-ubyte")

    images, labels = read_idx(images_file), read_idx(labels_file)
    if images.shape[1:] != (28, 28) or labels.ndim != 1 or len(images) != len(labels):
        raise DataFileError(
            f"{images_file} and {labels_file} do not match: images of shape {images.shape} "
            f"(expected (m, 28, 28)), labels of shape {labels.shape} (expected (m,))"
        )
    return _as_columns(images.reshape(len(images), -1)), labels.astype(np.int64)


def load_mnist_csv(path):
    """Load MNIST from a CSV file in the layout of Colab's ``sample_data/mnist_train_small.csv``.

    One row per image: the label, then 784 pixel values 0..255, comma-separated. A header row
    (``label,1x1,...``) is skipped if present.

    Args:
        path: the CSV file.

    Returns:
        X: float64 array of shape ``(784, m)``, pixels / 255, one column per image, each
            column contiguous in memory (Fortran order).
        y: int64 array of shape ``(m,)``, the digits 0..9.
    """
    path = Path(path)
    with open(path, encoding="utf-8-sig") as file:
        first_field = file.readline().split(",")[0].strip()
    header = 1 if first_field and not first_field.isdigit() else 0
    try:
        data = np.loadtxt(
            path, delimiter=",", dtype=np.int64, skiprows=header, ndmin=2, encoding="utf-8-sig"
        )
    except ValueError:
        data = None
    if data is None or data.shape[1] != 785 or not _valid_rows(data).all():
        data = _read_csv_rows(path, header)  # slower, but names the first bad line
    return _as_columns(data[:, 1:]), data[:, 0].copy()


def _valid_rows(data):
    # (m, 785) integers -> (m,) bools: a label 0..9, then pixels 0..255.
    labels_ok = (data[:, 0] >= 0) & (data[:, 0] <= 9)
    return labels_ok & (data[:, 1:].min(axis=1) >= 0) & (data[:, 1:].max(axis=1) <= 255)


def _read_csv_rows(path, header):
    rows = []
    with open(path, encoding="utf-8-sig") as file:
        for line_number, line in enumerate(file, start=1):
            if line_number <= header or not line.strip():
                continue
            fields = line.split(",")
            try:
                row = np.array([int(field) for field in fields], dtype=np.int64)
            except ValueError:
                row = None
            if row is None or len(row) != 785 or not _valid_rows(row[None, :])[0]:
                raise DataFileError(
                    f"{path}, line {line_number}: expected a label 0..9 and 784 pixel values "
                    f"0..255, got {len(fields)} fields starting {line[:40].strip()!r}"
                )
            rows.append(row)
    return np.array(rows, dtype=np.int64).reshape(-1, 785)


def _as_columns(pixels):
    # (m, 784) integers 0..255 -> (784, m) floats in [0, 1], in one float copy. Column-major
    # (Fortran order): each image's 784 pixels sit side by side in memory, so taking examples,
    # a shuffle X[:, permutation] or a mini-batch X[:, batch], copies whole blocks; in C order
    # every column is 784 scattered reads, and shuffling the 8,000 digits took 44 ms, not 7.
    X = pixels.T.astype(np.float64, order="F")
    X /= 255
    return X


def _find_mnist_file(folder, stem, kind):
    # MNIST's own names, and the "train-images.idx3-ubyte" spelling some downloads use.
    names = [f"{stem}-{kind}", f"{stem}.{kind}"]
    for name in [*names, *(name + ".gz" for name in names)]:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(
        f"no {stem} file in {folder}: looked for {', '.join(names)} (optionally ending in .gz)"
    )


def _read_checksums(path):
    checksums = {}
    for line in path.read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            checksums[name.lstrip("*")] = digest.lower()
    return checksums


def _verify_sha256(path, checksums):
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    expected = checksums.get(path.name)
    if expected is None:
        raise DataFileError(f"{path} is not listed in {path.parent / 'SHA256SUMS'}")
    if actual != expected:
        raise DataFileError(
            f"{path} is damaged or was changed: its sha256 is {actual}, SHA256SUMS expects "
            f"{expected}. Restore it from git (git checkout -- data/mnist) or rebuild it "
            "with python data/mnist/build.py."
        )


# Chapter 4: two interleaving half-moons, generated (nothing to download). Each split has its own
# fixed seed, so the three never share a point and every reader gets the same numbers.
MOONS_SPLITS = {"train": (500, 0), "validation": (200, 1), "test": (1000, 2)}


def load_moons(split="train", noise=0.2):
    """The course's make_moons data: X of shape (2, m), Y of shape (1, m) holding 0.0 and 1.0.

    `split` is "train" (500 points), "validation" (200) or "test" (1,000, the held-out set);
    each is `sklearn.datasets.make_moons(m, noise=noise)` with its own fixed seed. A larger
    `noise` (chapter 4's overfitting experiment) blurs the two moons into each other.
    """
    from sklearn.datasets import make_moons

    if split not in MOONS_SPLITS:
        raise ValueError(f"split should be one of {sorted(MOONS_SPLITS)}, got {split!r}")
    m, seed = MOONS_SPLITS[split]
    X, y = make_moons(n_samples=m, noise=noise, random_state=seed)
    return X.T.astype(np.float64), y.reshape(1, -1).astype(np.float64)
