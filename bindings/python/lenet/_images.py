"""Pictures already decoded (PIL images, numpy arrays from OpenCV, cameras, canvases) as the
raw pixel buffers of lenet_image_to_digit. PIL is never imported: an image is recognised by
its attributes, so the package works without Pillow installed.

    numpy dtype   shape                   pixel format
    uint8         (H, W) or (H, W, 1)     GRAY8
    uint8         (H, W, 2)               GRAYA8 (grey, alpha)
    uint8         (H, W, 3)               RGB8, or BGR8 with bgr=True (OpenCV)
    uint8         (H, W, 4)               RGBA8, or BGRA8 with bgr=True
    uint16        (H, W) or (H, W, 1)     GRAY16
    uint16        (H, W, 2)               GRAYA16
    float         any of the above        values in [0, 1], taken as 16-bit: round(x * 65535)

Rows may be padded (a slice of a larger image): they are passed with their stride, not
copied, as long as each row's pixels are contiguous.
"""
from __future__ import annotations

import numpy as np

from ._errors import InvalidArgumentError

GRAY8, GRAY16, RGB8, RGBA8, BGRA8, BGR8, GRAYA8, GRAYA16 = range(8)

# PIL modes read straight from their bytes; any other mode is converted by PIL first.
_PIL_DIRECT = {"L": (GRAY8, 1, np.uint8), "LA": (GRAYA8, 2, np.uint8), "RGB": (RGB8, 3, np.uint8),
               "RGBA": (RGBA8, 4, np.uint8), "I;16": (GRAY16, 1, "<u2"), "I;16L": (GRAY16, 1, "<u2"),
               "I;16B": (GRAY16, 1, ">u2")}
_BY_CHANNELS = {(1, 1): GRAY8, (1, 2): GRAYA8, (1, 3): RGB8, (1, 4): RGBA8, (2, 1): GRAY16, (2, 2): GRAYA16}


class Pixels:
    """A buffer lenet_image_to_digit reads: keeps `array` alive while the call runs."""

    def __init__(self, array, width, height, stride, fmt):
        self.array, self.width, self.height, self.stride, self.format = array, width, height, stride, fmt

    @property
    def address(self):
        return self.array.__array_interface__["data"][0]

    @property
    def size(self):
        return self.stride * (self.height - 1) + self.width * self.array.itemsize * self._channels()

    def _channels(self):
        return 1 if self.array.ndim == 2 else self.array.shape[2]


def is_pil_image(img) -> bool:
    return type(img).__module__.startswith("PIL.") and hasattr(img, "mode") and hasattr(img, "tobytes")


def _from_pil(img):
    mode = img.mode
    if mode == "I":
        # PIL opens 16-bit grey PNGs as "I": 32-bit integers holding 0..65535.
        a = np.asarray(img)
        if a.size and (a.min() < 0 or a.max() > 65535):
            raise InvalidArgumentError(f"a mode 'I' image must hold 16-bit values (0..65535); it spans {a.min()}..{a.max()}")
        return from_array(a.astype(np.uint16))
    if mode == "F":
        return from_array(np.asarray(img))
    if mode not in _PIL_DIRECT:
        img, mode = img.convert("RGBA"), "RGBA"  # palette, 1-bit, CMYK, ...: PIL's own conversion
    fmt, channels, dtype = _PIL_DIRECT[mode]
    w, h = img.size
    # To the machine's byte order (a copy only for I;16B on little-endian machines).
    a = np.frombuffer(img.tobytes(), dtype=dtype).astype(np.uint8 if dtype is np.uint8 else np.uint16, copy=False)
    return Pixels(a.reshape((h, w) if channels == 1 else (h, w, channels)), w, h, w * channels * a.itemsize, fmt)


def from_array(a, bgr=False) -> Pixels:
    """The pixel buffer for a numpy array by the table above."""
    a = np.asarray(a)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (2, 3, 4)):
        raise InvalidArgumentError(f"an image is (H, W), (H, W, 1), (H, W, 2), (H, W, 3) or (H, W, 4); got shape {a.shape}")
    if a.dtype.kind == "f":
        if not np.isfinite(a).all():
            raise InvalidArgumentError("the float image holds NaN or infinite values")
        if a.size and (a.min() < 0 or a.max() > 1):
            raise InvalidArgumentError(f"float images must lie in [0, 1]; this one spans {a.min():g}..{a.max():g} "
                                       "(pass uint8 for 0..255 or uint16 for 0..65535)")
        a = np.rint(a * 65535).astype(np.uint16)
    if a.dtype not in (np.uint8, np.uint16) or a.dtype.byteorder not in ("=", "|"):
        raise InvalidArgumentError(f"image pixels must be uint8, uint16 or float in [0, 1]; got {a.dtype}")
    if a.size == 0:
        raise InvalidArgumentError(f"the image is {a.shape[1]} x {a.shape[0]} pixels: there is nothing to read")
    channels = 1 if a.ndim == 2 else a.shape[2]
    if a.itemsize == 2 and channels > 2:
        raise InvalidArgumentError("16-bit colour images are not supported: pass uint8 colour or 16-bit grey")
    fmt = _BY_CHANNELS[(a.itemsize, channels)]
    if bgr and channels in (3, 4):
        fmt = BGR8 if channels == 3 else BGRA8
    h, w = a.shape[:2]
    pixel = a.itemsize * channels
    rows_ok = a.strides[0] >= w * pixel and a.strides[1] == pixel and (channels == 1 or a.strides[2] == a.itemsize)
    if not rows_ok:
        a = np.ascontiguousarray(a)
    return Pixels(a, w, h, a.strides[0], fmt)


def to_pixels(img, bgr=False) -> Pixels:
    if is_pil_image(img):
        if bgr:
            raise InvalidArgumentError("bgr=True is for arrays in OpenCV's order; PIL images are RGB")
        return _from_pil(img)
    if isinstance(img, np.ndarray) or hasattr(img, "__array__") or hasattr(img, "__array_interface__"):
        return from_array(img, bgr)
    raise InvalidArgumentError(f"expected a PIL image or a numpy array (H, W[, C]); got {type(img).__name__} "
                               "(for PNG files or bytes use predict_png / preprocess_png)")
