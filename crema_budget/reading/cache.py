"""A cache of validated files: a file read before is not parsed and validated again.

Each entry holds the program's records of one file (of the type its caller names: the
agreement's, :mod:`crema_budget.agreement.model`, or the register's),
as JSON, keyed by the SHA-256 of the file's bytes, the kind of file, the tool's
version and Python's. A run fingerprints the bytes it has just read and uses an
entry only if everything matches: no figure can come from an entry that does
not match the file byte for byte. Reading an entry needs neither YAML nor
Pydantic, which is most of a run's start-up.

An entry can never change a figure, whoever else uses the machine:

- the folder is used only if it belongs to the user running the tool and no
  one else may write in it (else the run goes without cache, and says so once);
  every entry is then opened relative to the folder checked, never through a
  symbolic link, and only a regular file of at most :data:`MAX_ENTRY_BYTES` is read;
- every entry carries an HMAC-SHA256 of its header and records, made with a
  random key of the user's own (:data:`KEY_NAME`, ``0600``, in the same folder,
  checked like the folder): an entry made by anyone else, or edited, is a miss;
- entries are written to a temporary file and renamed, so processes writing
  the same entry at once leave a whole entry or none.

A stale, corrupt or foreign entry is ignored and written again; a folder that
cannot be created, read or written only costs speed.

Where: ``CREMA_BUDGET_CACHE`` if set, else the user's cache folder
(``~/.cache/crema-budget`` on Linux, as platformdirs says for each system).
"""

# Real annotations, no `from __future__`: the decoders read the records' annotations.

import contextlib
import errno
import hashlib
import hmac
import json
import os
import stat
import sys
import types
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from crema_budget import __version__, errors
from crema_budget.i18n import _
from crema_budget.reading.source import MAX_FILE_BYTES

#: Changes when the layout of an entry changes.
FORMAT = 2
ENVIRONMENT = "CREMA_BUDGET_CACHE"
#: The key that authenticates entries: random bytes, made once per cache folder.
KEY_NAME = "hmac.key"
KEY_BYTES = 32
#: Larger entries are neither read nor written. The records of a data file take
#: about half its size as JSON (16 MB for a 32 MB agreement); text full of
#: characters JSON escapes could double it.
MAX_ENTRY_BYTES = 2 * MAX_FILE_BYTES + 1024 * 1024

T = TypeVar("T")

#: POSIX: every entry is opened relative to the folder that was checked, so a
#: folder renamed or replaced after the check is never used.
_AT = os.open in os.supports_dir_fd
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)

#: What the person running the tool should be told, once each (see :func:`notices`).
_NOTICES: list[str] = []


def folder() -> Path:
    """Where entries live: ``CREMA_BUDGET_CACHE``, else the user's cache folder."""
    configured = os.environ.get(ENVIRONMENT)
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crema-budget", appauthor=False))


def notices() -> list[str]:
    """Why the cache was not used, if it was not and the reason matters (a folder
    others can write to): each said once. The list is emptied."""
    found = list(dict.fromkeys(_NOTICES))
    _NOTICES.clear()
    return found


def _notice(message: str) -> None:
    _NOTICES.append(message)


def _python() -> str:
    return f"{sys.implementation.name}-{sys.version_info.major}.{sys.version_info.minor}"


def _header(kind: str, digest: str) -> dict[str, Any]:
    return {
        "formato": FORMAT,
        "tipo": kind,
        "sha256": digest,
        "crema-budget": __version__,
        "python": _python(),
    }


def _mac(key: bytes, header: dict[str, Any], payload: bytes) -> str:
    """The HMAC of an entry: its expected header (as this code writes it) and its records."""
    message = json.dumps(header).encode() + b"\n" + payload
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def entry_name(kind: str, digest: str) -> str:
    return f"{kind}-{digest}.json"


def entry_path(kind: str, digest: str) -> Path:
    return folder() / entry_name(kind, digest)


def load(
    kind: str,
    record: type[T],
    raw: bytes,
    digest: str,
    source: str,
    parse: Callable[[bytes, str], T],
    use: bool = True,
) -> T:
    """The records of ``raw`` (whose SHA-256 is ``digest``): from the cache if an
    entry matches it exactly, else parsed (``parse`` raises for a bad file, which is
    never cached) and stored."""
    if not use:
        return parse(raw, source)
    found = read(kind, digest, record)
    if found is not None:
        return found
    result = parse(raw, source)
    write(kind, digest, result)
    return result


