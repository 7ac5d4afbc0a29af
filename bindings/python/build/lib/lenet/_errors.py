"""Exceptions: one class per family of lenet_status codes, each carrying the C message."""


class LeNetError(Exception):
    """Base class of every lenet error. `status` is the C status code, `args[0]` the message."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class InvalidArgumentError(LeNetError, ValueError):
    """An argument is missing, out of range or inconsistent (LENET_ERR_INVALID_ARGUMENT)."""


class LeNetIOError(LeNetError, OSError):
    """A file could not be read or written (LENET_ERR_IO)."""


class FormatError(LeNetError):
    """A model file or buffer is malformed (LENET_ERR_FORMAT)."""


class DatasetError(LeNetError):
    """An IDX dataset is malformed (LENET_ERR_DATASET)."""


class BufferTooSmallError(LeNetError):
    """An output buffer is too small (LENET_ERR_BUFFER_TOO_SMALL); the bindings size them, so this means a bug."""


class CancelledError(LeNetError):
    """Training stopped because the progress callback asked it to (LENET_ERR_CANCELLED)."""


class VersionError(LeNetError):
    """The library is not the version these bindings were written for (LENET_ERR_VERSION)."""


class NotFoundError(LeNetError, KeyError):
    """A metadata key is absent (LENET_ERR_NOT_FOUND)."""

    def __str__(self):
        return str(self.args[0])


class InternalError(LeNetError):
    """A failure no input should cause (LENET_ERR_INTERNAL)."""


class PNGError(LeNetError):
    """A PNG could not be read: base class of the PNG failures below."""


class NotPNGError(PNGError):
    """The bytes are not a PNG (LENET_ERR_NOT_PNG)."""


class PNGTruncatedError(PNGError):
    """The PNG ends before its image does (LENET_ERR_PNG_TRUNCATED)."""


class PNGCorruptError(PNGError):
    """A CRC or zlib error, or an invalid header field (LENET_ERR_PNG_CORRUPT)."""


class ImageTooLargeError(PNGError):
    """The image exceeds the size limits (LENET_ERR_IMAGE_TOO_LARGE)."""


class NoInkError(PNGError):
    """Nothing on the image stands out from the background (LENET_ERR_NO_INK)."""


# Status code -> exception class, in the order of lenet_status.
BY_STATUS = {
    1: InvalidArgumentError,
    2: LeNetIOError,
    3: FormatError,
    4: DatasetError,
    5: BufferTooSmallError,
    6: CancelledError,
    7: VersionError,
    8: NotFoundError,
    9: InternalError,
    10: NotPNGError,
    11: PNGTruncatedError,
    12: PNGCorruptError,
    13: ImageTooLargeError,
    14: NoInkError,
}
