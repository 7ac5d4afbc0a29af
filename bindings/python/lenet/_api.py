"""The Pythonic layer over the C API: Model, Dataset, train, preprocess_png."""
from __future__ import annotations

import ctypes
import math
import os
from typing import Any, Callable, Dict, List, Optional, Tuple, Union
from ctypes import POINTER, byref, c_char, c_float, c_int32, c_int64, c_size_t, c_uint8, c_void_p

import numpy as np

from . import _lib
from ._arrays import as_digits as _as_digits, prepare as _prepare
from ._errors import FormatError, InvalidArgumentError, NotFoundError
from ._images import to_pixels as _to_pixels
from ._lib import ModelInfo, PROGRESS_FN, ReadDigit, ReadNumber, check, lib


# The checkpoint's per-epoch history (Sources/LeNetCore/Training/TrainingHistory.swift).
_HISTORY_KEY = "training.history"
_HISTORY_HEADER = "epoch,loss,train_accuracy,test_accuracy,learning_rate"

# What the public functions take: a file path, or a file's bytes; digits with their labels.
PathLike = Union[str, bytes, "os.PathLike[str]"]
Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]
Labelled = Union["Dataset", Tuple[Any, Any]]
Progress = Callable[[Dict[str, Any]], Optional[bool]]


def _path(path) -> bytes:
    """A path as the C library takes it. A NUL byte would end it early there, and another
    file than the one named would be read or written: refused with ValueError, as open() does."""
    b = os.fsencode(path)
    if b"\0" in b:
        raise InvalidArgumentError(f"embedded null byte in the path {path!r}")
    return b


def _text(s: str) -> bytes:
    """A C string argument (a metadata key); a NUL byte would cut it short."""
    b = s.encode()
    if b"\0" in b:
        raise InvalidArgumentError(f"embedded null byte in {s!r}")
    return b


def _address(a):
    """The address of a C-contiguous array's data (the caller keeps `a` alive). Through the
    buffer protocol: __array_interface__ builds a dict per call, 1-2 us of a batch-1
    predict; read-only and empty arrays, which ctypes will not map, take that way."""
    try:
        return ctypes.addressof(c_char.from_buffer(a))
    except (TypeError, ValueError, BufferError):
        return a.__array_interface__["data"][0]

OUTPUTS = {"probabilities": 0, "logits": 1}
_INT32, _FLOAT32 = np.dtype(np.int32), np.dtype(np.float32)
FORMATS = {"lenet": 0, "pytorch": 1, "safetensors": 2}
OPTIMIZERS = {"adam": 0, "sgd": 1}
SCHEDULES = {"cosine": 0, "constant": 1}


def _png_bytes(source):
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    return None, _path(source)


def _is_png_source(item):
    return isinstance(item, (str, bytes, bytearray, memoryview, os.PathLike))


def _digit_into(item, out, bgr=False):
    """Preprocesses one picture (PIL image, array, PNG path or bytes) into `out` (28x28 uint8)."""
    p = out.ctypes.data_as(POINTER(c_uint8))
    if _is_png_source(item):
        data, path = _png_bytes(item)
        if data is not None:
            check(lib.lenet_png_to_digit(data, len(data), p, 784))
        else:
            check(lib.lenet_png_file_to_digit(path, p, 784))
        return
    px = _to_pixels(item, bgr)
    check(lib.lenet_image_to_digit(px.address, px.size, px.width, px.height, px.stride, px.format, p, 784))


class Reading(str):
    """A number read from a picture: the digits as a str ("2026"), with `digits`, one dict per
    digit left to right: label, probability, probabilities (10), box (x, y, width, height)
    in the picture's pixels; and `box`, the box around them all (None when no digit)."""

    digits: list
    box: Optional[Tuple[int, int, int, int]]


