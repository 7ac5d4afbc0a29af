#!/bin/sh
# lenet train vs the same training in PyTorch (benchmarks/torch_train.py), 10 epochs each,
# alternating A B A B so the machine's fast/slow phases hit both; 1 and 2 threads. The
# seed's training: MNIST alone, no augmentation, Adam at 1e-3 (lenet's defaults add pen
# digits since 0.5 and touching pairs since 0.6, and train at 2e-3 since 0.6).
# Needs: make build; pip install torch==2.13.0+cpu numpy.
set -eu
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
for threads in 1 2; do
  for i in $(seq "$runs"); do
    /usr/bin/time -f "lenet threads=$threads peak_rss_kb=%M wall=%e" \
      .build/release/lenet train --no-augment --pen-share 0 --pair-share 0 --lr 0.001 --threads "$threads" --output /tmp/lenet-bench.lenet | tail -2
    python3 benchmarks/torch_train.py --threads "$threads" | tail -1
  done
done
