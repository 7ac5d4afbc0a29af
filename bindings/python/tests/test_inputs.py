"""Model.predict's one rule for arrays (lenet/_arrays.py): every accepted layout gives the
uint8 path's answers on the whole MNIST test set, and every other form raises."""
import numpy as np
import pytest

import lenet


@pytest.fixture(scope="module")
def model(model_path):
    with lenet.Model.load(model_path) as m:
        yield m


@pytest.fixture(scope="module")
def reference(model, test_digits):
    labels, logits = model.predict(test_digits[0], output="logits")
    return labels, logits


def accepted_layouts(images):
    unit = images.astype(np.float64) / 255  # what torchvision's ToTensor gives, as float64
    return {
        "uint8 (N,1,28,28)": images[:, None],
        "float32 (N,28,28) in [0,1]": unit.astype(np.float32),
        "float64 (N,28,28) in [0,1]": unit,
        "float16 (N,28,28) in [0,1]": unit.astype(np.float16),
        "float32 (N,1,28,28) in [0,1]": unit.astype(np.float32)[:, None],
        "int64 (N,28,28)": images.astype(np.int64),
        "non-contiguous uint8": np.asfortranarray(images),
        "non-contiguous float32": unit.astype(np.float32).transpose(0, 2, 1).copy().transpose(0, 2, 1),
        "read-only uint8": np.frombuffer(images.tobytes(), np.uint8).reshape(images.shape),
        "big-endian float32 (N,28,28) in [0,1]": unit.astype(">f4"),
    }


@pytest.mark.parametrize("layout", list(accepted_layouts(np.zeros((1, 28, 28), np.uint8))))
def test_every_accepted_layout_reads_the_test_set_like_uint8(model, reference, test_digits, layout):
    images, truth = test_digits
    x = accepted_layouts(images)[layout]
    labels, logits = model.predict(x, output="logits")
    assert np.array_equal(labels, reference[0]), f"{layout}: {np.sum(labels != reference[0])} labels differ"
    assert np.array_equal(logits, reference[1])
    assert np.mean(labels == truth) == np.mean(reference[0] == truth)


def test_one_float_digit(model, reference, test_digits):
    labels, _ = model.predict(test_digits[0][7] / 255.0)
    assert labels.tolist() == [reference[0][7]]


def test_the_old_silent_case_now_raises(model, test_digits):
    # float32 0..255 (a uint8 array cast to float) used to be cast to uint8 and read; a
    # [0, 1] array used to become all zeros. The first must now say what it expected.
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        model.predict(test_digits[0][:10].astype(np.float32))


@pytest.mark.parametrize("bad, message", [
    (np.full((2, 28, 28), np.nan, np.float32), "NaN"),
    (np.full((2, 28, 28), np.inf), "NaN or infinite"),
    (-np.ones((2, 28, 28), np.float32) / 2, r"\[0, 1\]"),
    (np.zeros((2, 28, 28), bool), "dtype bool"),
    (np.zeros((2, 28, 28), object), "dtype object"),
    (np.zeros((2, 28, 28), complex), "dtype complex"),
    (np.full((2, 28, 28), "a"), "dtype <U1"),
    (np.zeros((2, 27, 28), np.uint8), "shape"),
    (np.zeros((2, 3, 28, 28), np.float32), "shape"),
    (np.zeros((2, 28, 28, 1), np.uint8), "shape"),
    (np.zeros((28,), np.uint8), "shape"),
    (np.full((1, 28, 28), 300), "0..255"),
    (np.full((1, 28, 28), -1), "0..255"),
    (np.zeros((2, 1, 32, 32), np.uint8), "normalised float"),
    (np.zeros((2, 2, 32, 32), np.float32), "shape"),
])
def test_other_forms_raise_value_error(model, bad, message):
    with pytest.raises(ValueError, match=message):
        model.predict(bad)


def test_nan_in_normalised_inputs_is_refused(model):
    x = np.zeros((2, 1, 32, 32), np.float32)
    x[1, 0, 3, 3] = np.nan
    with pytest.raises(lenet.InvalidArgumentError, match="finite"):
        model.predict(x)
