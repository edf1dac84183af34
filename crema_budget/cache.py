"""A cache of validated files: a file read before is not parsed and validated again.

Each entry holds the program's records (:mod:`crema_budget.model`) of one file,
as JSON, keyed by the SHA-256 of the file's bytes, the kind of file, the tool's
version and Python's. A run fingerprints the bytes it has just read and uses an
entry only if everything matches, the entry's own checksum included: no figure
can come from an entry that does not match the file byte for byte. A stale,
corrupt or foreign entry is ignored and written again; a cache folder that
cannot be read or written only costs speed. Reading an entry needs neither YAML
nor Pydantic, which is most of a run's start-up.

Where: ``CREMA_BUDGET_CACHE`` if set, else the user's cache folder
(``~/.cache/crema-budget`` on Linux, as platformdirs says for each system).
"""

# Real annotations, no `from __future__`: the decoders read the records' annotations.

import contextlib
import hashlib
import json
import os
import sys
import types
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from crema_budget import __version__, model

#: Changes when the layout of an entry changes.
FORMAT = 1
ENVIRONMENT = "CREMA_BUDGET_CACHE"

T = TypeVar("T")

#: The record each kind of file turns into.
KINDS: dict[str, type[Any]] = {"agreement": model.Agreement, "registro": model.Registro}


def folder() -> Path:
    """Where entries live: ``CREMA_BUDGET_CACHE``, else the user's cache folder."""
    configured = os.environ.get(ENVIRONMENT)
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crema-budget", appauthor=False))


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


def entry_path(kind: str, digest: str) -> Path:
    return folder() / f"{kind}-{digest}.json"


def load(
    kind: str,
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
    found = read(kind, digest)
    if found is not None:
        return found  # type: ignore[no-any-return]
    result = parse(raw, source)
    write(kind, digest, result)
    return result


def remember(kind: str, key: str, record: type[T], compute: Callable[[], T]) -> T:
    """A record worked out once per ``key`` (what it depends on, as text) and then
    read back: the figures of a locale, taken from Babel's data."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    found = read(kind, digest, record)
    if found is not None:
        return found  # type: ignore[no-any-return]
    result = compute()
    write(kind, digest, result)
    return result


def read(kind: str, digest: str, record: type[Any] | None = None) -> Any:
    """The records stored for a file with this SHA-256, or None: missing, unreadable,
    of another version, corrupt or not matching are all just a miss."""
    try:
        with open(entry_path(kind, digest), "rb") as stream:
            head, _, payload = stream.read().partition(b"\n")
        header = json.loads(head)
        expected = {**_header(kind, digest), "controllo": hashlib.sha256(payload).hexdigest()}
        if header != expected:
            return None
        return decoder(record or KINDS[kind])(json.loads(payload))
    except Exception:
        return None


def write(kind: str, digest: str, records: Any) -> None:
    """Store the records of a file; any failure (a read-only folder) is ignored."""
    import tempfile  # a run that finds its entry never writes one

    with contextlib.suppress(OSError):
        payload = json.dumps(encode(records), ensure_ascii=False, separators=(",", ":")).encode()
        header = {**_header(kind, digest), "controllo": hashlib.sha256(payload).hexdigest()}
        target = entry_path(kind, digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".entry.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(json.dumps(header).encode() + b"\n" + payload)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


# --- records as JSON, and back ----------------------------------------------------


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
