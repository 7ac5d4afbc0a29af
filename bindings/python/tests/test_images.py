"""Pictures already decoded (PIL images, numpy arrays) get the PNG path's preprocessing:
the same picture gives the same 28x28 bytes and label whichever way it arrives."""
import io
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import lenet


@pytest.fixture(scope="module")
def model(model_path):
    with lenet.Model.load(model_path) as m:
        yield m


def scan(digit, scale=3):
    """An MNIST digit as a scan: dark ink on white paper, `scale` times the size."""
    return 255 - np.kron(digit, np.ones((scale, scale), np.uint8))


def png_bytes(img):
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def forms(page):
    """The same picture in every form a program holds one in."""
    rgb = np.repeat(page[..., None], 3, axis=2)
    rgba = np.concatenate([np.zeros_like(rgb), (255 - page)[..., None]], axis=2)  # black ink, opacity = ink
    padded = np.full((page.shape[0], page.shape[1] + 9), 77, np.uint8)
    padded[:, :page.shape[1]] = page
    pil = Image.fromarray(page)
    palette = Image.frombytes("P", pil.size, page.tobytes())
    palette.putpalette([v for v in range(256) for _ in range(3)])  # index i is grey i
    return {
        "PIL L": pil,
        "PIL RGB": pil.convert("RGB"),
        "PIL RGBA": pil.convert("RGBA"),
        "PIL LA": pil.convert("LA"),
        "PIL P": palette,
        "PIL I;16": Image.fromarray(page.astype(np.uint16) * 257),
        "gray8": page,
        "gray8 (H, W, 1)": page[..., None],
        "gray8 padded rows": padded[:, :page.shape[1]],
        "gray16": page.astype(np.uint16) * 257,
        "rgb8": rgb,
        "rgba8 transparent canvas": rgba,
        "bgra8 (bgr=True)": rgba[..., [2, 1, 0, 3]],
        "float [0, 1]": page / 255.0,
        "PNG bytes": png_bytes(pil),
        "PNG bytes RGBA": png_bytes(Image.fromarray(rgba, "RGBA")),
    }


def test_every_form_gives_the_same_digit_and_label(model, test_digits):
    images, truth = test_digits
    right = 0
    for i in range(12):
        page = scan(images[i])
        expected = lenet.preprocess_image(page)
        label, probs = model.predict_image(page)
        right += label == truth[i]
        for name, form in forms(page).items():
            bgr = name.endswith("(bgr=True)")
            got = lenet.preprocess_png(form) if isinstance(form, bytes) else lenet.preprocess_image(form, bgr=bgr)
            assert np.array_equal(got, expected), f"digit {i}, {name}: {np.sum(got != expected)} pixels differ"
            if not isinstance(form, bytes):
                assert model.predict_image(form, bgr=bgr)[0] == label, f"digit {i}, {name}"
    assert right >= 11


def test_a_png_file_and_its_pil_image_agree(root):
    for name in ["digit-7-mnist-gray8.png", "digit-2-paper-rgb8.png", "digit-0-canvas-rgba8.png", "digit-4-page-palette4.png"]:
        path = os.path.join(root, "samples", name)
        assert np.array_equal(lenet.preprocess_png(path), lenet.preprocess_image(Image.open(path))), name


def test_predict_images_batches_mixed_sources(model, test_digits, root, tmp_path):
    images = test_digits[0]
    pages = [scan(images[i]) for i in range(6)]
    path = tmp_path / "d5.png"
    Image.fromarray(pages[5]).save(path)
    mixed = [pages[0], Image.fromarray(pages[1]), png_bytes(Image.fromarray(pages[2])), pages[3][..., None],
             Image.fromarray(pages[4]).convert("RGB"), str(path)]
    labels, probs = model.predict_images(mixed)
    assert probs.shape == (6, 10)
    assert labels.tolist() == [model.predict_image(p)[0] for p in pages]
    assert np.array_equal(lenet.preprocess_images(mixed), np.stack([lenet.preprocess_image(p) for p in pages]))


def test_bad_pictures_raise(model):
    page = scan(np.pad(np.eye(20, dtype=np.uint8) * 255, 4))
    for bad, message in [
        (page / 255.0 * 2, r"\[0, 1\]"),
        (page.astype(np.int32), "uint8, uint16 or float"),
        (np.zeros((10, 10, 5), np.uint8), "shape"),
        (np.zeros((0, 10), np.uint8), "nothing to read"),
        (np.zeros((10, 10, 3), np.uint16), "16-bit colour"),
        (np.full((10, 10), np.nan), "NaN"),
        (12, "PIL image or a numpy array"),
    ]:
        with pytest.raises(ValueError, match=message):
            lenet.preprocess_image(bad)
    with pytest.raises(lenet.NoInkError):
        model.predict_image(np.full((40, 30), 200, np.uint8))
    with pytest.raises(lenet.ImageTooLargeError):
        lenet.set_image_limits(20, 20, 0)
        try:
            lenet.preprocess_image(page)
        finally:
            lenet.set_image_limits()
    with pytest.raises(ValueError, match="bgr"):
        lenet.preprocess_image(Image.fromarray(page), bgr=True)


def test_pillow_is_not_imported(root):
    code = ("import sys, numpy as np, lenet; page = np.full((40, 40), 255, np.uint8); page[8:32, 18:22] = 0;"
            " assert lenet.preprocess_image(page).max() > 0; assert 'PIL' not in sys.modules, 'PIL imported'")
    subprocess.run([sys.executable, "-c", code], check=True,
                   env=dict(os.environ, PYTHONPATH=os.path.join(root, "bindings", "python")))


def test_png_paths_in_a_batch_are_read_on_every_core_as_one_at_a_time(model, root, tmp_path):
    """predict_images reads the PNG paths among its pictures in one call on the library's
    threads: the same digits and answers as one at a time, in order, on 1 and 2 threads."""
    suite = os.path.join(root, "Tests", "Fixtures", "pngsuite", "png")
    paths = [os.path.join(suite, n) for n in sorted(os.listdir(suite)) if not n.startswith("x")][:60]
    paths += [os.path.join(root, "samples", n) for n in sorted(os.listdir(os.path.join(root, "samples"))) if n.endswith(".png")]
    readable = []
    for p in paths:
        try:
            readable.append((p, lenet.preprocess_png(p)))
        except lenet.NoInkError:
            pass
    names = [p for p, _ in readable]
    alone = np.stack([d for _, d in readable])
    mixed = [Image.open(names[0]), *names[1:]]  # a PIL image among the paths keeps its place
    try:
        for threads in (1, 2):
            lenet.set_num_threads(threads)
            assert np.array_equal(lenet.preprocess_images(names), alone)
            assert np.array_equal(lenet.preprocess_images(mixed)[1:], alone[1:])
            labels, p = model.predict_images(names)
            assert np.array_equal(labels, model.predict(alone)[0]) and np.array_equal(p, model.predict(alone)[1])
    finally:
        lenet.set_num_threads(0)
    with pytest.raises(lenet.NotPNGError) as e:
        lenet.preprocess_images([names[0], os.path.join(root, "README.md"), names[1]])
    assert "README.md" in str(e.value)
