#!/usr/bin/env python3
"""Writes one hostile file per class of attack on the loaders into a directory:

    python3 make_hostile.py OUT_DIR [--controls DIR] [--datasets DIR]

Each must be refused with an error (never a crash, a hang or a blow-up in memory) by
`lenet_model_load` or the PNG functions. `make test` runs them through the Swift tests,
the C API (on a thread with a 512 KiB stack) and the CLI, and the fuzz targets take them
as seeds. --controls gets the valid models the hostile models were made from, which must
load and answer; --datasets an MNIST folder whose images claim more than a dataset may hold.
Standard library only."""
import argparse
import gzip
import math
import os
import random
import struct
import sys
import zlib

PROTO2 = b"\x80\x02"


def binint(v):
    return b"J" + struct.pack("<i", v)


def long1(v):
    data = v.to_bytes(8, "little", signed=True)
    return b"\x8a\x08" + data


def string(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def glob(module, name):
    return b"c" + f"{module}\n{name}\n".encode()


def ordered_dict():
    return glob("collections", "OrderedDict") + b")R"


def tensor(key, shape, stride, offset=0, numel=6):
    """_rebuild_tensor_v2((storage, FloatStorage, key, cpu, numel), offset, shape, stride, False, OrderedDict())."""
    ints = lambda vs: b"(" + b"".join(long1(v) for v in vs) + b"t"
    pid = b"(" + string("storage") + glob("torch", "FloatStorage") + string(key) + string("cpu") + binint(numel) + b"tQ"
    return (glob("torch._utils", "_rebuild_tensor_v2") + b"(" + pid + long1(offset) + ints(shape) + ints(stride) +
            b"\x89" + ordered_dict() + b"tR")


def state_dict(entries):
    return PROTO2 + ordered_dict() + b"(" + b"".join(string(n) + t for n, t in entries) + b"u."


def zip_file(entries):
    """Stored (or pre-deflated: (name, data, method, size, crc)) entries, torch's layout."""
    out, directory = b"", b""
    for e in entries:
        name, data = e[0], e[1]
        method, size, crc = (e[2], e[3], e[4]) if len(e) > 2 else (0, len(data), zlib.crc32(data))
        offset = len(out)
        n = name.encode()
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size, len(n), 0) + n + data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                                 len(n), 0, 0, 0, 0, 0, offset) + n
    return (out + directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory),
                                          len(out), 0))


def pth(pickle, storages=()):
    return zip_file([("archive/data.pkl", pickle)] + [(f"archive/data/{k}", v) for k, v in storages])


def safetensors(header, data=b""):
    h = header.encode()
    return struct.pack("<Q", len(h)) + h + data


def png(width, height, idat, color=0, depth=8):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)) +
            chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def lenet(metadata, tensors):
    """A .lenet checkpoint (docs/checkpoint-format.md): metadata [(key, value)], tensors
    [(name, dtype code, shape, little-endian bytes)], laid out and checksummed as the format says."""
    align = lambda n: (n + 63) // 64 * 64
    meta = b"".join(struct.pack("<H", len(k.encode())) + k.encode() + struct.pack("<I", len(v.encode())) + v.encode()
                    for k, v in metadata)
    table, data = b"", b""
    for name, dtype, shape, body in tensors:
        data += b"\0" * (align(len(data)) - len(data))
        n = name.encode()
        table += (struct.pack("<H", len(n)) + n + struct.pack("<BB", dtype, len(shape)) +
                  struct.pack(f"<{len(shape)}I", *shape) + struct.pack("<QQ", len(data), len(body)))
        data += body
    data_offset = align(48 + len(meta) + len(table))
    size = data_offset + len(data) + 4
    head = b"LENETCKP" + struct.pack("<IHHIIQQQ", 0x01020304, 1, 0, len(metadata), len(tensors), data_offset, len(data), size)
    body = head + meta + table + b"\0" * (data_offset - 48 - len(meta) - len(table)) + data
    return body + struct.pack("<I", zlib.crc32(body))


# LeNet-5's tensors: name, shape, fan-in (Sources/LeNetCore/Network/Architecture.swift).
LENET5 = [("conv1", [6, 1, 5, 5], 25), ("conv2", [16, 6, 5, 5], 150), ("fc1", [120, 400], 400), ("fc2", [84, 120], 120),
          ("fc3", [10, 84], 84)]


