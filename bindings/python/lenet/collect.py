"""Canvases the drawing page's user labelled ("it was a 7"), kept as a folder that `lenet
train --images` reads: NNNNN.png files and labels.csv (file,label). Each picture is written
to a temporary file and renamed into place, and labels.csv is rewritten whole the same way,
so a crash or a second request at the same moment never leaves a half-written file or a
line that names no picture."""
from __future__ import annotations

import csv
import io
import os
import struct
import tempfile
import threading
import zlib
from typing import List


def png_rgba(rgba: bytes, width: int, height: int) -> bytes:
    """An 8-bit RGBA PNG of the pixels (standard library only: zlib and struct)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    stride = width * 4
    rows = b"".join(b"\0" + rgba[y * stride:(y + 1) * stride] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def _write_atomically(path: str, data: bytes) -> None:
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".collect-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Collection:
    """A folder of labelled canvases; thread-safe (one lock for the folder)."""

    def __init__(self, folder: str):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self._lock = threading.Lock()
        self._rows = self._read()

    def _read(self) -> List[List[str]]:
        path = os.path.join(self.folder, "labels.csv")
        if not os.path.exists(path):
            return []
        with open(path, newline="") as f:
            rows = [r for r in csv.reader(f) if len(r) >= 2]
        return [r[:2] for r in rows if r[1].strip().isdigit()]

    def counts(self) -> List[int]:
        with self._lock:
            out = [0] * 10
            for _, label in self._rows:
                if 0 <= int(label) <= 9:
                    out[int(label)] += 1
            return out

    def add(self, rgba: bytes, width: int, height: int, label: int) -> str:
        """Saves the canvas as the next NNNNN.png with its label; returns the file's name."""
        if not (isinstance(label, int) and 0 <= label <= 9):
            raise ValueError(f"the label must be a digit 0-9, got {label!r}")
        if len(rgba) != width * height * 4:
            raise ValueError(f"expected {width}x{height} RGBA pixels ({width * height * 4} bytes), got {len(rgba)} bytes")
        picture = png_rgba(rgba, width, height)
        with self._lock:
            n = len(self._rows)
            while os.path.exists(os.path.join(self.folder, f"{n:05d}.png")):
                n += 1
            name = f"{n:05d}.png"
            _write_atomically(os.path.join(self.folder, name), picture)
            rows = self._rows + [[name, str(label)]]
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows([["file", "label"]] + rows)
            _write_atomically(os.path.join(self.folder, "labels.csv"), text.getvalue().encode())
            self._rows = rows
            return name
