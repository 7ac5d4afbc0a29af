"""Puts liblenet.so inside the package, so `import lenet` works from any directory after
`pip install ./bindings/python`, and tags the wheel for this platform (it holds native
code, so it is not a pure-Python wheel). The metadata is in pyproject.toml.

The library comes from LENET_LIBRARY when set, else from the checkout's build/lib, built
with `make lib` first when it is missing."""
import os
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1 keeps it in the wheel package
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def find_library():
    explicit = os.environ.get("LENET_LIBRARY")
    if explicit:
        if not os.path.isfile(explicit):
            raise SystemExit(f"LENET_LIBRARY={explicit} is not a file")
        return explicit
    built = os.path.join(ROOT, "build", "lib", "liblenet.so")
    if not os.path.exists(built):
        if not os.path.exists(os.path.join(ROOT, "Package.swift")):
            raise SystemExit("liblenet.so not found: build it with `make lib` in the lenet repository, "
                             "or set LENET_LIBRARY to its path")
        subprocess.run(["make", "-C", ROOT, "lib"], check=True)
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


class PlatformWheel(bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        # Any Python 3 (ctypes, no extension module), this platform only.
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(distclass=NativeDistribution, cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel})
