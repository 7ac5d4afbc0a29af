#!/usr/bin/env python3
"""The picture path against its decode, beside OpenCV, per size class (issue #30):

    python3 benchmarks/picture_path.py MODEL [--lenet .build/release/lenet] [--out DIR]

Writes sets of PNGs from MNIST's test digits (never trained on) as users hand them over:
28x28 digits, ~100x100 scans, 640x480 photos of paper (colour, uneven light, grain) and
300-dpi A4 pages with one number (grey and colour). For each set: `lenet bench --pictures`
(libpng's decode alone and the whole path to a label, alternated in rounds, 1 and 2
threads; the pages also read as numbers, `--read`), and OpenCV (opencv-python-headless,
one thread): `cv2.imdecode` alone and a comparable pipeline (decode to grey, background by
morphological closing, Otsu, connected components, crop, resize to 20x20 in 28x28),
alternated in the same way. Prints a table of files/s (medians). For measuring only:
OpenCV is no dependency of lenet."""
import argparse
import gzip
import json
import os
import statistics
import subprocess
import time

import cv2
import numpy as np
from PIL import Image, ImageFilter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mnist_test(n):
    with gzip.open(os.path.join(ROOT, "data", "mnist", "t10k-images-idx3-ubyte.gz")) as f:
        return np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:n]


def on_paper(digit, side, rng, colour=False, light=0.0):
    """A digit written dark on paper `side` pixels high, with grain and a light gradient."""
    ink = np.asarray(Image.fromarray(digit).resize((side, side), Image.BILINEAR), np.float32) / 255
    paper = 235 - 60 * light * np.linspace(0, 1, side)[None, :] + rng.normal(0, 4, (side, side))
    grey = np.clip(paper * (1 - 0.85 * ink), 0, 255).astype(np.uint8)
    if not colour:
        return Image.fromarray(grey)
    rgb = np.stack([grey, (grey * 0.97).astype(np.uint8), (grey * 0.9).astype(np.uint8)], -1)
    return Image.fromarray(rgb).filter(ImageFilter.GaussianBlur(0.6))


def page(digits, rng, colour):
    """An A4 page at 300 dpi, a three-digit number written near its top left."""
    w, h = 2480, 3508
    sheet = np.full((h, w), 238, np.float32) + rng.normal(0, 3, (h, w))
    for i, d in enumerate(digits):
        ink = np.asarray(Image.fromarray(d).resize((160, 160), Image.BILINEAR), np.float32) / 255
        sheet[300:460, 300 + 150 * i:460 + 150 * i] *= 1 - 0.85 * ink
    grey = np.clip(sheet, 0, 255).astype(np.uint8)
    return Image.fromarray(np.stack([grey] * 3, -1) if colour else grey)


def make_sets(out, rng):
    digits = mnist_test(400)
    sets = {
        "28x28 grey": [Image.fromarray(d) for d in digits[:400]],
        "~100x100 grey scan": [on_paper(d, 100, rng) for d in digits[:200]],
        "640x480 colour photo": [on_paper(d, 480, rng, colour=True, light=0.8).resize((640, 480)) for d in digits[:40]],
        "A4 page grey": [page(digits[i:i + 3], rng, False) for i in range(0, 6, 3)],
        "A4 page colour": [page(digits[i:i + 3], rng, True) for i in range(6, 12, 3)],
    }
    paths = {}
    for name, images in sets.items():
        folder = os.path.join(out, name.replace("~", "").replace(" ", "-"))
        os.makedirs(folder, exist_ok=True)
        paths[name] = []
        for i, img in enumerate(images):
            p = os.path.join(folder, f"{i:04d}.png")
            img.save(p)
            paths[name].append(p)
    return paths


def opencv_pipeline(data):
    g = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    k = max(3, min(g.shape) // 12) | 1
    background = cv2.morphologyEx(g, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    ink = cv2.subtract(background, g)
    _, mask = cv2.threshold(ink, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n < 2:
        return None
    x, y, w, h, _ = stats[1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))]
    crop = ink[y:y + h, x:x + w]
    s = 20 / max(w, h)
    small = cv2.resize(crop, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    out = np.zeros((28, 28), np.uint8)
    out[4:4 + small.shape[0], 4:4 + small.shape[1]] = small
    return out


def rate(f, blobs, rounds):
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for b in blobs:
            f(b)
        rates.append(len(blobs) / (time.perf_counter() - t0))
    return statistics.median(rates)


def main():
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("model")
    args.add_argument("--lenet", default=os.path.join(ROOT, ".build", "release", "lenet"))
    args.add_argument("--out", default=os.path.join(ROOT, "build", "picture-path"))
    args.add_argument("--rounds", type=int, default=3)
    a = args.parse_args()
    cv2.setNumThreads(1)
    paths = make_sets(a.out, np.random.default_rng(5))
    print("| set | files | libpng decode 1t | lenet path 1t | ratio | decode 2t | path 2t | ratio | cv2.imdecode 1t | OpenCV pipeline 1t | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [(name, files, False) for name, files in paths.items()]
    # A page is read as a number too (`lenet read`, whose criterion is the page's).
    rows += [(name + ", lenet read", files, True) for name, files in paths.items() if name.startswith("A4")]
    for name, files, read in rows:
        blobs = [open(p, "rb").read() for p in files]
        ours = json.loads(subprocess.run([a.lenet, "bench", a.model, "--pictures", *files, "--threads", "1", "2", "--seconds",
                                          str(a.rounds / 3), "--json", *(["--read"] if read else [])],
                                         check=True, capture_output=True, text=True).stdout)
        decode, pipeline = [], []
        for _ in range(a.rounds):  # alternated, as lenet bench alternates its two
            decode.append(rate(lambda b: cv2.imdecode(np.frombuffer(b, np.uint8), cv2.IMREAD_UNCHANGED), blobs, 1))
            pipeline.append(rate(opencv_pipeline, blobs, 1))
        d, p = statistics.median(decode), statistics.median(pipeline)
        one, two = ours[0], ours[1]
        print(f"| {name} | {len(files)} | {one['decode_files_per_second']:.0f} | {one['path_files_per_second']:.0f} | "
              f"{one['ratio']:.3f} | {two['decode_files_per_second']:.0f} | {two['path_files_per_second']:.0f} | {two['ratio']:.3f} | "
              f"{d:.0f} | {p:.0f} | {p / d:.3f} |")


if __name__ == "__main__":
    main()