def remember(
    kind: str,
    key: str,
    record: type[T],
    compute: Callable[[], T],
    sane: Callable[[T], bool] | None = None,
) -> T:
    """A record worked out once per ``key`` (what it depends on, as text) and then
    read back: the figures of a locale, taken from Babel's data. A record read
    back is used only if ``sane`` accepts it."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    found = read(kind, digest, record)
    if found is not None and (sane is None or sane(found)):
        return found
    result = compute()
    write(kind, digest, result)
    return result


def read(kind: str, digest: str, record: type[T]) -> T | None:
    """The records stored for a file with this SHA-256, or None: missing, unreadable,
    not a regular file, too large, of another version, corrupt, made with another
    key or not matching are all just a miss."""
    with _opened(create=False) as where:
        if where is None:
            return None
        raw, _why = where.read(entry_name(kind, digest), MAX_ENTRY_BYTES)
        key = where.key
    if raw is None:
        return None
    try:
        head, _newline, payload = raw.partition(b"\n")
        header = json.loads(head)
        expected = _header(kind, digest)
        mac = header.pop("hmac", None) if isinstance(header, dict) else None
        if not isinstance(mac, str) or header != expected:
            return None
        if not hmac.compare_digest(mac, _mac(key, expected, payload)):
            return None
        return decoder(record)(json.loads(payload))  # type: ignore[no-any-return]
    except Exception:
        return None


def write(kind: str, digest: str, records: Any) -> None:
    """Store the records of a file; any failure (a read-only folder) is ignored."""
    try:
        payload = serialise(records)
    except (TypeError, ValueError):
        return
    if len(payload) > MAX_ENTRY_BYTES - 1024:
        return
    with _opened(create=True) as where:
        if where is None:
            return
        expected = _header(kind, digest)
        header = {**expected, "hmac": _mac(where.key, expected, payload)}
        where.write(entry_name(kind, digest), json.dumps(header).encode() + b"\n" + payload)


# --- the folder and its key --------------------------------------------------------


class _Folder:
    """The cache folder, opened and checked, and the user's key."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd  # None where the system has no dir_fd (Windows)
        self.key = b""

    def _name(self, name: str) -> str:
        return name if _AT else os.path.join(self.path, name)

    def _at(self) -> dict[str, int]:
        return {"dir_fd": self.fd} if _AT and self.fd is not None else {}

    def open(self, name: str, flags: int, mode: int = 0o600) -> int:
        return os.open(self._name(name), flags | _O_CLOEXEC | _O_BINARY, mode, **self._at())

    def unlink(self, name: str) -> None:
        os.unlink(self._name(name), **self._at())

    def read(self, name: str, limit: int, private: bool = False) -> tuple[bytes | None, str]:
        """The bytes of a regular file of this user's, of at most ``limit`` bytes,
        opened without following a link and without waiting on a FIFO; else None
        and why ("" when it is missing)."""
        try:
            fd = self.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK)
        except FileNotFoundError:
            return None, ""
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK):  # what O_NOFOLLOW says of a link
                return None, _("it is a symbolic link")
            return None, errors.reason(exc)
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            why = _refused(info, limit, private)
            if why is not None:
                return None, why
            data = stream.read(info.st_size + 1)
        if len(data) != info.st_size:
            return None, _("it changed while it was read")
        return data, ""

    def write(self, name: str, data: bytes) -> None:
        """Write ``name`` whole or not at all: a temporary file, then a rename."""
        temporary = f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
        try:
            fd = self.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
            if _AT and self.fd is not None:
                os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            else:
                os.replace(self._name(temporary), self._name(name))
        except OSError:
            with contextlib.suppress(OSError):
                self.unlink(temporary)

    def load_key(self, create: bool) -> bool:
        """Read the user's key (making it first if ``create``); False if there is
        none or it must not be used (then the person is told why)."""
        found, why = self.read(KEY_NAME, KEY_BYTES, private=True)
        if found is None and not why:
            return create and self._new_key()
        if found is not None and len(found) != KEY_BYTES:
            why = _("it is not a key made by crema-budget")
        if why:
            _notice(
                _(
                    "the cache's key {path} is not used: {why}; the figures are computed "
                    "without the cache (delete the file, and a new key is made)"
                ).format(path=self.path / KEY_NAME, why=why)
            )
            return False
        assert found is not None
        self.key = found
        return True

    def _new_key(self) -> bool:
        """Make the key: written whole under a temporary name, then linked to its
        name, which never replaces a key another process made meanwhile."""
        key = os.urandom(KEY_BYTES)
        temporary = f".{KEY_NAME}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
        try:
            fd = self.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(key)
                stream.flush()
                os.fsync(stream.fileno())
            try:
                if _AT and self.fd is not None:
                    os.link(temporary, KEY_NAME, src_dir_fd=self.fd, dst_dir_fd=self.fd)
                else:
                    os.link(self._name(temporary), self._name(KEY_NAME))
            except FileExistsError:
                pass  # another process made it first: use that one
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                self.unlink(temporary)
        return self.load_key(create=False)


def _uid() -> int | None:
    """The user running the tool (None where the system has no owners of files)."""
    return os.geteuid() if hasattr(os, "geteuid") else None


