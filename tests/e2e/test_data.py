"""The bundled MNIST rebuilt from its pinned source, byte for byte (the fast tests: tests/unit/)."""

import shutil
import subprocess
import sys

import pytest
from support import REPO

MNIST = REPO / "data" / "mnist"
BUILD = MNIST / "build.py"
NETWORK_ERRORS = (
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "ECONNREFUSED",
    "ECONNRESET",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "ERR_SOCKET_TIMEOUT",
    "network",
)


def test_the_build_script_reproduces_the_bundled_files_byte_for_byte():
    if shutil.which("npm") is None:
        pytest.skip("npm registry not reachable: npm is not installed")
    result = subprocess.run(
        [sys.executable, BUILD, "--check"], capture_output=True, text=True, timeout=600
    )
    lines = result.stderr.splitlines()
    network_errors = [line for line in lines if any(code in line for code in NETWORK_ERRORS)]
    if result.returncode == 3 and network_errors:
        pytest.skip(f"npm registry not reachable: {network_errors[0]}")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "reproduced byte for byte" in result.stdout
