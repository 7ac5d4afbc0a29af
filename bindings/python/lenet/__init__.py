"""lenet: an embeddable LeNet-5 runtime (train, load and run digit classifiers), through
ctypes over liblenet.so.

    import lenet
    with lenet.Model.load("models/lenet_mnist.lenet") as model:
        labels, probabilities = model.predict(digits)        # (N, 28, 28) uint8
        label, p = model.predict_png("digit.png")
        label, p = model.predict_image(pil_image_or_array)   # pixels already decoded
"""
from ._api import (Dataset, Model, Reading, get_num_threads, preprocess_image, preprocess_images, preprocess_png, set_image_limits,
                   set_model_load_limit, set_num_threads, train)
from ._errors import (BufferTooSmallError, CancelledError, DatasetError, FormatError, ImageTooLargeError, InternalError,
                      InvalidArgumentError, LeNetError, LeNetIOError, NoInkError, NotFoundError, NotPNGError,
                      PNGCorruptError, PNGError, PNGTruncatedError, VersionError)
from ._lib import lib as _clib

__version__ = _clib.lenet_version_string().decode()
library_path = _clib.path

__all__ = [
    "Dataset", "Model", "Reading", "get_num_threads", "preprocess_image", "preprocess_images", "preprocess_png", "set_image_limits",
    "set_model_load_limit", "set_num_threads", "train",
    "LeNetError", "InvalidArgumentError", "LeNetIOError", "FormatError", "DatasetError", "BufferTooSmallError",
    "CancelledError", "VersionError", "NotFoundError", "InternalError", "PNGError", "NotPNGError", "PNGTruncatedError",
    "PNGCorruptError", "ImageTooLargeError", "NoInkError", "__version__", "library_path",
]
