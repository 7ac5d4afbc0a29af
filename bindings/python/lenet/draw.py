"""A page to write a digit or a number on and watch the model read it as you write.

    python -m lenet.draw models/lenet_mnist.lenet          # then open http://127.0.0.1:8000/

The server (standard library only) listens on 127.0.0.1. The page sends the canvas's RGBA
pixels (POST /predict, query w and h) whenever the drawing changes; the server reads the
numbers on it as `lenet read` does (Model.read_numbers), and answers with the number, each
number's box, and each digit's label, ten probabilities, box and the 28x28 digit the model
saw. One model serves every request (lenet models are thread-safe for prediction).

With `--collect DIR` the page also offers "it was a [digit]" buttons: the canvas is saved
as a PNG with that label into DIR (lenet.collect: NNNNN.png and labels.csv, each written
atomically), the page tells how many samples each digit has, and `lenet train --images DIR
--data data/mnist --init MODEL` teaches the model that handwriting.

A page left open makes a long-lived server, so it is bounded (`Limits`): a request's line
and headers must arrive within 10 s and its body within 10 s more (else 408), a body is at
most 16 MiB (else 413), at most 8 requests are handled and 64 MiB of bodies held at once,
and at most 64 connections are open (else 503, with Retry-After).
"""
from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Optional
from urllib.parse import parse_qs, urlparse

import numpy as np

from . import Model, NoInkError
from .collect import Collection

# A canvas is at most this many pixels a side: the page draws 840x280; the bound keeps a
# request from making the server allocate without limit.
MAX_SIDE = 2048


@dataclass(frozen=True)
class Limits:
    """What one server gives its clients (the defaults suit a page on this machine)."""
    header_seconds: float = 10.0   # request line and headers, in all
    body_seconds: float = 10.0     # the body, in all, once the headers are in
    max_body: int = MAX_SIDE * MAX_SIDE * 4
    max_requests: int = 8          # handled at once
    max_in_flight: int = 64 << 20  # body bytes held by all requests together
    max_connections: int = 64      # open at once, each a thread


class _Budget:
    """Requests and body bytes in flight, taken without waiting: a full budget is a 503."""

    def __init__(self, limits: Limits):
        self.limits, self.lock, self.requests, self.bytes = limits, threading.Lock(), 0, 0

    def take(self, length: int) -> bool:
        with self.lock:
            if self.requests >= self.limits.max_requests or self.bytes + length > self.limits.max_in_flight:
                return False
            self.requests, self.bytes = self.requests + 1, self.bytes + length
            return True

    def give_back(self, length: int) -> None:
        with self.lock:
            self.requests, self.bytes = self.requests - 1, self.bytes - length


class _Server(ThreadingHTTPServer):
    """A thread per connection, at most max_connections of them."""
    daemon_threads = True

    def __init__(self, address, handler, limits: Limits):
        self.slots = threading.BoundedSemaphore(limits.max_connections)
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
                                b"Connection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def _page() -> bytes:
    return resources.files("lenet").joinpath("draw.html").read_bytes()


def answer(model: Model, rgba: bytes, width: int, height: int) -> dict:
    """What the page shows for one canvas: the numbers written (joined by a space), each
    number's box, and each digit's label, probabilities, box and the 28x28 the model saw;
    number None (with the reason) for a blank canvas."""
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or len(rgba) != width * height * 4:
        raise ValueError(f"expected {width}x{height} RGBA pixels ({width * height * 4} bytes), got {len(rgba)} bytes")
    pixels = np.frombuffer(rgba, dtype=np.uint8).reshape(height, width, 4)
    try:
        numbers = model.read_numbers(pixels)
    except NoInkError as e:
        return {"number": None, "reason": str(e)}
    return {"number": " ".join(numbers), "numbers": [{"number": str(n), "box": list(n.box)} for n in numbers],
            "digits": [{"label": d["label"], "probabilities": [float(p) for p in d["probabilities"]], "box": list(d["box"]),
                        "digit": d["seen"].reshape(-1).tolist()} for n in numbers for d in n.digits]}


