"""`lenet train --images`: a user's own labelled pictures, alone or mixed with MNIST,
fine-tuning a trained model (--init), a share held back and reported every epoch, the
checkpoint telling the story, --resume exact, and bad inputs refused before any epoch."""
import os
import subprocess

import pytest


def _run(cli, *args, cwd=None):
    return subprocess.run([cli, *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def pictures(cli, tmp_path_factory):
    """40 digits in a hand far slanted, as `lenet synth` writes them (labels.csv)."""
    folder = tmp_path_factory.mktemp("mine")
    r = _run(cli, "synth", str(folder), "--count", "40", "--seed", "7300", "--slant", "0.9,1.0", "--pen-width", "0.03,0.04")
    assert r.returncode == 0, r.stderr
    return folder


def test_fine_tuning_on_pictures_beside_mnist(cli, root, model_path, pictures, tmp_path):
    out = tmp_path / "mine.lenet"
    data = os.path.join(root, "data", "mnist")
    r = _run(cli, "train", "--images", str(pictures), "--data", data, "--limit", "2000", "--init", model_path,
             "--epochs", "2", "--lr-schedule", "constant", "--threads", "2", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "32 of your pictures (8 held back) mixed in at 0.5" in r.stdout and f"from {model_path}" in r.stdout
    epochs = [line for line in r.stdout.splitlines() if line.startswith("epoch")]
    assert len(epochs) == 2 and all(" test " in e and " yours " in e for e in epochs)
    text = _run(cli, "inspect", str(out)).stdout
    for key, value in [("training.pictures", str(pictures)), ("training.pictures.count", "40"), ("training.validation", "0.2"),
                       ("training.pictures.share", "0.5"), ("training.init", model_path),
                       ("training.pen_share", "0.0"), ("training.pair_share", "0.1")]:
        assert any(line.split() == [key, value] for line in text.splitlines()), (key, value, text)
    # 2,000 of MNIST's and as many of yours, 10% touching pairs kept (what `lenet read` relies
    # on) and up to as many digits cut out of pairs.
    images = int(next(line.split()[1] for line in text.splitlines() if line.split()[:1] == ["training.images"]))
    assert 4600 < images <= 4800, images
    assert "yours" in text.split("history:")[1], "the history keeps the held-back accuracy"
    # Resumed from epoch 1 of the same run, it is the uninterrupted run, byte for byte.
    one = tmp_path / "one.lenet"
    r = _run(cli, "train", "--images", str(pictures), "--data", data, "--limit", "2000", "--init", model_path,
             "--epochs", "1", "--lr-schedule", "constant", "--threads", "1", "-o", str(one))
    assert r.returncode == 0, r.stderr
    r = _run(cli, "train", "--resume", str(one), "--epochs", "2", "--threads", "2")
    assert r.returncode == 0, r.stderr
    assert one.read_bytes() == out.read_bytes()
    # A resumed run refuses pictures that changed.
    with open(pictures / "labels.csv", "a") as f:
        f.write("00000.png,3\n")
    r = _run(cli, "train", "--resume", str(one), "--epochs", "3")
    assert r.returncode != 0 and "not the ones the run started with" in r.stderr
    with open(pictures / "labels.csv") as f:
        lines = f.readlines()
    with open(pictures / "labels.csv", "w") as f:
        f.writelines(lines[:-1])


def test_pictures_alone_fill_an_epoch(cli, root, pictures, tmp_path):
    out = tmp_path / "alone.lenet"
    r = _run(cli, "train", "--images", str(pictures), "--validation", "0", "--epochs", "1", "--no-augment", "-o", str(out), cwd=root)
    assert r.returncode == 0, r.stderr
    # 40 pictures repeated to 6,400, and 10% touching pairs (what `lenet read` relies on).
    assert "training on 6400 images + 640 touching pairs and digits cut from as many; 40 of your pictures (0 held back) repeated" in r.stdout
    text = _run(cli, "inspect", str(out)).stdout
    assert "training.data" not in text and "training.pictures.share" not in text


def test_bad_pictures_and_models_are_refused_before_training(cli, root, model_path, pictures, tmp_path):
    out = tmp_path / "never.lenet"
    empty = tmp_path / "empty"
    empty.mkdir()
    r = _run(cli, "train", "--images", str(empty), "-o", str(out))
    assert r.returncode == 64 and "holds no labelled pictures" in r.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "labels.csv").write_text("file,label\na.png,12\n")
    r = _run(cli, "train", "--images", str(bad), "-o", str(out))
    assert r.returncode == 64 and "label 0-9" in r.stderr and "a.png,12" in r.stderr
    # A picture too large to decode is listed and left out; with nothing left, an error.
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 40000, 40000, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    (bad / "huge.png").write_bytes(huge)
    (bad / "labels.csv").write_text("file,label\nhuge.png,3\n")
    r = _run(cli, "train", "--images", str(bad), "-o", str(out))
    assert r.returncode == 64 and "huge.png" in r.stderr and "above the limit" in r.stderr and "nothing to train on" in r.stderr
    # An int8 model cannot be fine-tuned.
    int8 = tmp_path / "int8.lenet"
    assert _run(cli, "quantize", model_path, "-o", str(int8), "--data", os.path.join(root, "data", "mnist")).returncode == 0
    r = _run(cli, "train", "--images", str(pictures), "--init", str(int8), "-o", str(out))
    assert r.returncode == 64 and "int8" in r.stderr
    r = _run(cli, "train", "--images-share", "0.3", "-o", str(out))
    assert r.returncode == 64 and "apply to --images" in r.stderr
    assert not out.exists()
