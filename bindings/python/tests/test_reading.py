"""Digits as people present them: the evaluation sets of benchmarks/digits (generated here,
small) read through the library's PNG path by a model trained with the defaults. The
benchmark runs the same at 1,000 digits a kind (see benchmarks/README.md)."""
import os
import subprocess
import sys

import pytest

import lenet

PER_KIND = 100


@pytest.fixture(scope="module")
def sets(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("sets")
    subprocess.run([sys.executable, os.path.join(root, "benchmarks", "digits", "make_sets.py"), str(out),
                    "--per-kind", str(PER_KIND), "--seed", "7"], check=True)
    return out


@pytest.fixture(scope="module")
def default_model(root, cli):
    # Trained by `make test-python` with the CLI's defaults (10 epochs), else here.
    path = os.environ.get("LENET_DEFAULT_MODEL")
    if not path or not os.path.exists(path):
        pytest.fail("LENET_DEFAULT_MODEL must name a model trained with `lenet train`'s defaults (make test-python does)")
    return path


def test_every_kind_of_presentation_is_read(sets, default_model, root):
    sys.path.insert(0, os.path.join(root, "benchmarks", "digits"))
    import evaluate
    model = lenet.Model.load(default_model)
    kinds = sorted(os.listdir(sets))
    assert len(kinds) == 17
    scores = {}
    for kind in kinds:
        paths, truth = evaluate.load_set(os.path.join(sets, kind))
        assert len(paths) == PER_KIND
        scores[kind] = float((evaluate.lenet_labels(model, paths) == truth).mean())
    print("\n".join(f"{k}: {v:.0%}" for k, v in scores.items()))
    low = {k: v for k, v in scores.items() if v < 0.85}
    assert not low, f"kinds read below 85%: {low}"
    assert sum(scores.values()) / len(scores) >= 0.95, scores