def float_model(mean="0.1307", std="0.3081", scale=None):
    """A float model with PyTorch's initial weights (a valid model: it loads and answers);
    scale maps a tensor name to the value every element of it is set to."""
    rng, tensors = random.Random(5), []
    for layer, shape, fan in LENET5:
        bound = fan ** -0.5
        for name, dims in ((f"{layer}.weight", shape), (f"{layer}.bias", shape[:1])):
            n = math.prod(dims)
            values = [scale[name]] * n if scale and name in scale else [rng.uniform(-bound, bound) for _ in range(n)]
            tensors.append((name, 0, dims, struct.pack(f"<{n}f", *values)))
    meta = [("lenet.architecture", "lenet5-relu-maxpool"), ("lenet.dtype", "f32"), ("normalization.mean", mean),
            ("normalization.std", std)]
    return meta, tensors


def int8_model(input_scale="0.0128", zero_point="33", weight_scale=None, bias=0):
    """An int8 model whose every multiplier is representable (a valid model); weight_scale
    maps a layer to the scale of all its channels, bias is every layer's int32 bias."""
    rng, tensors = random.Random(7), []
    for layer, shape, _ in LENET5:
        n = math.prod(shape)
        s = (weight_scale or {}).get(layer, 0.01)
        tensors += [(f"{layer}.weight", 1, shape, bytes(rng.randrange(-20, 21) & 0xFF for _ in range(n))),
                    (f"{layer}.weight_scale", 0, shape[:1], struct.pack(f"<{shape[0]}f", *[s] * shape[0])),
                    (f"{layer}.bias", 2, shape[:1], struct.pack(f"<{shape[0]}i", *[bias] * shape[0]))]
    meta = [("lenet.architecture", "lenet5-relu-maxpool"), ("lenet.dtype", "int8"), ("normalization.mean", "0.1307"),
            ("normalization.std", "0.3081"), ("quantization.input.scale", input_scale),
            ("quantization.input.zero_point", zero_point)]
    meta += [(f"quantization.{layer}.output_scale", "0.05") for layer in ("conv1", "conv2", "fc1", "fc2")]
    return meta, tensors


def models_that_cannot_answer():
    """Models whose every number is finite and whose checksum holds, but which would answer
    NaN, infinity or one class for every picture: refused at load (SECURITY.md)."""
    yield "model-conv1-weights-1e38.lenet", float_model(scale={"conv1.weight": 1e38})
    yield "model-fc1-weights-3e38.lenet", float_model(scale={"fc1.weight": 3e38})
    yield "model-fc3-bias-3e38.lenet", float_model(scale={"fc3.bias": 3e38, "fc3.weight": 3e38})
    yield "model-std-denormal.lenet", float_model(std="1e-40")
    yield "model-std-hex.lenet", float_model(std="0x1p-140")
    yield "model-std-huge.lenet", float_model(std="3e38")
    yield "model-mean-1e38.lenet", float_model(mean="1e38")
    yield "model-int8-fc3-scale-1e38.lenet", int8_model(weight_scale={"fc3": 1e38})
    # A denormal input scale whose conv1 weight scales keep the multipliers in range: 1/scale is infinite.
    yield "model-int8-input-scale-denormal.lenet", int8_model(input_scale="1e-40", weight_scale={"conv1": 1e35})
    yield "model-int8-bias-2e30.lenet", int8_model(bias=(1 << 30))


