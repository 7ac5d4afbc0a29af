#!/usr/bin/env python3
"""Per-kind accuracy of models on the sets make_sets.py writes, each PNG read through
lenet's own preprocessing (Model.predict_png), as a user's program would read it.

    python3 evaluate.py SETS_DIR MODEL [MODEL ...] [--reference] [--json]

A PNG the library refuses (no ink found) counts as wrong. --reference adds a column for a
plain pipeline done here in numpy (grey, dark ink made white, crop to the ink, scale to fit
20x20, centre of mass to the middle), read by the first model: the bar the library's own
preprocessing should clear.
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))
import lenet  # noqa: E402


def load_set(folder):
    with open(os.path.join(folder, "labels.csv")) as f:
        rows = list(csv.reader(f))[1:]
    return [os.path.join(folder, r[0]) for r in rows], np.array([int(r[1]) for r in rows])


def lenet_labels(model, paths):
    out = np.full(len(paths), -1)
    for i, p in enumerate(paths):
        try:
            out[i] = model.predict_png(p)[0]
        except lenet.NoInkError:
            pass
    return out


def reference_digit(path):
    g = np.asarray(Image.open(path).convert("L"), np.float32)
    ink = 255 - g if g.mean() > 127 else g
    ink = np.clip(ink - np.percentile(ink, 5), 0, None)
    ys, xs = np.nonzero(ink > 0.25 * ink.max())
    box = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = box.shape
    s = 20 / max(h, w)
    small = np.asarray(Image.fromarray(box).resize((max(1, round(w * s)), max(1, round(h * s))), Image.BOX))
    small = small * (255 / max(small.max(), 1e-6))
    out = np.zeros((28, 28), np.float32)
    mass = small.sum()
    cy, cx = (np.indices(small.shape) * small).reshape(2, -1).sum(1) / mass
    y0, x0 = int(round(14 - cy)), int(round(14 - cx))
    for y in range(small.shape[0]):
        for x in range(small.shape[1]):
            if 0 <= y + y0 < 28 and 0 <= x + x0 < 28:
                out[y + y0, x + x0] = small[y, x]
    return np.clip(out, 0, 255).astype(np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets")
    parser.add_argument("models", nargs="+")
    parser.add_argument("--reference", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    models = [lenet.Model.load(m) for m in args.models]
    kinds = sorted(k for k in os.listdir(args.sets) if os.path.exists(os.path.join(args.sets, k, "labels.csv")))
    results = {}
    for kind in kinds:
        paths, truth = load_set(os.path.join(args.sets, kind))
        row = {"n": len(paths)}
        for name, m in zip(args.models, models):
            row[name] = float(np.mean(lenet_labels(m, paths) == truth))
        if args.reference:
            digits = np.stack([reference_digit(p) for p in paths])
            row["reference"] = float(np.mean(models[0].predict(digits)[0] == truth))
        results[kind] = row
    if args.json:
        print(json.dumps(results, indent=1))
        return
    columns = [os.path.basename(m) for m in args.models] + (["reference"] if args.reference else [])
    keys = list(args.models) + (["reference"] if args.reference else [])
    print("| kind | n | " + " | ".join(columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for kind, row in results.items():
        print(f"| {kind} | {row['n']} | " + " | ".join(f"{100 * row[k]:.1f}%" for k in keys) + " |")
    mean = {k: np.mean([r[k] for r in results.values()]) for k in keys}
    worst = {k: min(r[k] for r in results.values()) for k in keys}
    print("| mean over kinds | | " + " | ".join(f"{100 * mean[k]:.1f}%" for k in keys) + " |")
    print("| worst kind | | " + " | ".join(f"{100 * worst[k]:.1f}%" for k in keys) + " |")


if __name__ == "__main__":
    main()
