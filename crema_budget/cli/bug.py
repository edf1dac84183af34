"""An internal error: an exception the tool did not expect, which is a bug.

A person sees one line in their language saying so and where the details are;
the traceback goes to a file of its own (readable by the user alone), or to
standard error with ``CREMA_BUDGET_DEBUG=1``. The exit code is 70, as
``sysexits.h`` names a program's own failure (``EX_SOFTWARE``): never 1, which
says that figures differ, nor 2, which says that the input is wrong.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from crema_budget import __version__
from crema_budget.cli import output
from crema_budget.errors import ExitCode
from crema_budget.i18n import _

#: Set to 1 to print the traceback instead of keeping it in a file.
DEBUG = "CREMA_BUDGET_DEBUG"
PROG = "crema-budget"


def internal_error(error: BaseException, args: Sequence[str]) -> int:
    """Tell the person that the run met a bug, and where its details are."""
    import traceback

    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    what = _("internal error (a bug in crema-budget, not a problem with your files)")
    if os.environ.get(DEBUG, "") not in ("", "0"):
        output.write_stderr(details)
        output.write_stderr(f"{PROG}: " + _("{what}; the details are above").format(what=what))
        return int(ExitCode.INTERNAL_ERROR)
    saved = _save(details, args)
    if saved is None:
        message = _("{what}; run it again with {variable}=1 to see the details").format(
            what=what, variable=DEBUG
        )
    else:
        message = _("{what}; the details are in {path} ({variable}=1 prints them)").format(
            what=what, path=saved, variable=DEBUG
        )
    output.write_stderr(f"{PROG}: {message}")
    return int(ExitCode.INTERNAL_ERROR)


def _save(details: str, args: Sequence[str]) -> str | None:
    """Write the details to a new file that only the user can read; its path, or None."""
    import platform
    import shlex
    import tempfile

    text = (
        f"{PROG} {__version__}\n"
        f"Python {sys.version.split()[0]} ({sys.implementation.name}), {platform.platform()}\n"
        f"$ {shlex.join([PROG, *args])}\n\n{details}"
    )
    try:
        handle, path = tempfile.mkstemp(prefix=f"{PROG}-bug-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace") as stream:
            stream.write(text)
    except OSError:
        return None
    return path
