"""The numbers a run leaves and the pictures made from them: `lenet train --log`, the
history a checkpoint keeps (`lenet inspect`, Model.history), `lenet plot`, and `lenet eval`
on a folder of labelled pictures with --confusion and --errors."""
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

import lenet

BLUE, ORANGE = (31, 119, 180), (230, 120, 20)


def run(cli, *args, cwd=None):
    return subprocess.run([cli, *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def logged_run(cli, root, tmp_path_factory):
    """Two epochs on 2,000 digits, the default 0.2 share of pen digits and 0.1 of touching
    pairs (200, and 200 digits cut from pairs: 2,800, 44 batches an epoch) logged every 5
    batches."""
    d = tmp_path_factory.mktemp("run")
    r = run(cli, "train", "--epochs", 2, "--limit", 2000, "--log", d / "run.jsonl", "--log-every", 5,
            "--output", d / "m.lenet", "--data", os.path.join(root, "data", "mnist"))
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in (d / "run.jsonl").read_text().splitlines()]
    return d, lines


def test_the_log_has_every_epoch_and_batch_window(logged_run):
    _, lines = logged_run
    epochs = [x for x in lines if x["type"] == "epoch"]
    assert [e["epoch"] for e in epochs] == [1, 2]
    for e in epochs:
        assert set(e) >= {"loss", "train_accuracy", "test_accuracy", "learning_rate", "seconds", "images_per_second"}
        batches = [x for x in lines if x["type"] == "batch" and x["epoch"] == e["epoch"]]
        assert [b["batch"] for b in batches] == [5, 10, 15, 20, 25, 30, 35, 40, 44]
        # The windows cover the epoch, and their losses and accuracies add up to its own:
        # the loss over every picture, the accuracy over the digits (a pair has no answer).
        assert sum(b["images"] for b in batches) == 2800 and sum(b["digits"] for b in batches) == 2600
        assert sum(b["loss"] * b["images"] for b in batches) / 2800 == pytest.approx(e["loss"], rel=1e-9)
        assert sum(b["train_accuracy"] * b["digits"] for b in batches) / 2600 == pytest.approx(e["train_accuracy"], rel=1e-9)
    # Cosine schedule: the first epoch starts at the set rate, the second lower.
    assert epochs[0]["learning_rate"] == pytest.approx(0.002, rel=1e-6)
    assert epochs[1]["learning_rate"] < epochs[0]["learning_rate"]


def test_the_checkpoint_keeps_the_history(cli, logged_run):
    d, lines = logged_run
    epochs = [x for x in lines if x["type"] == "epoch"]
    with lenet.Model.load(d / "m.lenet") as m:
        history = m.history
    inspected = json.loads(run(cli, "inspect", "--json", d / "m.lenet").stdout)["history"]
    assert len(history) == len(inspected) == 2
    for h, i, e in zip(history, inspected, epochs):
        for key in ("epoch", "loss", "train_accuracy", "test_accuracy", "learning_rate"):
            assert h[key] == pytest.approx(e[key], abs=1e-6) and i[key] == pytest.approx(e[key], abs=1e-6)
    text = run(cli, "inspect", d / "m.lenet").stdout
    assert "history:" in text and "training.history" not in text


def test_a_resumed_run_continues_its_log_and_history(cli, root, tmp_path, logged_run, test_digits):
    """The logged run stopped after its first epoch (through the C API's progress callback)
    and resumed by the CLI ends with the same history; the log is appended to."""
    d, lines = logged_run
    import gzip
    with gzip.open(os.path.join(root, "data", "mnist", "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)[:2000]
    with gzip.open(os.path.join(root, "data", "mnist", "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:2000]
    with pytest.raises(lenet.CancelledError):
        lenet.train((images, labels), test_digits, epochs=2, checkpoint=tmp_path / "b.lenet",
                    progress=lambda p: p["epoch_done"] == 1)
    with lenet.Model.load(tmp_path / "b.lenet") as m:
        assert [h["epoch"] for h in m.history] == [1]
    first_epoch = next(x for x in lines if x["type"] == "epoch")
    (tmp_path / "b.jsonl").write_text(json.dumps(first_epoch) + "\n")
    resumed = run(cli, "train", "--resume", "b.lenet", "--limit", 2000, "--data", os.path.join(root, "data", "mnist"),
                  "--log", "b.jsonl", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    with lenet.Model.load(tmp_path / "b.lenet") as m, lenet.Model.load(d / "m.lenet") as straight:
        assert m.history == straight.history and len(m.history) == 2
    logged = [json.loads(x) for x in (tmp_path / "b.jsonl").read_text().splitlines()]
    assert [x["epoch"] for x in logged if x["type"] == "epoch"] == [1, 2]


def colours(path):
    img = np.asarray(Image.open(path).convert("RGB"))
    return img, {tuple(c) for c in img.reshape(-1, 3)}


def test_plot_draws_a_log_and_a_checkpoint(cli, logged_run, tmp_path):
    d, _ = logged_run
    for source in ("run.jsonl", "m.lenet"):
        out = tmp_path / f"{source}.png"
        r = run(cli, "plot", d / source, "-o", out)
        assert r.returncode == 0, r.stderr
        assert "2 epoch(s)" in r.stdout
        img, seen = colours(out)
        assert img.shape == (420, 1000, 3)
        assert BLUE in seen and ORANGE in seen  # train and test curves
    # Without -o the picture is named after the run.
    shutil.copy(d / "run.jsonl", tmp_path / "copy.jsonl")
    assert run(cli, "plot", tmp_path / "copy.jsonl").returncode == 0 and (tmp_path / "copy.png").exists()


def test_plot_refuses_what_it_cannot_draw(cli, logged_run, model_path, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "epoch", "epoch": 1, "loss": 0.5, "train_accuracy": 0.9, "learning_rate": 0.001}\nnot json\n')
    r = run(cli, "plot", bad, "-o", tmp_path / "x.png")
    assert r.returncode != 0 and "line 2" in r.stderr and not (tmp_path / "x.png").exists()
    missing = tmp_path / "missing.jsonl"
    missing.write_text('{"type": "epoch", "epoch": 1, "train_accuracy": 0.9, "learning_rate": 0.001}\n')
    r = run(cli, "plot", missing, "-o", tmp_path / "x.png")
    assert r.returncode != 0 and "'loss'" in r.stderr
    pth = tmp_path / "m.pth"
    assert run(cli, "convert", model_path, pth).returncode == 0
    r = run(cli, "plot", pth, "-o", tmp_path / "x.png")
    assert r.returncode != 0 and "no training history" in r.stderr and not (tmp_path / "x.png").exists()


def test_plot_draws_extreme_values_clamped_and_refuses_impossible_ones(cli, tmp_path):
    """Finite values near float64's limits used to trap (a tick rounded to infinity) or hang
    (an accuracy of -1.8e306 became -inf and the tick loop never ended)."""
    def log(name, *lines):
        path = tmp_path / name
        path.write_text("".join(json.dumps(line) + "\n" for line in lines))
        return path
    epoch = {"type": "epoch", "epoch": 1, "loss": 0.5, "train_accuracy": 0.9, "learning_rate": 0.001}
    huge = log("huge.jsonl", {**epoch, "loss": 1.7e308}, {**epoch, "epoch": 2, "loss": 5e-324},
               {"type": "batch", "epoch": 1, "batch": 1, "batches": 3, "loss": 1e308})
    r = run(cli, "plot", huge, "-o", tmp_path / "huge.png")
    assert r.returncode == 0 and (tmp_path / "huge.png").exists(), r.stderr
    for bad in ({**epoch, "train_accuracy": -1.8e306}, {**epoch, "loss": -1e308}, {**epoch, "learning_rate": -1},
                {**epoch, "test_accuracy": 1e308}):
        r = run(cli, "plot", log("bad.jsonl", bad), "-o", tmp_path / "bad.png")
        assert r.returncode != 0 and "line 1" in r.stderr and not (tmp_path / "bad.png").exists(), (bad, r.stderr)


@pytest.fixture
def picture_folder(root, tmp_path):
    """The samples (named digit-N-...) with a blank page among them, listed in labels.csv."""
    folder = tmp_path / "mine"
    folder.mkdir()
    rows = ["file,label"]
    for name in sorted(os.listdir(os.path.join(root, "samples"))):
        if name.endswith(".png"):
            shutil.copy(os.path.join(root, "samples", name), folder / name)
            rows.append(f"{name},{name.split('-')[1]}")
    shutil.copy(os.path.join(root, "Tests", "Fixtures", "blank-white.png"), folder / "blank.png")
    rows.append("blank.png,3")
    (folder / "labels.csv").write_text("\n".join(rows) + "\n")
    return folder, len(rows) - 1


def test_many_pictures_on_two_threads_answer_as_on_one(cli, model_path, picture_folder, root):
    """predict, read and eval --images spread the pictures over the worker pool: the output,
    errors included, is the same on 1 and 2 threads, in the order the files were named."""
    folder, _ = picture_folder
    suite = os.path.join(root, "Tests", "Fixtures", "pngsuite", "png")
    files = sorted(str(p) for p in folder.glob("*.png")) + [os.path.join(suite, n) for n in sorted(os.listdir(suite))]
    for command in (["predict", model_path, *files], ["predict", "--json", model_path, *files], ["read", model_path, *files],
                    ["eval", model_path, "--images", folder, "--json"]):
        outputs = [run(cli, *command, "--threads", t) for t in (1, 2)]
        if command[0] == "eval":  # all but the timings
            for o in outputs:
                o.stdout = json.dumps({k: v for k, v in json.loads(o.stdout).items() if "second" not in k}, sort_keys=True)
        assert outputs[0].stdout and outputs[0].stdout == outputs[1].stdout, command[:2]
        assert outputs[0].stderr == outputs[1].stderr and outputs[0].returncode == outputs[1].returncode
    lines = run(cli, "predict", model_path, *files, "--threads", 2).stdout.splitlines()
    named = [f for f in files if any(line.startswith(f + ":") for line in lines)]
    assert [line.split(":")[0] for line in lines] == named  # input order


def test_eval_on_labelled_pictures(cli, model_path, picture_folder, tmp_path):
    folder, count = picture_folder
    r = run(cli, "eval", model_path, "--images", folder, "--json", "--confusion", tmp_path / "c.png", "--errors", tmp_path / "e.png")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["images"] == count
    assert [u["file"].endswith("blank.png") for u in result["unreadable"]] == [True]
    assert sum(map(sum, result["confusion"])) == count - 1  # the unreadable page is not in the matrix
    assert result["accuracy"] == pytest.approx(result["correct"] / count)
    assert result["correct"] == count - 1  # every sample is read correctly
    img, seen = colours(tmp_path / "c.png")
    assert BLUE in seen
    assert Image.open(tmp_path / "e.png").size[0] > 0
    # Subfolders 0-9 give the same answer as labels.csv.
    tree = tmp_path / "tree"
    for line in (folder / "labels.csv").read_text().splitlines()[1:]:
        name, label = line.split(",")
        (tree / label).mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / name, tree / label / name)
    again = json.loads(run(cli, "eval", model_path, "--images", tree, "--json").stdout)
    assert again["confusion"] == result["confusion"] and again["correct"] == result["correct"]
    text = run(cli, "eval", model_path, "--images", folder).stdout
    assert "could not be read and count as wrong" in text and "blank.png" in text


def test_eval_refuses_a_bad_label_file(cli, model_path, tmp_path):
    (tmp_path / "labels.csv").write_text("file,label\na.png,12\n")
    r = run(cli, "eval", model_path, "--images", tmp_path)
    assert r.returncode != 0 and "line 2" in r.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run(cli, "eval", model_path, "--images", empty)
    assert r.returncode != 0 and "no labelled pictures" in r.stderr


def test_eval_on_mnist_draws_the_confusion_matrix(cli, model_path, root, tmp_path):
    r = run(cli, "eval", model_path, "--limit", 500, "--confusion", tmp_path / "c.png", "--errors", tmp_path / "e.png",
            "--data", os.path.join(root, "data", "mnist"))
    assert r.returncode == 0, r.stderr
    img, seen = colours(tmp_path / "c.png")
    assert BLUE in seen and img.shape[1] > 500
