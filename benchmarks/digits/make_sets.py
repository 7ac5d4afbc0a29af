#!/usr/bin/env python3
"""Evaluation sets of digits as people hand them to a program, from digits no lenet model
trained on: MNIST's test digits, optdigits (other writers, 8x8; see SOURCE.md), digits
typeset in the fonts on this machine, and digits written by lenet's handwriting model
(`lenet synth`) with seeds and style ranges training never draws.

    python3 make_sets.py OUT_DIR [--per-kind N] [--seed S] [--kinds a,b] [--lenet PATH]

OUT_DIR/<kind>/ gets N PNGs and labels.csv (file,label). Deterministic for a seed. Kinds
(see KINDS): clean scans, tight crops touching the edges, low resolution upscaled, thin and
thick strokes, low contrast, uneven light, paper grain with blur and JPEG, squared and lined
paper, coloured ink, a small digit on a large page, rotation, printed digits; and written
by the stroke model (pen-*): clean, ballpoint on grainy paper, lined paper, tight crops,
heavy marker on tight crops, strongly slanted, wobbly and fast.
"""
import argparse
import csv
import glob
import gzip
import io
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
MNIST = os.path.join(HERE, "..", "..", "data", "mnist")


def mnist_test():
    with gzip.open(os.path.join(MNIST, "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(os.path.join(MNIST, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images, labels


def optdigits():
    with gzip.open(os.path.join(HERE, "optdigits.csv.gz"), "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.int64)
    return (rows[:, :64].reshape(-1, 8, 8) * 255 // 16).astype(np.uint8), rows[:, 64].astype(np.uint8)


def paper(ink, paper_level=255, ink_level=0):
    """White-on-black ink (0..255) as ink_level-on-paper_level grey."""
    a = ink.astype(np.float32) / 255
    return np.clip(paper_level + (ink_level - paper_level) * a, 0, 255).astype(np.uint8)


def scaled(ink, factor, resample=Image.BILINEAR):
    h, w = ink.shape
    return np.asarray(Image.fromarray(ink).resize((int(w * factor), int(h * factor)), resample))


def with_margin(ink, margin):
    return np.pad(ink, margin)


def tight(ink):
    ys, xs = np.nonzero(ink > 0)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def jpeg(gray, quality):
    out = io.BytesIO()
    Image.fromarray(gray).save(out, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("L"))


# Each kind: (source, function(ink 0..255 white-on-black, rng) -> a PIL image). Sources:
# "mnist" (28x28 test digits), "opt" (8x8 optdigits), "font" (an ink image of a typeset digit).
def k_clean(ink, rng):
    return Image.fromarray(paper(with_margin(scaled(ink, 3, Image.NEAREST), 12)))


def k_tight(ink, rng):
    return Image.fromarray(paper(scaled(tight(ink), 3)))


def k_opt_nearest(ink, rng):
    return Image.fromarray(paper(scaled(ink, 8, Image.NEAREST)))


def k_opt_bilinear(ink, rng):
    return Image.fromarray(paper(scaled(ink, 8, Image.BILINEAR)))


def k_lowres16(ink, rng):
    small = np.asarray(Image.fromarray(tight(ink)).resize((12, 16) if ink.shape[0] > ink.shape[1] else (16, 16), Image.BOX))
    return Image.fromarray(paper(with_margin(scaled(small, 5, Image.NEAREST), 6)))


def k_thin(ink, rng):
    big = scaled(with_margin(ink, 2), 5)
    thin = np.asarray(Image.fromarray(big).filter(ImageFilter.MinFilter(5)))
    return Image.fromarray(paper(thin))


def k_thick(ink, rng):
    big = scaled(with_margin(ink, 6), 4)
    thick = np.asarray(Image.fromarray(big).filter(ImageFilter.MaxFilter(7)))
    return Image.fromarray(paper(thick))


def k_low_contrast(ink, rng):
    return Image.fromarray(paper(with_margin(scaled(ink, 3), 10), paper_level=int(rng.integers(170, 210)),
                                 ink_level=int(rng.integers(120, 150))))


def k_gradient(ink, rng):
    g = paper(with_margin(scaled(ink, 3), 12)).astype(np.float32)
    h, w = g.shape
    light = np.linspace(1.0, rng.uniform(0.35, 0.55), w)[None, :] if rng.random() < 0.5 else \
        np.linspace(rng.uniform(0.35, 0.55), 1.0, h)[:, None]
    return Image.fromarray(np.clip(g * light, 0, 255).astype(np.uint8))


def k_shadow(ink, rng):
    g = paper(with_margin(scaled(ink, 3), 12)).astype(np.float32)
    h, w = g.shape
    yy, xx = np.mgrid[0:h, 0:w]
    edge = rng.uniform(0.3, 0.7) * w + (yy - h / 2) * rng.uniform(-0.8, 0.8)
    shade = np.where(xx > edge, rng.uniform(0.45, 0.65), 1.0)
    soft = np.asarray(Image.fromarray((shade * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(4))) / 255
    return Image.fromarray(np.clip(g * soft, 0, 255).astype(np.uint8))


def k_grain_blur(ink, rng):
    g = paper(with_margin(scaled(ink, 3), 12), paper_level=235, ink_level=40).astype(np.float32)
    g += rng.normal(0, 14, g.shape)
    blurred = Image.fromarray(np.clip(g, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.5))
    return Image.fromarray(jpeg(np.asarray(blurred), 35))


def ruled(ink, rng, squares):
    g = paper(with_margin(scaled(ink, 3), 14))
    rgb = np.repeat(g[..., None], 3, axis=2).astype(np.float32)
    h, w = g.shape
    step = int(rng.integers(14, 22))
    line = np.array([150, 190, 235], np.float32)  # light blue
    mask = np.zeros((h, w), bool)
    mask[int(rng.integers(0, step))::step, :] = True
    if squares:
        mask[:, int(rng.integers(0, step))::step] = True
    rgb[mask] = np.minimum(rgb[mask], line)
    return Image.fromarray(rgb.astype(np.uint8), "RGB")


def k_squared(ink, rng):
    return ruled(ink, rng, True)


def k_lined(ink, rng):
    return ruled(ink, rng, False)


def k_colour_ink(ink, rng):
    a = with_margin(scaled(ink, 3), 12).astype(np.float32)[..., None] / 255
    colour = np.array([[20, 50, 190], [200, 30, 30], [20, 120, 40]][int(rng.integers(0, 3))], np.float32)
    return Image.fromarray((255 + (colour - 255) * a).astype(np.uint8), "RGB")


def k_small_on_page(ink, rng):
    page = np.full((300, 400), 245, np.uint8)
    digit = paper(ink, paper_level=245, ink_level=20)
    y, x = int(rng.integers(10, 300 - 38)), int(rng.integers(10, 400 - 38))
    page[y:y + 28, x:x + 28] = digit
    return Image.fromarray(page)


def k_rotated(ink, rng):
    big = Image.fromarray(with_margin(scaled(ink, 3), 16))
    return Image.fromarray(paper(np.asarray(big.rotate(rng.uniform(-15, 15), Image.BILINEAR))))


FONTS = sorted(glob.glob("/usr/share/fonts/truetype/dejavu/*.ttf"))


def printed(label, rng):
    font = ImageFont.truetype(FONTS[int(rng.integers(0, len(FONTS)))], int(rng.integers(28, 90)))
    text = str(label)
    left, top, right, bottom = font.getbbox(text)
    m = int(rng.integers(4, 20))
    img = Image.new("L", (right - left + 2 * m, bottom - top + 2 * m), 255)
    ImageDraw.Draw(img).text((m - left, m - top), text, font=font, fill=int(rng.integers(0, 60)))
    return img


# Written by the stroke model ("pen": 64x64 ink from `lenet synth`, the digit 44 px high).
# The seeds are far from training's (lenet train draws its own with the run's seed and a
# salt of its own); the ranges of some kinds reach past what training draws (slant up to
# 0.6, pen 0.05-0.15 of the height, wobble up to 0.04): see PEN_STYLES.
def k_pen_clean(ink, rng):
    return Image.fromarray(paper(with_margin(ink, int(rng.integers(2, 12)))))


def k_pen_ballpoint(ink, rng):
    a = with_margin(ink, 10).astype(np.float32)[..., None] / 255
    colour = np.array([[25, 40, 150], [30, 30, 40]][int(rng.integers(0, 2))], np.float32)
    rgb = 238 + (colour - 238) * a + rng.normal(0, 6, a.shape[:2])[..., None]
    blurred = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB").filter(ImageFilter.GaussianBlur(0.7))
    return Image.fromarray(jpeg(np.asarray(blurred.convert("L")), 60)) if rng.random() < 0.5 else blurred


def k_pen_lined(ink, rng):
    g = paper(with_margin(ink, 12))
    rgb = np.repeat(g[..., None], 3, axis=2).astype(np.float32)
    step = int(rng.integers(16, 26))
    mask = np.zeros(g.shape, bool)
    mask[int(rng.integers(0, step))::step, :] = True
    rgb[mask] = np.minimum(rgb[mask], np.array([150, 190, 235], np.float32))
    return Image.fromarray(rgb.astype(np.uint8), "RGB")


def k_pen_tight(ink, rng):
    return Image.fromarray(paper(tight(ink)))


KINDS = {
    "clean": ("mnist", k_clean),
    "tight-crop": ("mnist", k_tight),
    "other-writers-8x8-nearest": ("opt", k_opt_nearest),
    "other-writers-8x8-bilinear": ("opt", k_opt_bilinear),
    "low-res-16": ("mnist", k_lowres16),
    "thin-pen": ("mnist", k_thin),
    "thick-marker": ("mnist", k_thick),
    "low-contrast": ("mnist", k_low_contrast),
    "uneven-light": ("mnist", k_gradient),
    "shadow": ("mnist", k_shadow),
    "grain-blur-jpeg": ("mnist", k_grain_blur),
    "squared-paper": ("mnist", k_squared),
    "lined-paper": ("mnist", k_lined),
    "coloured-ink": ("mnist", k_colour_ink),
    "small-on-page": ("mnist", k_small_on_page),
    "rotated": ("mnist", k_rotated),
    "printed": ("font", None),
    "pen-clean": ("pen", k_pen_clean),
    "pen-ballpoint": ("pen", k_pen_ballpoint),
    "pen-lined-paper": ("pen", k_pen_lined),
    "pen-tight-crop": ("pen", k_pen_tight),
    "pen-heavy-marker": ("pen", k_pen_tight),
    "pen-strong-slant": ("pen", k_pen_clean),
    "pen-wobbly-fast": ("pen", k_pen_clean),
}

# `lenet synth` options per pen kind (the default ranges where none are given).
PEN_STYLES = {
    "pen-ballpoint": ["--pen-width", "0.03,0.07"],
    "pen-heavy-marker": ["--pen-width", "0.16,0.24"],
    "pen-strong-slant": ["--slant", "0.55,0.85"],
    "pen-wobbly-fast": ["--wobble", "0.035,0.06", "--speed", "0.7,1"],
}


def pen_digits(lenet, n, seed, kind):
    """n digits of the stroke model in white-on-black ink, with their labels."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([lenet, "synth", folder, "--count", str(n), "--seed", str(seed), *PEN_STYLES.get(kind, [])],
                       check=True, capture_output=True)
        with open(os.path.join(folder, "labels.csv")) as f:
            rows = list(csv.reader(f))[1:]
        return [255 - np.asarray(Image.open(os.path.join(folder, r[0])).convert("L")) for r in rows], [int(r[1]) for r in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--per-kind", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", help="comma-separated subset of: " + ", ".join(KINDS))
    parser.add_argument("--lenet", default=os.path.join(ROOT, ".build", "release", "lenet"),
                        help="the lenet CLI, which writes the pen-* kinds' digits (lenet synth)")
    args = parser.parse_args()
    images, labels = mnist_test()
    opt_images, opt_labels = optdigits()
    kinds = args.kinds.split(",") if args.kinds else list(KINDS)
    for k, kind in enumerate(kinds):
        source, make = KINDS[kind]
        rng = np.random.default_rng([args.seed, k])
        folder = os.path.join(args.out, kind)
        # Each kind draws its own digits, spread over the whole source.
        pool = len(opt_labels) if source == "opt" else len(labels)
        picks = rng.choice(pool, size=min(args.per_kind, pool), replace=False)
        if source == "pen":
            # Seeds 10^6 and up: lenet train's own pen digits come from its seed (1 by default).
            pen_images, pen_labels = pen_digits(args.lenet, args.per_kind, 1_000_000 + 1000 * args.seed + k, kind)
            picks = range(args.per_kind)

        def picture(n, i):
            if source == "font":
                return printed(n % 10, rng), n % 10
            if source == "opt":
                return make(opt_images[i], rng), int(opt_labels[i])
            if source == "pen":
                return make(pen_images[i], rng), pen_labels[i]
            return make(images[i], rng), int(labels[i])
        save_set(folder, (picture(n, i) for n, i in enumerate(picks)), "label")


def save_set(folder, pictures, column):
    """Writes each (picture, answer) as NNNNN.png, and labels.csv with columns file,`column`."""
    os.makedirs(folder, exist_ok=True)
    rows = []
    for n, (img, answer) in enumerate(pictures):
        name = f"{n:05d}.png"
        img.save(os.path.join(folder, name))
        rows.append((name, answer))
    with open(os.path.join(folder, "labels.csv"), "w", newline="") as f:
        csv.writer(f).writerows([("file", column)] + rows)


if __name__ == "__main__":
    main()
