"""What Model.predict accepts, in one rule. Every other form raises InvalidArgumentError
(a ValueError) saying what was expected; nothing is cast silently.

    dtype                       shape                                  taken as
    uint8                       (N, 28, 28), (28, 28), (N, 1, 28, 28)  MNIST-style digits, 0 = background (no copy)
    other integers (lists)      the same                               digits; values must lie in 0..255 (copied to uint8)
    float16/32/64               the same                               digits in [0, 1] (torchvision's ToTensor):
                                                                       round(x * 255) to uint8
    float16/32/64               (N, 1, 32, 32), (N, 32, 32), (32, 32)  normalised model inputs, as the network's first
                                                                       layer takes them (float32 contiguous: no copy;
                                                                       other floats: converted to float32)

A C-contiguous array of the taken dtype is passed without a copy; a non-contiguous view
(a slice with steps, a transpose) is copied first.
"""
from __future__ import annotations

import numpy as np

from ._errors import InvalidArgumentError

EXPECTED = ("expected uint8 digits (N, 28, 28) or (28, 28), float digits in [0, 1] of those shapes or (N, 1, 28, 28), "
            "or float normalised inputs (N, 1, 32, 32)")


def _kind(a):
    """'int', 'float', or raises for dtypes that hold no pixel values."""
    if a.dtype == np.bool_ or a.dtype.kind not in "uif":
        raise InvalidArgumentError(f"{EXPECTED}; got dtype {a.dtype}")
    return "float" if a.dtype.kind == "f" else "int"


def _squeeze_to_batch(a, side, shape):
    """(N, side, side) from (side, side), (N, side, side) or (N, 1, side, side); raises otherwise."""
    if a.ndim == 2 and a.shape == (side, side):
        return a[None]
    if a.ndim == 3 and a.shape[1:] == (side, side):
        return a
    if a.ndim == 4 and a.shape[1:] == (1, side, side):
        return a[:, 0]
    raise InvalidArgumentError(f"{EXPECTED}; got shape {shape}")


def as_digits(x) -> np.ndarray:
    """(N, 28, 28) uint8, C-contiguous: the array itself when it already is one."""
    a = np.asarray(x)
    kind = _kind(a)
    a = _squeeze_to_batch(a, 28, np.shape(x))
    if a.dtype == np.uint8:
        return np.ascontiguousarray(a)
    if kind == "int":
        if a.size and (a.min() < 0 or a.max() > 255):
            raise InvalidArgumentError(f"integer digits must lie in 0..255; these span {a.min()}..{a.max()}")
        return np.ascontiguousarray(a, dtype=np.uint8)
    if not np.isfinite(a).all():
        raise InvalidArgumentError("the float digits hold NaN or infinite values")
    if a.size and (a.min() < 0 or a.max() > 1):
        raise InvalidArgumentError(
            f"float digits (N, 28, 28) must lie in [0, 1] (as ToTensor gives); these span {a.min():g}..{a.max():g}. "
            "For 0..255 values pass uint8 (x.astype(np.uint8)); for normalised inputs pass (N, 1, 32, 32)")
    return np.ascontiguousarray(np.rint(a.astype(np.float32) * 255), dtype=np.uint8)


def as_inputs(x) -> np.ndarray:
    """(N, 1, 32, 32) float32, C-contiguous: the array itself when it already is one."""
    a = np.asarray(x)
    if _kind(a) != "float":
        raise InvalidArgumentError(f"32x32 inputs are the network's normalised float inputs; got dtype {a.dtype}")
    if not (a.ndim == 4 and a.shape[1:] == (1, 32, 32)):
        a = _squeeze_to_batch(a, 32, np.shape(x))[:, None]
    # NaN is refused by the library itself, before anything is written.
    return np.ascontiguousarray(a, dtype=np.float32)


_FLOAT32, _UINT8 = np.dtype(np.float32), np.dtype(np.uint8)


def prepare(x):
    """(array, is_float): the C entry point for `x` by the rule above."""
    # The two forms taken without a copy, checked first: most calls are one of them.
    if type(x) is np.ndarray and x.flags.c_contiguous:
        if x.dtype is _FLOAT32 and x.ndim == 4 and x.shape[1:] == (1, 32, 32):
            return x, True
        if x.dtype is _UINT8 and x.ndim == 3 and x.shape[1:] == (28, 28):
            return x, False
    a = np.asarray(x)
    if a.ndim >= 2 and a.shape[-2:] == (32, 32):
        return as_inputs(a), True
    return as_digits(a), False
