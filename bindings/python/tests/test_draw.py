"""The drawing page's server without a browser (test-browser drives the page itself): it
serves the page, reads a canvas's RGBA pixels as the library reads them, and refuses
requests that do not describe their pixels."""
import json
import os
import threading
import urllib.error
import urllib.request

import numpy as np
import pytest
from PIL import Image

import lenet
import lenet.collect
from lenet.draw import answer, make_server


@pytest.fixture(scope="module")
def model(model_path):
    with lenet.Model.load(model_path) as m:
        yield m


@pytest.fixture(scope="module")
def url(model):
    server = make_server(model, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def canvas(root, name="digit-0-canvas-rgba8.png", side=280):
    """A sample digit as a page canvas holds it: RGBA, side x side."""
    img = Image.open(f"{root}/samples/{name}").convert("RGBA").resize((side, side))
    return np.asarray(img)


def post(url, body, w, h):
    request = urllib.request.Request(f"{url}/predict?w={w}&h={h}", data=body, method="POST")
    with urllib.request.urlopen(request) as r:
        return json.loads(r.read())


def test_the_page_is_served(url):
    with urllib.request.urlopen(url + "/") as r:
        page = r.read().decode()
    assert r.headers["Content-Type"].startswith("text/html")
    assert '<canvas id="pad"' in page and 'id="clear"' in page and "/predict?w=" in page
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url + "/elsewhere")
    assert e.value.code == 404


@pytest.mark.parametrize("name", ["digit-0-canvas-rgba8.png", "digit-7-mnist-gray8.png", "digit-2-paper-rgb8.png"])
def test_a_canvas_gets_the_librarys_answer(url, model, root, name):
    pixels = canvas(root, name)
    got = post(url, pixels.tobytes(), 280, 280)
    expected = model.read_numbers(pixels)
    assert got["number"] == str(expected[0]) and len(expected) == 1 and name.startswith(f"digit-{got['number']}")
    (digit,) = got["digits"]
    assert digit["label"] == int(got["number"]) and digit["box"] == list(expected[0].digits[0]["box"])
    assert np.allclose(digit["probabilities"], expected[0].digits[0]["probabilities"], atol=1e-6)
    assert digit["digit"] == expected[0].digits[0]["seen"].reshape(-1).tolist()
    assert got["numbers"] == [{"number": got["number"], "box": list(expected[0].box)}]


def test_a_number_on_a_wide_canvas_is_read_whole(url, model, root):
    """The page's canvas is 840x280: three samples side by side are a number of three digits."""
    names = ["digit-7-mnist-gray8.png", "digit-0-canvas-rgba8.png", "digit-2-paper-rgb8.png"]
    wide = np.concatenate([canvas(root, n) for n in names], axis=1)
    got = post(url, np.ascontiguousarray(wide).tobytes(), 840, 280)
    expected = model.read_numbers(wide)
    assert got["number"] == " ".join(expected)
    assert [d["label"] for d in got["digits"]] == [d["label"] for n in expected for d in n.digits]
    assert [d["box"] for d in got["digits"]] == [list(d["box"]) for n in expected for d in n.digits]
    assert len(got["digits"]) >= 3 and got["numbers"] == [{"number": str(n), "box": list(n.box)} for n in expected]


def test_a_blank_canvas_has_no_number(url):
    blank = np.full((280, 840, 4), 255, np.uint8)
    got = post(url, blank.tobytes(), 840, 280)
    assert got["number"] is None and "ink" in got["reason"]


@pytest.mark.parametrize("query,body", [
    ("w=280&h=280", b"\0" * 100),              # fewer bytes than the size says
    ("w=0&h=280", b""),                         # no pixels
    ("w=100000&h=100000", b"\0" * 16),          # a size the server will not allocate
    ("w=abc&h=2", b"\0" * 16),                  # not numbers
    ("h=2", b"\0" * 16),                        # missing width
])
def test_malformed_requests_are_refused(url, query, body):
    request = urllib.request.Request(f"{url}/predict?{query}", data=body, method="POST")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request)
    assert e.value.code == 400 and "error" in json.loads(e.value.read())


def test_answer_checks_the_buffer(model):
    with pytest.raises(ValueError):
        answer(model, b"\0" * 15, 2, 2)


# The server's bounds (SECURITY.md): each hostile client gets its answer, and the server
# still reads a drawing afterwards. The limits are tightened so the test takes seconds.
TIGHT = dict(header_seconds=0.5, body_seconds=0.5, max_body=300 * 300 * 4, max_requests=1, max_in_flight=280 * 280 * 4 + 10,
             max_connections=4)


