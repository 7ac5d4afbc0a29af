#!/usr/bin/env python3
"""Teaching a model your handwriting: for each of a few hands the default model misreads
(written by lenet's handwriting model, `lenet synth`, with one writer's letterforms, slant,
pen and wobble), 5 samples of each digit are the user's pictures; `lenet train --images
--data --init MODEL` fine-tunes the model on them, and 500 new samples of the same hand (and
MNIST's test set) measure it before and after.

    python3 fine_tune.py MODEL [--seed S] [--lenet PATH] [--data DIR] [--threads N]

Prints a Markdown table: hand, before, after, MNIST before and after, seconds of training.
"""
import argparse
import os
import re
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# One writer each: a letterform for every digit, and narrow ranges of slant, pen width,
# wobble and speed. Legible hands (wobble at most 0.035: more and a human misreads them too).
HANDS = {
    "far right slant, thin pen": "--forms 0-oval,1-flag,2-plain,3-round,4-one-stroke-open,5-one-stroke,6-round,7-hook,8-two-loops,"
                                 "9-curved-stem --slant 0.9,1.0 --pen-width 0.03,0.04 --wobble 0.02,0.03 --speed 0.0,0.2",
    "left slant, marker": "--forms 0-open-top-oval,1-flag-and-base,2-loop,3-flat-top,4-open,5-bar-after,6-long-stem,7-crossed,"
                          "8-one-stroke,9-straight-stem --slant=-0.75,-0.65 --pen-width 0.18,0.2 --wobble 0.025,0.035 --speed 0.8,1.0",
    "backhand, thin pen, hasty": "--forms 0-oval,1-stroke,2-plain,3-round,4-closed,5-one-stroke,6-round,7-plain,8-two-loops,"
                                 "9-curved-stem --slant=-0.75,-0.65 --pen-width 0.025,0.035 --wobble 0.025,0.035 --speed 0.9,1.0",
    "right slant, fine pen, flags": "--forms 0-open-top-oval,1-flag-and-base,2-loop,3-flat-top,4-one-stroke-open,5-bar-after,"
                                    "6-long-stem,7-crossed,8-two-loops,9-straight-stem --slant 0.65,0.75 --pen-width 0.025,0.03 "
                                    "--wobble 0.025,0.035 --speed 0.3,0.5",
}


def accuracy(lenet, model, *extra):
    out = subprocess.run([lenet, "eval", model, *extra], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"accuracy ([0-9.]+)%", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("--seed", type=int, default=1, help="the hands' samples: seeds 8,000,000 + 1,000 x seed and up")
    parser.add_argument("--lenet", default=os.path.join(HERE, "..", "..", ".build", "release", "lenet"))
    parser.add_argument("--data", default=os.path.join(HERE, "..", "..", "data", "mnist"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    base_mnist = accuracy(args.lenet, args.model, "--data", args.data)
    print("| hand | before | after | MNIST before | MNIST after | seconds |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for k, (name, style) in enumerate(HANDS.items()):
            seed = 8_000_000 + 1000 * args.seed + 10 * k
            mine, new = os.path.join(work, f"mine{k}"), os.path.join(work, f"new{k}")
            subprocess.run([args.lenet, "synth", mine, "--count", "50", "--seed", str(seed), *style.split()], check=True, capture_output=True)
            subprocess.run([args.lenet, "synth", new, "--count", "500", "--seed", str(seed + 1), *style.split()], check=True,
                           capture_output=True)
            tuned = os.path.join(work, f"tuned{k}.lenet")
            start = time.monotonic()
            subprocess.run([args.lenet, "train", "--images", mine, "--data", args.data, "--init", args.model, "--threads",
                            str(args.threads), "-o", tuned], check=True, capture_output=True)
            seconds = time.monotonic() - start
            before, after = accuracy(args.lenet, args.model, "--images", new), accuracy(args.lenet, tuned, "--images", new)
            print(f"| {name} | {before:.1f}% | {after:.1f}% | {base_mnist:.2f}% | "
                  f"{accuracy(args.lenet, tuned, '--data', args.data):.2f}% | {seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