def _read(handle, item, bgr):
    """Calls lenet_model_read_png / _image (a file: lenet_model_read_png_files, whose errors name it)
    with room for the digits, growing it if needed."""
    if _is_png_source(item):
        data, path = _png_bytes(item)
        if data is None:
            names = (ctypes.c_char_p * 1)(path)
            call = lambda out, cap, n: lib.lenet_model_read_png_files(handle, names, 1, out, cap, cap, n, None)  # noqa: E731
        else:
            call = lambda out, cap, n: lib.lenet_model_read_png(handle, data, len(data), out, cap, n)  # noqa: E731
    else:
        px = _to_pixels(item, bgr)
        call = lambda out, cap, n: lib.lenet_model_read_image(  # noqa: E731
            handle, px.address, px.size, px.width, px.height, px.stride, px.format, out, cap, n)
    capacity, count = _DIGITS_A_NUMBER, c_size_t()
    while True:
        out = (ReadDigit * capacity)()
        status = call(out, capacity, byref(count))
        if status == 5 and count.value > capacity:  # LENET_ERR_BUFFER_TOO_SMALL: room for all of them
            capacity = count.value
            continue
        check(status)
        break
    return _reading(out[:count.value])


# Room for a number's digits before asking again with the count the library reports.
_DIGITS_A_NUMBER = 16


def _reading(found):
    digits = []
    for d in found:
        probs = np.array(d.probabilities[:], dtype=np.float32)
        digits.append({"label": int(d.label), "probability": float(probs[d.label]), "probabilities": probs,
                       "box": (int(d.x), int(d.y), int(d.width), int(d.height))})
    reading = Reading("".join(str(d["label"]) for d in digits))
    reading.digits = digits
    if digits:
        x0, y0 = min(d["box"][0] for d in digits), min(d["box"][1] for d in digits)
        x1, y1 = max(d["box"][0] + d["box"][2] for d in digits), max(d["box"][1] + d["box"][3] for d in digits)
        reading.box = (x0, y0, x1 - x0, y1 - y0)
    else:
        reading.box = None
    return reading


def _read_numbers(handle, item, bgr):
    """Calls lenet_model_read_numbers_png / _png_file / _image with room for a form's numbers,
    once more with the counts the library reports when a page holds more."""
    if _is_png_source(item):
        data, path = _png_bytes(item)
        if data is None:
            call = lambda *a: lib.lenet_model_read_numbers_png_file(handle, path, *a)  # noqa: E731
        else:
            call = lambda *a: lib.lenet_model_read_numbers_png(handle, data, len(data), *a)  # noqa: E731
    else:
        px = _to_pixels(item, bgr)
        call = lambda *a: lib.lenet_model_read_numbers_image(  # noqa: E731
            handle, px.address, px.size, px.width, px.height, px.stride, px.format, *a)
    room, numbers, digits = (8, 8 * _DIGITS_A_NUMBER), c_size_t(), c_size_t()
    while True:
        n_out, d_out = (ReadNumber * room[0])(), (ReadDigit * room[1])()
        seen = np.empty((room[1], 28, 28), np.uint8)
        status = call(n_out, room[0], byref(numbers), d_out, room[1], byref(digits), seen.ctypes.data_as(POINTER(c_uint8)), seen.size)
        if status == 5 and (numbers.value > room[0] or digits.value > room[1]):  # LENET_ERR_BUFFER_TOO_SMALL
            room = (max(room[0], numbers.value), max(room[1], digits.value))
            continue
        check(status)
        break
    readings = []
    for n in n_out[:numbers.value]:
        reading = _reading(d_out[n.first_digit:n.first_digit + n.digit_count])
        for k, d in enumerate(reading.digits):
            d["seen"] = seen[n.first_digit + k].copy()
        readings.append(reading)
    return readings


def _read_files(handle, paths):
    """The numbers on PNG files, read by lenet_model_read_png_files in one call (every core,
    the GIL released); None for a file that failed or has more digits than the room given
    (the caller reads it again alone: the number, or the file's own error)."""
    n, per = len(paths), _DIGITS_A_NUMBER
    names = (ctypes.c_char_p * n)(*[_path(p) for p in paths])
    out = (ReadDigit * (n * per))()
    found = (c_size_t * n)()
    statuses = (_lib.c_status * n)()
    lib.lenet_model_read_png_files(handle, names, n, out, n * per, per, found, statuses)
    return [_reading(out[i * per:i * per + found[i]]) if statuses[i] == 0 else None for i in range(n)]


def _model_from_bytes(data):
    return Model.load(data)


