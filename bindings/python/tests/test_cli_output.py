"""The CLI's machine-readable output: JSON that parses, pictures inside it rather than
between its lines, and a version report."""
import json
import os
import subprocess


def _run(cli, *args):
    r = subprocess.run([cli, *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_predict_json_with_show_is_json_lines(cli, root, model_path):
    samples = sorted(os.path.join(root, "samples", f) for f in os.listdir(os.path.join(root, "samples")) if f.endswith(".png"))
    out = _run(cli, "predict", "--json", "--show", model_path, *samples)
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["file"] for o in objects] == samples
    for o in objects:
        picture = o["digit28x28"]
        assert len(picture) == 28 and all(len(row) == 28 and all(0 <= v <= 255 for v in row) for row in picture)
        assert abs(sum(o["probabilities"]) - 1) < 1e-4 and o["digit"] == o["top3"][0]["digit"]


def test_inspect_json_describes_the_file(cli, model_path):
    info = json.loads(_run(cli, "inspect", "--json", model_path))
    assert info["format"] == "lenet" and info["dtype"] == "f32" and info["parameters"] == 61706
    assert info["metadata"]["lenet.architecture"] == "lenet5-relu-maxpool"
    assert sum(t["bytes"] for t in info["tensors"] if not t["name"].startswith(("optimizer.", "rng."))) == 61706 * 4


def test_version_names_the_kernel_levels(cli):
    lines = _run(cli, "--version").splitlines()
    assert lines[0].startswith("lenet ") and lines[1].startswith("kernel levels: generic")
