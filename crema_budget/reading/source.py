"""Reading a data file's bytes: the embedded agreement, a regular file, or standard input;
and where a report's figures come from (the file, its fingerprint, the run).

Kept apart from the loader so that reading (and fingerprinting) a file needs
neither YAML nor Pydantic: a run that finds the file in the cache
(:mod:`crema_budget.reading.cache`) never imports them.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from crema_budget import errors
from crema_budget.errors import DataError, Problem
from crema_budget.i18n import N_, _, whole

#: Larger files are refused before they are parsed. The 2016 agreement is
#: 10 kB; 10,000 ambiti of 10 fee lines each take about 30 MB.
MAX_FILE_BYTES = 40 * 1024 * 1024

DEFAULT_DATA_NAME = "ambiti_2016.yaml"
#: Source lines longer than this are cut when shown under a message.
MAX_SHOWN = 160

#: The package (``crema_budget/``), whose ``data/`` holds the embedded agreement once installed.
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_data_path() -> Path:
    """The embedded 2016 agreement: inside the package once installed, else ``data/``."""
    packaged = _PACKAGE_DIR / "data" / DEFAULT_DATA_NAME
    if packaged.is_file():
        return packaged
    return _PACKAGE_DIR.parent / "data" / DEFAULT_DATA_NAME


def read_file(path: Path) -> bytes:
    """The bytes of a data file, or a :class:`DataError` saying plainly why not.

    Only a regular file is read: a folder, FIFO, socket or device is refused
    before it is opened, so nothing can block or stream forever.
    """
    source = str(path)

    def fail(message: str) -> DataError:
        return DataError([Problem(source, 0, 0, "", message)])

    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise fail(_("is a folder, not a data file"))
        if not stat.S_ISREG(info.st_mode):
            raise fail(
                _(
                    "is not a regular file ({kind}); give a file, or - to read standard input"
                ).format(kind=file_kind(info.st_mode))
            )
        if info.st_size > MAX_FILE_BYTES:
            raise fail(_too_large())
        with path.open("rb") as stream:
            # What was opened is what is read: a file swapped since stat() is
            # looked at again.
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise fail(
                    _("is not a regular file ({kind}); give a file").format(
                        kind=file_kind(info.st_mode)
                    )
                )
            # One byte over the size tells a file that grew since it was opened.
            raw = stream.read(min(info.st_size, MAX_FILE_BYTES) + 1)
    except FileNotFoundError:
        raise fail(_("no such file")) from None
    except PermissionError:
        raise fail(_("permission denied: the file cannot be read")) from None
    except OSError as exc:
        raise fail(_("cannot be read: {reason}").format(reason=errors.reason(exc))) from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(_too_large())
    if len(raw) != info.st_size:
        if not info.st_size:  # /proc/self/environ: a size of 0, and text when read
            raise fail(
                _(
                    "is not a file on disk but one the system writes as it is read (as in "
                    "/proc); give a data file"
                )
            )
        raise fail(_("changed while it was being read; try again"))
    return raw


def read_stream(stream: Any, source: str) -> bytes:
    """Up to :data:`MAX_FILE_BYTES` from a binary stream (standard input)."""
    try:
        raw: bytes = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = errors.reason(exc)
        raise DataError(
            [Problem(source, 0, 0, "", _("cannot be read: {reason}").format(reason=reason))]
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataError([Problem(source, 0, 0, "", _too_large())])
    return raw


def _too_large() -> str:
    megabytes, rest = divmod(MAX_FILE_BYTES, 1024 * 1024)
    if not rest:
        return _("is larger than {limit} MB, the limit for a data file").format(limit=megabytes)
    return _("is larger than {limit} bytes, the limit for a data file").format(
        limit=whole(MAX_FILE_BYTES)
    )


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, as people say it."""
    if stat.S_ISFIFO(mode):
        return _("a named pipe")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    return _("not a file")


#: What a file that is not text is, by its first bytes (its "magic number").
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", N_("a PDF document")),
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", N_("an old Office file (.xls or .doc)")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", N_("a 7-Zip archive")),
    (b"Rar!", N_("a RAR archive")),
    (b"{\\rtf", N_("an RTF document")),
)
#: Inside a ZIP archive: the entry that says which document it is.
_ZIPPED: tuple[tuple[bytes, str], ...] = (
    (b"application/vnd.oasis.opendocument.spreadsheet", N_("an OpenDocument spreadsheet (.ods)")),
    (b"application/vnd.oasis.opendocument.text", N_("an OpenDocument text (.odt)")),
    (b"xl/", N_("an Excel workbook (.xlsx)")),
    (b"word/", N_("a Word document (.docx)")),
)


def binary_kind(raw: bytes) -> str | None:
    """What a file that is not text is (a spreadsheet, a PDF, an image, an archive),
    by its first bytes, in the user's language; None for anything else."""
    if raw.startswith(b"PK\x03\x04"):
        head = raw[:4096] + raw[-65536:]
        for marker, kind in _ZIPPED:
            if marker in head:
                return _(kind)
        return _("a ZIP archive")
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return _(kind)
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _("a binary file")  # text has no NUL byte (UTF-16 is said as such below)
    return None


def decode(raw: bytes, source: str) -> str:
    """UTF-8 text (a byte-order mark is allowed), or the position of the first bad byte.

    A spreadsheet, a PDF or any other known binary file is said to be what it is,
    before anything of it is decoded or shown."""
    kind = binary_kind(raw)
    if kind is not None:
        message = _(
            "this is {kind}, not a data file: the data is a YAML text file such as "
            "data/ambiti_2016.yaml (crema-budget schema describes its format)"
        ).format(kind=kind)
        raise DataError([Problem(source, 0, 0, "", message)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        end = raw.find(b"\n", exc.start)
        shown = raw[start : end if end >= 0 else len(raw)].decode("utf-8", "replace")
        message = _("byte 0x{byte:02x} is not UTF-8; save the file as UTF-8").format(
            byte=raw[exc.start]
        )
        text = shown_line(shown, column)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            message = _("the file is saved as UTF-16; save it as UTF-8")
            text = None  # read as UTF-8, its line is noise
        raise DataError([Problem(source, line, column, "", message, text)]) from None


def shown_line(text: str, column: int) -> str | None:
    """A source line made safe to print, cut if long; None if the caret would fall off it."""
    if column > MAX_SHOWN:
        return None
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN] + "…"
    # One character per column, so the caret lines up: a tab becomes a space,
    # and control characters (which would drive the terminal) a replacement mark.
    text = text.translate(_SHOWN_AS)
    return text.encode("utf-8", "replace").decode("utf-8")


_SHOWN_AS = dict.fromkeys((*range(0x20), *range(0x7F, 0xA0)), "\ufffd") | {0x09: " "}


def sha256_hex(raw: bytes) -> str:
    """The SHA-256 of a file's bytes, as the report's provenance shows it."""
    import hashlib

    return hashlib.sha256(raw).hexdigest()


class Provenance:
    """Where a report's figures come from: the file, its fingerprint, the run."""

    def __init__(self, source: str, sha256: str, generated: date) -> None:
        self.source = source
        self.sha256 = sha256
        self.generated = generated

    @property
    def name(self) -> str:
        return PurePath(self.source).name or self.source
