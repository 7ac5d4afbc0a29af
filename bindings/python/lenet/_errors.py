"""Exceptions: one class per family of lenet_status codes, each carrying the C message."""

from ._status import STATUSES


def printable(text):
    """`text` safe to show on a terminal: control characters other than line feeds and tabs
    (ESC, the rest of C0, DEL, C1), which a file name or a line of a file could carry to
    clear or recolour a terminal, written as \\u{1b}-style escapes, as the C library's
    messages are."""
    return "".join(f"\\u{{{ord(c):x}}}" if _control(c) else c for c in str(text))


def _control(c):
    o = ord(c)
    return (o < 0x20 and c not in "\n\t") or 0x7F <= o <= 0x9F


class LeNetError(Exception):
    """Base class of every lenet error. `status` is the C status code, `args[0]` the message,
    escaped by construction (printable): every lenet exception's text is safe to print."""

    def __init__(self, message, status=None):
        super().__init__(printable(message))
        self.status = status


class InvalidArgumentError(LeNetError, ValueError):
    """An argument is missing, out of range or inconsistent (LENET_ERR_INVALID_ARGUMENT)."""

    status_name = "LENET_ERR_INVALID_ARGUMENT"


class LeNetIOError(LeNetError, OSError):
    """A file could not be read or written (LENET_ERR_IO)."""

    status_name = "LENET_ERR_IO"


class FormatError(LeNetError):
    """A model file or buffer is malformed (LENET_ERR_FORMAT)."""

    status_name = "LENET_ERR_FORMAT"


class DatasetError(LeNetError):
    """An IDX dataset is malformed (LENET_ERR_DATASET)."""

    status_name = "LENET_ERR_DATASET"


class BufferTooSmallError(LeNetError):
    """An output buffer is too small (LENET_ERR_BUFFER_TOO_SMALL); the bindings size them, so this means a bug."""

    status_name = "LENET_ERR_BUFFER_TOO_SMALL"


class CancelledError(LeNetError):
    """Training stopped because the progress callback asked it to (LENET_ERR_CANCELLED)."""

    status_name = "LENET_ERR_CANCELLED"


class VersionError(LeNetError):
    """The library is not the version these bindings were written for (LENET_ERR_VERSION)."""

    status_name = "LENET_ERR_VERSION"


class NotFoundError(LeNetError, KeyError):
    """A metadata key is absent (LENET_ERR_NOT_FOUND)."""

    status_name = "LENET_ERR_NOT_FOUND"

    def __str__(self):
        return str(self.args[0])


class InternalError(LeNetError):
    """A failure no input should cause (LENET_ERR_INTERNAL)."""

    status_name = "LENET_ERR_INTERNAL"


class PNGError(LeNetError):
    """A PNG could not be read: base class of the PNG failures below."""


class NotPNGError(PNGError):
    """The bytes are not a PNG (LENET_ERR_NOT_PNG)."""

    status_name = "LENET_ERR_NOT_PNG"


class PNGTruncatedError(PNGError):
    """The PNG ends before its image does (LENET_ERR_PNG_TRUNCATED)."""

    status_name = "LENET_ERR_PNG_TRUNCATED"


class PNGCorruptError(PNGError):
    """A CRC or zlib error, or an invalid header field (LENET_ERR_PNG_CORRUPT)."""

    status_name = "LENET_ERR_PNG_CORRUPT"


class ImageTooLargeError(PNGError):
    """The image exceeds the size limits (LENET_ERR_IMAGE_TOO_LARGE)."""

    status_name = "LENET_ERR_IMAGE_TOO_LARGE"


class NoInkError(PNGError):
    """Nothing on the image stands out from the background (LENET_ERR_NO_INK)."""

    status_name = "LENET_ERR_NO_INK"


def _by_status():
    """Status code -> exception class: each class names its lenet_status, the generated
    _status.py gives the codes, so there is no second list to keep in step."""
    by_name = {}
    pending = list(LeNetError.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if "status_name" in cls.__dict__:
            by_name[cls.status_name] = cls
    return {code: by_name[name] for code, name, _ in STATUSES if code != 0}


BY_STATUS = _by_status()
