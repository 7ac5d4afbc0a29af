"""The drawing page in a real browser: headless Chromium (Debian's chromium and its matching
chromium-driver) driven by Selenium through W3C WebDriver actions, which the browser turns
into real pointer events (mouse, pen and touch), so the page's own event handlers draw.

Each digit, and a number, is drawn as strokes on the 840x280 canvas; the test waits until the
page has answered the final drawing, then checks the number shown is the one drawn and equals
what the library reads from the same canvas pixels (fetched from the page), that each digit
the model saw is shown, and that the bars show the selected digit's probabilities.
Screenshots go to $LENET_ARTIFACTS (default build/test/artifacts).
"""
import base64
import io
import math
import os
import threading

import numpy as np
import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import lenet
from lenet.draw import make_server

WIDTH = 840
CELL = 280


def _ellipse(cx, cy, rx, ry, n=28):
    return [(cx + rx * math.sin(2 * math.pi * k / n), cy - ry * math.cos(2 * math.pi * k / n)) for k in range(n + 1)]


# Strokes in canvas pixels, drawn as people draw these digits.
DIGITS = {
    1: [[(150, 40), (140, 240)]],
    7: [[(70, 50), (210, 50), (115, 245)]],
    0: [_ellipse(140, 140, 62, 95)],
    4: [[(165, 40), (70, 175), (215, 175)], [(170, 100), (170, 250)]],
    2: [[(80, 90), (100, 55), (140, 42), (180, 55), (195, 90), (180, 130), (80, 240), (215, 240)]],
}
POINTERS = {1: interaction.POINTER_MOUSE, 7: interaction.POINTER_PEN, 0: interaction.POINTER_MOUSE,
            4: interaction.POINTER_TOUCH, 2: interaction.POINTER_PEN}


@pytest.fixture(scope="module")
def model():
    path = os.environ.get("LENET_DEFAULT_MODEL") or os.environ["LENET_TEST_MODEL"]
    with lenet.Model.load(path) as m:
        yield m


