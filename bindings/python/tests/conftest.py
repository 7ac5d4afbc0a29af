import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def cli():
    return os.environ.get("LENET_CLI", os.path.join(ROOT, ".build", "release", "lenet"))


@pytest.fixture(scope="session")
def model_path(tmp_path_factory, cli):
    """The model `make test-c` trained, else one trained here with the CLI."""
    path = os.environ.get("LENET_TEST_MODEL", os.path.join(ROOT, "build", "test", "model.lenet"))
    if not os.path.exists(path):
        path = str(tmp_path_factory.mktemp("model") / "model.lenet")
        subprocess.run([cli, "train", "--epochs", "1", "--limit", "20000", "--no-augment", "--output", path,
                        "--data", os.path.join(ROOT, "data", "mnist")], check=True, capture_output=True)
    return path


@pytest.fixture(scope="session")
def test_digits():
    import gzip
    with gzip.open(os.path.join(ROOT, "data", "mnist", "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(os.path.join(ROOT, "data", "mnist", "t10k-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images, labels
