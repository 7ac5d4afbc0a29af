#!/usr/bin/env python3
"""Classify PNG files and MNIST's test set with a lenet model.

    python3 bindings/python/examples/classify.py models/lenet_mnist.lenet samples/*.png
"""
import gzip
import os
import sys

import numpy as np

import lenet


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    with lenet.Model.load(sys.argv[1]) as model:
        print(f"lenet {lenet.__version__}: {model.info['parameter_count']} parameters, "
              f"test accuracy when saved {model.info['metadata'].get('accuracy.test', '?')}")
        for path in sys.argv[2:]:
            try:
                label, p = model.predict_png(path)
                print(f"{path}: {label} ({p[label]:.1%})")
            except lenet.PNGError as e:
                print(f"{path}: {e}")
        data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "data", "mnist")
        with gzip.open(os.path.join(data, "t10k-images-idx3-ubyte.gz")) as f:
            images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
        with gzip.open(os.path.join(data, "t10k-labels-idx1-ubyte.gz")) as f:
            labels = np.frombuffer(f.read(), np.uint8, offset=8)
        predicted, _ = model.predict(images)
        print(f"MNIST test set: {np.mean(predicted == labels):.2%} correct")


if __name__ == "__main__":
    main()
