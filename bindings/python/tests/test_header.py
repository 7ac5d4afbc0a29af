"""The ctypes declarations in lenet/_lib.py against include/lenet.h: same functions, and
parameter and return types that agree, so the two cannot drift."""
import ctypes
import os
import re

from lenet import _lib

HEADER = os.path.join(os.path.dirname(__file__), "..", "..", "..", "include", "lenet.h")

SCALARS = {
    "int32_t": ctypes.c_int32, "uint32_t": ctypes.c_uint32, "int64_t": ctypes.c_int64, "uint64_t": ctypes.c_uint64,
    "size_t": ctypes.c_size_t, "float": ctypes.c_float, "double": ctypes.c_double, "uint8_t": ctypes.c_uint8,
    "char": ctypes.c_char, "lenet_status": _lib.c_status, "lenet_output": _lib.c_enum,
    "lenet_pixel_format": _lib.c_enum, "lenet_model_format": _lib.c_enum,
    "lenet_train_params": _lib.TrainParams, "lenet_model_info": _lib.ModelInfo, "lenet_read_digit": _lib.ReadDigit, "lenet_read_number": _lib.ReadNumber,
}
HANDLES = {"lenet_model", "lenet_dataset", "void"}


def declarations():
    text = open(HEADER).read()
    out = {}
    for m in re.finditer(r"^([a-z_0-9 ]+?[ *]+)(lenet_[a-z0-9_]+)\(([^)]*)\);", text, re.M):
        params = [] if m.group(3).strip() == "void" else [p.strip() for p in m.group(3).split(",")]
        out[m.group(2)] = (m.group(1).strip(), params)
    return out


def expected_ctype(decl):
    """The ctypes type a C declaration (without the name) should map to."""
    t = decl.replace("const ", "").strip()
    stars = t.count("*")
    base = t.replace("*", "").strip()
    if stars == 0:
        return SCALARS[base]
    if base in HANDLES and stars == 1:
        return ctypes.c_void_p
    if base in HANDLES and stars == 2:
        return ctypes.POINTER(ctypes.c_void_p)
    if base == "char" and stars == 1 and decl.startswith("const"):
        return ctypes.c_char_p
    if base == "char" and stars == 2:  # an array of strings
        return ctypes.POINTER(ctypes.c_char_p)
    return ctypes.POINTER(SCALARS[base])


def test_every_function_is_declared_with_matching_types():
    decls = declarations()
    assert set(decls) == set(_lib.FUNCTIONS), "header and bindings list different functions"
    for name, (ret, params) in decls.items():
        restype, argtypes = _lib.FUNCTIONS[name]
        assert len(params) == len(argtypes), name
        if ret == "void":
            assert restype is None, name
        else:
            assert restype == expected_ctype(ret), f"{name} returns {ret}"
        for p, a in zip(params, argtypes):
            decl = re.sub(r"\s*\b[a-z_0-9]+$", "", p) if not p.endswith("*") else p
            assert a == expected_ctype(decl), f"{name}: parameter '{p}' is declared {a}"


def test_untyped_fast_paths_match_the_declarations():
    import ctypes
    for name, fast in (("lenet_model_predict", _lib.predict_u8), ("lenet_model_predict_f32", _lib.predict_f32)):
        restype, argtypes = _lib.FUNCTIONS[name]
        assert fast.restype == restype
        assert len(fast.argtypes) == len(argtypes)
        for f, a in zip(fast.argtypes, argtypes):
            pointer = hasattr(a, "_type_") and not isinstance(a._type_, str)
            assert f == (ctypes.c_void_p if pointer else a), name


def test_every_status_has_its_exception_and_the_library_name():
    """_status.py is generated from the header's enum; each nonzero code must raise its
    own class, and lenet_status_string must give the phrase the header's comment holds."""
    from lenet import _errors, _status
    enum = dict(re.findall(r"^\s+(LENET_(?:OK|ERR_[A-Z_]+)) = (\d+)", open(HEADER).read(), re.M))
    assert {name: int(code) for name, code in enum.items()} == {name: code for code, name, _ in _status.STATUSES}
    lib = _lib.lib
    for code, name, phrase in _status.STATUSES:
        assert lib.lenet_status_string(code).decode() == phrase
        if code:
            cls = _errors.BY_STATUS[code]
            assert cls.status_name == name and issubclass(cls, _errors.LeNetError)
    assert len(set(_errors.BY_STATUS.values())) == len(_status.STATUSES) - 1