class _Handle:
    """An owned C handle: released by close(), by `with`, or when collected."""

    _free = None  # the lenet_*_free function, set by subclasses

    def __init__(self, handle):
        self._handle = handle

    def close(self) -> None:
        """Releases the handle; further calls raise InvalidArgumentError. Closing twice is fine."""
        if self._handle:
            type(self)._free(self._handle)
            self._handle = None

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Dataset(_Handle):
    """Digits with labels, held by the library (for training and evaluation)."""

    _free = lib.lenet_dataset_free

    @classmethod
    def load_idx(cls, images_path: PathLike, labels_path: PathLike) -> "Dataset":
        """MNIST-format IDX files (gzip-compressed or not)."""
        h = c_void_p()
        check(lib.lenet_dataset_load_idx(_path(images_path), _path(labels_path), byref(h)))
        return cls(h)

    @classmethod
    def load_mnist(cls, directory: PathLike, split: str = "train") -> "Dataset":
        """`split` "train" or "test" from a directory with MNIST's standard file names."""
        prefix = {"train": "train", "test": "t10k"}[split]
        return cls.load_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"),
                            os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"))

    @classmethod
    def from_arrays(cls, images: Any, labels: Any) -> "Dataset":
        """`images` (N, 28, 28) uint8, `labels` (N,) with digits 0-9; both are copied."""
        d = _as_digits(images)
        y = np.ascontiguousarray(np.asarray(labels), dtype=np.uint8)
        if y.shape != (d.shape[0],):
            raise InvalidArgumentError(f"{d.shape[0]} images but labels of shape {np.shape(labels)}")
        h = c_void_p()
        check(lib.lenet_dataset_from_arrays(d.ctypes.data_as(POINTER(c_uint8)), y.ctypes.data_as(POINTER(c_uint8)),
                                            d.shape[0], byref(h)))
        return cls(h)

    @classmethod
    def from_images(cls, pictures: Any, labels: Any, *, bgr: bool = False) -> "Dataset":
        """Your own labelled pictures (PNG paths or bytes, PIL images, arrays, mixed), each
        read as predict_image reads it (preprocess_images: the paths on every core); the
        first picture that cannot be read raises, naming it."""
        items = list(pictures)
        y = np.asarray(labels)
        if y.shape != (len(items),):
            raise InvalidArgumentError(f"{len(items)} pictures but labels of shape {np.shape(labels)}")
        if not items:
            raise InvalidArgumentError("no pictures to make a dataset of")
        return cls.from_arrays(preprocess_images(items, bgr=bgr), y)

    def mix(self, pictures: "Dataset", share: float = 0.5) -> "Dataset":
        """A new dataset: this one followed by `pictures` repeated so that they make
        `share` of it (0 < share < 1), as `lenet train --images-share` mixes them."""
        h = c_void_p()
        check(lib.lenet_dataset_mix(self._h(), pictures._h(), float(share), byref(h)))
        return Dataset(h)

    def split(self, held_back: float = 0.2, seed: int = 1) -> Tuple["Dataset", "Dataset"]:
        """(to train on, held back): `held_back` of the digits drawn from `seed`, as `lenet
        train --validation` draws them; both keep the dataset's order."""
        a, b = c_void_p(), c_void_p()
        check(lib.lenet_dataset_split(self._h(), float(held_back), int(seed), byref(a), byref(b)))
        return Dataset(a), Dataset(b)

    def _h(self):
        if not self._handle:
            raise InvalidArgumentError("the dataset is closed")
        return self._handle

    def __len__(self) -> int:
        return int(lib.lenet_dataset_count(self._handle))


def _dataset(data):
    if data is None or isinstance(data, Dataset):
        return data, False
    images, labels = data
    return Dataset.from_arrays(images, labels), True


