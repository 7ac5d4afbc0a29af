#!/usr/bin/env python3
"""Writes the sample PNGs in samples/ from MNIST test digits, in several PNG encodings and
presentations, with a minimal PNG encoder (no dependencies beyond the standard library).

    python3 samples/make_samples.py        # from the repository root

File names say the true label: digit-<label>-<how>.png.
"""
import gzip
import struct
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, color_type, bit_depth, rows, palette=None, trns=None):
    """rows: list of bytes, already packed for the colour type and depth."""
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0))
    if palette is not None:
        out += chunk(b"PLTE", bytes(palette))
    if trns is not None:
        out += chunk(b"tRNS", bytes(trns))
    out += chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + r for r in rows), 9))
    return out + chunk(b"IEND", b"")


def digits():
    images = gzip.open("data/mnist/t10k-images-idx3-ubyte.gz").read()[16:]
    labels = gzip.open("data/mnist/t10k-labels-idx1-ubyte.gz").read()[8:]
    return [(images[i * 784:(i + 1) * 784], labels[i]) for i in range(10000)]


def large(path):
    """A 1000 x 1000 RGB photo-like page: a digit 30x enlarged, dark on light paper."""
    img, _ = digits()[5]
    rows = []
    for y in range(1000):
        row = bytearray()
        for x in range(1000):
            sy, sx = (y - 80) // 30, (x - 80) // 30
            v = img[sy * 28 + sx] if 0 <= sy < 28 and 0 <= sx < 28 else 0
            g = 240 - v * 200 // 255 - (x * 7 + y * 13) % 5  # a little paper texture
            row += bytes((g, g, g))
        rows.append(bytes(row))
    with open(path, "wb") as f:
        f.write(png(1000, 1000, 2, 8, rows))


def main():
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--large":
        large(sys.argv[2])
        return
    d = digits()
    made = []

    def save(name, data):
        with open(f"samples/{name}", "wb") as f:
            f.write(data)
        made.append(name)

    # As MNIST stores it: white ink on black, 8-bit grey.
    img, label = d[0]
    save(f"digit-{label}-mnist-gray8.png", png(28, 28, 0, 8, [img[r * 28:(r + 1) * 28] for r in range(28)]))
    # Dark ink on white paper, RGB.
    img, label = d[1]
    rows = [bytes(v for p in img[r * 28:(r + 1) * 28] for v in (255 - p,) * 3) for r in range(28)]
    save(f"digit-{label}-paper-rgb8.png", png(28, 28, 2, 8, rows))
    # Scanned look: 8x, dark ink on light-grey paper, 16-bit grey.
    img, label = d[2]
    rows = []
    for y in range(224):
        row = b""
        for x in range(224):
            v = (235 - img[(y // 8) * 28 + x // 8] * 200 // 255) * 257
            row += struct.pack(">H", v)
        rows.append(row)
    save(f"digit-{label}-scan-gray16.png", png(224, 224, 0, 16, rows))
    # A canvas export: black ink with alpha on a transparent background.
    img, label = d[3]
    rows = [bytes(v for p in img[r * 28:(r + 1) * 28] for v in (0, 0, 0, p)) for r in range(28)]
    save(f"digit-{label}-canvas-rgba8.png", png(28, 28, 6, 8, rows))
    # Off-centre on a larger page, 16-colour palette.
    img, label = d[4]
    palette = [c for i in range(16) for c in (255 - i * 17,) * 3]
    rows = []
    for y in range(120):
        row = bytearray(50)  # 4-bit: two pixels a byte
        for x in range(100):
            v = img[(y - 10) * 28 + (x - 60)] if 10 <= y < 38 and 60 <= x < 88 else 0
            row[x // 2] |= (v // 17) << (4 if x % 2 == 0 else 0)
        rows.append(bytes(row))
    save(f"digit-{label}-page-palette4.png", png(100, 120, 3, 4, rows, palette=palette))
    print("\n".join(made))


if __name__ == "__main__":
    main()
