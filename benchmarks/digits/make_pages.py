#!/usr/bin/env python3
"""Pages of several numbers, as a form holds them, for `lenet read` on a whole page: 2-6
numbers of 2-6 digits each (handwritten from MNIST's test digits, typeset, written by
lenet's handwriting model), of different sizes, in rows of one or two fields, on paper with
ruled lines on half the pages and stray marks (dots, dashes, ticks) between the fields.

    python3 make_pages.py OUT_DIR [--count N] [--seed S] [--lenet PATH]

OUT_DIR gets N PNGs and labels.json: for each file its numbers in reading order (rows top to
bottom, each left to right), each with its text and box (x, y, width, height).
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageFilter

from make_numbers import handwritten, pen_number, printed
from make_sets import mnist_test

KINDS = ["handwritten", "printed", "pen"]


def ink_of(img):
    """The number's ink, 0..1, from its picture on paper, cropped tight."""
    g = np.asarray(img.convert("L"), np.float32)
    paper, dark = np.percentile(g, 90), np.percentile(g, 0.5)
    ink = np.clip((paper - g) / max(1.0, paper - dark), 0, 1)
    ink[ink < 0.12] = 0
    ys, xs = np.nonzero(ink > 0.3)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def scaled(ink, factor):
    h, w = ink.shape
    size = (max(1, int(round(w * factor))), max(1, int(round(h * factor))))
    return np.asarray(Image.fromarray((ink * 255).astype(np.uint8)).resize(size, Image.BILINEAR), np.float32) / 255


def mark(rng, size):
    """A stray mark: a dot, a short dash or a tick, well under a digit's height."""
    s = max(3, int(size * rng.uniform(0.08, 0.22)))
    m = np.zeros((s + 4, s + 4), np.float32)
    kind = int(rng.integers(0, 3))
    yy, xx = np.mgrid[0:s + 4, 0:s + 4]
    if kind == 0:
        r = max(1.5, s / 4)
        m[(yy - (s + 4) / 2) ** 2 + (xx - (s + 4) / 2) ** 2 <= r * r] = 1
    elif kind == 1:
        m[(s + 4) // 2 - 1:(s + 4) // 2 + 1, 2:s + 2] = 1
    else:
        for t in range(s):
            y = s + 1 - (t if t > s // 3 else (s // 3 - t))
            m[max(0, y - 1):y + 1, t + 2] = 1
    return m


def page(rng, images, labels, lenet, seed):
    count = int(rng.integers(2, 7))
    inks, texts = [], []
    for k in range(count):
        kind = KINDS[int(rng.integers(0, len(KINDS)))]
        length = int(rng.integers(2, 7))
        if kind == "handwritten":
            img, text = handwritten(images, labels, rng, length)
        elif kind == "printed":
            img, text = printed(rng, length)
        else:
            img, text = pen_number(lenet, rng, length, seed * 10 + k, "pen")
        ink = ink_of(img)
        # Sizes from a small printed field to a large hand: 24-90 pixels high.
        ink = scaled(ink, rng.uniform(24, 90) / ink.shape[0])
        inks.append(ink)
        texts.append(text)
    # Rows of one or two fields; the second field of a row well apart from the first.
    width = 1400
    rows, k = [], 0
    while k < count:
        tall = max(inks[k].shape[0], inks[k + 1].shape[0]) if k + 1 < count else 0
        two = k + 1 < count and rng.random() < 0.4 and inks[k].shape[1] + inks[k + 1].shape[1] + max(150, 2 * tall) + 250 < width
        rows.append([k, k + 1] if two else [k])
        k += 2 if two else 1
    placed, y = [], 40
    for row in rows:
        tall = max(inks[i].shape[0] for i in row)
        x = int(rng.integers(40, 200))
        for i in row:
            h, w = inks[i].shape
            top = y + int(rng.integers(0, tall - h + 1))
            placed.append((i, x, top))
            low = max(150, 2 * tall)
            room = width - x - w - inks[row[-1]].shape[1] - 40
            x += w + int(rng.integers(low, max(low + 1, min(low + 400, room))))
        y += tall + int(rng.integers(int(0.6 * tall) + 20, int(1.4 * tall) + 40))
    height = y + 20
    canvas = np.zeros((height, width), np.float32)
    truth = []
    for i, x, top in placed:
        h, w = inks[i].shape
        w = min(w, width - x - 10)
        np.maximum(canvas[top:top + h, x:x + w], inks[i][:, :w], out=canvas[top:top + h, x:x + w])
        truth.append({"text": texts[i], "box": [x, top, w, h]})
    # Stray marks where no number is.
    sizes = [t["box"][3] for t in truth]
    for _ in range(int(rng.integers(0, 4))):
        m = mark(rng, float(np.median(sizes)))
        for _attempt in range(20):
            mx, my = int(rng.integers(0, width - m.shape[1])), int(rng.integers(0, height - m.shape[0]))
            clear = all(mx + m.shape[1] + 30 < b[0] or mx > b[0] + b[2] + 30 or my + m.shape[0] + 30 < b[1] or my > b[1] + b[3] + 30
                        for b in (t["box"] for t in truth))
            if clear:
                np.maximum(canvas[my:my + m.shape[0], mx:mx + m.shape[1]], m, out=canvas[my:my + m.shape[0], mx:mx + m.shape[1]])
                break
    paper_level, ink_level = rng.uniform(215, 250), rng.uniform(10, 60)
    grey = paper_level - (paper_level - ink_level) * canvas + rng.normal(0, 4, canvas.shape)
    rgb = np.repeat(grey[..., None], 3, axis=2)
    if rng.random() < 0.5:
        step = int(rng.integers(40, 90))
        lines = np.zeros(height, bool)
        lines[int(rng.integers(0, step))::step] = True
        rgb[lines] = np.minimum(rgb[lines], np.array([150, 190, 235], np.float32))
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(0.6))
    # Reading order: rows top to bottom, each left to right (as placed).
    return img, truth


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lenet", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".build", "release", "lenet"),
                        help="the lenet CLI, which writes the pen numbers (lenet synth --number)")
    args = parser.parse_args()
    images, labels = mnist_test()
    rng = np.random.default_rng([args.seed, 7])
    os.makedirs(args.out, exist_ok=True)
    pages = []
    for n in range(args.count):
        # Seeds 2*10^6 and up: lenet train's pen digits come from its own seed, make_numbers.py's from 10^6.
        img, truth = page(rng, images, labels, args.lenet, 2_000_000 + 10_000 * args.seed + 10 * n)
        name = f"{n:05d}.png"
        img.save(os.path.join(args.out, name))
        pages.append({"file": name, "numbers": truth})
    with open(os.path.join(args.out, "labels.json"), "w") as f:
        json.dump(pages, f, indent=1)


if __name__ == "__main__":
    main()
