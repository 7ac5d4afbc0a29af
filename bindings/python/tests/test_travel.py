"""Models that travel: to bytes in every format, pickle, copy, and process pools made by
fork and by spawn, each giving the in-process answers."""
import copy
import multiprocessing
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

import lenet

sys.path.insert(0, os.path.dirname(__file__))
import pool_worker  # noqa: E402


@pytest.fixture(scope="module")
def model(model_path):
    with lenet.Model.load(model_path) as m:
        yield m


def test_to_bytes_round_trips_every_format(model, test_digits):
    images = test_digits[0][:500]
    expected = model.predict(images, output="logits")[1]
    for fmt in ["lenet", "pytorch", "safetensors"]:
        data = model.to_bytes(fmt)
        assert data == model.to_bytes(fmt), f"{fmt}: the encoding is not deterministic"
        with lenet.Model.load(data) as copy_:
            assert np.array_equal(copy_.predict(images, output="logits")[1], expected), fmt
    with pytest.raises(ValueError, match="format"):
        model.to_bytes("onnx")


def test_to_bytes_matches_save(model, tmp_path):
    for fmt, ext in [("lenet", ".lenet"), ("pytorch", ".pth"), ("safetensors", ".safetensors")]:
        path = tmp_path / f"m{ext}"
        model.save(path)
        assert path.read_bytes() == model.to_bytes(fmt), fmt


def test_pickle_and_copies_give_bit_identical_logits(model, test_digits):
    images = test_digits[0][:1000]
    expected = model.predict(images, output="logits")[1]
    for travelled in [pickle.loads(pickle.dumps(model)), copy.deepcopy(model), copy.copy(model)]:
        assert travelled._handle != model._handle
        assert np.array_equal(travelled.predict(images, output="logits")[1], expected)
        assert travelled.info == model.info
        travelled.close()
    # Closing a copy leaves the original working.
    assert np.array_equal(model.predict(images, output="logits")[1], expected)


def test_int8_models_pickle_too(model, test_digits):
    images = test_digits[0]
    with model.quantize(images[:500]) as int8:
        back = pickle.loads(pickle.dumps(int8))
        assert back.dtype == "int8"
        assert np.array_equal(back.predict(images[:1000], output="logits")[1], int8.predict(images[:1000], output="logits")[1])
        with pytest.raises(ValueError, match="int8"):
            int8.to_bytes("safetensors")


def test_a_closed_model_does_not_pickle(model_path):
    m = lenet.Model.load(model_path)
    m.close()
    with pytest.raises(ValueError, match="closed"):
        pickle.dumps(m)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_process_pools_classify_like_in_process(model, test_digits, method):
    images, truth = test_digits
    expected = model.predict(images)[0]
    chunks = np.array_split(images, 8)
    with multiprocessing.get_context(method).Pool(2) as pool:
        got = np.concatenate(pool.map(pool_worker.classify, [(model, c) for c in chunks]))
    assert np.array_equal(got, expected)
    assert np.mean(got == truth) > 0.9


def test_a_fork_child_runs_on_all_its_threads(model, test_digits):
    # The worker threads do not survive fork(); the pool restarts in the child, so a fork
    # worker predicts on as many threads as its parent would (not silently on one).
    lenet.set_num_threads(0)
    model.predict(test_digits[0][:2000])  # the parent's pool exists before the fork
    with multiprocessing.get_context("fork").Pool(1) as pool:
        setting, threads, cores = pool.apply(pool_worker.threads_after_predicting, ((model, test_digits[0][:4000]),))
    assert setting == cores
    assert threads == cores, f"the child ran {threads} threads for {cores} cores"


def test_dask_example_classifies_like_in_process(model_path, root, tmp_path, test_digits):
    import distributed  # noqa: F401  (installed by `make test-python`: a missing one fails here, it is not skipped)
    from PIL import Image
    images, labels = test_digits
    folder = tmp_path / "pngs"
    folder.mkdir()
    for i in range(40):
        Image.fromarray(255 - np.kron(images[i], np.ones((2, 2), np.uint8))).save(folder / f"{i:03d}_{labels[i]}.png")
    out = subprocess.run([sys.executable, os.path.join(root, "bindings", "python", "examples", "dask_classify.py"),
                          model_path, "--pngs", str(folder), "--limit", "3000", "--workers", "1", "2"],
                         capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, PYTHONPATH=os.path.join(root, "bindings", "python")))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "40 PNGs: labels equal the in-process ones" in out.stdout, out.stdout
    for workers in (1, 2):
        assert f"{workers} worker(s): 3000 digits" in out.stdout, out.stdout
