"""The command line: glue only. Loads, computes, renders, and decides where output goes.

This is the one module that touches stdout, stderr and exit codes.
"""

# No `from __future__ import annotations` here: Typer reads these annotations when
# a command runs; real objects spare an eval() per annotation at every start-up.

import gc
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn

import typer

from crema_budget import __version__
from crema_budget.errors import CremaBudgetError, DataError, ExitCode, UsageError
from crema_budget.fmt import DEFAULT_LOCALE
from crema_budget.render import Format, Output, renderer

if TYPE_CHECKING:
    from rich.console import Console

    from crema_budget.model import Agreement

app = typer.Typer(
    name="crema-budget",
    help=(
        "Budget calculator and figure checker for the 2016 co-design agreement "
        "between the Comune di Crema and the Consorzio Sul Serio.\n\n"
        "Every command reads the embedded 2016 agreement unless --data names another file."
    ),
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

#: Width used when a table is written to a file or a pipe.
FILE_WIDTH = 120


class Settings(NamedTuple):
    """The global options, shared with every command through the context."""

    data: Path | None = None
    locale: str = DEFAULT_LOCALE

    def agreement(self) -> "Agreement":
        # Imported here: building the models costs milliseconds --help never needs.
        from crema_budget.loader import load_agreement

        return load_agreement(self.data)


def _console(**options: Any) -> "Console":
    """A Rich console. Text from the data file is never read as Rich markup or
    :emoji: codes (a voce with "[...]" prints as written), which is faster too."""
    from rich.console import Console  # imported here: --help never needs it

    return Console(highlight=False, markup=False, emoji=False, **options)


def _stdout() -> "Console":
    # Piped or redirected output (CI logs, `> file.txt`) gets the same width as
    # --output, not Rich's 80 columns; COLUMNS still wins when set.
    if "COLUMNS" not in os.environ and not sys.stdout.isatty():
        return _console(width=FILE_WIDTH)
    return _console()


def _stderr() -> "Console":
    return _console(stderr=True)


@contextmanager
def _reported() -> Iterator[None]:
    """Turn the tool's own errors into a message on stderr and their exit code."""
    try:
        yield
    except DataError as error:
        count = error.total
        source = error.problems[0].source if error.problems else "the data file"
        summary = f"{count} problem{'s' if count != 1 else ''} in {source}; nothing was computed"
        _fail(f"{error}\n{summary}" if count > 1 else str(error), error.exit_code)
    except CremaBudgetError as error:
        _fail(str(error), error.exit_code)


def _fail(message: str, code: ExitCode) -> NoReturn:
    _stderr().print(
        f"crema-budget: {message}",
        markup=False,
        highlight=False,
        soft_wrap=True,
        style="red" if code == ExitCode.BAD_INPUT else None,
    )
    raise typer.Exit(int(code))


def _emit(output: Output, fmt: Format | None, path: Path | None) -> None:
    """Write a rendered result to ``path`` (``-`` or none: stdout).

    ``fmt`` is the ``--format`` asked for; ``report`` has none.
    """
    to_stdout = path is None or str(path) == "-"
    if isinstance(output, bytes):
        assert fmt is not None  # only a --format (xlsx) gives bytes
        if to_stdout and sys.stdout.isatty():
            raise UsageError(f"{fmt.value} is a binary format: give --output FILE.{fmt.value}")
        if to_stdout:
            sys.stdout.buffer.write(output)
            sys.stdout.flush()
        else:
            _write(path, output)
        return
    if not isinstance(output, str):  # a Rich renderable
        if to_stdout:
            _stdout().print(output)
            return
        buffer = io.StringIO()
        _console(width=FILE_WIDTH, file=buffer, color_system=None).print(output)
        output = buffer.getvalue()
    if to_stdout:
        sys.stdout.write(output)
        sys.stdout.flush()
    else:
        _write(path, output.encode("utf-8"))


def _write(path: Path | None, content: bytes) -> None:
    assert path is not None
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    _stderr().print(f"wrote {path} ({len(content):,} bytes)", markup=False)


def _version(value: bool) -> None:
    if value:
        print(f"crema-budget {__version__}")
        raise typer.Exit()


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        "-d",
        metavar="PATH",
        help="Data file to read instead of the embedded 2016 agreement.",
        dir_okay=True,
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="PATH",
        show_default=False,
        help="Write to this file instead of the terminal (required for xlsx).",
    ),
]


