"""Where results and messages go: standard output, a file, standard error.

Nothing written is ever lost or half-written without saying so:

- standard output that cannot be written (a full disk, a closed descriptor)
  is an :class:`~crema_budget.errors.OutputError` (exit code 2), never a
  traceback and never exit code 1, which ``check`` keeps for a wrong figure;
- a reader that goes away (``crema-budget check | head -1``) ends the run
  quietly with exit code 141, as a shell reports for any program stopped so;
- ``--output`` writes a temporary file in the same folder and renames it over
  the target, so a failed write leaves the previous file whole; through a
  symbolic link, the file it leads to is replaced, never the link; a FIFO or a
  terminal is written to as a stream, never replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from crema_budget import errors
from crema_budget.errors import CremaBudgetError, ExitCode, OutputError
from crema_budget.i18n import _

#: Width of tables when no terminal says otherwise (a pipe to a file, CI).
FALLBACK_WIDTH = 80


class PipeClosed(CremaBudgetError):
    """The reader of standard output went away; the run ends quietly."""

    exit_code = ExitCode.PIPE_CLOSED


def width() -> int:
    """Columns for terminal tables: ``COLUMNS`` if set, else the width of the
    terminal the user is in (standard output, error or the controlling tty),
    else :data:`FALLBACK_WIDTH`; so ``crema-budget totals | less`` fits."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns or FALLBACK_WIDTH
        except (OSError, ValueError):
            continue
    try:
        with open("/dev/tty", "rb") as tty:
            return os.get_terminal_size(tty.fileno()).columns or FALLBACK_WIDTH
    except OSError:
        return FALLBACK_WIDTH


def color() -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set or TERM is dumb;
    ``FORCE_COLOR`` (a CI's log that shows colours) asks for it anywhere, but
    ``NO_COLOR`` still wins."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except ValueError:
        return False


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except ValueError:
        return False


def write_stdout(content: str | bytes | Iterable[str]) -> None:
    """Write ``content`` (text, bytes, or text in pieces) to standard output and
    flush it, or raise :class:`OutputError` / :class:`PipeClosed`."""
    stream = sys.stdout
    if stream is None:
        raise OutputError(_("standard output is closed: nothing could be written"))
    try:
        if isinstance(content, bytes):
            stream.flush()
            stream.buffer.write(content)
            stream.buffer.flush()
        elif isinstance(content, str):
            stream.write(content)
            stream.flush()
        else:
            for piece in content:
                stream.write(piece)
            stream.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise PipeClosed("") from None
    except (OSError, ValueError) as exc:
        _silence_stdout()
        reason = errors.reason(exc) if isinstance(exc, OSError) else str(exc)
        if isinstance(exc, OSError) and exc.errno == errno.EBADF:
            reason = _("standard output is closed")
        raise OutputError(
            _("cannot write to standard output: {reason}").format(reason=reason)
        ) from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that what is still buffered does not
    fail again (with a traceback) when the interpreter flushes it at exit."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:  # pragma: no cover - nothing more can be done
        pass


def write_stderr(message: str) -> None:
    """A message for the person at the terminal; if standard error is gone too,
    there is no one left to tell."""
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(message if message.endswith("\n") else message + "\n")
        stream.flush()


def write_file(path: Path, content: str | bytes | Iterable[str]) -> int:
    """Write ``content`` to ``path``; return the number of bytes.

    A regular file (or a new one) is written atomically: the bytes go to a
    temporary file in the same folder, which then replaces it in one step, so a
    failure leaves it as it was. A symbolic link is followed: the file it leads
    to is the one replaced, never the link. A FIFO or a character device (a
    terminal, ``/dev/null``) is written to as a stream, as ``tee`` would, and
    stays what it is. Anything else (a folder, a block device, a socket) is refused.
    """
    if isinstance(content, str):
        chunks: Iterable[bytes] = (content.encode("utf-8"),)
    elif isinstance(content, bytes):
        chunks = (content,)
    else:
        chunks = (piece.encode("utf-8") for piece in content)
    try:
        info: os.stat_result | None = os.stat(path)  # through links, as open() would go
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=path, reason=errors.reason(exc))
        ) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
            return _write_stream(path, chunks)
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=path, reason=_not_writable(info.st_mode))
        )
    return _replace(_file_behind(path, info), path, chunks)


def _not_writable(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("it is a folder")
    if stat.S_ISBLK(mode):
        return _("it is a disk (a block device); give a file")
    return _("it is not a file, a FIFO or a terminal")


def _file_behind(path: Path, info: os.stat_result | None) -> Path:
    """The file that writing ``path`` replaces: ``path``, or the file its symbolic
    links lead to. Refused when the two cannot be told to be the same file."""
    if not path.is_symlink():
        return path
    real = Path(os.path.realpath(path))
    try:
        same = info is not None and os.path.samefile(real, path)
    except OSError:
        same = False
    if info is not None and not same:  # a link of /proc, such as /dev/stdout to a file
        raise OutputError(
            _(
                "cannot write {path}: it leads to a file that cannot be named; give the "
                "file's own name"
            ).format(path=path)
        )
    return real


def _replace(target: Path, shown: Path, chunks: Iterable[bytes]) -> int:
    """Write ``target`` atomically: a temporary file beside it, then a rename."""
    folder = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    import tempfile  # only a run that writes a file needs it

    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=shown, reason=errors.reason(exc))
        ) from None
    size = 0
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
                size += len(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=shown, reason=errors.reason(exc))
        ) from None
    return size


def _write_stream(path: Path, chunks: Iterable[bytes]) -> int:
    """Write to a FIFO or a device as it is: opened for writing, never created,
    truncated or replaced (a FIFO waits for its reader, as with ``tee``)."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    size = 0
    try:
        fd = os.open(path, flags)
        with os.fdopen(fd, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
                size += len(chunk)
    except OSError as exc:
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=path, reason=errors.reason(exc))
        ) from None
    return size


def _mode_for(path: Path) -> int:
    """The permissions the file keeps (if it exists) or gets (as ``open`` would)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def terminal_columns() -> int:
    """The width help text wraps at: the terminal's, at most 100."""
    return min(width() if sys.stdout is not None else shutil.get_terminal_size().columns, 100)
