#!/usr/bin/env python3
"""The seed's PyTorch LeNet-5 training, for a side-by-side time with `lenet train`.

Same model (ReLU + max-pool, 32x32 input: 28x28 padded by 2 with the background value,
normalised with MNIST's mean and std), Adam lr 1e-3, batch 64, 10 epochs, data held in
memory as one tensor. It reads the vendored data/mnist/*.gz directly (no torchvision).

    pip install torch==2.13.0+cpu numpy
    python3 benchmarks/torch_train.py --threads 2

Prints per epoch the training-loop seconds (excluding evaluation) and the test accuracy,
then a final JSON line.
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F

from torch_lenet import LeNet


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4 : 4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(directory, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"))
    x = np.zeros((len(images), 1, 32, 32), dtype=np.float32)
    x[:, 0, 2:30, 2:30] = images / 255.0
    x = (x - 0.1307) / 0.3081
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="data/mnist")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    xtrain, ytrain = load(args.data, "train")
    xtest, ytest = load(args.data, "test")
    model = LeNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loop_seconds = 0.0
    accuracy = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        start = time.perf_counter()
        perm = torch.randperm(len(xtrain))
        total_loss = 0.0
        for i in range(0, len(xtrain), args.batch_size):
            idx = perm[i : i + args.batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtrain[idx]), ytrain[idx])
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(idx)
        seconds = time.perf_counter() - start
        loop_seconds += seconds
        model.eval()
        with torch.no_grad():
            accuracy = (model(xtest).argmax(1) == ytest).float().mean().item()
        print(f"epoch {epoch:2d}  loss {total_loss / len(xtrain):.4f}  test {accuracy * 100:.2f}%  {seconds:.1f}s", flush=True)
    print(json.dumps({"threads": args.threads, "epochs": args.epochs, "loop_seconds": round(loop_seconds, 2),
                      "images_per_second": round(args.epochs * len(xtrain) / loop_seconds),
                      "test_accuracy": accuracy}))


if __name__ == "__main__":
    main()
