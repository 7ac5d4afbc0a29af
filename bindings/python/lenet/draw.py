"""A page to draw a digit on and watch the model read it as you draw.

    python -m lenet.draw models/lenet_mnist.lenet          # then open http://127.0.0.1:8000/

The server (standard library only) listens on 127.0.0.1. The page sends the canvas's RGBA
pixels (POST /predict, query w and h) whenever the drawing changes; the server runs the
library's preprocessing and the model, and answers with the label, the ten probabilities
and the 28x28 digit the model saw. One model serves every request (lenet models are
thread-safe for prediction).
"""
from __future__ import annotations

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Optional
from urllib.parse import parse_qs, urlparse

import numpy as np

from . import Model, NoInkError, preprocess_image

# A canvas is at most this many pixels a side: the page draws 280x280; the bound keeps a
# request from making the server allocate without limit.
MAX_SIDE = 2048


def _page() -> bytes:
    return resources.files("lenet").joinpath("draw.html").read_bytes()


def answer(model: Model, rgba: bytes, width: int, height: int) -> dict:
    """What the page shows for one canvas: label, probabilities and the digit seen; label
    None (with the reason) for a blank canvas."""
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or len(rgba) != width * height * 4:
        raise ValueError(f"expected {width}x{height} RGBA pixels ({width * height * 4} bytes), got {len(rgba)} bytes")
    pixels = np.frombuffer(rgba, dtype=np.uint8).reshape(height, width, 4)
    try:
        digit = preprocess_image(pixels)
    except NoInkError as e:
        return {"label": None, "reason": str(e)}
    labels, probabilities = model.predict(digit)
    return {"label": int(labels[0]), "probabilities": [float(p) for p in probabilities[0]],
            "digit": digit.reshape(-1).tolist()}


def make_server(model: Model, port: int = 8000, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    page = _page()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if urlparse(self.path).path not in ("/", "/index.html"):
                return self._send(404, b"not found", "text/plain")
            self._send(200, page, "text/html; charset=utf-8")

        def do_POST(self):
            url = urlparse(self.path)
            if url.path != "/predict":
                return self._send(404, b"not found", "text/plain")
            try:
                q = parse_qs(url.query)
                width, height = int(q["w"][0]), int(q["h"][0])
                length = int(self.headers.get("Content-Length", "-1"))
                if not 0 <= length <= MAX_SIDE * MAX_SIDE * 4:
                    raise ValueError(f"Content-Length {length} is out of range")
                body = self.rfile.read(length)
                result = answer(model, body, width, height)
            except (KeyError, ValueError) as e:
                return self._send(400, json.dumps({"error": str(e)}).encode(), "application/json")
            self._send(200, json.dumps(result).encode(), "application/json")

        def _send(self, code, body, kind):
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # one line per stroke update would drown the terminal
            pass

    return ThreadingHTTPServer((host, port), Handler)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lenet.draw", description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="the model (.lenet, .pth or .safetensors)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    args = parser.parse_args(argv)
    model = Model.load(args.model)
    server = make_server(model, args.port)
    print(f"draw a digit at http://127.0.0.1:{server.server_address[1]}/  (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        model.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
