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


def test_eval_on_an_empty_test_set_is_an_error(cli, model_path, tmp_path):
    import gzip
    import struct
    with gzip.open(tmp_path / "t10k-images-idx3-ubyte.gz", "wb") as f:
        f.write(struct.pack(">IIII", 0x803, 0, 28, 28))
    with gzip.open(tmp_path / "t10k-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">II", 0x801, 0))
    for extra in ([], ["--json"]):
        r = subprocess.run([cli, "eval", model_path, "--data", str(tmp_path), *extra], capture_output=True, text=True)
        assert r.returncode != 0 and "no images" in r.stderr, (r.stdout, r.stderr)
        assert "nan" not in r.stdout.lower()


def test_inspect_escapes_control_characters_from_the_file(cli, tmp_path):
    import struct
    import numpy as np
    shapes = {"conv1.weight": [6, 1, 5, 5], "conv1.bias": [6], "conv2.weight": [16, 6, 5, 5], "conv2.bias": [16],
              "fc1.weight": [120, 400], "fc1.bias": [120], "fc2.weight": [84, 120], "fc2.bias": [84],
              "fc3.weight": [10, 84], "fc3.bias": [10]}
    header, offset = {"__metadata__": {"note\x1b[2J": "\x1b]0;owned\x07title"}}, 0
    for name, shape in shapes.items():
        n = 4
        for d in shape:
            n *= d
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    h = json.dumps(header).encode()
    path = tmp_path / "escapes.safetensors"
    # Weights of PyTorch's initialisation size: a model of zeros would give one answer for
    # every picture, which the loader refuses.
    weights = np.random.default_rng(0).uniform(-0.2, 0.2, offset // 4).astype("<f4").tobytes()
    path.write_bytes(struct.pack("<Q", len(h)) + h + weights)
    out = _run(cli, "inspect", str(path))
    assert "\x1b" not in out and "\x07" not in out
    assert "\\u{1b}]0;owned\\u{7}title" in out


def test_predict_raw_pixels_reads_like_the_png(cli, model_path, tmp_path, test_digits):
    import numpy as np
    from PIL import Image
    page = 255 - np.kron(test_digits[0][3], np.ones((3, 3), np.uint8))
    Image.fromarray(page).save(tmp_path / "d.png")
    rgba = np.zeros(page.shape + (4,), np.uint8)
    rgba[..., 3] = 255 - page  # black ink on a transparent canvas
    (tmp_path / "d.rgba").write_bytes(rgba.tobytes())
    (tmp_path / "d.gray16").write_bytes((page.astype(np.uint16) * 257).tobytes())
    png = json.loads(_run(cli, "predict", "--json", model_path, str(tmp_path / "d.png")))
    for geometry, name in [("84x84:rgba8", "d.rgba"), ("84x84:GRAY16", "d.gray16")]:
        got = json.loads(_run(cli, "predict", "--json", "--raw", geometry, model_path, str(tmp_path / name)))
        assert got["probabilities"] == png["probabilities"], geometry
    piped = subprocess.run([cli, "predict", "--json", "--raw", "84x84:rgba8", model_path, "-"], input=rgba.tobytes(),
                           capture_output=True)
    assert piped.returncode == 0 and json.loads(piped.stdout)["probabilities"] == png["probabilities"]
    # A geometry that does not match the file's size is an error, not a misread picture.
    wrong = subprocess.run([cli, "predict", "--raw", "84x83:rgba8", model_path, str(tmp_path / "d.rgba")],
                           capture_output=True, text=True)
    assert wrong.returncode == 1 and "28224 bytes, but a 84x83 RGBA8 image is 27888 bytes" in wrong.stderr
    for bad in ["84", "84x84:rgb9", "0x84", "84x84:rgba8:x"]:
        r = subprocess.run([cli, "predict", "--raw", bad, model_path, str(tmp_path / "d.rgba")], capture_output=True, text=True)
        assert r.returncode == 64 and "--raw" in r.stderr, bad


def test_read_prints_the_number_and_draws_the_boxes(cli, model_path, tmp_path, test_digits):
    import numpy as np
    from PIL import Image
    images = test_digits[0]
    page = np.full((96, 20 + 3 * 72), 255, np.uint8)
    for k in range(3):
        page[20:76, 20 + 72 * k:76 + 72 * k] = 255 - np.kron(images[k], np.ones((2, 2), np.uint8))
    Image.fromarray(page).save(tmp_path / "n.png")
    out = json.loads(_run(cli, "read", "--json", model_path, str(tmp_path / "n.png"), "--boxes", str(tmp_path / "boxes.png")))
    assert out["file"] == str(tmp_path / "n.png") and len(out["numbers"]) == 1
    number = out["numbers"][0]
    assert len(number["number"]) == 3 and [d["digit"] for d in number["digits"]] == [int(c) for c in number["number"]]
    assert [d["box"][0] // 72 for d in number["digits"]] == [0, 1, 2]
    boxes = np.asarray(Image.open(tmp_path / "boxes.png"))
    assert boxes.shape == page.shape + (3,)
    x, y, w, h = number["digits"][0]["box"]
    assert tuple(boxes[y + h // 2, x]) == (220, 30, 30), "the box's left edge is drawn in red"
    x, y, w, h = number["box"]
    assert x <= number["digits"][0]["box"][0] and x + w >= number["digits"][2]["box"][0] + number["digits"][2]["box"][2]
    assert tuple(boxes[y + h // 2, x - 3]) == (30, 60, 220), "the number's box, just outside its digits', is drawn in blue"
    text = _run(cli, "read", model_path, str(tmp_path / "n.png"))
    assert text == f"{tmp_path / 'n.png'}: {number['number']}  (" + text.split("  (", 1)[1] and text.count("\n") == 1
    # Two rows of numbers: one line and one JSON entry a number, top row first.
    form = np.full((96 + 110, 20 + 3 * 72), 255, np.uint8)
    form[:96] = page
    form[130:186, 40:96] = page[20:76, 20:76]
    form[130:186, 112:168] = page[20:76, 92:148]
    Image.fromarray(form).save(tmp_path / "form.png")
    out = json.loads(_run(cli, "read", "--json", model_path, str(tmp_path / "form.png")))
    assert [n["number"] for n in out["numbers"]] == [number["number"], number["number"][:2]]
    lines = _run(cli, "read", model_path, str(tmp_path / "form.png")).splitlines()
    assert [line.split(": ")[1].split("  (")[0] for line in lines] == [number["number"], number["number"][:2]]
    r = subprocess.run([cli, "read", model_path, str(tmp_path / "n.png"), str(tmp_path / "n.png"), "--boxes", "x.png"],
                       capture_output=True, text=True)
    assert r.returncode == 64 and "--boxes takes one input file" in r.stderr
