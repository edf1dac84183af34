"""XLSX: a real workbook, one sheet per table, figures as numeric cells.

Amounts are numbers with a euro format, so the Comune's staff can sum, filter
and chart them; the spreadsheet shows them with their own language's
separators. Totals rows hold the computed sums as values rather than formulas,
so a viewer that does not recalculate (a previewer, a phone) still shows them.

The same input always gives the same bytes: the workbook's creation date is
fixed and XlsxWriter's in-memory mode stamps every part of the zip with one
constant date, so a file can be compared, hashed or committed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import xlsxwriter

from crema_budget import fmt
from crema_budget.checks import Check
from crema_budget.compute import Preventivo, Risorse, RisorseAmbito, TariffaFascia, Totali
from crema_budget.money import HUNDRED, ZERO, decimal_places

#: Stamped as the workbook's creation date instead of the clock, so output is
#: reproducible. It says nothing about when the file was made.
FIXED_CREATED = datetime(2000, 1, 1)

#: Euro sign first, Italian locale (LCID 0x410) for the symbol; grouping and
#: decimal marks follow the reader's spreadsheet settings.
EURO_FORMAT = "[$€-410] #,##0.00"

DA_DEFINIRE = "da definire"
_MAX_WIDTH = 70


@dataclass(frozen=True)
class Percent:
    """A percentage cell; ``value`` is in percent (4, 22, 7.5)."""

    value: Decimal
    places: int = 0


Cell = Decimal | Percent | int | str | None


@dataclass(frozen=True)
class Row:
    cells: Sequence[Cell]
    style: str = ""  # "bold" for totals, "italic" for open items


class _Workbook:
    """An in-memory workbook with the few formats every sheet shares."""

    def __init__(self, title: str) -> None:
        self._buffer = io.BytesIO()
        # Labels are always written as text: never turned into formulas or links.
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        self._book: Any = xlsxwriter.Workbook(self._buffer, options)
        self._book.set_properties(
            {"title": title, "author": "crema-budget", "created": FIXED_CREATED}
        )
        self._formats: dict[tuple[str, str], Any] = {}

    def _format(self, number_format: str, style: str) -> Any:
        key = (number_format, style)
        if key not in self._formats:
            properties: dict[str, object] = {"valign": "top"}
            if number_format:
                properties["num_format"] = number_format
            if style:
                properties[style] = True
            self._formats[key] = self._book.add_format(properties)
        return self._formats[key]

    def sheet(self, name: str, header: Sequence[str], rows: Sequence[Row]) -> None:
        """A sheet holding one table: a bold header row, then ``rows``."""
        sheet = self._book.add_worksheet(name)
        widths = [len(title) for title in header]
        for column, title in enumerate(header):
            sheet.write_string(0, column, title, self._format("", "bold"))
        for number, row in enumerate(rows, start=1):
            for column, cell in enumerate(row.cells):
                shown = self._write(sheet, number, column, cell, row.style)
                widths[column] = max(widths[column], len(shown))
        for column, width in enumerate(widths):
            sheet.set_column(column, column, min(width + 2, _MAX_WIDTH))
        sheet.freeze_panes(1, 0)  # the header stays in view while scrolling

    def _write(self, sheet: Any, row: int, column: int, cell: Cell, style: str) -> str:
        """Write one cell; return roughly the text a reader sees, to size the column."""
        if cell is None or cell == "":
            # A formatted blank keeps a totals row bold from end to end.
            sheet.write_blank(row, column, None, self._format("", style))
            return ""
        if isinstance(cell, Percent):
            pattern = "0%" if not cell.places else "0." + "0" * cell.places + "%"
            # Decimal becomes float only here: xlsx stores every number as a double.
            sheet.write_number(
                row, column, float(cell.value / HUNDRED), self._format(pattern, style)
            )
            return f"{cell.value:.{cell.places}f} %"
        if isinstance(cell, Decimal):
            # Decimal becomes float only here, at the file boundary: xlsx stores
            # every number as an IEEE double. Amounts below 10^13 cents round-trip.
            sheet.write_number(row, column, float(cell), self._format(EURO_FORMAT, style))
            return f"€ {cell:,.2f}"
        if isinstance(cell, int):
            sheet.write_number(row, column, cell, self._format("0", style))
            return str(cell)
        sheet.write_string(row, column, cell, self._format("", style))
        return cell

    def close(self) -> bytes:
        self._book.close()
        return self._buffer.getvalue()


def _risorse_sheet(book: _Workbook, risorse: Risorse, itemised: bool) -> None:
    def quota(ambito: RisorseAmbito) -> Decimal:
        return ambito.quota_1_percento or ZERO

    rows: list[Row] = []
    if itemised:
        header = ["Ambito", "Voce", "Importo"]
        for a in risorse.ambiti:
            rows.extend(Row([a.numero, voce, importo]) for voce, importo in a.voci)
            if a.quota_1_percento is not None:
                rows.append(Row([a.numero, "quota parte 1%", a.quota_1_percento]))
        rows.append(Row(["Totale", None, risorse.totale], "bold"))
    else:
        header = ["Ambito", "Titolo", "Risorse", "Quota parte 1%", "Totale"]
        rows.extend(
            Row([a.numero, a.titolo, a.totale, a.quota_1_percento, a.totale + quota(a)])
            for a in risorse.ambiti
        )
        rows.append(
            Row(
                ["Totale", None, risorse.totale_risorse, risorse.totale_quote, risorse.totale],
                "bold",
            )
        )
    rows.append(Row([]))
    rows.append(Row(["Imponibile comunale", None, risorse.base]))
    rows.append(Row(["% sulle risorse comunali", None, Percent(risorse.percentuale, 2)]))
    book.sheet("Risorse Consorzio", header, rows)


def _preventivo_cells(p: Preventivo) -> list[Cell]:
    return [
        p.canone_mensile,
        Percent(p.aliquota_iva, decimal_places(p.aliquota_iva)),
        p.iva_mensile,
        p.totale_mensile,
        p.mensilita,
        p.imponibile,
        p.iva,
        p.totale,
    ]


_PREVENTIVO_HEADER = [
    "Canone mensile",
    "IVA %",
    "IVA mensile",
    "Totale mensile",
    "Mensilità",
    "Imponibile annuo",
    "IVA annua",
    "Totale annuo IVA inclusa",
]


class XlsxRenderer:
    """Renders every command as an XLSX workbook (bytes)."""

    def totals(self, totali: Totali, risorse: Risorse) -> bytes:
        book = _Workbook("Risorse comunali e del Consorzio")
        header = [
            "Ambito",
            "Voce",
            "Periodo",
            "Canone mensile",
            "Mensilità",
            "Imponibile",
            "IVA %",
            "Importo IVA",
            "Totale IVA inclusa",
        ]
        rows: list[Row] = []
        for ambito in totali.ambiti:
            for r in ambito.righe:
                rate = Percent(r.aliquota_iva, decimal_places(r.aliquota_iva))
                rows.append(
                    Row(
                        [
                            ambito.numero,
                            r.voce,
                            r.periodo,
                            r.canone_mensile,
                            r.mensilita,
                            r.imponibile,
                            rate,
                            r.iva,
                            r.totale,
                        ]
                    )
                )
            for aperto in ambito.da_definire:
                rate_or_none = (
                    Percent(aperto.aliquota_iva, decimal_places(aperto.aliquota_iva))
                    if aperto.aliquota_iva is not None
                    else None
                )
                # An open item stays visibly open: text where the figures would be.
                rows.append(
                    Row(
                        [
                            ambito.numero,
                            aperto.voce,
                            None,
                            None,
                            None,
                            DA_DEFINIRE,
                            rate_or_none,
                            DA_DEFINIRE,
                            DA_DEFINIRE,
                        ],
                        "italic",
                    )
                )
        rows.append(
            Row(
                [
                    "Totale",
                    None,
                    None,
                    None,
                    None,
                    totali.imponibile,
                    None,
                    totali.iva,
                    totali.totale,
                ],
                "bold",
            )
        )
        book.sheet("Risorse comunali", header, rows)
        _risorse_sheet(book, risorse, itemised=False)
        return book.close()

    def nido(self, preventivo: Preventivo) -> bytes:
        p = preventivo
        book = _Workbook(f"Asilo nido, {p.iscritti} iscritti")
        header = [
            "Iscritti",
            "Fascia",
            *_PREVENTIVO_HEADER,
            "Riduzione imponibile",
            "Riduzione totale",
        ]
        tier = fmt.fascia(p.fascia.iscritti_min, p.fascia.iscritti_max)
        row = Row(
            [p.iscritti, tier, *_preventivo_cells(p), p.riduzione_imponibile, p.riduzione_totale]
        )
        book.sheet("Asilo nido", header, [row])
        return book.close()

    def fasce(self, tariffe: tuple[TariffaFascia, ...]) -> bytes:
        book = _Workbook("Asilo nido, canone per numero di iscritti")
        rows: list[Row] = []
        for t in tariffe:
            tier = fmt.fascia(t.fascia.iscritti_min, t.fascia.iscritti_max)
            if t.preventivo is None:
                rows.append(Row([tier, "rimodulazione complessiva"], "italic"))
            else:
                rows.append(Row([tier, *_preventivo_cells(t.preventivo)]))
        book.sheet("Fasce asilo nido", ["Iscritti", *_PREVENTIVO_HEADER], rows)
        return book.close()

    def risorse(self, risorse: Risorse, itemised: bool) -> bytes:
        book = _Workbook("Risorse aggiuntive del Consorzio")
        _risorse_sheet(book, risorse, itemised)
        return book.close()

    def check(self, checks: list[Check]) -> bytes:
        book = _Workbook("Controllo delle cifre dichiarate")
        rows: list[Row] = []
        for c in checks:
            figures: list[Cell]
            if c.percentuale:
                places = decimal_places(c.dichiarato)
                figures = [
                    Percent(c.dichiarato, places),
                    Percent(c.calcolato, 4),
                    Percent(c.differenza, places),
                ]
            else:
                figures = [c.dichiarato, c.calcolato, c.differenza]
            rows.append(
                Row([c.dove, c.cifra, *figures, c.esito.value, c.nota], "" if c.ok else "bold")
            )
        header = ["Dove", "Cifra", "Dichiarato", "Calcolato", "Differenza", "Esito", "Nota"]
        book.sheet("Controllo", header, rows)
        return book.close()
