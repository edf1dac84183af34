"""The view of the e-invoices read (``fatture``): every line, the fee line it goes to,
and what is wrong or within SdI's tolerances.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from crema_budget.i18n import _, ngettext
from crema_budget.view import (
    Block,
    Cell,
    Column,
    Kind,
    Paragraph,
    Placeholder,
    Row,
    Style,
    Table,
    Value,
    View,
)
from crema_budget.views.monitor import anomaly_text, notes_paragraphs
from crema_budget.year.anomalies import DOCUMENT_PROBLEMS, Anomalia
from crema_budget.year.assign import Letture

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica
    from crema_budget.year.records import Abbinamento


def fatture_view(
    invoices: Sequence[FatturaElettronica],
    errors: Sequence[tuple[str, str]],
    rules: Sequence[Abbinamento],
    locale: str,
    letture: Letture,
) -> View:
    """`fatture`: every line of every e-invoice read, the fee line it goes to (with a
    register's ``rules``), and what is wrong, or within SdI's tolerances, in ``letture``
    (:func:`crema_budget.year.assign.assign`'s result)."""
    assigned = {(e.documento, e.riga): e.servizio for e in letture.entries}
    columns = (
        # The file's name (27 characters) would leave a narrow terminal no room: the
        # reading formats name it in the table of files below; grids keep it per line.
        Column("file", _("File"), once=True, grid_only=True),
        Column("numero", _("Number"), once=True),
        Column("data", _("Date"), Kind.DATE, once=True),
        Column("tipo_documento", _("Document type"), grid_only=True),
        Column("versione", _("FatturaPA version"), grid_only=True),
        Column("numero_linea", _("Line"), Kind.COUNT),
        Column("descrizione", _("Description")),
        Column("dal", _("From"), Kind.DATE, grid_only=True),
        Column("al", _("To"), Kind.DATE, grid_only=True),
        Column("imponibile", _("Taxable amount"), Kind.MONEY, short=_("Taxable")),
        Column("aliquota_iva", _("VAT rate"), Kind.RATE, short=_("Rate")),
        # Without a register no line has a fee line: the column would be empty.
        Column("servizio", _("Fee line"), short=_("Code"), grid_only=not rules),
        Column("firmata", _("Signed (not verified)"), Kind.YESNO, grid_only=True),
    )
    rows: list[Row] = []
    for invoice in invoices:
        first = True
        document = f"{invoice.file}#{invoice.indice}"
        for riga in invoice.righe:
            servizio: Cell = None
            if rules:
                servizio = assigned.get((document, riga.numero_linea)) or Placeholder(
                    _("not counted")
                )
            rows.append(
                Row(
                    (
                        PurePath(invoice.file).name,
                        invoice.numero,
                        invoice.data,
                        invoice.tipo_documento,
                        invoice.versione,
                        riga.numero_linea,
                        riga.descrizione,
                        riga.data_inizio,
                        riga.data_fine,
                        riga.prezzo_totale,
                        Value(riga.aliquota_iva, Kind.RATE),
                        servizio,
                        invoice.firmata,
                    ),
                    group=first,
                )
            )
            first = False
    blocks: list[Block] = []
    count = len(invoices)
    blocks.append(
        Paragraph(
            ngettext("{n} e-invoice read.", "{n} e-invoices read.", count).format(n=count),
            Style.NORMAL,
        )
    )
    if any(invoice.firmata for invoice in invoices):
        blocks.append(
            Paragraph(
                _(
                    "Signed files (.p7m): their content was read, but the signature was not "
                    "verified: that needs certificate lists that are not available offline."
                ),
                Style.NOTE,
            )
        )
    blocks.append(Table(_("E-invoice lines"), columns, tuple(rows), sheet=_("E-invoices")))
    blocks.append(_files(invoices))
    blocks.extend(notes_paragraphs(letture.notes, locale))
    shown = fatture_problems(letture.problems, bool(rules))
    problem_rows = [Row((file, "", reason)) for file, reason in errors] + [
        Row((a.origine, a.numero or "", anomaly_text(a, locale))) for a in shown
    ]
    if problem_rows:
        blocks.append(
            Table(
                _("Problems"),
                (
                    Column("file", _("File")),
                    Column("numero", _("Number")),
                    Column("problema", _("What is wrong")),
                ),
                tuple(problem_rows),
                sheet=_("Problems"),
            )
        )
    return View(title=_("E-invoices"), blocks=tuple(blocks))


def _files(invoices: Sequence[FatturaElettronica]) -> Table:
    """Which file holds each document: the lines' table names documents by number."""
    return Table(
        _("Files read"),
        (
            Column("numero", _("Number")),
            Column("file", _("File")),
            Column("firmata", _("Signed (not verified)"), Kind.YESNO, short=_("Signed")),
        ),
        tuple(
            Row((invoice.numero, PurePath(invoice.file).name, invoice.firmata))
            for invoice in invoices
        ),
        sheet=_("Files"),
    )


def fatture_problems(problems: Sequence[Anomalia], registro: bool) -> list[Anomalia]:
    """What `fatture` reports: what is wrong with a document; with a register, also how
    its lines are assigned."""
    return [a for a in problems if registro or a.tipo in DOCUMENT_PROBLEMS]
