"""A model exported to safetensors loads into PyTorch with the same logits. Needs torch
(pip install torch==2.13.0+cpu); without it the Swift tests still check our side against
logits PyTorch computed (Tests/Fixtures/pytorch)."""
import os
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import sys  # noqa: E402

import lenet  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "benchmarks"))
from torch_lenet import LeNet  # noqa: E402


def load_safetensors(path):
    import json
    import struct
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        b, e = t["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[8 + n + b:8 + n + e], "<f4").reshape(t["shape"]).copy())
    return out


def test_exported_safetensors_give_pytorch_the_same_logits(model_path, cli, tmp_path, test_digits):
    out = tmp_path / "m.safetensors"
    subprocess.run([cli, "convert", model_path, str(out)], check=True, capture_output=True)
    net = LeNet()
    net.load_state_dict(load_safetensors(out))
    digits = test_digits[0][:200]
    x = np.zeros((200, 1, 32, 32), np.float32)
    x[:, 0, 2:30, 2:30] = digits / 255.0
    x = (x - 0.1307) / 0.3081
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    with lenet.Model.load(model_path) as m:
        got = m.predict(x, output="logits")[1]
    assert np.abs(got - expected).max() < 1e-4


def test_pth_written_by_pytorch_loads(tmp_path, test_digits):
    net = LeNet()
    path = tmp_path / "seed.pth"
    torch.save(net.state_dict(), path)
    x = np.random.default_rng(0).standard_normal((8, 1, 32, 32)).astype(np.float32)
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    with lenet.Model.load(path) as m:
        assert np.abs(m.predict(x, output="logits")[1] - expected).max() < 1e-5


def test_pth_we_write_loads_in_pytorch(model_path, cli, tmp_path):
    out = tmp_path / "m.pth"
    subprocess.run([cli, "convert", model_path, str(out)], check=True, capture_output=True)
    net = LeNet()
    net.load_state_dict(torch.load(out, weights_only=True))
    x = np.random.default_rng(1).standard_normal((8, 1, 32, 32)).astype(np.float32)
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    with lenet.Model.load(model_path) as m:
        assert np.abs(m.predict(x, output="logits")[1] - expected).max() < 1e-4