def _refused(info: os.stat_result, limit: int, private: bool = False) -> str | None:
    """Why a file opened from the cache must not be read, or None."""
    if not stat.S_ISREG(info.st_mode):
        return _("it is not a regular file")
    uid = _uid()
    if uid is not None and info.st_uid != uid:
        return _("it belongs to another user")
    if private and uid is not None and info.st_mode & 0o077:
        return _("others may read or write it (mode {mode:04o})").format(
            mode=stat.S_IMODE(info.st_mode)
        )
    if info.st_size > limit:
        return _("it is too large")
    return None


def _unsafe_folder(info: os.stat_result) -> str | None:
    """Why a cache folder must not be trusted, or None."""
    uid = _uid()
    if uid is None:
        return None  # Windows: the user's own folder, protected by its access lists
    if info.st_uid != uid:
        return _("it belongs to another user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return _("others may write in it (mode {mode:04o})").format(mode=stat.S_IMODE(info.st_mode))
    return None


@contextlib.contextmanager
def _opened(create: bool) -> Iterator[_Folder | None]:
    """The cache folder, checked, with the key; None when there is no usable one.

    With ``create``, a missing folder is made (``0700``) and so is a missing key.
    """
    path = folder()
    fd = _open_folder(path, create)
    if fd is None and _AT:
        yield None
        return
    try:
        where = _Folder(path, fd)
        if fd is not None:
            why = _unsafe_folder(os.fstat(fd))
            if why is not None:
                _notice(
                    _(
                        "the cache folder {path} is not used: {why}; the figures are "
                        "computed without it (make it yours alone, or set "
                        "CREMA_BUDGET_CACHE to another folder)"
                    ).format(path=path, why=why)
                )
                yield None
                return
        elif not path.is_dir():
            yield None
            return
        yield where if where.load_key(create) else None
    finally:
        if fd is not None:
            os.close(fd)


def _open_folder(path: Path, create: bool) -> int | None:
    """The folder opened for the *at() calls (following a link to it: it is
    checked once open); None when it is missing or cannot be opened."""
    if not _AT:
        if create:
            with contextlib.suppress(OSError):
                path.mkdir(parents=True, exist_ok=True)
        return None
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _O_CLOEXEC
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass  # made by another process meanwhile: checked like any other
    except OSError:
        return None
    try:
        return os.open(path, flags)
    except OSError:
        return None


# --- records as JSON, and back ----------------------------------------------------


def serialise(records: Any) -> bytes:
    """Records as compact JSON, in one pass of a C encoder: records and tuples are
    lists, and only Decimals and dates are turned into text on the way (see
    :func:`encode`, which gives the same JSON values)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; tested by hiding it
        return json.dumps(
            records, ensure_ascii=False, separators=(",", ":"), default=_as_json
        ).encode()
    return orjson.dumps(records, default=_as_json)


def _as_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):  # a record: orjson leaves named tuples to the caller
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def encode(value: Any) -> Any:
    """Records as JSON values: a record as the list of its fields, a Decimal as its
    exact text, a date in ISO form."""
    if isinstance(value, tuple):
        return [encode(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"cannot store {type(value).__name__}")


_DECODERS: dict[Any, Callable[[Any], Any]] = {}


def decoder(annotation: Any) -> Callable[[Any], Any]:
    """A function that rebuilds a value of ``annotation`` from its JSON, checking each
    part's type on the way (anything unexpected raises: the entry is then a miss)."""
    found = _DECODERS.get(annotation)
    if found is None:
        found = _decoder(annotation)
        _DECODERS[annotation] = found
    return found


def _decoder(annotation: Any) -> Callable[[Any], Any]:
    if (
        isinstance(annotation, type)
        and issubclass(annotation, tuple)
        and hasattr(annotation, "_fields")
    ):
        return _record(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        inner = decoder(next(a for a in args if a is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = decoder(args[0])
            return lambda value: tuple(item(v) for v in _list(value))
        parts = [decoder(a) for a in args]
        return lambda value: tuple(part(v) for part, v in zip(parts, _list(value), strict=True))
    if annotation is Decimal:
        return _decimal
    if annotation is date:
        return lambda value: date.fromisoformat(_typed(value, str))
    if annotation is bool:
        return lambda value: _typed(value, bool)
    if annotation is int:
        return lambda value: _typed(value, int)
    if annotation is str:
        return lambda value: _typed(value, str)
    raise TypeError(f"no decoder for {annotation!r}")


def _record(cls: type[Any]) -> Callable[[Any], Any]:
    hints = get_type_hints(cls)  # a module with `from __future__` has them as text
    fields = [decoder(hints[name]) for name in cls._fields]

    def build(value: Any) -> Any:
        return cls(*(field(v) for field, v in zip(fields, _list(value), strict=True)))

    return build


def _decimal(value: Any) -> Decimal:
    number = Decimal(_typed(value, str))
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _typed(value: Any, kind: type[Any]) -> Any:
    if type(value) is not kind:
        raise TypeError(f"expected {kind.__name__}")
    return value
