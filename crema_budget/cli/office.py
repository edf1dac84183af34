"""Commands about the office's duties around the agreement: tempestivita (the
payment-timeliness indicator) and anac (the dataset of Law 190/2012)."""

# No `from __future__ import annotations` here: Typer reads these annotations.

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from crema_budget.cli.app import (
    app,
    documents,
    fail,
    settings,
    show,
    target,
)
from crema_budget.cli.options import (
    AnnoOption,
    DataOption,
    FormatOption,
    HelpOption,
    LocaleOption,
    NoCacheOption,
    OutputOption,
    RegistroOption,
    day,
)
from crema_budget.cli.year import load_year
from crema_budget.errors import CremaBudgetError, UsageError
from crema_budget.i18n import N_, _


def _whole(value: str | None, option: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` given to ``option``, or a usage error."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise UsageError(
            _("{option} must be a whole number from {low} to {high} (got {value})").format(
                option=option, low=low, high=high, value=repr(value)
            )
        )
    return int(text)


@app.command(
    add_help_option=False,
    help=N_(
        "The payment-timeliness indicator (DPCM 22 September 2014, art. 9) of a year or a "
        "quarter: for the invoices paid in it, the days from the due date to the payment "
        "(negative when early) weighted by the amount paid. The due date is the receipt "
        "(ricevuta, else the invoice's date) plus the payment term (termine_pagamento of "
        "the register or the agreement, else 30 days). A period with no payment has no "
        "indicator.\n\n"
        "Example: crema-budget tempestivita -r examples/registro_2016.yaml --trimestre 2"
    ),
)
def tempestivita(
    ctx: typer.Context,
    registro: RegistroOption = None,
    anno: AnnoOption = None,
    trimestre: Annotated[
        str | None,
        typer.Option(
            "--trimestre",
            metavar="N",
            show_default=False,
            help=N_("A quarter of the year, 1 to 4; without it, the whole year."),
        ),
    ] = None,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.office.timeliness import tempestivita as indicator
    from crema_budget.views.timeliness import timeliness_view

    try:
        s = settings(ctx, data, locale, no_cache)
        if registro is None:
            raise UsageError(_("give --registro FILE: the register of the year"))
        year_given = _whole(anno, "--anno", 1900, 2999)
        quarter = _whole(trimestre, "--trimestre", 1, 4)
        year = load_year(s, registro)
        where = target(format, output_, year.inputs)
        documento = year.agreement.documento
        result = indicator(
            year.registro,
            year.invoices,
            year_given or documento.anno,
            quarter,
            agreement_term=documento.termine_pagamento,
        )
        show(
            where,
            s.locale,
            lambda: timeliness_view(result, documento, s.locale),
            lambda: documents("timeliness").tempestivita(result),
        )
    except CremaBudgetError as error:
        fail(error)


@app.command(
    add_help_option=False,
    help=N_(
        "The dataset of art. 1, comma 32 of Law 190/2012 for the agreement's year: the "
        "legge190:pubblicazione XML of ANAC's specification in force for that year (1.0 "
        "for 2016), from the register's affidamento: block, the agreement's taxable total "
        "as amended at the year's end and the sums paid in the year, VAT excluded. No "
        "dataset is due from 2024 (d.lgs. 36/2023).\n\n"
        "Example: crema-budget anac --registro examples/registro_2016.yaml -o l190.xml"
    ),
)
def anac(
    ctx: typer.Context,
    registro: RegistroOption = None,
    anno: AnnoOption = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="URL",
            show_default=False,
            help=N_("Where the file is published (urlFile); default: the output's name."),
        ),
    ] = None,
    pubblicazione: Annotated[
        str | None,
        day(
            "--data-pubblicazione",
            N_(
                "The day the dataset was first published (dataPubblicazioneDataset), as "
                "2017-01-31 or 31/01/2017; default: SOURCE_DATE_EPOCH if set, else today. "
                "Give it to write again, byte for byte, the file you published."
            ),
        ),
    ] = None,
    aggiornamento: Annotated[
        str | None,
        day(
            "--data-aggiornamento",
            N_(
                "The day of the dataset's last update (dataUltimoAggiornamentoDataset), "
                "when a corrected file replaces the one published; default: the day of "
                "publication."
            ),
        ),
    ] = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.agreement.compute import totali
    from crema_budget.agreement.versions import amended
    from crema_budget.cli.app import deliver, today
    from crema_budget.cli.inputs import refuse_to_overwrite
    from crema_budget.office import anac as dataset

    try:
        s = settings(ctx, data, locale, no_cache)
        if registro is None:
            raise UsageError(_("give --registro FILE: the register of the year"))
        year_given = _whole(anno, "--anno", 1900, 2999)
        published, updated = _publication_days(pubblicazione, aggiornamento)
        if year_given is not None and year_given > dataset.LAST_YEAR:
            raise _no_dataset(year_given)
        year = load_year(s, registro)
        path = None if output_ in (None, "-") else Path(output_ or "")
        if path is not None:
            refuse_to_overwrite(path, year.inputs)
        documento = year.agreement.documento
        anno_ = year_given or documento.anno
        if anno_ > dataset.LAST_YEAR:
            raise _no_dataset(anno_)
        if anno_ != documento.anno:
            raise UsageError(
                _("--anno {given}: the agreement is of {year}").format(
                    given=anno_, year=documento.anno
                )
            )
        award = year.registro.affidamento
        if award is None:
            raise UsageError(
                _(
                    "the register {path} has no affidamento: block (cig, oggetto, "
                    "scelta_contraente, ente, aggiudicatario, inizio, fine)"
                ).format(path=registro)
            )
        versione = dataset.version_for(anno_)
        if award.scelta_contraente not in versione.procedure:
            raise _register_problem(
                Path(registro),
                ("affidamento", "scelta_contraente"),
                _(
                    "{code} is not a procedure of ANAC's list {version} (for {year}): use "
                    "one of {codes}"
                ).format(
                    code=award.scelta_contraente,
                    version=versione.numero,
                    year=anno_,
                    codes=", ".join(sorted(versione.procedure)),
                ),
            )
        awarded = totali(amended(year.agreement, date(anno_, 12, 31)).agreement).imponibile
        paid = dataset.sums_paid(year.registro, year.invoices, anno_)
        for amount in (awarded, paid):
            if not 0 <= amount <= dataset.MAX_AMOUNT:
                raise UsageError(
                    _("{amount} is outside what ANAC's schema allows (0 to {limit})").format(
                        amount=amount, limit=dataset.MAX_AMOUNT
                    )
                )
        content = dataset.xml(
            dataset.dataset(
                award,
                anno_,
                awarded,
                paid,
                published or today(),
                url or (path.name if path is not None else "l190.xml"),
                updated,
            )
        )
        deliver(content, path)
    except CremaBudgetError as error:
        fail(error)


def _no_dataset(year: int) -> UsageError:
    """Why no dataset is due for ``year`` (from 2024): a usage error."""
    return UsageError(
        _(
            "no dataset of Law 190/2012 is due for {year}: art. 28, comma 3 of "
            "d.lgs. 36/2023 repealed the obligation from 1 January 2024; the data "
            "go to ANAC's national database of public contracts instead"
        ).format(year=year)
    )


def _publication_days(
    published: str | None, updated: str | None
) -> tuple[date | None, date | None]:
    """The days of ``--data-pubblicazione`` and ``--data-aggiornamento``, or a usage
    error: a day that is not one, an update before the publication."""
    from crema_budget.cli.app import parse_date, today

    first = parse_date(published, "--data-pubblicazione") if published is not None else None
    last = parse_date(updated, "--data-aggiornamento") if updated is not None else None
    published_on = first or today()
    if last is not None and last < published_on:
        message = _("--data-aggiornamento {updated} is before the day of publication {published}")
        raise UsageError(
            message.format(updated=updated, published=published_on.strftime("%d/%m/%Y"))
        )
    return first, last


def _register_problem(register: Path, where: tuple[str | int, ...], message: str) -> Exception:
    """A problem of the register, at its line (``file:line:col: field.path: …``)."""
    from crema_budget.reading import loader, source
    from crema_budget.year import register as format_of_the_register

    text = source.decode(source.read_file(register), str(register))
    return loader.problems_at(
        text, str(register), format_of_the_register.Registro, [(where, message)]
    )
