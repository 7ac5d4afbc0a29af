"""Finding liblenet.so and declaring every C function of include/lenet.h with its
argtypes and restype (tests/test_header.py holds these against the header)."""
import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_double, c_float, c_int, c_int32, c_int64,
                    c_size_t, c_uint8, c_uint32, c_uint64, c_void_p)

from ._errors import BY_STATUS, LeNetError, VersionError

# The library version these bindings were written for: same major, at least this minor.
VERSION = (0, 6, 0)

c_status = c_uint32  # lenet_status and the other enums are unsigned ints in C
c_enum = c_uint32


class ModelInfo(Structure):
    _fields_ = [
        ("struct_size", c_size_t), ("dtype", c_enum), ("parameter_count", c_size_t),
        ("format_version_major", c_uint32), ("format_version_minor", c_uint32),
        ("has_training_state", c_int32), ("epochs_completed", c_int32), ("metadata_count", c_size_t),
    ]


class Progress(Structure):
    _fields_ = [
        ("epoch", c_int32), ("epochs", c_int32), ("batch", c_int32), ("batches", c_int32), ("images", c_int64),
        ("loss", c_double), ("accuracy", c_double), ("epoch_done", c_int32), ("test_accuracy", c_double),
        ("seconds", c_double),
        ("learning_rate", c_double),
    ]


PROGRESS_FN = CFUNCTYPE(c_int, POINTER(Progress), c_void_p)


class ReadDigit(Structure):
    _fields_ = [
        ("label", c_int32), ("probabilities", c_float * 10), ("x", c_size_t), ("y", c_size_t), ("width", c_size_t),
        ("height", c_size_t),
    ]


class ReadNumber(Structure):
    _fields_ = [
        ("first_digit", c_size_t), ("digit_count", c_size_t), ("x", c_size_t), ("y", c_size_t), ("width", c_size_t),
        ("height", c_size_t),
    ]


class TrainParams(Structure):
    _fields_ = [
        ("struct_size", c_size_t), ("epochs", c_int32), ("batch_size", c_int32), ("learning_rate", c_float),
        ("optimizer", c_enum), ("momentum", c_float), ("lr_schedule", c_enum), ("seed", c_uint64), ("augment", c_int32),
        ("threads", c_int32), ("progress", PROGRESS_FN), ("user_data", c_void_p), ("checkpoint_path", c_char_p),
        ("pen_share", c_float), ("init_model", c_void_p), ("pair_share", c_float),
    ]


# name: (restype, argtypes). Pointer-to-handle parameters are c_void_p / POINTER(c_void_p).
FUNCTIONS = {
    "lenet_version_string": (c_char_p, []),
    "lenet_check_version": (c_status, [c_int32, c_int32, c_int32]),
    "lenet_status_string": (c_char_p, [c_status]),
    "lenet_last_error": (c_char_p, []),
    "lenet_set_num_threads": (c_status, [c_int32]),
    "lenet_get_num_threads": (c_int32, []),
    "lenet_model_load": (c_status, [c_char_p, POINTER(c_void_p)]),
    "lenet_model_load_from_memory": (c_status, [c_void_p, c_size_t, POINTER(c_void_p)]),
    "lenet_model_free": (None, [c_void_p]),
    "lenet_model_save": (c_status, [c_void_p, c_char_p]),
    "lenet_model_save_to_memory": (c_status, [c_void_p, c_enum, c_void_p, c_size_t, POINTER(c_size_t)]),
    "lenet_model_get_info": (c_status, [c_void_p, POINTER(ModelInfo)]),
    "lenet_quantize": (c_status, [c_void_p, POINTER(c_uint8), c_size_t, POINTER(c_void_p)]),
    "lenet_model_get_metadata": (c_status, [c_void_p, c_char_p, POINTER(c_char), c_size_t, POINTER(c_size_t)]),
    "lenet_model_get_metadata_key": (c_status, [c_void_p, c_size_t, POINTER(c_char), c_size_t, POINTER(c_size_t)]),
    "lenet_model_predict": (c_status, [c_void_p, POINTER(c_uint8), c_size_t, POINTER(c_int32), c_size_t,
                                       POINTER(c_float), c_size_t, c_enum]),
    "lenet_model_predict_f32": (c_status, [c_void_p, POINTER(c_float), c_size_t, POINTER(c_int32), c_size_t,
                                           POINTER(c_float), c_size_t, c_enum]),
    "lenet_set_image_limits": (c_status, [c_size_t, c_size_t, c_size_t]),
    "lenet_set_model_load_limit": (c_status, [c_size_t]),
    "lenet_png_to_digit": (c_status, [c_void_p, c_size_t, POINTER(c_uint8), c_size_t]),
    "lenet_png_file_to_digit": (c_status, [c_char_p, POINTER(c_uint8), c_size_t]),
    "lenet_png_files_to_digits": (c_status, [POINTER(c_char_p), c_size_t, POINTER(c_uint8), c_size_t, POINTER(c_status)]),
    "lenet_model_predict_png": (c_status, [c_void_p, c_void_p, c_size_t, POINTER(c_int32), POINTER(c_float), c_size_t]),
    "lenet_model_predict_png_file": (c_status, [c_void_p, c_char_p, POINTER(c_int32), POINTER(c_float), c_size_t]),
    "lenet_image_to_digit": (c_status, [c_void_p, c_size_t, c_size_t, c_size_t, c_size_t, c_enum, POINTER(c_uint8),
                                        c_size_t]),
    "lenet_model_predict_image": (c_status, [c_void_p, c_void_p, c_size_t, c_size_t, c_size_t, c_size_t, c_enum,
                                             POINTER(c_int32), POINTER(c_float), c_size_t]),
    "lenet_model_read_png": (c_status, [c_void_p, c_void_p, c_size_t, POINTER(ReadDigit), c_size_t, POINTER(c_size_t)]),
    "lenet_model_read_image": (c_status, [c_void_p, c_void_p, c_size_t, c_size_t, c_size_t, c_size_t, c_enum,
                                          POINTER(ReadDigit), c_size_t, POINTER(c_size_t)]),
    "lenet_model_read_png_files": (c_status, [c_void_p, POINTER(c_char_p), c_size_t, POINTER(ReadDigit), c_size_t, c_size_t,
                                              POINTER(c_size_t), POINTER(c_status)]),
    "lenet_model_read_numbers_png": (c_status, [c_void_p, c_void_p, c_size_t, POINTER(ReadNumber), c_size_t, POINTER(c_size_t),
                                                POINTER(ReadDigit), c_size_t, POINTER(c_size_t), POINTER(c_uint8), c_size_t]),
    "lenet_model_read_numbers_png_file": (c_status, [c_void_p, c_char_p, POINTER(ReadNumber), c_size_t, POINTER(c_size_t),
                                                     POINTER(ReadDigit), c_size_t, POINTER(c_size_t), POINTER(c_uint8), c_size_t]),
    "lenet_model_read_numbers_image": (c_status, [c_void_p, c_void_p, c_size_t, c_size_t, c_size_t, c_size_t, c_enum,
                                                  POINTER(ReadNumber), c_size_t, POINTER(c_size_t), POINTER(ReadDigit), c_size_t,
                                                  POINTER(c_size_t), POINTER(c_uint8), c_size_t]),
    "lenet_dataset_load_idx": (c_status, [c_char_p, c_char_p, POINTER(c_void_p)]),
    "lenet_dataset_from_arrays": (c_status, [POINTER(c_uint8), POINTER(c_uint8), c_size_t, POINTER(c_void_p)]),
    "lenet_dataset_from_png_files": (c_status, [POINTER(c_char_p), POINTER(c_uint8), c_size_t, POINTER(c_void_p), POINTER(c_status)]),
    "lenet_dataset_mix": (c_status, [c_void_p, c_void_p, c_double, POINTER(c_void_p)]),
    "lenet_dataset_split": (c_status, [c_void_p, c_double, c_uint64, POINTER(c_void_p), POINTER(c_void_p)]),
    "lenet_dataset_count": (c_size_t, [c_void_p]),
    "lenet_dataset_free": (None, [c_void_p]),
    "lenet_model_evaluate": (c_status, [c_void_p, c_void_p, POINTER(c_size_t), POINTER(c_int64), c_size_t]),
    "lenet_train_default_params": (TrainParams, []),
    "lenet_train": (c_status, [POINTER(TrainParams), c_void_p, c_void_p, POINTER(c_void_p)]),
    "lenet_train_resume": (c_status, [c_void_p, POINTER(TrainParams), c_void_p, c_void_p, POINTER(c_void_p)]),
}


