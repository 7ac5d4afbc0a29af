#!/usr/bin/env python3
"""How many numbers `Model.read_numbers` reads right on the pages make_pages.py writes.

    python3 evaluate_pages.py PAGES_DIR MODEL [--show-misses N]

Each true number is matched to the number read whose box covers most of it (at least half);
it counts right when that reading's text is the number's. A page counts exactly right when
its numbers come back right, in reading order, and nothing else is read.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))
import lenet  # noqa: E402


def covered(truth, box):
    """The share of the true box's area inside `box`."""
    tx, ty, tw, th = truth
    x, y, w, h = box
    ix = max(0, min(tx + tw, x + w) - max(tx, x))
    iy = max(0, min(ty + th, y + h) - max(ty, y))
    return ix * iy / max(1, tw * th)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages")
    parser.add_argument("model")
    parser.add_argument("--show-misses", type=int, default=0)
    args = parser.parse_args()
    model = lenet.Model.load(args.model)
    with open(os.path.join(args.pages, "labels.json")) as f:
        pages = json.load(f)
    right = total = exact = extra = 0
    misses = []
    for p in pages:
        try:
            read = model.read_numbers(os.path.join(args.pages, p["file"]))
        except lenet.LeNetError:
            read = []
        matched = set()
        for t in p["numbers"]:
            total += 1
            best = max(range(len(read)), key=lambda i: covered(t["box"], read[i].box), default=None)
            if best is not None and covered(t["box"], read[best].box) >= 0.5:
                matched.add(best)
                if str(read[best]) == t["text"]:
                    right += 1
                    continue
                misses.append((p["file"], t["text"], str(read[best])))
            else:
                misses.append((p["file"], t["text"], "(not found)"))
        extra += len(read) - len(matched)
        exact += [str(r) for r in read] == [t["text"] for t in p["numbers"]]
    print("| pages | numbers | numbers right | pages exactly right | numbers read that are none |")
    print("|---|---|---|---|---|")
    print(f"| {len(pages)} | {total} | {100 * right / total:.1f}% | {100 * exact / len(pages):.1f}% | {extra} |")
    for m in misses[:args.show_misses]:
        print(f"    {m[0]}: {m[1]} read as {m[2]}")


if __name__ == "__main__":
    main()
