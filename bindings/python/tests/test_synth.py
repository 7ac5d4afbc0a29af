"""`lenet synth`: digits written by the handwriting model, as PNGs with their labels."""
import csv
import os
import subprocess

import numpy as np
from PIL import Image


def synth(cli, out, *args, check=True):
    return subprocess.run([cli, "synth", str(out), *args], capture_output=True, text=True, check=check)


def rows(folder):
    with open(os.path.join(folder, "labels.csv")) as f:
        return list(csv.DictReader(f))


def test_writes_labelled_digits_the_same_for_a_seed(cli, tmp_path):
    synth(cli, tmp_path / "a", "--count", "20", "--seed", "4")
    synth(cli, tmp_path / "b", "--count", "20", "--seed", "4")
    synth(cli, tmp_path / "c", "--count", "20", "--seed", "5")
    written = rows(tmp_path / "a")
    assert [int(r["label"]) for r in written] == [i % 10 for i in range(20)]
    assert all(r["form"].startswith(r["label"] + "-") for r in written)
    for r in written:
        a = np.asarray(Image.open(tmp_path / "a" / r["file"]))
        assert a.shape == (64, 64) and a.min() < 60 and a.max() > 250  # dark ink on white
        assert np.array_equal(a, np.asarray(Image.open(tmp_path / "b" / r["file"])))
    differ = [not np.array_equal(np.asarray(Image.open(tmp_path / "a" / r["file"])),
                                 np.asarray(Image.open(tmp_path / "c" / r["file"]))) for r in written]
    assert all(differ)


def test_ranges_and_forms_are_followed(cli, tmp_path):
    synth(cli, tmp_path, "--count", "6", "--forms", "1-flag,7-crossed", "--slant", "0.5,0.6", "--pen-width", "0.2,0.2")
    written = rows(tmp_path)
    assert [r["form"] for r in written] == ["1-flag", "7-crossed"] * 3
    assert all(0.5 <= float(r["slant"]) <= 0.6 and float(r["pen_width"]) == 0.2 for r in written)
    # In the order given, not the library's.
    synth(cli, tmp_path / "reversed", "--count", "4", "--forms", "7-crossed,1-flag")
    assert [r["form"] for r in rows(tmp_path / "reversed")] == ["7-crossed", "1-flag"] * 2


def test_bad_options_are_refused_before_writing(cli, tmp_path):
    for args, says in [(["--slant", "1,0"], "--slant"), (["--pen-width", "0.1"], "--pen-width"),
                       (["--speed", "0,2"], "--speed"), (["--forms", "1-banner"], "1-flag"), (["--count", "0"], "--count")]:
        out = tmp_path / says.strip("-")
        r = synth(cli, out, *args, check=False)
        assert r.returncode != 0 and says in r.stderr, (args, r.stderr)
        assert not out.exists()


def test_a_number_is_written_by_one_hand(cli, tmp_path):
    upright = ["--slant", "0,0", "--gap", "0.15,0.3"]
    synth(cli, tmp_path / "n", "--number", "4271", "--count", "3", "--seed", "2", *upright)
    synth(cli, tmp_path / "t", "--number", "4271", "--count", "3", "--seed", "2", *upright, "--touching", "2")

    def inked_spans(path):
        """The ink's 8-connected pieces."""
        ink = np.asarray(Image.open(path)) < 128
        seen, pieces = np.zeros_like(ink), 0
        for start in zip(*np.nonzero(ink)):
            if seen[start]:
                continue
            pieces += 1
            stack = [start]
            seen[start] = True
            while stack:
                y, x = stack.pop()
                for v in range(max(0, y - 1), min(ink.shape[0], y + 2)):
                    for u in range(max(0, x - 1), min(ink.shape[1], x + 2)):
                        if ink[v, u] and not seen[v, u]:
                            seen[v, u] = True
                            stack.append((v, u))
        return pieces

    for r in rows(tmp_path / "n"):
        assert r["label"] == "4271" and [f[0] for f in r["form"].split("+")] == list("4271")
        a = np.asarray(Image.open(tmp_path / "n" / r["file"]))
        assert a.shape[0] == 64 and a.shape[1] > 100  # four digits side by side
        # Apart, each digit is one piece of ink; with --touching 2 the 2 and the 7 meet.
        assert inked_spans(tmp_path / "n" / r["file"]) == 4
        assert inked_spans(tmp_path / "t" / r["file"]) == 3
    for args, says in [(["--number", "12a"], "--number"), (["--number", "42", "--touching", "2"], "--touching"),
                       (["--number", "42", "--forms", "1-flag"], "--forms"), (["--number", "42", "--gap", "1"], "--gap")]:
        r = synth(cli, tmp_path / "bad", *args, check=False)
        assert r.returncode != 0 and says in r.stderr, (args, r.stderr)
