import json
import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import lenet
from lenet import _api

SAMPLES = ["digit-7-mnist-gray8.png", "digit-2-paper-rgb8.png", "digit-1-scan-gray16.png", "digit-0-canvas-rgba8.png",
           "digit-4-page-palette4.png"]


@pytest.fixture()
def model(model_path):
    with lenet.Model.load(model_path) as m:
        yield m


def test_version_and_library():
    assert lenet.__version__ == ".".join(map(str, lenet._lib.VERSION))
    assert os.path.exists(lenet.library_path)


def test_load_from_path_and_bytes(model_path, model):
    with open(model_path, "rb") as f:
        data = f.read()
    with lenet.Model.load(data) as m2:
        d = np.zeros((1, 28, 28), np.uint8)
        assert np.array_equal(m2.predict(d)[1], model.predict(d)[1])


def test_info_and_metadata(model):
    info = model.info
    assert info["dtype"] == "f32" and info["parameter_count"] == 61706 and info["format_version"] == (1, 0)
    assert info["has_training_state"] and info["epochs_completed"] == 1
    assert info["metadata"]["lenet.architecture"] == "lenet5-relu-maxpool"
    assert float(model.metadata("accuracy.test")) > 0.9
    with pytest.raises(lenet.NotFoundError):
        model.metadata("no.such.key")
    with pytest.raises(KeyError):
        model.metadata("no.such.key")


def test_predict_matches_the_cli_logits(model, model_path, cli, root, tmp_path, test_digits):
    logits_file = tmp_path / "logits.f32"
    subprocess.run([cli, "eval", model_path, "--limit", "1000", "--logits", str(logits_file),
                    "--data", os.path.join(root, "data", "mnist")], check=True, capture_output=True)
    expected = np.fromfile(logits_file, np.float32).reshape(1000, 10)
    labels, logits = model.predict(test_digits[0][:1000], output="logits")
    assert np.array_equal(logits, expected)
    assert np.array_equal(labels, expected.argmax(1))
    _, probs = model.predict(test_digits[0][:1000])
    assert np.allclose(probs.sum(1), 1, atol=1e-5)
    e = np.exp(expected - expected.max(1, keepdims=True))
    assert np.allclose(probs, e / e.sum(1, keepdims=True), atol=1e-6)


def test_predict_accepts_other_shapes_and_types(model, test_digits):
    digits = test_digits[0][:5]
    labels, _ = model.predict(digits)
    assert np.array_equal(model.predict(digits[0])[0], labels[:1])
    assert np.array_equal(model.predict(digits.tolist())[0], labels)
    assert np.array_equal(model.predict(digits.astype(np.int64))[0], labels)
    assert np.array_equal(model.predict(np.asfortranarray(digits))[0], labels)
    x = np.zeros((5, 1, 32, 32), np.float32)
    x[:, 0, 2:30, 2:30] = digits / 255.0
    x = (x - 0.1307) / 0.3081
    assert np.array_equal(model.predict(x.astype(np.float32))[0], labels)
    # Normalised inputs held read-only or big-endian: the same inputs, the same logits.
    logits = model.predict(x.astype(np.float32), "logits")[1]
    read_only = np.frombuffer(x.astype(np.float32).tobytes(), np.float32).reshape(x.shape)
    assert np.array_equal(model.predict(read_only, "logits")[1], logits)
    assert np.array_equal(model.predict(x.astype(">f4"), "logits")[1], logits)
    assert np.array_equal(model.predict(x[:, 0].astype(np.float64))[0], labels)
    with pytest.raises(lenet.InvalidArgumentError):
        model.predict(np.zeros((2, 27, 28), np.uint8))
    with pytest.raises(lenet.InvalidArgumentError):
        model.predict(np.full((1, 28, 28), 300))
    with pytest.raises(lenet.InvalidArgumentError):
        model.predict(np.zeros((0, 28, 28), np.uint8))
    with pytest.raises(lenet.InvalidArgumentError):
        model.predict(digits, output="odds")


def test_contiguous_input_is_not_copied(test_digits):
    digits = np.ascontiguousarray(test_digits[0][:10])
    assert _api._prepare(digits)[0] is digits
    x = np.zeros((3, 1, 32, 32), np.float32)
    assert _api._prepare(x)[0] is x
    assert _api._prepare(digits[:, :, ::-1])[0] is not digits