def make_server(model: Model, port: int = 8000, host: str = "127.0.0.1", limits: Limits = Limits(),
                collect: Optional[str] = None) -> ThreadingHTTPServer:
    """The page's server; with `collect` (a folder) it also keeps the canvases the user
    labels (POST /collect?w=W&h=H&label=D; GET /collect gives the counts a digit)."""
    page = _page()
    budget = _Budget(limits)
    collection = Collection(collect) if collect is not None else None

    class Handler(BaseHTTPRequestHandler):
        # Each socket read; the watchdog below bounds the request line and headers in all.
        timeout = limits.header_seconds + 1

        def handle_one_request(self):
            self.responded, self.timed_out = False, False
            # What send_response reads, for a client that never sent a request line.
            self.requestline, self.request_version, self.command = "", "HTTP/1.0", None
            # A client that sends its headers a byte at a time, or nothing, would hold this
            # thread for ever: when the time is up, reading stops and the client gets a 408.
            self.watchdog = threading.Timer(limits.header_seconds, self._stop_reading)
            self.watchdog.start()
            try:
                super().handle_one_request()
            finally:
                self.watchdog.cancel()
            if self.timed_out and not self.responded:
                self._error(408, f"the request did not arrive within {limits.header_seconds:g} s")

        def _stop_reading(self):
            self.timed_out = True
            try:
                self.connection.shutdown(socket.SHUT_RD)
            except OSError:
                pass

        def _headers_in_time(self) -> bool:
            self.watchdog.cancel()
            return not self.timed_out

        def do_GET(self):
            if not self._headers_in_time():
                return
            path = urlparse(self.path).path
            if path == "/collect" and collection is not None:
                return self._send(200, json.dumps({"counts": collection.counts()}).encode(), "application/json")
            if path not in ("/", "/index.html"):
                return self._send(404, b"not found", "text/plain")
            self._send(200, page, "text/html; charset=utf-8")

        def do_POST(self):
            if not self._headers_in_time():
                return
            url = urlparse(self.path)
            if url.path != "/predict" and not (url.path == "/collect" and collection is not None):
                return self._send(404, b"not found", "text/plain")
            # Saving writes to the user's disk: only the page may ask. A custom header makes a
            # browser ask this server first (CORS preflight) before another site's page could
            # send it, and this server never allows that, so other sites cannot fill the folder.
            if url.path == "/collect" and self.headers.get("X-Lenet-Collect") != "1":
                return self._error(403, "saving needs the page's X-Lenet-Collect header")
            try:
                length = int(self.headers.get("Content-Length", "-1"))
            except ValueError:
                length = -1
            if length < 0:
                return self._error(411, "a Content-Length is needed")
            if length > limits.max_body:
                return self._error(413, f"Content-Length {length} is above {limits.max_body} bytes")
            if not budget.take(length):
                return self._error(503, "the server is busy: try again", retry=True)
            try:  # the budget is held until the answer is sent: the body lives that long
                body = self._read_body(length)
                if body is None:
                    return
                try:
                    q = parse_qs(url.query)
                    width, height = int(q["w"][0]), int(q["h"][0])
                    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
                        raise ValueError(f"a canvas is 1 to {MAX_SIDE} pixels a side, got {width}x{height}")
                    if url.path == "/collect":
                        label = q["label"][0]
                        if label not in [str(d) for d in range(10)]:
                            raise ValueError(f"the label must be a digit 0-9, got {label!r}")
                        saved = collection.add(body, width, height, int(label))
                        result = {"saved": saved, "counts": collection.counts()}
                    else:
                        result = answer(model, body, width, height)
                except (KeyError, ValueError) as e:
                    return self._error(400, str(e))
                self._send(200, json.dumps(result).encode(), "application/json")
            finally:
                budget.give_back(length)

        def _read_body(self, length: int) -> Optional[bytes]:
            """The body, read within body_seconds in all; None once the client has its error."""
            deadline, chunks, got = time.monotonic() + limits.body_seconds, [], 0
            while got < length:
                left = deadline - time.monotonic()
                try:
                    if left <= 0:
                        raise TimeoutError
                    self.connection.settimeout(left)
                    chunk = self.rfile.read1(min(1 << 16, length - got))
                except (TimeoutError, socket.timeout):
                    self._error(408, f"the body ({length} bytes) did not arrive within {limits.body_seconds:g} s")
                    return None
                if not chunk:
                    self._error(400, f"the body ended after {got} of its {length} bytes")
                    return None
                chunks.append(chunk)
                got += len(chunk)
            return b"".join(chunks)

        def _error(self, code, message, retry=False):
            self.close_connection = True
            self._send(code, json.dumps({"error": message}).encode(), "application/json",
                       extra={"Retry-After": "1"} if retry else {})

        def _send(self, code, body, kind, extra=None):
            self.responded = True
            try:
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client left
                self.close_connection = True

        def log_message(self, *args):  # one line per stroke update would drown the terminal
            pass

    return _Server((host, port), Handler, limits)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lenet.draw", description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="the model (.lenet, .pth or .safetensors)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    parser.add_argument("--collect", metavar="DIR", help="keep the canvases you label ('it was a 7') in DIR, for "
                        "`lenet train --images DIR --data data/mnist --init MODEL`")
    args = parser.parse_args(argv)
    model = Model.load(args.model)
    server = make_server(model, args.port, collect=args.collect)
    print(f"write a digit or a number at http://127.0.0.1:{server.server_address[1]}/  (Ctrl-C stops)", flush=True)
    if args.collect:
        print(f"the digits you label go to {args.collect}/ (labels.csv)", flush=True)
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