class Model(_Handle):
    """A LeNet-5 model. Immutable once loaded: threads may share it (the GIL is released
    during every call)."""

    _free = lib.lenet_model_free

    @classmethod
    def load(cls, source: Source) -> "Model":
        """From a `.lenet` file path, or from the bytes of one."""
        h = c_void_p()
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            check(lib.lenet_model_load_from_memory(data, len(data), byref(h)))
        else:
            check(lib.lenet_model_load(_path(source), byref(h)))
        return cls(h)

    def _h(self):
        if not self._handle:
            raise InvalidArgumentError("the model is closed")
        return self._handle

    def save(self, path: PathLike) -> None:
        """Writes the model (atomically): .safetensors or .pth by the extension, else .lenet.
        An int8 model is saved as .lenet only (InvalidArgumentError otherwise)."""
        check(lib.lenet_model_save(self._h(), _path(path)))

    def quantize(self, calibration: Any) -> "Model":
        """A new int8 model from this float one (post-training static quantization),
        calibrated on uint8 digits (N, 28, 28), e.g. ~1,000 training images; weights in 7
        bits (-63...63, as lenet_quantize makes them). The int8 model predicts, evaluates and
        saves (.lenet) like any other; `info["dtype"]` is "int8"."""
        a = _as_digits(calibration)
        if a.shape[0] == 0:
            raise InvalidArgumentError("calibration needs at least one image")
        h = c_void_p()
        check(lib.lenet_quantize(self._h(), a.ctypes.data_as(POINTER(c_uint8)), a.shape[0], byref(h)))
        return Model(h)

    @property
    def dtype(self) -> str:
        """"f32" or "int8"."""
        return self.info["dtype"]

    @property
    def info(self) -> Dict[str, Any]:
        """dtype, parameter_count, format_version, has_training_state, epochs_completed and
        the metadata dictionary."""
        i = ModelInfo()
        i.struct_size = ctypes.sizeof(ModelInfo)
        check(lib.lenet_model_get_info(self._h(), byref(i)))
        keys = [self._string(lib.lenet_model_get_metadata_key, n) for n in range(i.metadata_count)]
        return {
            "dtype": {0: "f32", 1: "int8"}.get(i.dtype, str(i.dtype)),
            "parameter_count": i.parameter_count,
            "format_version": (i.format_version_major, i.format_version_minor),
            "has_training_state": bool(i.has_training_state),
            "epochs_completed": i.epochs_completed,
            "metadata": {k: self.metadata(k) for k in keys},
        }

    @property
    def history(self) -> List[Dict[str, Any]]:
        """The training run's numbers, one dict per epoch (epoch, loss, train_accuracy,
        test_accuracy (None without a test set), learning_rate), as the checkpoint keeps
        them (metadata "training.history"); [] for a model that keeps none (one from
        PyTorch, or trained before lenet 0.4). Long runs keep every second early epoch."""
        try:
            text = self.metadata(_HISTORY_KEY)
        except NotFoundError:
            return []
        lines = text.split("\n")
        if lines[0] != _HISTORY_HEADER:
            raise FormatError(f"{_HISTORY_KEY}: the first line is not '{_HISTORY_HEADER}'")
        names = _HISTORY_HEADER.split(",")
        rows = []
        for n, line in enumerate(lines[1:], start=2):
            fields = line.split(",")
            try:
                if len(fields) != len(names):
                    raise ValueError(line)
                row: Dict[str, Any] = {k: (float(v) if v else None) for k, v in zip(names, fields)}
                row["epoch"] = int(fields[0])
            except ValueError:
                raise FormatError(f"{_HISTORY_KEY} line {n} ({line[:80]!r}) is not {len(names)} numbers") from None
            # The numbers a run produces, as the library's own reader requires (lenet inspect, plot).
            accuracies = [row["train_accuracy"]] + ([row["test_accuracy"]] if row["test_accuracy"] is not None else [])
            if not (1 <= row["epoch"] <= 1_000_000 and row["loss"] is not None and 0 <= row["loss"] < math.inf
                    and all(a is not None and 0 <= a <= 1 for a in accuracies)
                    and row["learning_rate"] is not None and 0 <= row["learning_rate"] < math.inf):
                raise FormatError(f"{_HISTORY_KEY} line {n} ({line[:80]!r}) holds a number no run produces")
            rows.append(row)
        return rows

    def metadata(self, key: str) -> str:
        """The metadata value for `key` (NotFoundError, a KeyError, when absent)."""
        return self._string(lib.lenet_model_get_metadata, _text(key))

    def _string(self, fn, key):
        need = c_size_t()
        check(fn(self._h(), key, None, 0, byref(need)))
        buf = ctypes.create_string_buffer(need.value + 1)
        check(fn(self._h(), key, ctypes.cast(buf, POINTER(c_char)), need.value + 1, byref(need)))
        return buf.value.decode()

    def predict(self, x: Any, output: str = "probabilities") -> Tuple[np.ndarray, np.ndarray]:
        """Classifies digits: uint8 arrays (N, 28, 28) (or one (28, 28)) of MNIST-style digits,
        or float32 (N, 1, 32, 32) normalised inputs; lists and other dtypes are converted,
        contiguous arrays of the right dtype are used without a copy.
        Returns (labels int32 (N,), scores float32 (N, 10)); scores are "probabilities" or "logits"."""
        kind = OUTPUTS.get(output)
        if kind is None:
            raise InvalidArgumentError(f"output must be one of {sorted(OUTPUTS)}")
        a, is_float = _prepare(x)
        n = a.shape[0]
        labels = np.empty(n, _INT32)
        scores = np.empty((n, 10), _FLOAT32)
        fn = _lib.predict_f32 if is_float else _lib.predict_u8
        check(fn(self._h(), _address(a), n, _address(labels), n, _address(scores), n * 10, kind))
        return labels, scores

    def predict_png(self, source: Source) -> Tuple[int, np.ndarray]:
        """Reads the digit on a PNG (a path, or the file's bytes) and classifies it.
        Returns (label, probabilities float32 (10,))."""
        data, path = _png_bytes(source)
        label = c_int32()
        probs = np.empty(10, dtype=np.float32)
        p = probs.ctypes.data_as(POINTER(c_float))
        if data is not None:
            check(lib.lenet_model_predict_png(self._h(), data, len(data), byref(label), p, 10))
        else:
            check(lib.lenet_model_predict_png_file(self._h(), path, byref(label), p, 10))
        return int(label.value), probs

    def predict_image(self, img: Any, *, bgr: bool = False) -> Tuple[int, np.ndarray]:
        """Reads the digit on a picture already decoded, with the preprocessing PNGs get: a
        PIL image (any mode) or a numpy array (H, W), (H, W, 2|3|4), uint8 or uint16 (see
        preprocess_image; `bgr=True` for OpenCV's colour order). Returns (label, probabilities
        float32 (10,))."""
        labels, probs = self.predict(preprocess_image(img, bgr=bgr))
        return int(labels[0]), probs[0]

    def predict_images(self, images: Any, *, bgr: bool = False) -> Tuple[np.ndarray, np.ndarray]:
        """predict_image for many pictures (PIL images, arrays, PNG paths or bytes, mixed),
        classified in one batch. Returns (labels int32 (N,), probabilities float32 (N, 10))."""
        return self.predict(preprocess_images(images, bgr=bgr))

    def read(self, picture: Any, *, bgr: bool = False) -> "Reading":
        """Reads a number ("2026" on a form): a PNG path or bytes, a PIL image or a numpy array
        (as predict_image). Returns a Reading: the digits as a str, with `.digits` giving each
        digit's label, probability, probabilities and box, left to right."""
        return _read(self._h(), picture, bgr)

    def read_numbers(self, picture: Any, *, bgr: bool = False) -> List["Reading"]:
        """Reads every number on a picture (the fields of a form): a list of Readings in
        reading order (rows top to bottom, each left to right), each with its digits (as
        read() gives them, and "seen": the 28x28 uint8 digit the model saw) and its `box`.
        A picture of one number gives a list of one, the Reading read() gives."""
        return _read_numbers(self._h(), picture, bgr)

    def read_images(self, pictures: Any, *, bgr: bool = False) -> List["Reading"]:
        """read() for many pictures (PNG paths or bytes, PIL images, arrays, mixed): a list of
        Readings in their order. The PNG paths among them are read in one call on the
        library's threads (every core, the GIL released for all of them), each as read()
        reads it alone; the first picture that fails raises."""
        items = list(pictures)
        files = [i for i, item in enumerate(items) if isinstance(item, (str, os.PathLike))]
        batch = dict(zip(files, _read_files(self._h(), [items[i] for i in files]))) if files else {}
        done = [batch.get(i) for i in range(len(items))]
        return [r if r is not None else _read(self._h(), item, bgr) for r, item in zip(done, items)]

    def read_png(self, source: Source) -> "Reading":
        """read() for a PNG path or the file's bytes: model.read_png("form.png") == "2026"."""
        if not _is_png_source(source):
            raise InvalidArgumentError("read_png takes a PNG path or bytes; use read() for decoded pictures")
        return _read(self._h(), source, False)

    def to_bytes(self, format: str = "lenet") -> bytes:
        """The model file's bytes ("lenet", "pytorch" or "safetensors"), as save() would write
        them; Model.load(data) reads them back. Pickling a Model stores its .lenet bytes."""
        if format not in FORMATS:
            raise InvalidArgumentError(f"format must be one of {sorted(FORMATS)}")
        size = c_size_t()
        check(lib.lenet_model_save_to_memory(self._h(), FORMATS[format], None, 0, byref(size)))
        buf = ctypes.create_string_buffer(size.value)
        check(lib.lenet_model_save_to_memory(self._h(), FORMATS[format], buf, size.value, byref(size)))
        return buf.raw[:size.value]

    def __reduce__(self):
        # A model travels (pickle, multiprocessing, Dask, copy.deepcopy) as its file's bytes.
        return (_model_from_bytes, (self.to_bytes(),))

    def evaluate(self, data: Labelled) -> Tuple[float, np.ndarray]:
        """Accuracy and the 10x10 confusion matrix (rows: true digit) on a Dataset or an
        (images, labels) pair."""
        ds, owned = _dataset(data)
        try:
            correct = c_size_t()
            confusion = np.zeros((10, 10), dtype=np.int64)
            check(lib.lenet_model_evaluate(self._h(), ds._handle, byref(correct),
                                           confusion.ctypes.data_as(POINTER(c_int64)), 100))
            return correct.value / max(1, len(ds)), confusion
        finally:
            if owned:
                ds.close()


