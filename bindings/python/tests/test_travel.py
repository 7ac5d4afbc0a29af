"""Models that travel: to bytes in every format, pickle, copy, and process pools made by
fork and by spawn, each giving the in-process answers."""
import copy
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import warnings

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
        # A worker that dies loses its task and map() would wait forever: a timeout fails instead.
        got = np.concatenate(pool.map_async(pool_worker.classify, [(model, c) for c in chunks]).get(timeout=120))
    assert np.array_equal(got, expected)
    assert np.mean(got == truth) > 0.9


def test_a_fork_child_runs_on_all_its_threads(model, test_digits):
    # The worker threads do not survive fork(); the pool restarts in the child, so a fork
    # worker predicts on as many threads as its parent would (not silently on one).
    lenet.set_num_threads(0)
    model.predict(test_digits[0][:2000])  # the parent's pool exists before the fork
    with multiprocessing.get_context("fork").Pool(1) as pool:
        setting, threads, cores = pool.apply_async(pool_worker.threads_after_predicting,
                                                   ((model, test_digits[0][:4000]),)).get(timeout=120)
    assert setting == cores
    assert threads == cores, f"the child ran {threads} threads for {cores} cores"


def test_fork_while_other_threads_predict(model, test_digits):
    """A process forked while another of its threads is inside a call (holding the library's
    workspace lock, which the child gets copied held) still predicts in the child. With a
    Mutex there, about 3 children in 100 trapped ("Unknown error occurred while attempting
    to acquire a Mutex"); 300 forks make a pass by luck unlikely (0.97^300)."""
    images = test_digits[0]
    expected = model.predict(images[:64])[0]
    stop = threading.Event()

    def hammer():
        while not stop.is_set():
            model.predict(images[:1])

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for t in threads:
        t.start()
    failed = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads: the point of the test
            for i in range(300):
                pid = os.fork()
                if pid == 0:
                    ok = False
                    try:
                        ok = np.array_equal(model.predict(images[:64])[0], expected)
                    finally:
                        os._exit(0 if ok else 1)
                status = wait_for(pid, seconds=20)
                if status != 0:
                    failed.append((i, status))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not failed, f"children that did not predict (fork, wait status): {failed[:5]}, {len(failed)} of 300"


def wait_for(pid, seconds):
    """The child's wait status, or -1 after killing it when it has not ended in `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -1
        time.sleep(0.001)


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
