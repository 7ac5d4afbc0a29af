"""Puts liblenet.so inside the package, so `import lenet` works from any directory after
`pip install ./bindings/python`, and tags the wheel for this platform (it holds native
code, so it is not a pure-Python wheel). The metadata is in pyproject.toml; the version is
the library's own, read from its header (include/lenet.h), so it is written in one place.

The library comes from LENET_LIBRARY when set, else it is built with `make lib` (Swift 6
and the Debian packages the Makefile names): in the checkout this folder belongs to, or
from the sources an sdist carries under native/ (`make sdist`)."""
import os
import re
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1 keeps it in the wheel package
    try:
        from wheel.bdist_wheel import bdist_wheel
    except ImportError:  # neither: this setuptools builds no wheels, but can write the sdist
        bdist_wheel = None

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def sources():
    """The lenet sources: native/ in an sdist, else the checkout around this folder (None: neither)."""
    for root in (os.path.join(HERE, "native"), ROOT):
        if os.path.exists(os.path.join(root, "Package.swift")):
            return root
    return None


def version():
    """LENET_VERSION_MAJOR.MINOR.PATCH of the header, or of the library LENET_LIBRARY names."""
    root = sources()
    if root:
        with open(os.path.join(root, "include", "lenet.h")) as f:
            header = f.read()
        return ".".join(re.search(rf"#define LENET_VERSION_{part} (\d+)", header).group(1) for part in ("MAJOR", "MINOR", "PATCH"))
    import ctypes
    lib = ctypes.CDLL(find_library())
    lib.lenet_version_string.restype = ctypes.c_char_p
    return lib.lenet_version_string().decode()


def find_library():
    explicit = os.environ.get("LENET_LIBRARY")
    if explicit:
        if not os.path.isfile(explicit):
            raise SystemExit(f"LENET_LIBRARY={explicit} is not a file")
        return explicit
    root = sources()
    if root is None:
        raise SystemExit("liblenet.so not found: build it with `make lib` in the lenet repository, "
                         "or set LENET_LIBRARY to its path")
    built = os.path.join(root, "build", "lib", "liblenet.so")
    if not os.path.exists(built):
        if shutil.which(os.environ.get("SWIFT", "swift")) is None:
            raise SystemExit("building liblenet.so needs Swift 6 on the PATH (https://swift.org/install); "
                             "or install the manylinux wheel, which carries the library")
        subprocess.run(["make", "-C", root, "lib"], check=True)
    return built


class BuildWithLibrary(build_py):
    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "lenet", "liblenet.so")
        # A copy of the file, not the symlink chain: the package must stand alone.
        shutil.copyfile(os.path.realpath(find_library()), target)
        os.chmod(target, 0o755)
        # Without its symbol tables and debug information, as `make install` installs it:
        # half the size, the same code.
        if shutil.which("strip"):
            subprocess.run(["strip", "--strip-unneeded", target], check=True)


class NativeDistribution(Distribution):
    """A distribution with native code: its files go to platlib (the wheel's root, not a
    .data/purelib folder), where auditwheel looks for the libraries it checks and repairs."""

    def has_ext_modules(self):
        return True


commands = {"build_py": BuildWithLibrary}
if bdist_wheel is not None:
    class PlatformWheel(bdist_wheel):
        def finalize_options(self):
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):
            # Any Python 3 (ctypes, no extension module), this platform only.
            _, _, platform = super().get_tag()
            return "py3", "none", platform

    commands["bdist_wheel"] = PlatformWheel


setup(version=version(), distclass=NativeDistribution, cmdclass=commands)
