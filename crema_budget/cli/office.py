"""Commands about the office's duties around the agreement: tempestivita (the
payment-timeliness indicator)."""

# No `from __future__ import annotations` here: Typer reads these annotations.

from typing import Annotated

import typer

from crema_budget.cli.app import (
    DataOption,
    FormatOption,
    HelpOption,
    LocaleOption,
    NoCacheOption,
    OutputOption,
    app,
    documents,
    fail,
    settings,
    show,
    target,
)
from crema_budget.cli.year import RegistroOption, load_year
from crema_budget.errors import CremaBudgetError, UsageError
from crema_budget.i18n import N_, _

AnnoOption = Annotated[
    str | None,
    typer.Option(
        "--anno",
        metavar=N_("YEAR"),
        show_default=False,
        help=N_("The year; default: the agreement's."),
    ),
]


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
        "Example: crema-budget tempestivita --registro examples/registro_2016.yaml "
        "--anno 2016 --trimestre 2"
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