@pytest.fixture()
def tight(model):
    from lenet.draw import Limits
    server = make_server(model, port=0, limits=Limits(**TIGHT))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def raw(port, data=b"", timeout=5.0):
    """A client socket that has sent `data` and holds the connection open."""
    import socket
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    return s


def status(sock):
    """The status code of the answer on `sock` (read until the server closes it)."""
    answer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    sock.close()
    return int(answer.split(b" ", 2)[1]) if answer else None


def head(length, w=280, h=280):
    return f"POST /predict?w={w}&h={h} HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode()


def still_serves(port, root):
    pixels = canvas(root)
    got = post(f"http://127.0.0.1:{port}", pixels.tobytes(), 280, 280)
    assert got["number"] == "0"


def test_a_short_body_gets_408_and_frees_its_thread(tight, root):
    import time
    start = time.monotonic()
    assert status(raw(tight, head(1000) + b"x" * 10)) == 408
    assert time.monotonic() - start < 3
    still_serves(tight, root)


def test_slow_headers_and_idle_connections_get_408(tight, root):
    slow = raw(tight, b"POST /predict?w=1&h=1 HTTP/1.1\r\nHost:")
    idle = raw(tight)
    assert status(slow) == 408
    assert status(idle) == 408
    still_serves(tight, root)


def test_a_body_above_the_limit_gets_413_unread(tight, root):
    assert status(raw(tight, head(TIGHT["max_body"] + 1))) == 413
    still_serves(tight, root)


def test_requests_and_bytes_beyond_the_budget_get_503(tight, root):
    holder = raw(tight, head(280 * 280 * 4) + b"x")  # takes the one request slot, sends one byte
    import time
    time.sleep(0.1)
    with pytest.raises(urllib.error.HTTPError) as e:
        post(f"http://127.0.0.1:{tight}", canvas(root).tobytes(), 280, 280)
    assert e.value.code == 503 and e.value.headers["Retry-After"] == "1"
    assert status(holder) == 408
    still_serves(tight, root)


def test_connections_beyond_the_limit_get_503(tight, root):
    held = [raw(tight) for _ in range(TIGHT["max_connections"])]
    import time
    time.sleep(0.1)
    assert status(raw(tight)) == 503
    assert [status(s) for s in held] == [408] * len(held)
    still_serves(tight, root)


def test_collect_keeps_labelled_canvases_for_training(model, root, tmp_path, url):
    """--collect: POST /collect saves the canvas as a PNG and appends its label; the counts
    come back; without --collect the endpoint is not there; a bad label is refused."""
    folder = tmp_path / "mine"
    server = make_server(model, port=0, collect=str(folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/collect") as r:
            assert json.loads(r.read()) == {"counts": [0] * 10}
        pixels = canvas(root)
        request = urllib.request.Request(f"{base}/collect?w=280&h=280&label=3", data=pixels.tobytes(), method="POST")
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(request)
        assert e.value.code == 403, "without the page's header (another site's page) nothing is saved"
        for label in (0, 0, 7):
            request = urllib.request.Request(f"{base}/collect?w=280&h=280&label={label}", data=pixels.tobytes(), method="POST",
                                             headers={"X-Lenet-Collect": "1"})
            with urllib.request.urlopen(request) as r:
                got = json.loads(r.read())
        assert got["saved"] == "00002.png" and got["counts"] == [2, 0, 0, 0, 0, 0, 0, 1, 0, 0]
        assert (folder / "labels.csv").read_text() == "file,label\n00000.png,0\n00001.png,0\n00002.png,7\n"
        assert np.array_equal(np.asarray(Image.open(folder / "00002.png")), pixels)
        assert not [p for p in os.listdir(folder) if p.startswith(".collect-")], "no temporary file is left"
        for query in ("w=280&h=280&label=12", "w=280&h=280&label=x", "w=280&h=280", "w=280&h=10&label=3"):
            request = urllib.request.Request(f"{base}/collect?{query}", data=pixels.tobytes(), method="POST",
                                             headers={"X-Lenet-Collect": "1"})
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(request)
            assert e.value.code == 400, query
        assert (folder / "labels.csv").read_text().count("\n") == 4
        # A server started again on the folder counts what it holds and goes on numbering.
        again = lenet.collect.Collection(str(folder))
        assert again.counts() == [2, 0, 0, 0, 0, 0, 0, 1, 0, 0]
        assert again.add(pixels.tobytes(), 280, 280, 3) == "00003.png"
    finally:
        server.shutdown()
        server.server_close()
    # A server without --collect has no such endpoint.
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(urllib.request.Request(f"{url}/collect?w=280&h=280&label=1", data=pixels.tobytes(), method="POST"))
    assert e.value.code == 404
