"""`lenet train --resume` continues an interrupted run as it was: a run stopped with Ctrl-C
after its first epoch and resumed with no options ends with the uninterrupted run's
checkpoint, bit for bit, even from another directory (the data directory, limit and epoch
count come from the checkpoint)."""
import os
import signal
import subprocess

import pytest

LIMIT = "30000"  # ~1 s an epoch on one thread: time for the interrupt to land in epoch 2


def _train(cli, cwd, *args):
    return subprocess.run([cli, "train", *args], cwd=cwd, capture_output=True, text=True)


def _interrupted_after_first_epoch(cli, cwd, args):
    p = subprocess.Popen([cli, "train", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in p.stdout:
        lines.append(line)
        if line.startswith("epoch  1/"):
            p.send_signal(signal.SIGINT)
            break
    out, err = p.communicate(timeout=120)
    return p.returncode, "".join(lines) + out, err


def test_resume_without_options_equals_the_uninterrupted_run(cli, root, tmp_path):
    data = os.path.join(root, "data", "mnist")
    options = ["--epochs", "2", "--limit", LIMIT, "--threads", "1", "--data", data]
    full = _train(cli, tmp_path, *options, "--output", "full.lenet")
    assert full.returncode == 0, full.stderr

    code, out, err = _interrupted_after_first_epoch(cli, tmp_path, [*options, "--output", "part.lenet"])
    if code == 0:
        pytest.fail("the run finished before the interrupt reached it; raise LIMIT")
    assert code == 130, (out, err)
    assert "keeps epoch 1" in out

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    resumed = _train(cli, elsewhere, "--resume", str(tmp_path / "part.lenet"), "--threads", "2")
    assert resumed.returncode == 0, resumed.stderr
    assert "after epoch 1 of 2" in resumed.stdout
    assert f"training on {LIMIT} images" in resumed.stdout
    assert "epoch  2/2" in resumed.stdout and "epoch  3/" not in resumed.stdout
    # Metadata included: the checkpoint holds no timings, so the files must be identical.
    assert (tmp_path / "part.lenet").read_bytes() == (tmp_path / "full.lenet").read_bytes()


def test_resume_says_what_changes_and_refuses_other_arithmetic(cli, root, tmp_path):
    data = os.path.join(root, "data", "mnist")
    first = _train(cli, tmp_path, "--epochs", "1", "--limit", "2000", "--data", data, "--output", "a.lenet")
    assert first.returncode == 0, first.stderr
    done = _train(cli, tmp_path, "--resume", "a.lenet")
    assert done.returncode != 0 and "already completed 1 of its 1 epochs" in done.stderr
    refused = _train(cli, tmp_path, "--resume", "a.lenet", "--epochs", "2", "--lr", "0.01")
    assert refused.returncode != 0 and "--lr 0.01 differs" in refused.stderr
    longer = _train(cli, tmp_path, "--resume", "a.lenet", "--epochs", "2", "--output", "b.lenet")
    assert longer.returncode == 0, longer.stderr
    assert "--epochs 2 changes the run's length from 1" in longer.stdout
    assert "training on 2000 images" in longer.stdout


def test_a_stored_limit_that_is_not_a_count_is_refused(cli, root, tmp_path):
    """The limit a checkpoint keeps is a number from a file: one that is not a count of
    images is named, not turned into an empty training set."""
    import struct
    import zlib
    data = os.path.join(root, "data", "mnist")
    r = _train(cli, tmp_path, "--epochs", "1", "--limit", "300", "--threads", "1", "--data", data, "--output", "run.lenet")
    assert r.returncode == 0, r.stderr
    b = bytearray((tmp_path / "run.lenet").read_bytes())
    at = b.index(b"training.limit\x03\x00\x00\x00300") + len("training.limit") + 4
    for text in (b"-30", b"0x1", b"+30"):
        b[at:at + 3] = text
        b[-4:] = struct.pack("<I", zlib.crc32(bytes(b[:-4])))
        (tmp_path / "bad.lenet").write_bytes(bytes(b))
        r = _train(cli, tmp_path, "--resume", "bad.lenet", "--epochs", "2", "--output", "next.lenet")
        assert r.returncode != 0 and "training.limit" in r.stderr and "not a count" in r.stderr, (text, r.stderr)
        assert not (tmp_path / "next.lenet").exists()
