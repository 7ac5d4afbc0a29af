#!/usr/bin/env python3
"""Whole-number and per-digit accuracy of `Model.read_png` on the sets make_numbers.py writes.

    python3 evaluate_numbers.py NUMBERS_DIR MODEL [--show-misses N]

Per digit counts a number's digits position by position when the count is right; a number
read with too many or too few digits counts all its digits wrong.
"""
import argparse
import csv
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))
import lenet  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("numbers")
    parser.add_argument("model")
    parser.add_argument("--show-misses", type=int, default=0)
    args = parser.parse_args()
    model = lenet.Model.load(args.model)
    print("| kind | numbers | digits a number | whole numbers right | digits right | wrong digit count |")
    print("|---|---|---|---|---|---|")
    for kind in sorted(os.listdir(args.numbers)):
        with open(os.path.join(args.numbers, kind, "labels.csv")) as f:
            rows = list(csv.reader(f))[1:]
        whole = digits = total = miscounted = 0
        misses = []
        for name, text in rows:
            try:
                got = str(model.read_png(os.path.join(args.numbers, kind, name)))
            except lenet.LeNetError:
                got = ""
            whole += got == text
            total += len(text)
            if len(got) == len(text):
                digits += sum(a == b for a, b in zip(got, text))
            else:
                miscounted += 1
            if got != text:
                misses.append((name, text, got))
        lengths = sorted(len(t) for _, t in rows)
        print(f"| {kind} | {len(rows)} | {lengths[0]}-{lengths[-1]} | {100 * whole / len(rows):.1f}% | "
              f"{100 * digits / total:.1f}% | {miscounted} |")
        for m in misses[:args.show_misses]:
            print(f"    {kind}/{m[0]}: {m[1]} read as {m[2] or '(nothing)'}")


if __name__ == "__main__":
    main()