def preprocess_png(source: Source) -> np.ndarray:
    """The 28x28 uint8 digit the model would see for a PNG (a path, or the file's bytes)."""
    data, path = _png_bytes(source)
    out = np.empty((28, 28), dtype=np.uint8)
    p = out.ctypes.data_as(POINTER(c_uint8))
    if data is not None:
        check(lib.lenet_png_to_digit(data, len(data), p, 784))
    else:
        check(lib.lenet_png_file_to_digit(path, p, 784))
    return out


def preprocess_image(img: Any, *, bgr: bool = False) -> np.ndarray:
    """The 28x28 uint8 digit the model would see for a picture already decoded: a PIL image
    (any mode; Pillow is not imported by lenet) or a numpy array (H, W) grey, (H, W, 2) grey +
    alpha, (H, W, 3) RGB, (H, W, 4) RGBA, uint8 or uint16 (16-bit grey), or float in [0, 1].
    `bgr=True` reads 3 and 4 channels in OpenCV's order. Alpha is composited over white and
    colour turned grey as for PNGs: the same picture gives the same digit either way."""
    out = np.empty((28, 28), dtype=np.uint8)
    _digit_into(img, out, bgr)
    return out


def preprocess_images(images: Any, *, bgr: bool = False) -> np.ndarray:
    """preprocess_image (or preprocess_png for paths and bytes) of each picture: (N, 28, 28)
    uint8. The PNG paths among them are read in one call on the library's threads (every
    core, the GIL released for all of them); the same bytes as one at a time."""
    items = list(images)
    out = np.empty((len(items), 28, 28), dtype=np.uint8)
    files = [i for i, item in enumerate(items) if isinstance(item, (str, os.PathLike))]
    if files:
        out[files] = _png_files([items[i] for i in files])
    for i, item in enumerate(items):
        if not isinstance(item, (str, os.PathLike)):
            _digit_into(item, out[i], bgr)
    return out


