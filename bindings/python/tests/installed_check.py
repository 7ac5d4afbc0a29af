"""Run by `make test-python-install` with an installed package's Python, from outside the
repository and with LENET_LIBRARY unset: the package must find the library it carries.

    python installed_check.py MODEL.lenet DIGIT.png
"""
import os
import sys
from importlib import metadata

import lenet

model_path, png = sys.argv[1], sys.argv[2]
package_dir = os.path.dirname(os.path.abspath(lenet.__file__))
assert "LENET_LIBRARY" not in os.environ
assert os.getcwd() != os.path.dirname(os.path.dirname(os.path.dirname(package_dir))), "run from outside the repository"
assert package_dir.startswith(sys.prefix), f"lenet imported from {package_dir}, not the venv {sys.prefix}"
assert os.path.dirname(lenet.library_path) == package_dir, f"library {lenet.library_path} is not the package's own"
assert os.path.exists(os.path.join(package_dir, "py.typed"))
# The version is written once, in the library: the package's metadata took it from the header.
assert metadata.version("lenet") == lenet.__version__, (metadata.version("lenet"), lenet.__version__)
with lenet.Model.load(model_path) as model:
    label, probabilities = model.predict_png(png)
    assert label == 7 and probabilities[7] > 0.5, (label, probabilities)
print(f"lenet {lenet.__version__} from {package_dir}: {png} is a {label}")