@app.callback()
def main_callback(
    ctx: typer.Context,
    data: DataOption = None,
    locale: Annotated[
        str,
        typer.Option(
            "--locale",
            "-l",
            metavar="CODE",
            help="Language for figures: it → € 1.302.537,59, en → €1,302,537.59.",
        ),
    ] = DEFAULT_LOCALE,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Budget calculator and figure checker for the Crema 2016 co-design agreement."""
    ctx.obj = Settings(data=data, locale=locale)


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_object(Settings)
    return settings if settings is not None else Settings()


@app.command()
def totals(
    ctx: typer.Context,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """The economic summary: every fee line with VAT, ambito subtotals, grand total,
    then the consortium's extra resources and their ratio.

    Example: crema-budget totals --format csv -o totali.csv
    """
    from crema_budget.compute import risorse, totali

    with _reported():
        settings = _settings(ctx)
        agreement = settings.agreement()
        municipali = totali(agreement)
        out = renderer(format, settings.locale).totals(municipali, risorse(agreement, municipali))
        _emit(out, format, output)


@app.command()
def nido(
    ctx: typer.Context,
    iscritti: Annotated[
        int | None,
        typer.Option(
            "--iscritti",
            "-n",
            min=1,
            metavar="N",
            help="Children enrolled; without it, the table of every tier.",
        ),
    ] = None,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """The nursery's fee for a number of enrolled children: tier, monthly fee, VAT,
    the total over the year and the difference from the full-fee contract.

    Below 20 children no fee is defined: the agreement must be renegotiated
    (exit code 3).

    Example: crema-budget nido --iscritti 23
    """
    from crema_budget.compute import preventivo_nido, tariffe_nido

    with _reported():
        settings = _settings(ctx)
        agreement = settings.agreement()
        render = renderer(format, settings.locale)
        if iscritti is None:
            out = render.fasce(tariffe_nido(agreement))
        else:
            out = render.nido(preventivo_nido(agreement, iscritti))
        _emit(out, format, output)


@app.command("risorse")
def risorse_command(
    ctx: typer.Context,
    voci: Annotated[bool, typer.Option("--voci", help="List every item of every ambito.")] = False,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """The consortium's extra resources per ambito, the 1% shares, the total and
    its ratio to the municipal resources (exact, and as the document declares it).

    Example: crema-budget risorse --voci
    """
    from crema_budget.compute import risorse

    with _reported():
        settings = _settings(ctx)
        out = renderer(format, settings.locale).risorse(risorse(settings.agreement()), voci)
        _emit(out, format, output)


@app.command()
def check(
    ctx: typer.Context,
    format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Recompute every figure the document declares and compare. Exit code 0 when
    all agree, 1 when any differs.

    Example: crema-budget --data bozza_2017.yaml check
    """
    from crema_budget.checks import run_checks

    with _reported():
        settings = _settings(ctx)
        checks = run_checks(settings.agreement())
        _emit(renderer(format, settings.locale).check(checks), format, output)
        wrong = sum(not c.ok for c in checks)
        if wrong:
            raise typer.Exit(int(ExitCode.FIGURES_DIFFER))


@app.command()
def report(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            show_default=False,
            help="The HTML file to write; - for standard output.",
        ),
    ],
) -> None:
    """One self-contained HTML page for the accountability meeting: the summary
    with a chart by ambito, every fee line and consortium resource, the nursery
    tiers and the check of every declared figure. Prints cleanly to PDF.

    Example: crema-budget report --output report.html
    """
    from crema_budget.checks import run_checks
    from crema_budget.compute import risorse, tariffe_nido, totali
    from crema_budget.render.html import HtmlReport

    with _reported():
        settings = _settings(ctx)
        agreement = settings.agreement()
        municipali = totali(agreement)
        page = HtmlReport(settings.locale).render(
            agreement.documento,
            municipali,
            risorse(agreement, municipali),
            tariffe_nido(agreement) if agreement.nido is not None else (),
            run_checks(agreement),
        )
        _emit(page, None, output)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the data format, for editors that check YAML as you type.

    Example: crema-budget schema > data/ambiti.schema.json
    """
    from crema_budget.schema import json_schema

    sys.stdout.write(json_schema())


def main() -> None:
    """Entry point of the ``crema-budget`` script."""
    # A run is short and what it builds holds no reference cycles; reference
    # counting frees it. The loader pauses the cyclic collector while loading;
    # after that, checks and rendering still make it walk every model again and
    # again (10 % of a 2,000-ambiti check), so it stays off for the whole run.
    gc.disable()
    try:
        app()
    finally:
        # At exit the interpreter runs one last full collection over every
        # object still alive (Pydantic's schemas, Typer, Rich, the data), to
        # free memory the process is about to hand back anyway: 30 ms of a
        # 184 ms `totals` (README, Performance). It skips frozen
        # objects; atexit handlers, flushing and the exit code are unchanged.
        gc.freeze()
