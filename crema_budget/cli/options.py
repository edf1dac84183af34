"""The command line's options that more than one command takes, each declared once.

An option is its names, its placeholder and its help. Where commands take the same
option with words of their own (``--registro`` adds the monitoring to ``report`` but is
the year itself to ``monitor``; ``--anno`` is the draft's year to ``bozza``), one
function declares the option and each command gives it its help. The options only one
command takes are declared with that command.
"""

# No `from __future__ import annotations` here: Typer reads these annotations.

from typing import Annotated, Any

import typer

from crema_budget import __version__
from crema_budget.cli import output
from crema_budget.i18n import N_


def _help(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from crema_budget.cli.usage import help_text

        output.write_stdout(help_text(ctx, output.terminal_columns()))
        raise typer.Exit()


def _version(value: bool) -> None:
    if value:
        output.write_stdout(f"crema-budget {__version__}\n")
        raise typer.Exit()


def registro(help: str) -> Any:
    """``--registro FILE`` (``-r``): the register of the year."""
    return typer.Option("--registro", "-r", metavar=N_("FILE"), show_default=False, help=help)


def anno(help: str) -> Any:
    """``--anno YEAR``."""
    return typer.Option("--anno", metavar=N_("YEAR"), show_default=False, help=help)


def formato(help: str) -> Any:
    """``--format FORMAT`` (``-f``)."""
    return typer.Option("--format", "-f", metavar=N_("FORMAT"), show_default=False, help=help)


def day(name: str, help: str) -> Any:
    """An option that takes a day, written ``2016-06-30`` or ``30/06/2016``."""
    return typer.Option(name, metavar=N_("DATE"), show_default=False, help=help)


HelpOption = Annotated[
    bool,
    typer.Option(
        "--help",
        "-h",
        is_eager=True,
        expose_value=False,
        callback=_help,
        help=N_("Show this help and exit."),
    ),
]
VersionOption = Annotated[
    bool,
    typer.Option(
        "--version",
        callback=_version,
        is_eager=True,
        help=N_("Show the version and exit."),
    ),
]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        "-d",
        metavar=N_("FILE"),
        show_default=False,
        help=N_(
            "Data file to read instead of the embedded 2016 agreement; - reads standard input."
        ),
    ),
]
LocaleOption = Annotated[
    str | None,
    typer.Option(
        "--locale",
        "-l",
        metavar=N_("CODE"),
        show_default=False,
        help=N_(
            "Language of messages and figures: it (€ 1.302.537,59) or en (€1,302,537.59); "
            "default: from LC_ALL, LC_MESSAGES or LANG, else it."
        ),
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help=N_("Read and validate the data files again, without the cache of validated files."),
    ),
]
FormatOption = Annotated[
    str | None,
    formato(
        N_(
            "Output format: table, json, csv, csv-it, markdown, xlsx, ods, html, pdf, odt "
            "or docx; default: from the --output file's extension, else table."
        )
    ),
]
#: The report is a page: without --format or an extension, HTML.
ReportFormatOption = Annotated[
    str | None,
    formato(
        N_(
            "Output format: html, pdf, odt, docx, or any other (table, json, csv, csv-it, "
            "markdown, xlsx, ods); default: from the --output file's extension, else html "
            "(-o - writes the page to standard output)."
        )
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar=N_("FILE"),
        show_default=False,
        help=N_("Write to this file instead of standard output (- is standard output)."),
    ),
]
AlOption = Annotated[
    str | None,
    day(
        "--al",
        N_(
            "The date to look at, as 2016-06-30 or 30/06/2016; default: today, within the "
            "agreement's year."
        ),
    ),
]
RegistroOption = Annotated[
    str | None,
    registro(N_("The register of the year: enrolment, invoices, e-invoices, payments.")),
]
#: The report is the agreement's without a register, the semester report with one.
ReportRegistroOption = Annotated[
    str | None, registro(N_("Add the monitoring of the year from this register."))
]
AnnoOption = Annotated[str | None, anno(N_("The year; default: the agreement's."))]
DraftYearOption = Annotated[
    int | None, anno(N_("The draft's year; default: the year after the agreement's."))
]
