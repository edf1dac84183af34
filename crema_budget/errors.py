"""The tool's own errors and its exit codes (documented in the README)."""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

import errno
from enum import IntEnum
from typing import NamedTuple

from crema_budget.i18n import N_


class ExitCode(IntEnum):
    """Process exit codes: the CLI's contract with scripts and CI."""

    OK = 0
    #: ``check`` found a declared figure that differs from the computed one (or
    #: one it needs is missing); ``monitor`` found an anomaly; ``diff`` a change.
    FIGURES_DIFFER = 1
    #: Bad input: an invalid data file, argument or option; an output that
    #: cannot be written (a full disk, a closed standard output).
    BAD_INPUT = 2
    #: ``nido``: fewer children than the lowest tier with a fee; the agreement
    #: calls for a complete renegotiation (*rimodulazione*), no fee is defined.
    NO_FEE_DEFINED = 3
    #: A bug: an error the program did not expect (``EX_SOFTWARE`` in sysexits.h).
    #: One line says so and where the details are (:mod:`crema_budget.cli.bug`).
    INTERNAL_ERROR = 70
    #: Stopped by the person running it (Ctrl-C): 128 + SIGINT, as a shell reports it.
    #: Nothing is left half-written: outputs are written to a temporary file and renamed.
    INTERRUPTED = 130
    #: The reader of standard output went away (``| head``): nothing is wrong.
    #: 128 + SIGPIPE, what a shell reports for programs that stop the same way.
    PIPE_CLOSED = 141


class CremaBudgetError(Exception):
    """Base class of every error the tool reports to a person."""

    exit_code: ExitCode = ExitCode.BAD_INPUT


class Problem(NamedTuple):
    """One thing wrong in a data file, located as precisely as the file allows."""

    source: str
    line: int  # 1-based; 0 when the problem is about the file as a whole
    column: int  # 1-based; 0 when unknown
    path: str  # field path such as ``ambiti[0].servizi[1].canone_mensile``; "" for syntax
    message: str
    text: str | None = None  # the offending source line, shown under the message
    #: Non-zero for the closing note that stands for this many problems not listed
    #: (-1: reading stopped, so how many more is not known).
    omitted: int = 0

    def __str__(self) -> str:
        where = self.source
        if self.line:
            where += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        head = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        if self.text is None:
            return head
        number = str(self.line)
        gutter = " " * len(number)
        caret = " " * max(self.column - 1, 0) + "^"
        return f"{head}\n {number} | {self.text}\n {gutter} | {caret}"


class DataError(CremaBudgetError):
    """A data file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        #: How many problems the file has, including those not listed…
        self.total = sum(
            max(problem.omitted, 0) or 1 for problem in problems if problem.omitted >= 0
        )
        #: …or at least, when reading stopped early.
        self.incomplete = any(problem.omitted < 0 for problem in problems)
        super().__init__("\n".join(str(problem) for problem in problems))


class UsageError(CremaBudgetError):
    """A command-line argument or option that cannot be honoured."""


class OutputError(CremaBudgetError):
    """A result that cannot be written where it was asked to go."""


#: What the system says when a file cannot be used, in the user's language; other
#: errors keep the system's own words.
_REASONS = {
    getattr(errno, name, -1): message
    for name, message in (
        ("ENOENT", N_("no such file or folder")),
        ("EACCES", N_("permission denied")),
        ("EPERM", N_("operation not permitted")),
        ("ENOSPC", N_("no space left on the disk")),
        ("EDQUOT", N_("disk quota exceeded")),
        ("EISDIR", N_("it is a folder")),
        ("ENOTDIR", N_("a part of the path is not a folder")),
        ("EROFS", N_("the disk is read-only")),
        ("EFBIG", N_("the file is too large")),
        ("ENAMETOOLONG", N_("the name is too long")),
        ("ELOOP", N_("too many symbolic links")),
        ("EIO", N_("input/output error")),
        ("EBUSY", N_("the file is busy")),
        ("EPIPE", N_("the reader of the pipe went away")),
    )
}


def reason(exc: OSError) -> str:
    """Why ``exc`` happened, as a person reads it."""
    from crema_budget.i18n import _

    known = _REASONS.get(exc.errno or 0)
    return _(known) if known is not None else exc.strerror or str(exc)


def install_command(package: str) -> str:
    """The command that installs an optional ``package`` where this tool runs from:
    ``pipx inject`` for a pipx install, else the pip of this very interpreter (a
    venv's, or the system's), so the package lands beside the tool and nowhere
    else."""
    import shlex
    import sys

    prefix = sys.prefix.replace("\\", "/")
    if "/pipx/venvs/" in prefix:
        return f"pipx inject crema-budget {package}"
    if "/uv/tools/" in prefix:
        return f"uv pip install --python {shlex.quote(sys.executable)} {package}"
    return f"{shlex.quote(sys.executable)} -m pip install {package}"
