"""Commands about versions of an agreement: diff (what changed) and bozza (next
year's draft)."""

# No `from __future__ import annotations` here: Typer reads these annotations.

from pathlib import Path
from typing import Annotated

import typer

from crema_budget.cli.app import (
    app,
    deliver,
    documents,
    fail,
    parse_date,
    settings,
    show,
    target,
)
from crema_budget.cli.options import (
    AlOption,
    DataOption,
    DraftYearOption,
    FormatOption,
    HelpOption,
    LocaleOption,
    NoCacheOption,
    OutputOption,
)
from crema_budget.cli.output import stdout_is_terminal
from crema_budget.errors import CremaBudgetError, ExitCode, UsageError
from crema_budget.i18n import N_, _


@app.command(
    add_help_option=False,
    help=N_(
        "Compare two agreements (last year's and a draft, or a file and its amended "
        "version): every input that changed, matched by fee line code, and what it does "
        "to each line, each ambito, the grand totals and the ratio. Each file counts with "
        "its amendments (up to --al, if given). With one file and --al, the file as "
        "signed against the file as amended at that date. Exit code 0 when nothing "
        "changed, 1 when something did.\n\n"
        "Example: crema-budget diff data/ambiti_2016.yaml examples/ambiti_2016_variato.yaml"
    ),
)
def diff(
    ctx: typer.Context,
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar=N_("OLD NEW"),
            show_default=False,
            help=N_("The two agreements; one with --al; none: the embedded one with --al."),
        ),
    ] = None,
    al: AlOption = None,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget import figures
    from crema_budget.agreement.versions import amended, compare
    from crema_budget.views.versions import diff_view

    try:
        s = settings(ctx, data, locale, no_cache)
        paths = list(files or [])
        when = parse_date(al) if al is not None else None
        if len(paths) > 2:
            raise UsageError(_("diff compares two agreements: give OLD and NEW"))
        if len(paths) < 2 and when is None:
            raise UsageError(_("give two agreements (OLD NEW), or one (or none) with --al DATE"))
        if len(paths) == 2:
            old = s._replace(data=paths[0]).agreement()
            new = s._replace(data=paths[1]).agreement()
            names = (paths[0], paths[1])
            # Each as `totals` shows it: with its amendments (up to --al, if given).
            old, new = amended(old, when).agreement, amended(new, when).agreement
        else:
            assert when is not None  # checked above
            source = paths[0] if paths else s.data
            signed = s._replace(data=source).agreement()
            old, new = signed, amended(signed, when).agreement
            name = source or "ambiti_2016.yaml"
            names = (
                name,
                _("{name} at {date}").format(name=name, date=figures.day(when, s.locale)),
            )
        where = target(format, output_, tuple(paths) or (s.data,))
        confronto = compare(old, new)
        show(
            where,
            s.locale,
            lambda: diff_view(confronto, names[0], names[1], s.locale),
            lambda: documents("versions").diff(confronto),
        )
    except CremaBudgetError as error:
        fail(error)
    if not confronto.uguali:
        raise typer.Exit(int(ExitCode.FIGURES_DIFFER))


class DraftRefused(Exception):
    """A draft that the tool's own loader refuses: a bug, never written (exit 70)."""


def _loads(text: str, name: str) -> None:
    """Load the draft as any data file is loaded: a file the tool would refuse is
    never written. The source was valid and the rules are the same, so a refusal
    is a bug of the writer, reported as one with the problems found."""
    from crema_budget.agreement.load import parse_agreement
    from crema_budget.errors import DataError

    try:
        parse_agreement(text, name)
    except DataError as error:
        raise DraftRefused(f"the draft does not load, so it was not written:\n{error}") from None


@app.command(
    add_help_option=False,
    help=N_(
        "Start next year's draft from an agreement: the year changed, stato: bozza, the "
        "amendments folded into the figures, and the declared figures removed or, with "
        "--dichiarati calcolati, filled with the computed ones and marked as not signed. "
        "The file keeps the layout of the data file, for people to edit.\n\n"
        "Example: crema-budget bozza --anno 2017 -o ambiti_2017.yaml"
    ),
)
def bozza(
    ctx: typer.Context,
    anno: DraftYearOption = None,
    dichiarati: Annotated[
        str,
        typer.Option(
            "--dichiarati",
            metavar="rimossi|calcolati",
            help=N_("Declared figures: removed (rimossi, the default) or computed (calcolati)."),
        ),
    ] = "rimossi",
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.agreement.versions import amended
    from crema_budget.agreement.writer import draft

    try:
        s = settings(ctx, data, locale, no_cache)
        if dichiarati not in ("rimossi", "calcolati"):
            raise UsageError(
                _("--dichiarati {given}: write rimossi or calcolati").format(given=repr(dichiarati))
            )
        if output_ is None and stdout_is_terminal():
            raise UsageError(_("give --output FILE for the draft (e.g. ambiti_2017.yaml)"))
        path = None if output_ in (None, "-") else Path(output_ or "")
        if path is not None and path.suffix.lower() not in (".yaml", ".yml"):
            raise UsageError(_("the draft is a data file: give a name ending in .yaml"))
        if path is not None:
            from crema_budget.cli.inputs import refuse_to_overwrite

            refuse_to_overwrite(path, (s.data,))
        loaded = s.load()
        variato = amended(loaded.agreement)
        year = anno if anno is not None else loaded.agreement.documento.anno + 1
        if not 1900 <= year <= 2200:
            raise UsageError(_("--anno {year} is not a plausible year").format(year=year))
        if year <= loaded.agreement.documento.anno:
            raise UsageError(
                _(
                    "--anno {year}: a draft is for a year after the agreement's ({anno}), "
                    "such as {next}"
                ).format(
                    year=year,
                    anno=loaded.agreement.documento.anno,
                    next=loaded.agreement.documento.anno + 1,
                )
            )
        text = draft(
            variato.agreement,
            year,
            declared=dichiarati == "calcolati",
            source=Path(loaded.source).name,
            folded=len(variato.applicate),
        )
        _loads(text, str(path or "<bozza>"))
        deliver(text, path)
    except CremaBudgetError as error:
        fail(error)


@app.command(
    add_help_option=False,
    help=N_(
        "The amendments the agreement lists, in the order they apply: the date, the act "
        "that approved each, what it changed and why, and what it does to the grand "
        "totals (taxable, VAT included) and to the consortium's extra resources.\n\n"
        "Example: crema-budget --data examples/ambiti_2016_variato.yaml variazioni"
    ),
)
def variazioni(
    ctx: typer.Context,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.agreement.variazioni import passi
    from crema_budget.views.variazioni import variazioni_view

    try:
        s = settings(ctx, data, locale, no_cache)
        where = target(format, output_, (s.data,))
        found = passi(s.agreement())
        show(
            where,
            s.locale,
            lambda: variazioni_view(found, s.locale),
            lambda: documents("variazioni").variazioni(found),
        )
    except CremaBudgetError as error:
        fail(error)