def _candidates():
    """Where the library is looked for, in order, with a description of each place."""
    env = os.environ.get("LENET_LIBRARY")
    if env:
        yield env, "LENET_LIBRARY"
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("liblenet.so", "liblenet.so.0"):
        yield os.path.join(here, name), "the package directory"
    # A checkout: bindings/python/lenet -> build/lib of the repository.
    yield os.path.normpath(os.path.join(here, "..", "..", "..", "build", "lib", "liblenet.so")), "the repository's build/lib"
    import ctypes.util  # here, not at the top: importing it (and subprocess) took a fifth of `import lenet`
    found = ctypes.util.find_library("lenet")
    if found:
        yield found, "the system (ctypes.util.find_library)"


def load_library():
    tried = []
    for path, where in _candidates():
        if where != "the system (ctypes.util.find_library)" and not os.path.exists(path):
            tried.append(f"{path} ({where}): not found")
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"{path} ({where}): {e}")
            continue
        _declare(lib)
        status = lib.lenet_check_version(*VERSION)
        if status != 0:
            raise VersionError(f"{path}: {lib.lenet_last_error().decode()} (these bindings need {VERSION[0]}.{VERSION[1]}.x)",
                               status)
        lib.path = path
        return lib
    raise LeNetError("cannot find liblenet.so; looked in:\n  " + "\n  ".join(tried or ["(nowhere)"]) +
                     "\nset LENET_LIBRARY to its path, or run `make lib` in the repository")


def _declare(lib):
    for name, (restype, argtypes) in FUNCTIONS.items():
        f = getattr(lib, name)
        f.restype = restype
        f.argtypes = argtypes


lib = load_library()


def _untyped(name):
    """`name` with every pointer parameter taken as c_void_p: the hot predict calls pass raw
    array addresses, skipping ctypes' per-call pointer objects (microseconds per call at
    batch 1). tests/test_header.py checks these against FUNCTIONS."""
    restype, argtypes = FUNCTIONS[name]
    untyped = [c_void_p if hasattr(a, "_type_") and not isinstance(a._type_, str) or a is c_char_p else a for a in argtypes]
    proto = CFUNCTYPE(restype, *untyped)  # CFUNCTYPE calls release the GIL, like CDLL's
    return proto(ctypes.cast(getattr(lib, name), c_void_p).value)


predict_u8 = _untyped("lenet_model_predict")
predict_f32 = _untyped("lenet_model_predict_f32")


def check(status):
    """Raises the exception for a non-zero status, with this thread's C message."""
    if status != 0:
        message = lib.lenet_last_error().decode("utf-8", "replace")
        raise BY_STATUS.get(status, LeNetError)(message, status)
