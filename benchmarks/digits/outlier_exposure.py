#!/usr/bin/env python3
"""Would a classifier that is unsure of two touching digits read numbers better? An
experiment for issue #31 in PyTorch (a reference, not lenet's trainer): LeNets trained
on MNIST and lenet's pen digits, without and with "outliers" taught a uniform answer
(outlier exposure, Hendrycks et al. 2019): touching pairs written by lenet's handwriting
model and halves of its digits, each preprocessed as `lenet predict` sees a picture. Each
model is converted to .lenet and reads the numbers of `make_numbers.py`; it prints
evaluate_numbers.py's table per model and each model's MNIST test accuracy.

    python3 outlier_exposure.py NUMBERS_DIR [--work DIR] [--models none,pairs,pairs+halves]

NUMBERS_DIR: `make_numbers.py NUMBERS_DIR --count 200 --seed 13 --digits 2 7`. Needs torch
and the built CLI and library (make build lib). About 10 minutes on 2 cores: the data, then
2.5 minutes a model.
"""
import argparse
import csv
import glob
import gzip
import json
import os
import random
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CLI = os.path.join(ROOT, ".build", "release", "lenet")
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))


def run(*args):
    return subprocess.run([CLI, *map(str, args)], check=True, capture_output=True, text=True).stdout


def seen(files, model):
    """The 28x28 digits `lenet predict` makes of the files (any model: only the digits count)."""
    out = []
    for i in range(0, len(files), 2000):
        # Status 1: some file had no ink to read (a half can be empty); the rest are there.
        r = subprocess.run([CLI, "predict", model, "--json", "--show", *files[i:i + 2000]], capture_output=True, text=True)
        if r.returncode not in (0, 1):
            raise SystemExit(f"lenet predict failed: {r.stderr[:500]}")
        for line in r.stdout.splitlines():
            o = json.loads(line)
            if "digit28x28" in o:
                out.append(np.array(o["digit28x28"], np.uint8))
    return np.stack(out)


def make_data(work, model):
    """Pen digits (seed 4242: neither training's nor the evaluation sets'), 6,000 touching
    pairs (200 two-digit numbers, 30 hands each) and 6,000 halves of pen digits."""
    from PIL import Image
    run("synth", f"{work}/pen", "--count", 12000, "--seed", 4242)
    rng = random.Random(7)
    for k in range(200):
        run("synth", f"{work}/pairs/{k:03d}", "--number", f"{rng.randrange(100):02d}", "--touching", 1, "--count", 30,
            "--seed", 1000 + k)
    os.makedirs(f"{work}/halves", exist_ok=True)
    pen = sorted(glob.glob(f"{work}/pen/*.png"))
    for i, f in enumerate(pen[:3000]):
        a = np.asarray(Image.open(f).convert("L"))
        cols = np.nonzero((a < 128).any(0))[0]
        mid = (cols[0] + cols[-1]) // 2 + np.random.RandomState(i).randint(-3, 4)
        for side, keep in (("a", slice(mid, None)), ("b", slice(None, mid))):
            half = a.copy()
            half[:, keep] = 255
            Image.fromarray(half).save(f"{work}/halves/{i:05d}{side}.png")
    labels = {r["file"]: int(r["label"]) for r in csv.DictReader(open(f"{work}/pen/labels.csv"))}
    np.savez(f"{work}/data.npz", pen=seen(pen, model), pen_labels=np.array([labels[os.path.basename(f)] for f in pen], np.uint8),
             pairs=seen(sorted(glob.glob(f"{work}/pairs/*/*.png")), model), halves=seen(sorted(glob.glob(f"{work}/halves/*.png")), model))


def train(data, kinds, seed=1, epochs=6, weight=0.5):
    """Adam 1e-3 with cosine decay, batch 64, no augmentation; outliers' loss is the cross
    entropy to the uniform answer, times `weight`."""
    import torch
    import torch.nn.functional as F
    from torch_lenet import LeNet
    torch.set_num_threads(os.cpu_count() or 1)

    def idx(name, offset):
        return np.frombuffer(gzip.open(os.path.join(ROOT, "data", "mnist", name)).read(), np.uint8, offset=offset)

    xs = np.concatenate([idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28), data["pen"]] + [data[k] for k in kinds])
    ys = np.concatenate([idx("train-labels-idx1-ubyte.gz", 8), data["pen_labels"],
                         np.full(sum(len(data[k]) for k in kinds), 255, np.uint8)]).astype(np.int64)
    x = np.zeros((len(xs), 1, 32, 32), np.float32)
    x[:, 0, 2:30, 2:30] = xs / 255.0
    xt, yt = torch.from_numpy((x - 0.1307) / 0.3081), torch.from_numpy(ys)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = LeNet()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs * ((len(xs) + 63) // 64))
    for _ in range(epochs):
        perm = rng.permutation(len(xs))
        for i in range(0, len(xs), 64):
            b = perm[i:i + 64]
            logp = F.log_softmax(net(xt[b]), 1)
            digit = yt[b] != 255
            loss = F.nll_loss(logp[digit], yt[b][digit], reduction="sum")
            if (~digit).any():
                loss = loss + weight * (-logp[~digit].mean(1)).sum()
            opt.zero_grad()
            (loss / len(b)).backward()
            opt.step()
            sched.step()
    return net


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("numbers")
    p.add_argument("--work", default="/tmp/lenet-outlier-exposure")
    p.add_argument("--models", default="none,pairs,pairs+halves")
    p.add_argument("--preprocess-model", default=os.path.join(ROOT, "build", "test", "default.lenet"))
    args = p.parse_args()
    import torch
    if not os.path.exists(f"{args.work}/data.npz"):
        make_data(args.work, args.preprocess_model)
    data = np.load(f"{args.work}/data.npz")
    for name in args.models.split(","):
        kinds = [] if name == "none" else name.split("+")
        pth, model = f"{args.work}/{name}.pth", f"{args.work}/{name}.lenet"
        torch.save(train(data, kinds).state_dict(), pth)
        run("convert", pth, model)
        accuracy = run("eval", model, "--data", os.path.join(ROOT, "data", "mnist")).splitlines()[0]
        print(f"\noutliers: {name} ({sum(len(data[k]) for k in kinds)} pictures); MNIST test {accuracy}")
        table = subprocess.run([sys.executable, os.path.join(HERE, "evaluate_numbers.py"), args.numbers, model],
                               check=True, capture_output=True, text=True).stdout
        print(table, flush=True)


if __name__ == "__main__":
    main()
