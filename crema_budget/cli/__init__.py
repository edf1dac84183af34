"""The ``crema-budget`` command: the entry point and the language of the run.

The language is settled before anything is parsed or printed, so that help,
usage errors and data errors all speak it: ``--locale`` wherever it is on the
command line, else the environment, else Italian.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import Any

from crema_budget import i18n
from crema_budget.errors import CremaBudgetError, ExitCode

PROG = "crema-budget"


def language_of_args(args: Sequence[str]) -> tuple[str | None, str | None]:
    """The ``--locale`` the arguments give (the last one wins), and the language
    it names; (None, None) when there is none, (code, None) when it names a
    language the tool does not speak."""
    code: str | None = None
    items = list(args)
    for index, arg in enumerate(items):
        if arg == "--":
            break
        if arg in ("--locale", "-l") and index + 1 < len(items):
            code = items[index + 1]
        elif arg.startswith("--locale="):
            code = arg.partition("=")[2]
        elif arg.startswith("-l") and len(arg) > 2 and not arg.startswith("--"):
            code = arg[2:]
    if code is None:
        return None, None
    return code, i18n.language_of(code)


def run(args: Sequence[str]) -> int:
    """Run the command line ``args``; return the exit code. Prints only through
    :mod:`crema_budget.cli.output`.

    An exception the tool did not expect is a bug: one line says so and where the
    details are, and the exit code is 70 (:mod:`crema_budget.cli.bug`). The exits
    the tool means (``typer.Exit``, 141 for a closed pipe, 2 for an output that
    cannot be written) are codes returned here, never exceptions.
    """
    try:
        return _run(args)
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as error:  # a bug, said as one
        from crema_budget.cli.bug import internal_error

        return internal_error(error, args)
    finally:
        _cache_notices()


def _interrupted() -> int:
    """Ctrl-C: one line, and 130 (never 1, which says that figures differ)."""
    from crema_budget.cli import output

    output.write_stderr(f"{PROG}: " + i18n._("interrupted"))
    return int(ExitCode.INTERRUPTED)


def _cache_notices() -> None:
    """Say, once, why the cache of validated files was not used, if it matters."""
    cache = sys.modules.get("crema_budget.reading.cache")
    if cache is None:  # not imported: nothing was read through it
        return
    from crema_budget.cli import output

    for notice in cache.notices():
        output.write_stderr(f"{PROG}: " + i18n._("warning: {text}").format(text=notice))


def _run(args: Sequence[str]) -> int:
    from crema_budget.cli import output

    code, language = language_of_args(args)
    i18n.activate(language or i18n.language_from_environment())
    progress = sys.modules.get("crema_budget.cli.progress")
    if progress is not None:  # a run before this one, in the same process, disabled it
        progress.enable()
    if code is not None and language is None:
        output.write_stderr(
            f"{PROG}: "
            + i18n._("unknown language {code}; use it (Italiano) or en (English)").format(
                code=repr(code)
            )
        )
        return 2
    if code is not None and not _known_figures(code):
        output.write_stderr(
            f"{PROG}: "
            + i18n._("unknown locale {code}; use a code such as it, it_CH, en or en_GB").format(
                code=repr(code)
            )
        )
        return 2
    import typer
    import typer.main

    command = typer.main.get_command(application())
    if not args:
        from crema_budget.cli.usage import help_text

        ctx = command.make_context(PROG, [], resilient_parsing=True)
        output.write_stderr(help_text(ctx, output.terminal_columns()))
        return 2
    try:
        result: Any = command.main(list(args), prog_name=PROG, standalone_mode=False)
    except CremaBudgetError as error:  # raised before a command runs (no command given)
        output.write_stderr(f"{PROG}: {error}")
        return int(error.exit_code)
    except typer.Abort:  # Click's word for Ctrl-C (there are no prompts)
        return _interrupted()
    except typer.TyperException as exc:
        if not hasattr(exc, "ctx"):
            raise
        return _usage_error(exc, command, list(args))
    if result == ExitCode.INTERRUPTED:  # Typer's own word for Ctrl-C in a command
        return _interrupted()
    return int(result) if isinstance(result, int) else 0


def application() -> Any:
    """The Typer application with every command registered."""
    from crema_budget.cli import agreement as _agreement  # noqa: F401 - registers commands
    from crema_budget.cli import office as _office  # noqa: F401
    from crema_budget.cli import versions as _versions  # noqa: F401
    from crema_budget.cli import year as _year  # noqa: F401
    from crema_budget.cli.app import app

    return app


def _known_figures(code: str) -> bool:
    from crema_budget.figures import known_locale

    return known_locale(code)


def _usage_error(exc: Any, group: Any, args: list[str]) -> int:
    """A parser error: the usage line, the message and a hint, in the user's language."""
    from crema_budget.cli import output, usage

    if getattr(exc, "ctx", None) is None:  # the parser does not say which command it was
        exc.ctx = usage.command_context(group, args)
    message, ctx = usage.error_message(exc)
    lines = []
    if ctx is not None:
        lines.append(usage.help_text(ctx, output.terminal_columns()).splitlines()[0])
    lines.append(f"{PROG}: {message}")
    lines.append(usage.hint(ctx))
    output.write_stderr("\n".join(lines))
    return 2


def main() -> None:
    """Entry point of the ``crema-budget`` script."""
    # A run is short and what it builds holds no reference cycles; reference
    # counting frees it. The loader pauses the cyclic collector while loading;
    # after that, checks and rendering would make it walk every record again
    # and again, so it stays off for the whole run.
    gc.disable()
    try:
        code = run(sys.argv[1:])
    finally:
        # At exit the interpreter runs one last full collection over every
        # object still alive, to free memory the process is about to hand back
        # anyway (README, Performance). It skips frozen objects.
        gc.freeze()
    sys.exit(code)
