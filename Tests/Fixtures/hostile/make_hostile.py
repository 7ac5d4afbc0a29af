#!/usr/bin/env python3
"""Writes one hostile file per class of attack on the loaders into a directory:

    python3 make_hostile.py OUT_DIR

Each must be refused with an error (never a crash, a hang or a blow-up in memory) by
`lenet_model_load` or the PNG functions. `make test` runs them through the Swift tests,
the C API (on a thread with a 512 KiB stack) and the CLI, and the fuzz targets take them
as seeds. Standard library only."""
import os
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


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in files():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