def _png_files(paths) -> np.ndarray:
    """The digits of PNG files, read by lenet_png_files_to_digits; the first failure raises."""
    names = (ctypes.c_char_p * len(paths))(*[_path(p) for p in paths])
    digits = np.empty((len(paths), 28, 28), dtype=np.uint8)
    statuses = (_lib.c_status * len(paths))()
    check(lib.lenet_png_files_to_digits(names, len(paths), digits.ctypes.data_as(POINTER(c_uint8)), digits.size, statuses))
    return digits


def train(data: Labelled, test: Optional[Labelled] = None, *, epochs: Optional[int] = None,
          batch_size: Optional[int] = None, lr: Optional[float] = None, optimizer: Optional[str] = None,
          momentum: Optional[float] = None, lr_schedule: Optional[str] = None, seed: Optional[int] = None,
          augment: Optional[bool] = None, pen_share: Optional[float] = None, pair_share: Optional[float] = None,
          threads: int = 0,
          progress: Optional[Progress] = None, resume: Optional[Model] = None,
          checkpoint: Optional[PathLike] = None, init: Optional[Model] = None) -> Model:
    """Trains LeNet-5 on `data` (a Dataset or (images, labels)), evaluating on `test` after
    each epoch if given. `progress(p)` is called after every batch and epoch with a dict
    (epoch, epochs, batch, batches, images, loss, accuracy, epoch_done, test_accuracy,
    seconds, learning_rate); returning True stops training (CancelledError). With `resume` (a Model with
    training state) the run continues to `epochs` in all with that run's options. With
    `checkpoint` (a path) the model is saved there atomically after every epoch. With
    `init` (a float Model) training starts from its weights (fine-tuning on your own
    pictures: Dataset.from_images, mixed with MNIST by Dataset.mix, and e.g. epochs=3).
    An option left at None takes the library's default (lenet_train_default_params: 10
    epochs, batch 64, Adam, lr 2e-3, cosine schedule, momentum 0.9 for SGD, seed 1,
    augmentation, pen_share 0.2: digits written by lenet's handwriting model added to the
    training set, as a share of it; 0 for none; pair_share 0.1: pictures of two touching
    digits written by it, taught as no single digit, and as many digits cut out of such
    pairs, so that Model.read_png cuts touching digits apart; 0 for none), the same defaults as `lenet train`.
    Returns the trained Model (with training state: save it to resume later)."""
    params = lib.lenet_train_default_params()
    given = {"epochs": epochs, "batch_size": batch_size, "learning_rate": lr, "momentum": momentum, "seed": seed,
             "augment": None if augment is None else int(bool(augment)), "pen_share": pen_share,
             "pair_share": pair_share}
    for field, value in given.items():
        if value is not None:
            setattr(params, field, value)
    params.threads = threads
    params.init_model = init._h() if init is not None else None
    try:
        if optimizer is not None:
            params.optimizer = OPTIMIZERS[optimizer]
        if lr_schedule is not None:
            params.lr_schedule = SCHEDULES[lr_schedule]
    except KeyError as e:
        raise InvalidArgumentError(f"unknown option value {e}") from None
    failure = []

    def on_progress(p, _user):
        try:
            c = p.contents
            stop = progress({f: getattr(c, f) for f, _ in c._fields_})
            return 1 if stop else 0
        except BaseException as e:  # noqa: B036 - carried across C and re-raised below
            failure.append(e)
            return 1

    callback = PROGRESS_FN(on_progress) if progress else PROGRESS_FN()
    params.progress = callback
    path = _path(checkpoint) if checkpoint is not None else None
    params.checkpoint_path = path
    train_ds, own_train = _dataset(data)
    test_ds, own_test = _dataset(test)
    h = c_void_p()
    try:
        if resume is not None:
            status = lib.lenet_train_resume(resume._h(), byref(params), train_ds._handle,
                                            test_ds._handle if test_ds else None, byref(h))
        else:
            status = lib.lenet_train(byref(params), train_ds._handle, test_ds._handle if test_ds else None, byref(h))
        if failure:
            if h:
                lib.lenet_model_free(h)
            raise failure[0]
        if status != 0 and h:
            lib.lenet_model_free(h)
        check(status)
        return Model(h)
    finally:
        if own_train:
            train_ds.close()
        if own_test:
            test_ds.close()


def set_num_threads(n: int) -> None:
    """Threads for inference and training in this process; 0 = default (LENET_NUM_THREADS, else all cores)."""
    check(lib.lenet_set_num_threads(n))


def get_num_threads() -> int:
    return int(lib.lenet_get_num_threads())


def set_image_limits(max_width: int = 0, max_height: int = 0, max_pixels: int = 0) -> None:
    """Largest PNG accepted (0 keeps a default: 8192 x 8192, 32 Mi pixels)."""
    check(lib.lenet_set_image_limits(max_width, max_height, max_pixels))


def set_model_load_limit(max_bytes: int = 0) -> None:
    """The most one model load may take: the largest model file accepted and the memory its
    decoding may allocate besides (0 keeps the default, 64 MiB). A file declaring more is
    refused with FormatError before the memory is taken."""
    check(lib.lenet_set_model_load_limit(max_bytes))
