"""Commands about the agreement itself: totals, nido, risorse, check, report, schema."""

# No `from __future__ import annotations` here: Typer reads these annotations.

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from crema_budget.cli import output
from crema_budget.cli.app import (
    amended_at,
    app,
    documents,
    fail,
    parse_date,
    settings,
    show,
    target,
    today,
)
from crema_budget.cli.options import (
    AlOption,
    DataOption,
    FormatOption,
    HelpOption,
    LocaleOption,
    NoCacheOption,
    OutputOption,
    ReportFormatOption,
    ReportRegistroOption,
)
from crema_budget.errors import CremaBudgetError, ExitCode, UsageError
from crema_budget.i18n import N_, _, closest, whole
from crema_budget.render import Format

if TYPE_CHECKING:
    from crema_budget.office.commitments import Impegni
    from crema_budget.office.timeliness import Tempestivita
    from crema_budget.view import Block

#: Enrolments beyond this are a typing slip, not a nursery.
MAX_ISCRITTI = 10_000


@app.command(
    add_help_option=False,
    help=N_(
        "The economic summary: every fee line with its VAT, the ambito subtotals and the "
        "grand total, then the consortium's extra resources and their ratio to the "
        "municipal ones.\n\n"
        "Example: crema-budget totals --output totali.xlsx"
    ),
)
def totals(
    ctx: typer.Context,
    al: AlOption = None,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.agreement.compute import risorse, totali
    from crema_budget.views.agreement import totals_view

    try:
        s = settings(ctx, data, locale, no_cache)
        where = target(format, output_, (s.data,))
        agreement, versione, avvisi = amended_at(s, al)
        municipali = totali(agreement)
        consorzio = risorse(agreement, municipali)
        show(
            where,
            s.locale,
            lambda: totals_view(
                agreement.documento, municipali, consorzio, s.locale, versione, avvisi
            ),
            lambda: documents("agreement").totals(municipali, consorzio, versione),
            avvisi,
        )
    except CremaBudgetError as error:
        fail(error)


def _iscritti(value: str | None) -> int | None:
    """A count of children: a whole number from 0 to :data:`MAX_ISCRITTI`."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        raise UsageError(
            _("--iscritti must be a whole number of children, such as 23 (got {value})").format(
                value=repr(value)
            )
        )
    count = int(text)
    if count > MAX_ISCRITTI:
        raise UsageError(
            _("--iscritti {count} is not a plausible number of children (at most {limit})").format(
                count=count, limit=whole(MAX_ISCRITTI)
            )
        )
    return count


@app.command(
    add_help_option=False,
    help=N_(
        "The nursery's fee for a number of enrolled children: the tier, the monthly fee, "
        "VAT, the total over the year and the difference from the full fee. Without "
        "--iscritti, the table of every tier.\n\n"
        "Below 20 children the agreement defines no fee: it must be renegotiated as a "
        "whole (exit code 3).\n\n"
        "Example: crema-budget nido --iscritti 23"
    ),
)
def nido(
    ctx: typer.Context,
    iscritti: Annotated[
        str | None,
        typer.Option(
            "--iscritti",
            "-n",
            metavar="N",
            show_default=False,
            help=N_("Children enrolled (0 or more); without it, the table of every tier."),
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
    from crema_budget.agreement.compute import Rimodulazione, preventivo_nido, tariffe_nido
    from crema_budget.views.agreement import fasce_view, nido_view

    try:
        s = settings(ctx, data, locale, no_cache)
        count = _iscritti(iscritti)
        where = target(format, output_, (s.data,))
        agreement, _versione, _avvisi = amended_at(s, al)
        if count is None:
            tariffe = tariffe_nido(agreement)
            show(
                where,
                s.locale,
                lambda: fasce_view(tariffe),
                lambda: documents("agreement").fasce(tariffe),
            )
            return
        quote = preventivo_nido(agreement, count)
        show(
            where,
            s.locale,
            lambda: nido_view(quote, s.locale),
            lambda: documents("agreement").nido(quote),
        )
    except CremaBudgetError as error:
        fail(error)
    if isinstance(quote, Rimodulazione):
        raise typer.Exit(int(ExitCode.NO_FEE_DEFINED))


@app.command(
    "risorse",
    add_help_option=False,
    help=N_(
        "The consortium's extra resources per ambito (or item by item), the shares of the 1%, the "
        "total and its ratio to the municipal resources, exact and as the document "
        "declares it.\n\n"
        "Example: crema-budget risorse --voci"
    ),
)
def risorse_command(
    ctx: typer.Context,
    voci: Annotated[
        bool, typer.Option("--voci", help=N_("List every item of every ambito."))
    ] = False,
    al: AlOption = None,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.agreement.compute import risorse
    from crema_budget.views.agreement import risorse_view

    try:
        s = settings(ctx, data, locale, no_cache)
        where = target(format, output_, (s.data,))
        agreement, versione, avvisi = amended_at(s, al)
        consorzio = risorse(agreement)
        show(
            where,
            s.locale,
            lambda: risorse_view(consorzio, voci, s.locale, versione, avvisi),
            lambda: documents("agreement").risorse(consorzio),
            avvisi,
        )
    except CremaBudgetError as error:
        fail(error)


@app.command(
    add_help_option=False,
    help=N_(
        "Recompute every figure the document declares and compare. Exit code 0 when all "
        "agree, 1 when any differs or when the grand totals or the consortium's total are "
        "not declared at all (a file cut short). The verdict is the last line; --quiet "
        "prints it alone.\n\n"
        "Example: crema-budget --data examples/ambiti_2016_variato.yaml check"
    ),
)
def check(
    ctx: typer.Context,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help=N_("Print only the verdict line (for CI logs); the exit code says the same."),
        ),
    ] = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.agreement.checks import run_checks
    from crema_budget.views.checks import MAX_TERMINAL_ROWS, check_view, verdict

    try:
        s = settings(ctx, data, locale, no_cache)
        where = target(format, output_, (s.data,))
        if quiet and (where.fmt is not Format.TABLE or where.path is not None):
            raise UsageError(
                _("--quiet prints one line to standard output: give neither --format nor --output")
            )
        agreement = s.agreement()
        from crema_budget.cli.progress import working

        with working(_("checking the declared figures…")):
            controllo = run_checks(agreement)
        if quiet:
            output.write_stdout(verdict(controllo).text + "\n")
            if not controllo.ok:
                raise typer.Exit(int(ExitCode.FIGURES_DIFFER))
            return
        terse = where.fmt is Format.TABLE and len(controllo.checks) > MAX_TERMINAL_ROWS
        show(
            where,
            s.locale,
            lambda: check_view(controllo, s.locale, attention_only=terse),
            lambda: documents("checks").check(controllo),
        )
    except CremaBudgetError as error:
        fail(error)
    if not controllo.ok:
        raise typer.Exit(int(ExitCode.FIGURES_DIFFER))


@app.command(
    add_help_option=False,
    help=N_(
        "The accountability report for the Giunta and the council commission: the "
        "summary with a chart by ambito, every fee line and consortium item, the nursery "
        "tiers and the check of every declared figure, with where the figures come from. "
        "HTML by default (self-contained, prints cleanly); PDF with the pdf extra; "
        "OpenDocument text (.odt) or Word (.docx) for an office to edit.\n\n"
        "Example: crema-budget report --output report.html"
    ),
)
def report(
    ctx: typer.Context,
    output_: OutputOption = None,
    registro: ReportRegistroOption = None,
    al: AlOption = None,
    format: ReportFormatOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.reading.source import Provenance
    from crema_budget.views.report import report_view

    try:
        s = settings(ctx, data, locale, no_cache)
        if output_ is None and format is None:
            raise UsageError(
                _(
                    "give --output FILE (report.html, report.odt, report.docx, or report.pdf "
                    "with the pdf extra)"
                )
            )
        generated = today()
        when = parse_date(al) if al is not None else None
        monitoraggio = None
        ufficio: list[Block] = []
        duties: tuple[Impegni, Tempestivita] | None = None
        piano = None
        consegne = None
        register = None
        inputs: tuple[str | None, ...] = (s.data,)
        if registro is not None:
            from crema_budget.agreement.versions import amended
            from crema_budget.cli.year import load_year, office_duties
            from crema_budget.money import ZERO
            from crema_budget.reading import source
            from crema_budget.views.commitments import office_blocks
            from crema_budget.year import monitor as monitoring
            from crema_budget.year.resources import delivered
            from crema_budget.year.workplan import piano as plan_at

            year = load_year(s, registro)
            inputs = year.inputs
            at = when or monitoring.default_date(year.agreement, generated)
            version = amended(year.agreement, at).agreement
            monitoraggio = monitoring.monitor(
                version, year.registro, at, year.invoices, year.errors
            )
            piano = plan_at(year.agreement, year.registro, at)
            consegne = delivered(
                version, year.registro, at, sum((x.fatturato for x in monitoraggio.linee), ZERO)
            )
            monitoraggio, impegni, tempestivita = office_duties(year, monitoraggio)
            ufficio = office_blocks(impegni, tempestivita, s.locale)
            duties = (impegni, tempestivita)
            raw = source.read_file(Path(registro))
            register = Provenance(registro, source.sha256_hex(raw), generated)
            s = s._replace(data=year.data)
        where = target(format, output_, inputs, default=Format.HTML)
        loaded = s.load()
        provenance = Provenance(loaded.source, loaded.sha256, generated)
        show(
            where,
            s.locale,
            lambda: report_view(
                loaded.agreement,
                provenance,
                s.locale,
                monitoraggio,
                register,
                when,
                piano,
                consegne,
                ufficio,
            ),
            lambda: _report_document(
                documents("report").report(
                    loaded.agreement, provenance, monitoraggio, when, piano, consegne
                ),
                duties,
            ),
        )
    except CremaBudgetError as error:
        fail(error)


def _report_document(
    document: dict[str, Any], duties: "tuple[Impegni, Tempestivita] | None"
) -> dict[str, Any]:
    """The report's JSON; its monitoring with the office's duties, as ``monitor`` writes it."""
    if duties is None or document.get("monitor") is None:
        return document
    from crema_budget.cli.year import with_office

    return {**document, "monitor": with_office(document["monitor"], *duties)}


#: The data formats with a schema; the JSON documents are listed in schemas.
DATA_FORMATS = ("agreement", "registro")
#: The Italian names of the schemas, beside the English ones.
ITALIAN_NAMES = {"convenzione": "agreement", "accordo": "agreement"}


@app.command(
    add_help_option=False,
    help=N_(
        "Print a JSON Schema: of a data format, for editors that check YAML as you type "
        "(convenzione, the agreement, the default; or registro, the register of the year), "
        "or of the JSON document a command writes with --format json, for scripts (totals, "
        "nido, nido-fasce, risorse, check, diff, tempestivita, variazioni, piano, monitor, "
        "fatture, report).\n\n"
        "Example: crema-budget schema totals"
    ),
)
def schema(
    which: Annotated[
        str,
        typer.Argument(
            metavar=N_("NAME"),
            show_default=False,
            help=N_(
                "convenzione (the agreement), registro, or a command's document, such as totals"
            ),
        ),
    ] = "convenzione",
    output_: OutputOption = None,
    locale: LocaleOption = None,
    help_: HelpOption = False,
) -> None:
    from crema_budget.documents.schemas import DOCUMENTS

    try:
        names = ("convenzione", "registro", *DOCUMENTS)
        known = (*names, *DATA_FORMATS, *ITALIAN_NAMES)
        if which not in known:
            close = closest(which, known)
            message = _("unknown schema {given}; use one of: {names}").format(
                given=repr(which), names=", ".join(names)
            )
            if close:
                message = _("unknown schema {given}; did you mean {suggestion}?").format(
                    given=repr(which), suggestion=close
                )
            raise UsageError(message)
        which = ITALIAN_NAMES.get(which, which)
        where = target("json", output_, ())
        if which in DATA_FORMATS:
            from crema_budget.documents.data_schemas import json_schema

            text = json_schema(which)
        else:
            from crema_budget.documents import schemas

            text = schemas.json_schema(which)
        if where.path is None:
            output.write_stdout(text)
        else:
            from crema_budget.cli.app import deliver

            deliver(text, where.path)
    except CremaBudgetError as error:
        fail(error)
