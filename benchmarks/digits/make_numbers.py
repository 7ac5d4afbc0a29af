#!/usr/bin/env python3
"""Whole numbers as people write or print them, for `lenet read`: handwritten numbers
composed from MNIST's test digits (random gaps, heights and baselines, some pairs touching,
on paper-like backgrounds), numbers typeset in the fonts on this machine, and numbers
written by lenet's handwriting model (`lenet synth --number`: one hand a number, seeds
training never uses): as they come, with one touching pair, and strongly slanted.

    python3 make_numbers.py OUT_DIR [--count N] [--seed S] [--digits MIN MAX] [--kinds a,b] [--lenet PATH]

OUT_DIR/<kind>/ gets N PNGs and labels.csv (file,number), for the kinds handwritten,
printed, pen, pen-touching and pen-slanted.
"""
import argparse
import glob
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from make_sets import mnist_test, save_set

FONTS = sorted(glob.glob("/usr/share/fonts/truetype/dejavu/*.ttf"))


def tight(ink):
    ys, xs = np.nonzero(ink > 40)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def handwritten(images, labels, rng, length):
    """Digits scaled to a common writing size (+-15%), placed left to right with gaps from
    -3 pixels (touching, overlapping a little) to 14, each on its own baseline wobble."""
    size = int(rng.integers(40, 70))
    picks = rng.integers(0, len(labels), size=length)
    pieces = []
    for i in picks:
        ink = tight(images[i])
        h = int(size * rng.uniform(0.85, 1.15))
        w = max(2, int(round(ink.shape[1] * h / ink.shape[0])))
        pieces.append(np.asarray(Image.fromarray(ink).resize((w, h), Image.BILINEAR)).astype(np.float32))
    touching = rng.random() < 0.3
    gaps = [int(rng.integers(-3, 2)) if touching and k == 0 else int(rng.integers(4, 15)) for k in range(length - 1)]
    width = sum(p.shape[1] for p in pieces) + sum(gaps) + 40
    height = int(size * 1.6) + 30
    canvas = np.zeros((height, width), np.float32)
    x = 20
    for k, p in enumerate(pieces):
        y = 15 + int(rng.integers(0, height - 30 - p.shape[0] + 1)) if height - 30 > p.shape[0] else 15
        region = canvas[y:y + p.shape[0], x:x + p.shape[1]]
        np.maximum(region, p[:region.shape[0], :region.shape[1]], out=region)
        x += p.shape[1] + (gaps[k] if k < len(gaps) else 0)
    paper_level = rng.uniform(215, 250)
    page = paper_level - (paper_level - rng.uniform(10, 60)) * canvas / 255
    page += rng.normal(0, 4, page.shape)
    img = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8))
    return img.filter(ImageFilter.GaussianBlur(0.6)), "".join(str(int(labels[i])) for i in picks)


def printed(rng, length):
    text = "".join(str(int(d)) for d in rng.integers(0, 10, size=length))
    font = ImageFont.truetype(FONTS[int(rng.integers(0, len(FONTS)))], int(rng.integers(28, 80)))
    left, top, right, bottom = font.getbbox(text)
    m = int(rng.integers(8, 30))
    img = Image.new("L", (right - left + 2 * m, bottom - top + 2 * m), int(rng.integers(220, 256)))
    ImageDraw.Draw(img).text((m - left, m - top), text, font=font, fill=int(rng.integers(0, 70)))
    return img, text


# `lenet synth` options per pen kind; pen-touching also makes one pair touch.
PEN_KINDS = {"pen": [], "pen-touching": [], "pen-slanted": ["--slant", "0.55,0.85"]}


def pen_number(lenet, rng, length, seed, kind):
    """A number written by the handwriting model, on grey paper with grain."""
    text = "".join(str(int(d)) for d in rng.integers(0, 10, size=length))
    extra = list(PEN_KINDS[kind])
    if kind == "pen-touching":
        extra += ["--touching", str(int(rng.integers(1, length)))]
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([lenet, "synth", folder, "--number", text, "--count", "1", "--seed", str(seed), *extra],
                       check=True, capture_output=True)
        ink = 255 - np.asarray(Image.open(os.path.join(folder, "00000.png")).convert("L"), np.float32)
    paper_level = rng.uniform(215, 250)
    page = paper_level - (paper_level - rng.uniform(10, 60)) * ink / 255 + rng.normal(0, 4, ink.shape)
    return Image.fromarray(np.clip(page, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6)), text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--digits", type=int, nargs=2, default=[2, 6], metavar=("MIN", "MAX"))
    parser.add_argument("--kinds", default="handwritten,printed," + ",".join(PEN_KINDS))
    parser.add_argument("--lenet", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".build", "release", "lenet"),
                        help="the lenet CLI, which writes the pen kinds (lenet synth --number)")
    args = parser.parse_args()
    images, labels = mnist_test()
    for k, kind in enumerate(args.kinds.split(",")):
        rng = np.random.default_rng([args.seed, k if kind in PEN_KINDS else 0 if kind == "handwritten" else 1])
        if kind == "handwritten":
            def make(n, i): return handwritten(images, labels, rng, n)
        elif kind == "printed":
            def make(n, i): return printed(rng, n)
        else:
            # Seeds 10^6 and up: lenet train's pen digits come from its own seed.
            def make(n, i, kind=kind): return pen_number(args.lenet, rng, n, 1_000_000 + 10_000 * args.seed + 1000 * k + i, kind)
        lengths = [int(rng.integers(args.digits[0], args.digits[1] + 1)) for _ in range(args.count)]
        save_set(os.path.join(args.out, kind), (make(n, i) for i, n in enumerate(lengths)), "number")


if __name__ == "__main__":
    main()
