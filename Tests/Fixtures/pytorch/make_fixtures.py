#!/usr/bin/env python3
"""Writes the PyTorch interop fixtures: the seed's LeNet with known (seeded) weights saved
as a state_dict .pth and as .safetensors (written by hand from torch tensors, the format's
rules), plus the logits PyTorch computes for a few inputs.

    pip install torch==2.13.0+cpu numpy
    python3 Tests/Fixtures/pytorch/make_fixtures.py

Outputs, beside this script: lenet_seed.pth, lenet_seed.safetensors, inputs.f32 (4 x 1 x 32 x
32 float32), logits.f32 (4 x 10 float32); variants: lenet_seed_module_f64.pth (keys prefixed
"module." as nn.DataParallel saves them, float64 tensors), lenet_seed_deflated.pth (the same
archive with deflated entries), malicious.pth (a data.pkl that calls os.system),
truncated_pickle.pth (a valid archive whose data.pkl stops halfway). The tests need none of
torch."""
import json
import os
import struct
import zipfile

import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "benchmarks"))
from torch_lenet import LeNet  # noqa: E402


def write_safetensors(path, state):
    header, offset, blobs = {}, 0, []
    for name, t in state.items():
        b = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    torch.manual_seed(1998)
    model = LeNet().eval()
    # Inputs shaped like normalised digits: background -0.4242 with some "ink".
    g = torch.Generator().manual_seed(7)
    x = torch.full((4, 1, 32, 32), -0.1307 / 0.3081)
    x[:, :, 6:26, 8:24] += torch.rand((4, 1, 20, 16), generator=g) * 3.2
    with torch.no_grad():
        logits = model(x)
    torch.save(model.state_dict(), os.path.join(HERE, "lenet_seed.pth"))
    write_safetensors(os.path.join(HERE, "lenet_seed.safetensors"), model.state_dict())
    sd = model.state_dict()
    torch.save({"module." + k: v.double() for k, v in sd.items()}, os.path.join(HERE, "lenet_seed_module_f64.pth"))
    with zipfile.ZipFile(os.path.join(HERE, "lenet_seed.pth")) as src, \
            zipfile.ZipFile(os.path.join(HERE, "lenet_seed_deflated.pth"), "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
    # What an attacker would ship: a state_dict-shaped archive whose pickle runs a command.
    with zipfile.ZipFile(os.path.join(HERE, "malicious.pth"), "w") as z:
        z.writestr("archive/data.pkl", b"\x80\x02cos\nsystem\nq\x00X\x20\x00\x00\x00touch /tmp/lenet-pwned-by-pickleq\x01\x85q\x02Rq\x03.")
        z.writestr("archive/byteorder", b"little")
    with zipfile.ZipFile(os.path.join(HERE, "lenet_seed.pth")) as src, \
            zipfile.ZipFile(os.path.join(HERE, "truncated_pickle.pth"), "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item.filename, data[: len(data) // 2] if item.filename.endswith("data.pkl") else data)
    x.numpy().astype("<f4").tofile(os.path.join(HERE, "inputs.f32"))
    logits.numpy().astype("<f4").tofile(os.path.join(HERE, "logits.f32"))
    print(logits)


if __name__ == "__main__":
    main()
