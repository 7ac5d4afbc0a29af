"""Classify digits on a Dask cluster: the model is pickled once (as its .lenet bytes) and
scattered to every worker; each task classifies a chunk there.

    python dask_classify.py MODEL [--pngs DIR] [--limit N] [--workers 1 2] [--scheduler ADDRESS]

Without --scheduler it starts a dask.distributed.LocalCluster on 127.0.0.1 with each
--workers count in turn (worker processes, one thread each, one lenet thread each) and
prints images/s; with --scheduler tcp://host:8786 it uses that cluster. It checks that the
labels equal the in-process ones and exits 1 when they do not.
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np
from dask.distributed import Client, LocalCluster

import lenet

HERE = os.path.dirname(os.path.abspath(__file__))
MNIST = os.path.normpath(os.path.join(HERE, "..", "..", "..", "data", "mnist"))


def classify_digits(model, images):
    lenet.set_num_threads(1)  # one lenet thread per single-threaded worker: no oversubscription
    return model.predict(images)[0]


def classify_pngs(model, blobs):
    # The PNG bytes travel with the task, so the workers need no shared filesystem.
    lenet.set_num_threads(1)
    return model.predict_images(blobs)[0]


def mnist_test(limit):
    with gzip.open(os.path.join(MNIST, "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    return images[:limit]


def run(client, model, images, pngs, chunk):
    remote = client.scatter(model, broadcast=True)  # pickled once, sent to every worker
    start = time.perf_counter()
    futures = [client.submit(classify_digits, remote, images[i:i + chunk], pure=False) for i in range(0, len(images), chunk)]
    labels = np.concatenate(client.gather(futures))
    seconds = time.perf_counter() - start
    png_labels = None
    if pngs:
        futures = [client.submit(classify_pngs, remote, pngs[i:i + 16], pure=False) for i in range(0, len(pngs), 16)]
        png_labels = np.concatenate(client.gather(futures))
    return labels, png_labels, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("--pngs", help="a folder of PNG digits to classify as well")
    parser.add_argument("--limit", type=int, default=10000, help="MNIST test digits to classify (default: all 10,000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="LocalCluster sizes to run (default: 1 2)")
    parser.add_argument("--chunk", type=int, default=500, help="digits per task")
    parser.add_argument("--scheduler", help="address of an existing Dask scheduler instead of a LocalCluster")
    args = parser.parse_args()

    model = lenet.Model.load(args.model)
    images = mnist_test(args.limit)
    expected = model.predict(images)[0]
    names = sorted(n for n in os.listdir(args.pngs) if n.endswith(".png")) if args.pngs else []
    pngs = [open(os.path.join(args.pngs, n), "rb").read() for n in names]
    expected_pngs = model.predict_images(pngs)[0] if pngs else None

    ok = True
    clusters = [None] if args.scheduler else args.workers
    for workers in clusters:
        if workers is None:
            client, cluster = Client(args.scheduler), None
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            labels, png_labels, seconds = run(client, model, images, pngs, args.chunk)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        same = np.array_equal(labels, expected)
        ok &= same
        where = f"{workers} worker(s)" if workers else args.scheduler
        print(f"{where}: {len(images)} digits in {seconds:.3f} s, {len(images) / seconds:,.0f} images/s; "
              f"labels {'equal' if same else 'DIFFER from'} the in-process ones")
        if pngs:
            same_pngs = np.array_equal(png_labels, expected_pngs)
            ok &= same_pngs
            print(f"{where}: {len(pngs)} PNGs: labels {'equal' if same_pngs else 'DIFFER from'} the in-process ones")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
