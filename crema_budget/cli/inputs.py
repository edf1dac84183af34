"""The files a run reads, which ``--output`` must never replace.

A file is known by what the system knows it by, its device and inode, so a name
that reaches it another way is caught too: a symbolic link to it, a hard link,
``./x.yaml`` for ``x.yaml``. A folder read (the register's
``fatture_elettroniche``, a folder given to ``fatture``) stands for every file in
it. Nothing here reads a file's content.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from crema_budget.errors import UsageError
from crema_budget.i18n import _


def refuse_to_overwrite(output: Path, inputs: Iterable[str | None]) -> None:
    """Raise :class:`UsageError` if ``output`` is (through any link) one of the files
    ``inputs`` name, or a file in one of the folders they name. ``None`` in
    ``inputs`` is the embedded agreement; ``-`` is standard input."""
    try:
        target = os.stat(output)  # through links: what would be written is their target
    except OSError:
        return  # not there yet: nothing read can be there
    if stat.S_ISDIR(target.st_mode):
        return  # writing says that it is a folder
    wanted = (target.st_dev, target.st_ino)
    for given in inputs:
        if given == "-":
            continue
        if given is None:
            from crema_budget.reading.source import default_data_path

            given = str(default_data_path())
        found = _holds(Path(given), wanted)
        if found is None:
            continue
        if str(found) == str(output):
            message = _("{path} is a file this run reads; choose another output file")
        else:
            message = _(
                "{path} is the same file as {input}, which this run reads; choose another "
                "output file"
            )
        raise UsageError(message.format(path=output, input=found))


def _holds(path: Path, wanted: tuple[int, int]) -> Path | None:
    """``path`` if it is the file ``wanted``, or the file of folder ``path`` that is."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if (info.st_dev, info.st_ino) == wanted:
        return path
    if not stat.S_ISDIR(info.st_mode):
        return None
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                try:
                    found = entry.stat()  # through a link, as a reader would open it
                except OSError:
                    continue
                if (found.st_dev, found.st_ino) == wanted:
                    return Path(entry.path)
    except OSError:
        return None
    return None
