"""Texts from input are escaped by construction, and paths are exact (SECURITY.md): control
bytes sent through every kind of message (the CLI's errors and results, lenet_last_error,
Python exceptions) come out as \\u{1b}-style escapes, and a path holding a NUL byte is
refused with ValueError, as open() refuses it, never cut short."""
import ctypes
import os
import shutil
import subprocess

import pytest

import lenet
from lenet._lib import lib

# ESC sequences that clear the screen, recolour, and set the window title (ended by BEL).
HOSTILE = "\x1b[2J\x1b[31m\x1b]0;owned\x07\x9b"


def assert_escaped(text):
    assert not any(c in text for c in "\x1b\x07\x9b"), repr(text)
    assert "\\u{1b}" in text, repr(text)


def run(cli, *args):
    return subprocess.run([cli, *args], capture_output=True, text=True, errors="surrogateescape")


def test_cli_errors_quoting_a_labels_line_are_escaped(cli, model_path, root, tmp_path):
    shutil.copy(f"{root}/samples/digit-7-mnist-gray8.png", tmp_path / "a.png")
    (tmp_path / "labels.csv").write_text(f"a.png,7\n{HOSTILE}evil,x\n")
    r = run(cli, "eval", model_path, "--images", str(tmp_path))
    assert r.returncode != 0
    assert_escaped(r.stderr)


def test_cli_results_and_errors_quoting_file_names_are_escaped(cli, model_path, root, tmp_path):
    picture = tmp_path / f"{HOSTILE}.png"
    shutil.copy(f"{root}/samples/digit-7-mnist-gray8.png", picture)
    r = run(cli, "predict", model_path, str(picture), str(tmp_path / f"missing{HOSTILE}.png"))
    assert_escaped(r.stdout)
    assert_escaped(r.stderr)
    r = run(cli, "inspect", str(tmp_path / f"missing{HOSTILE}.lenet"))
    assert r.returncode != 0
    assert_escaped(r.stderr)


def test_lenet_last_error_escapes_what_a_caller_passed(model_path):
    with lenet.Model.load(model_path) as m:
        size = ctypes.c_size_t(0)
        status = lib.lenet_model_get_metadata(m._h(), HOSTILE.encode(), None, 0, ctypes.byref(size))
        assert status != 0
        assert_escaped(lib.lenet_last_error().decode())
    assert lib.lenet_model_load(f"/nonexistent/{HOSTILE}".encode(), ctypes.byref(ctypes.c_void_p())) != 0
    assert_escaped(lib.lenet_last_error().decode())


def test_python_exceptions_are_escaped(model_path):
    with pytest.raises(lenet.LeNetError) as e:
        lenet.Model.load(f"/nonexistent/{HOSTILE}")
    assert_escaped(str(e.value))
    with lenet.Model.load(model_path) as m, pytest.raises(lenet.NotFoundError) as e:
        m.metadata(HOSTILE)
    assert_escaped(str(e.value))
    assert_escaped(str(lenet.LeNetError(HOSTILE)))
    assert str(lenet.LeNetError("two\nlines\tkept")) == "two\nlines\tkept"


def test_paths_with_a_nul_byte_are_refused_like_open(model_path, root, tmp_path):
    shutil.copy(model_path, tmp_path / "a.lenet")
    png = f"{root}/samples/digit-7-mnist-gray8.png"
    with pytest.raises(ValueError):
        open(str(tmp_path / "a.lenet") + "\0x")
    with pytest.raises(ValueError):
        lenet.Model.load(str(tmp_path / "a.lenet") + "\0x")
    with lenet.Model.load(model_path) as m:
        target = tmp_path / "t"
        with pytest.raises(ValueError):
            m.save(str(target) + "\0.safetensors")
        assert os.listdir(tmp_path) == ["a.lenet"]
        for call in (m.predict_png, m.read_png, lenet.preprocess_png):
            with pytest.raises(ValueError):
                call(png + "\0x")
        with pytest.raises(ValueError):
            m.predict_images([png, png + "\0x"])
        with pytest.raises(ValueError):
            m.metadata("lenet.dtype\0x")
    with pytest.raises(ValueError):
        lenet.Dataset.load_idx(f"{root}/data/mnist/t10k-images-idx3-ubyte.gz\0x", f"{root}/data/mnist/t10k-labels-idx1-ubyte.gz")
    with pytest.raises(ValueError):
        lenet.train(lenet.Dataset.load_mnist(f"{root}/data/mnist", "test"), epochs=1, checkpoint=str(tmp_path / "c.lenet\0x"))
    assert os.listdir(tmp_path) == ["a.lenet"]