def test_png_matches_the_cli(model, model_path, cli, root):
    paths = [os.path.join(root, "samples", s) for s in SAMPLES]
    out = subprocess.run([cli, "predict", "--json", model_path, *paths], check=True, capture_output=True, text=True).stdout
    for line, path in zip(out.strip().splitlines(), paths):
        expected = json.loads(line)
        label, probs = model.predict_png(path)
        assert label == expected["digit"] == int(os.path.basename(path).split("-")[1])
        assert np.allclose(probs, expected["probabilities"], atol=1e-7)
        with open(path, "rb") as f:
            data = f.read()
        assert model.predict_png(data)[0] == label
        digit = lenet.preprocess_png(data)
        assert digit.shape == (28, 28) and digit.dtype == np.uint8 and digit.max() == 255
        assert np.array_equal(digit, lenet.preprocess_png(path))
        assert model.predict(digit)[0][0] == label


def test_each_error_maps_to_its_exception(model, model_path, root, tmp_path):
    with pytest.raises(lenet.LeNetIOError) as e:
        lenet.Model.load("/nonexistent/model.lenet")
    assert "/nonexistent/model.lenet" in str(e.value)
    with pytest.raises(OSError):
        lenet.Model.load(str(tmp_path))
    data = open(model_path, "rb").read()
    with pytest.raises(lenet.FormatError, match="truncated"):
        lenet.Model.load(data[: len(data) // 2])
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 1
    with pytest.raises(lenet.FormatError, match="checksum"):
        lenet.Model.load(bytes(flipped))
    png = open(os.path.join(root, "samples", SAMPLES[0]), "rb").read()
    with pytest.raises(lenet.NotPNGError):
        lenet.preprocess_png(b"GIF89a....")
    with pytest.raises(lenet.PNGTruncatedError):
        lenet.preprocess_png(png[: len(png) // 2])
    with pytest.raises(lenet.PNGCorruptError):
        lenet.preprocess_png(os.path.join(root, "Tests", "Fixtures", "pngsuite", "png", "xcsn0g01.png"))
    with pytest.raises(lenet.NoInkError):
        lenet.preprocess_png(os.path.join(root, "Tests", "Fixtures", "blank-white.png"))
    lenet.set_image_limits(10, 10)
    try:
        with pytest.raises(lenet.ImageTooLargeError):
            lenet.preprocess_png(png)
    finally:
        lenet.set_image_limits()
    with pytest.raises(lenet.PNGError):
        lenet.preprocess_png(b"")
    with pytest.raises(lenet.DatasetError):
        lenet.Dataset.load_idx(os.path.join(root, "data", "mnist", "t10k-labels-idx1-ubyte.gz"),
                               os.path.join(root, "data", "mnist", "t10k-labels-idx1-ubyte.gz"))
    with pytest.raises(lenet.InvalidArgumentError):
        lenet.set_num_threads(-1)
    model.close()
    with pytest.raises(lenet.InvalidArgumentError, match="closed"):
        model.predict(np.zeros((1, 28, 28), np.uint8))
    model.close()  # twice is fine


def test_eight_threads_share_one_model(model, test_digits):
    digits = test_digits[0][:800]
    expected = model.predict(digits, output="logits")[1]

    def work(i):
        return model.predict(digits[i * 100:(i + 1) * 100], output="logits")[1]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    assert np.array_equal(np.concatenate(results), expected)


def test_calls_release_the_gil(model, test_digits):
    """While one thread is inside a long predict call, another Python thread keeps running."""
    digits = np.repeat(test_digits[0][:1000], 20, axis=0)
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(1)

    t = threading.Thread(target=ticker)
    lenet.set_num_threads(1)
    try:
        t.start()
        before = len(ticks)
        model.predict(digits)
        during = len(ticks) - before
    finally:
        done.set()
        t.join()
        lenet.set_num_threads(0)
    assert during > 100


def test_threads_setting():
    lenet.set_num_threads(3)
    assert lenet.get_num_threads() == 3
    lenet.set_num_threads(0)
    assert lenet.get_num_threads() >= 1


def test_evaluate_and_datasets(model, root, test_digits):
    images, labels = test_digits
    ds = lenet.Dataset.load_mnist(os.path.join(root, "data", "mnist"), "test")
    assert len(ds) == 10000
    accuracy, confusion = model.evaluate(ds)
    assert accuracy > 0.9 and confusion.sum() == 10000 and np.trace(confusion) == round(accuracy * 10000)
    acc2, conf2 = model.evaluate((images, labels))
    assert acc2 == accuracy and np.array_equal(conf2, confusion)
    with pytest.raises(lenet.InvalidArgumentError):
        lenet.Dataset.from_arrays(images[:10], labels[:9])
    with pytest.raises(lenet.InvalidArgumentError):
        lenet.Dataset.from_arrays(images[:2], [1, 10])


def test_train_with_progress_save_and_resume(tmp_path, test_digits):
    images, labels = test_digits[0][:3000], test_digits[1][:3000]
    seen = []
    # A constant rate, so a one-epoch run continued to two equals a two-epoch run.
    m = lenet.train((images, labels), (images[:500], labels[:500]), epochs=1, augment=False, threads=1,
                    lr_schedule="constant", progress=lambda p: seen.append(p) and False)
    batches = [p for p in seen if not p["epoch_done"]]
    epochs = [p for p in seen if p["epoch_done"]]
    # 3,000 digits, the default 0.2 share of pen digits and 0.1 of touching pairs (300, and
    # up to 300 digits cut from pairs): 4,200 in batches of 64.
    assert len(batches) == 66 and len(epochs) == 1 and 0 <= epochs[0]["test_accuracy"] <= 1
    assert m.info["epochs_completed"] == 1
    path = tmp_path / "m.lenet"
    m.save(path)
    resumed = lenet.train((images, labels), epochs=2, resume=lenet.Model.load(path), threads=2)
    straight = lenet.train((images, labels), epochs=2, augment=False, threads=2, lr_schedule="constant")
    d = images[:100]
    assert np.array_equal(resumed.predict(d, "logits")[1], straight.predict(d, "logits")[1])

    with pytest.raises(lenet.CancelledError):
        lenet.train((images, labels), epochs=1, progress=lambda p: p["batch"] >= 3)

    class Boom(Exception):
        pass

    def explode(p):
        raise Boom()

    with pytest.raises(Boom):
        lenet.train((images, labels), epochs=1, progress=explode)
    with pytest.raises(lenet.InvalidArgumentError):
        lenet.train((images, labels), batch_size=0)
    with pytest.raises(lenet.InvalidArgumentError):
        lenet.train((images, labels), optimizer="lbfgs")


def test_default_training_is_the_same_everywhere(cli, root, tmp_path):
    """lenet.train with no options and `lenet train` with none both run the library's
    defaults (lenet_train_default_params): on the same 256 digits they make the same model."""
    import gzip
    n = 256
    images = train_digits(root, n)
    with gzip.open(os.path.join(root, "data", "mnist", "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(8 + n), np.uint8, offset=8)
    m = lenet.train((images, labels), threads=1)
    out = tmp_path / "cli.lenet"
    subprocess.run([cli, "train", "--data", os.path.join(root, "data", "mnist"), "--limit", str(n), "--threads", "2",
                    "--output", str(out)], check=True, capture_output=True)
    from_cli = lenet.Model.load(out)
    d = images[:50]
    assert np.array_equal(m.predict(d, "logits")[1], from_cli.predict(d, "logits")[1])
    p = lenet._lib.lib.lenet_train_default_params()
    stored = {k: m.metadata("training." + k) for k in ("epochs", "batch_size", "learning_rate", "optimizer", "lr_schedule",
                                                      "seed", "augment", "pen_share", "pair_share")}
    assert stored == {"epochs": str(p.epochs), "batch_size": str(p.batch_size), "learning_rate": str(np.float32(p.learning_rate)),
                      "optimizer": "adam" if p.optimizer == 0 else "sgd", "lr_schedule": "cosine" if p.lr_schedule == 0 else "constant",
                      "seed": str(p.seed), "augment": "true" if p.augment else "false",
                      "pen_share": str(np.float32(p.pen_share)), "pair_share": str(np.float32(p.pair_share))}


def train_digits(root, n):
    import gzip
    with gzip.open(os.path.join(root, "data", "mnist", "train-images-idx3-ubyte.gz")) as f:
        return np.frombuffer(f.read(16 + n * 784), np.uint8, offset=16).reshape(n, 28, 28)


def test_quantize_matches_the_cli_and_keeps_accuracy(model, model_path, cli, root, tmp_path, test_digits):
    # The CLI calibrates on the first 1,000 training images; so does this call: same model.
    q = model.quantize(train_digits(root, 1000))
    assert q.dtype == "int8" and model.dtype == "f32"
    assert q.info["metadata"]["quantization.calibration_images"] == "1000"
    cli_path = tmp_path / "int8.lenet"
    out = subprocess.run([cli, "quantize", model_path, "-o", str(cli_path), "--data", os.path.join(root, "data", "mnist"),
                          "--json"], check=True, capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert report["int8_bytes"] <= 0.3 * report["float_bytes"]
    images, labels = test_digits
    with lenet.Model.load(cli_path) as from_cli:
        assert np.array_equal(from_cli.predict(images[:2000], output="logits")[1], q.predict(images[:2000], output="logits")[1])
    # The CLI's eval reads the int8 file and reports the accuracy the quantize command measured.
    float_accuracy, _ = model.evaluate((images, labels))
    int8_accuracy, confusion = q.evaluate((images, labels))
    assert abs(report["int8_accuracy"] - int8_accuracy) < 1e-12 and abs(report["float_accuracy"] - float_accuracy) < 1e-12
    assert abs(int8_accuracy - float_accuracy) <= 0.005 and confusion.sum() == 10000
    for name in SAMPLES:
        assert q.predict_png(os.path.join(root, "samples", name))[0] == int(name.split("-")[1])

    with pytest.raises(lenet.InvalidArgumentError):
        q.quantize(train_digits(root, 10))
    with pytest.raises(lenet.InvalidArgumentError):
        model.quantize(np.zeros((0, 28, 28), np.uint8))
    with pytest.raises(lenet.InvalidArgumentError):
        q.save(tmp_path / "int8.pth")
    assert not (tmp_path / "int8.pth").exists()
    q.save(tmp_path / "again.lenet")
    with lenet.Model.load(tmp_path / "again.lenet") as again:
        assert again.dtype == "int8"
        assert np.array_equal(again.predict(images[:100])[1], q.predict(images[:100])[1])
    q.close()


def test_a_forked_child_still_predicts(model, test_digits):
    # The helper threads do not survive fork(); the child must run on its own thread
    # (and not wait for a lock a vanished thread held) and get the same answers.
    lenet.set_num_threads(2)
    images = test_digits[0][:256]
    expected = model.predict(images, output="logits")[1]
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if np.array_equal(model.predict(images, output="logits")[1], expected) else 3
        finally:
            os._exit(code)
    deadline = 30
    import time
    start = time.monotonic()
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > deadline:
            os.kill(pid, 9)
            pytest.fail("the forked child hung")
        time.sleep(0.05)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_model_load_limit(model_path):
    size = os.path.getsize(model_path)
    try:
        lenet.set_model_load_limit(size - 1)
        with pytest.raises(lenet.FormatError, match="load limit"):
            lenet.Model.load(open(model_path, "rb").read())
    finally:
        lenet.set_model_load_limit(0)
    with lenet.Model.load(open(model_path, "rb").read()) as m:
        assert m.dtype == "f32"


def test_own_pictures_fine_tune_a_model(model, root, test_digits):
    """Dataset.from_images reads pictures as predict_image does; mix and split shape the
    data as `lenet train --images` does; train(init=) starts from a model's weights."""
    images, labels = test_digits
    samples = sorted(os.listdir(os.path.join(root, "samples")))
    paths = [os.path.join(root, "samples", n) for n in samples if n.startswith("digit-") and n.endswith(".png")]
    truth = [int(os.path.basename(p).split("-")[1]) for p in paths]
    mine = lenet.Dataset.from_images(paths + [images[0]], truth + [int(labels[0])])
    assert len(mine) == len(paths) + 1
    assert model.evaluate(mine)[0] == model.evaluate((lenet.preprocess_images(paths + [images[0]]), truth + [int(labels[0])]))[0]
    with pytest.raises(lenet.InvalidArgumentError):
        lenet.Dataset.from_images(paths, truth[:-1])
    with pytest.raises(lenet.NotPNGError, match="README.md"):
        lenet.Dataset.from_images([os.path.join(root, "README.md")], [3])
    base = lenet.Dataset.from_arrays(images[:1000], labels[:1000])
    mixed = base.mix(mine, 0.5)
    assert len(mixed) == 2000
    train, held = mixed.split(0.25, seed=4)
    assert (len(train), len(held)) == (1500, 500)
    again = mixed.split(0.25, seed=4)[1]
    assert model.evaluate(again)[1].tolist() == model.evaluate(held)[1].tolist()
    with pytest.raises(lenet.InvalidArgumentError):
        base.mix(mine, 1.0)
    few = (images[1000:2000], model.predict(images[1000:2000])[0])
    tuned = lenet.train(few, epochs=1, augment=False, pen_share=0, threads=2, init=model)
    fresh = lenet.train(few, epochs=1, augment=False, pen_share=0, threads=2)
    check = (images[5000:7000], labels[5000:7000])
    assert tuned.evaluate(check)[0] > 0.85 > fresh.evaluate(check)[0]
    int8 = model.quantize(images[:100])
    with pytest.raises(lenet.InvalidArgumentError, match="int8"):
        lenet.train(few, epochs=1, init=int8)