def files():
    six = struct.pack("<6f", *range(6))
    yield "pth-deep-tuple.pth", pth(PROTO2 + b")" + b"\x85" * 60_000 + b".")
    yield "pth-deep-list.pth", pth(PROTO2 + b"]" * 60_000 + b"a" * 59_999 + b".")
    yield "pth-stride-overflow.pth", pth(state_dict([("conv1.bias", tensor("0", [6], [1 << 62], numel=6))]), [("0", six)])
    yield "pth-stride-wraps-back.pth", pth(state_dict([("conv1.bias", tensor("0", [3, 2], [(1 << 63) - 1, 1], offset=2))]),
                                            [("0", six)])
    yield "pth-count-overflow.pth", pth(state_dict([("conv1.bias", tensor("0", [2, 1 << 62], [0, 0]))]), [("0", six)])
    # A list re-memoized after every APPEND, and a big list copied by BINGET + APPEND.
    yield "pth-append-memo.pth", pth(PROTO2 + b"]\x94" + (b"K\x01a\x94") * 80_000 + b".")
    yield "pth-binget-copy.pth", pth(PROTO2 + b"](" + b"K\x01" * 100_000 + b"e\x94" + (b"h\x00K\x01a") * 20_000 + b".")
    # Five storages sharing one deflate stream's bytes: each entry's 20 MiB is under the
    # load limit, their sum is not.
    stream = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = stream.compress(b"\0" * (20 << 20)) + stream.flush()
    crc = zlib.crc32(b"\0" * (20 << 20))
    names = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight"]
    pickle = state_dict([(n, tensor(str(i), [1], [1], numel=1)) for i, n in enumerate(names)])
    yield "pth-shared-deflate.pth", zip_file([("archive/data.pkl", pickle)] +
                                             [(f"archive/data/{i}", bomb, 8, 20 << 20, crc) for i in range(5)])
    yield "safetensors-shape-overflow.safetensors", safetensors(
        '{"conv1.bias":{"dtype":"F32","shape":[8388608,1099511627776],"data_offsets":[0,24]}}', b"\0" * 24)
    yield "safetensors-many-values.safetensors", safetensors('{"__metadata__":{},"x":[' + "1," * 4_000_000 + "1]}")
    yield "safetensors-deep.safetensors", safetensors('{"x":' + "[" * 100_000 + "]" * 100_000 + "}")
    # A chunk that claims 1 GiB in a file of a few bytes: libpng would allocate the claim
    # before reading (found by the png fuzz target).
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    yield "png-chunk-claims-1gib.png", (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr +
                                        struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + struct.pack(">I", 1 << 30) +
                                        b"zTXt" + b"\0" * 64)
    # A 1x1 picture whose image data inflates to 64 MiB past its single row.
    yield "png-idat-bomb.png", png(1, 1, zlib.compress(b"\0" * (64 << 20), 9))
    for name, (meta, tensors) in models_that_cannot_answer():
        yield name, lenet(meta, tensors)


def gzip_of_zeros(header, mib):
    """A gzip stream of `header` then `mib` MiB of zeros, made from one deflated block of
    16 MiB repeated (a full flush ends each, so the copies are independent): a second to write."""
    zeros = b"\0" * (16 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first, block = c.compress(header) + c.flush(zlib.Z_FULL_FLUSH), c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(header)
    for _ in range(mib // 16):
        crc = zlib.crc32(zeros, crc)
    size = len(header) + (mib // 16) * len(zeros)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + first + block * (mib // 16) + c.flush() +
            struct.pack("<II", crc, size & 0xFFFFFFFF))


def datasets():
    """An MNIST folder whose test images (1 MB of gzip) claim 13 million digits and inflate
    to 1.1 GiB: refused from the header's claim, before anything is inflated."""
    yield "t10k-images-idx3-ubyte.gz", gzip_of_zeros(struct.pack(">IIII", 0x803, 13_000_000, 28, 28), 1120)
    yield "t10k-labels-idx1-ubyte.gz", gzip.compress(struct.pack(">II", 0x801, 3) + b"\1\2\3")


def controls():
    """The models above without their poison: these must load and answer, or a refusal of
    the hostile ones would prove nothing."""
    yield "float.lenet", lenet(*float_model())
    yield "int8.lenet", lenet(*int8_model())


def write(out, named):
    os.makedirs(out, exist_ok=True)
    for name, data in named:
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


def main():
    args = argparse.ArgumentParser(description="Writes the hostile files (and their controls) for make test-hostile.")
    args.add_argument("out", help="the hostile files, one per class of attack")
    args.add_argument("--controls", help="the valid models the hostile models were made from (must load and answer)")
    args.add_argument("--datasets", help="an MNIST folder whose compressed images claim more than the limit")
    a = args.parse_args()
    write(a.out, files())
    if a.controls:
        write(a.controls, controls())
    if a.datasets:
        write(a.datasets, datasets())


if __name__ == "__main__":
    main()