@pytest.fixture(scope="module")
def page_url(model):
    server = make_server(model, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("LENET_CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,760",
                 "--force-device-scale-factor=1"):
        options.add_argument(flag)
    # The Debian driver matches the Debian browser; naming it keeps Selenium Manager from
    # looking for one on the network.
    driver = webdriver.Chrome(service=Service(os.environ.get("LENET_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def artifacts():
    folder = os.environ.get("LENET_ARTIFACTS", "build/test/artifacts")
    os.makedirs(folder, exist_ok=True)
    return folder


def _draw(driver, pad, strokes, kind, cell=1):
    """Draws the strokes with one pointer of `kind`; coordinates are pixels of a 280x280
    cell, the `cell`-th of the canvas's three (the middle one by default)."""
    builder = ActionBuilder(driver, mouse=PointerInput(kind, kind), duration=15)
    pointer = builder.pointer_action
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width];", pad)
    scale = rect[2] / WIDTH

    def at(x, y):
        return int(rect[0] + (x + cell * CELL) * scale), int(rect[1] + y * scale)

    for stroke in strokes:
        pointer.move_to_location(*at(*stroke[0]))
        pointer.pointer_down()
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
            steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / 12))
            for s in range(1, steps + 1):
                t = s / steps
                pointer.move_to_location(*at(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
        pointer.pointer_up()
    builder.perform()


def _settled(driver):
    """Waits until the answer shown is the answer to the drawing as it stands."""
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "const b = document.body.dataset; return Number(b.drawn) > 0 && b.drawn === b.answered;"))


def _canvas_pixels(driver):
    url = driver.execute_script("return document.getElementById('pad').toDataURL('image/png');")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA"))


def _shown(driver):
    label = driver.find_element(By.ID, "label").get_attribute("data-label")
    bars = driver.execute_script(
        "return [...document.querySelectorAll('.bar')].map(b => Number(b.dataset.probability || 0));")
    return label, bars


def _seen(driver):
    """The 28x28 digits the page shows, grey levels, in order."""
    seen = driver.execute_script(
        "return [...document.querySelectorAll('#seen canvas')].map(c => Array.from(c.getContext('2d').getImageData(0,0,28,28).data));")
    return [np.array(s, dtype=np.uint8).reshape(28, 28, 4)[:, :, 0] for s in seen]


def _check_bars(driver, bars, probabilities):
    assert np.allclose(bars, probabilities, atol=1e-6) and abs(sum(bars) - 1) < 1e-4
    # The bars are drawn to scale: each fill's rendered width is its share of the track.
    widths = driver.execute_script(
        "return [...document.querySelectorAll('.bar')].map(b => [b.querySelector('.fill').getBoundingClientRect().width,"
        " b.querySelector('.track').getBoundingClientRect().width]);")
    for (fill, track), p in zip(widths, bars):
        assert abs(fill - track * p) <= 1.5, (fill, track, p)


@pytest.mark.parametrize("digit", list(DIGITS))
def test_a_drawn_digit_is_read_as_drawn(browser, page_url, model, artifacts, digit):
    browser.get(page_url)
    pad = browser.find_element(By.ID, "pad")
    _draw(browser, pad, DIGITS[digit], POINTERS[digit])
    _settled(browser)
    label, bars = _shown(browser)
    pixels = _canvas_pixels(browser)
    assert pixels.shape == (CELL, WIDTH, 4)
    expected = model.read_numbers(pixels)
    assert label == " ".join(expected), "the page shows what the library reads from the same pixels"
    assert label == str(digit), f"drew a {digit}, the model read {label} ({bars})"
    _check_bars(browser, bars, expected[0].digits[0]["probabilities"])
    assert max(range(10), key=lambda d: bars[d]) == digit
    # The 28x28 the model saw is on the page.
    (seen,) = _seen(browser)
    assert np.array_equal(seen, expected[0].digits[0]["seen"]) and seen.max() > 128
    browser.save_screenshot(os.path.join(artifacts, f"draw-page-{digit}.png"))


def test_a_written_number_is_read_whole(browser, page_url, model, artifacts):
    """7, 0 and 4 written in the canvas's three cells, with a mouse, a pen and a finger."""
    browser.get(page_url)
    pad = browser.find_element(By.ID, "pad")
    for cell, digit in enumerate([7, 0, 4]):
        _draw(browser, pad, DIGITS[digit], POINTERS[digit], cell=cell)
    _settled(browser)
    browser.save_screenshot(os.path.join(artifacts, "draw-page-number.png"))
    label, bars = _shown(browser)
    pixels = _canvas_pixels(browser)
    expected = model.read_numbers(pixels)
    assert label == " ".join(expected) == "704"
    digits = expected[0].digits
    seen = _seen(browser)
    assert len(seen) == 3 and all(np.array_equal(s, d["seen"]) for s, d in zip(seen, digits))
    # The bars start on the least sure digit; picking another digit shows its own.
    least = min(range(3), key=lambda i: digits[i]["probability"])
    assert browser.execute_script("return Number(document.body.dataset.selected);") == least
    _check_bars(browser, bars, digits[least]["probabilities"])
    other = (least + 1) % 3
    browser.find_elements(By.CSS_SELECTOR, "#seen canvas")[other].click()
    _check_bars(browser, _shown(browser)[1], digits[other]["probabilities"])
    # The boxes are drawn over the drawing, not into it: the canvas sent holds only ink and paper.
    overlay = browser.execute_script(
        "const b = document.getElementById('boxes').getContext('2d').getImageData(0,0,840,280).data;"
        " let n = 0; for (let i = 3; i < b.length; i += 4) if (b[i] > 0) n++; return n;")
    assert overlay > 0 and np.array_equal(pixels[:, :, 0], pixels[:, :, 2]), "no red or blue in the canvas sent"


def test_the_answer_follows_the_strokes_and_clear_resets_it(browser, page_url):
    browser.get(page_url)
    pad = browser.find_element(By.ID, "pad")
    _draw(browser, pad, [[(70, 50), (210, 50)]], interaction.POINTER_MOUSE)  # the bar of a 7 alone
    _settled(browser)
    first = _shown(browser)[0]
    assert first != "", "a stroke gets an answer before the digit is finished"
    _draw(browser, pad, [[(210, 50), (115, 245)]], interaction.POINTER_MOUSE)
    _settled(browser)
    assert _shown(browser)[0] == "7"
    assert browser.execute_script("return Number(document.body.dataset.drawn);") > 2
    browser.find_element(By.ID, "clear").click()
    _settled(browser)
    label, bars = _shown(browser)
    assert label == "" and browser.find_element(By.ID, "label").text == "?"
    assert all(b == 0 for b in bars) or browser.execute_script(
        "return [...document.querySelectorAll('.bar .fill')].every(f => f.style.width === '0px' || f.style.width === '0');")


@pytest.fixture(scope="module")
def collecting_url(model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("collected")
    server = make_server(model, port=0, collect=str(folder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    server.shutdown()
    server.server_close()


def test_it_was_a_digit_keeps_the_canvas(browser, collecting_url, page_url, artifacts):
    """With --collect, "it was a 7" saves the canvas and its label where `lenet train
    --images` reads them, and the page shows the samples a digit; without, no such buttons."""
    url, folder = collecting_url
    browser.get(url)
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "collect").is_displayed())
    pad = browser.find_element(By.ID, "pad")
    _draw(browser, pad, DIGITS[7], POINTERS[7])
    _settled(browser)
    browser.find_element(By.CSS_SELECTOR, "#labels button[data-digit='7']").click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return document.body.dataset.saved;") == "1")
    pixels = _canvas_pixels(browser)
    assert (folder / "labels.csv").read_text() == "file,label\n00000.png,7\n"
    assert np.array_equal(np.asarray(Image.open(folder / "00000.png")), pixels)
    counts = browser.find_element(By.ID, "counts")
    assert counts.get_attribute("data-counts") == "0,0,0,0,0,0,0,1,0,0" and "00000.png" in counts.text
    browser.save_screenshot(os.path.join(artifacts, "draw-page-collect.png"))
    browser.get(page_url)
    _draw(browser, browser.find_element(By.ID, "pad"), DIGITS[1], POINTERS[1])
    _settled(browser)
    assert not browser.find_element(By.ID, "collect").is_displayed()
