#!/usr/bin/env python3
"""Gathers seed inputs for each fuzz target from the repository's real files:

    python3 make_seeds.py REPO_ROOT MODEL.lenet INT8.lenet OUT_DIR

OUT_DIR/<target>/ gets the fixtures, samples, PngSuite images, small IDX files cut from
MNIST, the trained float and int8 models, and the hostile files (make_hostile.py) that
suit that target. The committed corpora (Tests/Fuzz/corpus) are what fuzzing kept of these."""
import glob
import gzip
import os
import shutil
import struct
import sys
import zipfile

root, model, int8, out = sys.argv[1:5]
fixtures = os.path.join(root, "Tests", "Fixtures")
sys.path.insert(0, os.path.join(fixtures, "hostile"))
import make_hostile  # noqa: E402


def put(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


pths = sorted(glob.glob(os.path.join(fixtures, "pytorch", "*.pth")))
for path in pths:
    for target in ("model", "pth"):
        put(target, os.path.basename(path), read(path))
    with zipfile.ZipFile(path) as z:
        pkl = next((n for n in z.namelist() if n.endswith("data.pkl")), None)
        if pkl:
            put("pickle", os.path.basename(path) + ".pkl", z.read(pkl))
for path in sorted(glob.glob(os.path.join(fixtures, "pytorch", "*.safetensors"))):
    for target in ("model", "safetensors"):
        put(target, os.path.basename(path), read(path))
for name, path in (("float.lenet", model), ("int8.lenet", int8)):
    for target in ("model", "lenet"):
        put(target, name, read(path))
for path in sorted(glob.glob(os.path.join(root, "samples", "*.png")) +
                   glob.glob(os.path.join(fixtures, "pngsuite", "png", "*.png"))):
    if os.path.getsize(path) <= 64 << 10:
        put("png", os.path.basename(path), read(path))

# IDX: the first few test digits and labels, raw and gzip-compressed.
with gzip.open(os.path.join(root, "data", "mnist", "t10k-images-idx3-ubyte.gz")) as f:
    images = f.read(16 + 3 * 784)
with gzip.open(os.path.join(root, "data", "mnist", "t10k-labels-idx1-ubyte.gz")) as f:
    labels = f.read(8 + 3)
images = images[:4] + struct.pack(">I", 3) + images[8:]
labels = labels[:4] + struct.pack(">I", 3) + labels[8:]
for name, data in (("images3", images), ("labels3", labels)):
    put("idx", name + ".idx", data)
    put("idx", name + ".idx.gz", gzip.compress(data))

# Raw pixels: the first test digits as dark-on-white pictures in every pixel format, packed
# and with padded rows, behind the pixels target's header (format, width, height, stride).
FORMATS = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 4), (5, 3), (6, 2), (7, 4)]  # (lenet_pixel_format, bytes a pixel)
digits = images[16:]
for d in range(2):
    page = bytes(255 - v for v in digits[d * 784:(d + 1) * 784])
    for fmt, bpp in FORMATS:
        for pad in (0, 5):
            stride = 28 * bpp + pad
            rows = []
            for y in range(28):
                row = b"".join(bytes([page[y * 28 + x]]) * bpp if fmt not in (1, 7) else
                               struct.pack("<H", page[y * 28 + x] * 257) * (bpp // 2) for x in range(28))
                rows.append(row + b"\0" * pad)
            header = struct.pack("<BHHH", fmt, 28, 28, stride if pad else 0)
            put("pixels", f"digit{d}-format{fmt}-pad{pad}.raw", header + b"".join(rows))

# The hostile files, each to the targets that read its kind (the big ones are left out:
# libFuzzer's inputs stay small).
for name, data in make_hostile.files():
    if len(data) > 1 << 20:
        continue
    if name.endswith(".png"):
        put("png", name, data)
    elif name.endswith(".pth"):
        put("pth", name, data)
        put("model", name, data)
    elif name.endswith(".safetensors"):
        put("safetensors", name, data)
        put("model", name, data)
    elif name.endswith(".lenet"):
        put("lenet", name, data)
        put("model", name, data)

# Training histories as checkpoints carry them: with and without a test set, and damaged.
header = b"epoch,loss,train_accuracy,test_accuracy,learning_rate"
put("history", "run.csv", header + b"\n1,0.217601,0.934350,0.981200,0.001\n2,0.062187,0.980383,0.983900,0.00097552824")
put("history", "no-test.csv", header + b"\n1,2.301,0.1,,1e-05\n3,1.5e-05,1,,0.5")
put("history", "bad.csv", header + b"\n2,nan,0.1,0.2,0.001\n1,0.1,0.1")

# Model values (the values target): records of a kind byte, a 32-bit index and a 32-bit
# value applied to the float (first byte even) or int8 (odd) base model.
def record(kind, index, value):
    return struct.pack("<BI", kind, index) + (value if isinstance(value, bytes) else struct.pack("<f", value))


put("values", "float.rec", b"\0")
put("values", "int8.rec", b"\1")
put("values", "float-scaled.rec", b"\0" + record(1, 0, 1e30) + record(1, 4, 1e8))
put("values", "float-element.rec", b"\0" + record(0, 40, 3e38) + record(2, 1, 1e-3))
put("values", "int8-scale.rec", b"\1" + record(0, 14, 1e38) + record(3, 0, b"1e-9"))
put("values", "int8-bias.rec", b"\1" + record(0, 2, struct.unpack("<f", struct.pack("<i", 1 << 30))[0]))

# Plots (the plot target): histories as text, and raw doubles at float64's extremes.
for name in ("run.csv", "no-test.csv"):
    put("plot", name, read(os.path.join(out, "history", name)))
extremes = [1e308, -1.7e308, 5e-324, 0.0, -0.0, 1e12, -1e-300, float("nan"), float("inf"), 0.5, 2.0, 1e-3]
put("plot", "extremes.f64", struct.pack(f"<{len(extremes)}d", *extremes) + b"\x02")
put("plot", "curve.f64", struct.pack("<10d", 2.3, 0.9, 0.95, 0.001, 0, 0.1, 0.98, 0.99, 0.0009, 0) + b"\x02")
