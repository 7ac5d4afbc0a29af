#!/bin/sh
# lenet train vs the same training in PyTorch (benchmarks/torch_train.py), 10 epochs each,
# alternating A B A B so the machine's fast/slow phases hit both; 1 and 2 threads. The
# seed's training: MNIST alone, no augmentation (lenet's defaults add both since 0.5).
# Needs: make build; pip install torch==2.13.0+cpu numpy.
set -eu
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
for threads in 1 2; do
  for i in $(seq "$runs"); do
    /usr/bin/time -f "lenet threads=$threads peak_rss_kb=%M wall=%e" \
      .build/release/lenet train --no-augment --pen-share 0 --threads "$threads" --output /tmp/lenet-bench.lenet | tail -2
    python3 benchmarks/torch_train.py --threads "$threads" | tail -1
  done
done
