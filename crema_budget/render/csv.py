"""CSV: one row per item, for spreadsheets and scripts.

Figures are plain decimals with a dot and no grouping (``1302537.59``), so any
program reads them the same way whatever its language. Rows are items, never
subtotals: summing a column gives the total without counting anything twice.
An item the document leaves open has empty amounts and ``stato`` set to
``da definire``; it is never written as zero.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from crema_budget.checks import Check
from crema_budget.compute import Preventivo, Risorse, TariffaFascia, Totali
from crema_budget.money import ZERO
from crema_budget.render import plain

#: ``stato`` of a line whose figures are known.
DEFINITO = "definito"
#: ``stato`` of an item the document leaves open.
DA_DEFINIRE = "da definire"
#: ``stato`` of a nursery tier without a fee: the agreement must be renegotiated.
RIMODULAZIONE = "rimodulazione"

Row = Mapping[str, str | int | None]

TOTALS_COLUMNS = (
    "ambito",
    "voce",
    "periodo",
    "canone_mensile",
    "mensilita",
    "imponibile",
    "aliquota_iva",
    "iva",
    "totale",
    "stato",
)
_PREVENTIVO_COLUMNS = (
    "canone_mensile",
    "aliquota_iva",
    "iva_mensile",
    "totale_mensile",
    "mensilita",
    "imponibile",
    "iva",
    "totale",
)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else plain.amount(value)


def _rate(value: Decimal | None) -> str:
    return "" if value is None else plain.rate(value)


def _table(columns: Sequence[str], rows: Iterable[Row]) -> str:
    out = io.StringIO()
    # The csv module's default dialect is RFC 4180: commas, CRLF line ends and
    # quotes only around a label that needs them. A missing key is an empty cell.
    writer = csv.DictWriter(out, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    return out.getvalue()


def _preventivo(p: Preventivo) -> Row:
    return plain.preventivo(p)


class CsvRenderer:
    """Renders every command as CSV text."""

    def totals(self, totali: Totali, risorse: Risorse) -> str:
        """The municipal fee lines; the consortium's resources are in ``risorse``."""
        rows: list[Row] = []
        for ambito in totali.ambiti:
            rows.extend(
                {
                    "ambito": ambito.numero,
                    "voce": r.voce,
                    "periodo": r.periodo,
                    "canone_mensile": _amount(r.canone_mensile),
                    "mensilita": r.mensilita,
                    "imponibile": _amount(r.imponibile),
                    "aliquota_iva": _rate(r.aliquota_iva),
                    "iva": _amount(r.iva),
                    "totale": _amount(r.totale),
                    "stato": DEFINITO,
                }
                for r in ambito.righe
            )
            rows.extend(
                {
                    "ambito": ambito.numero,
                    "voce": aperto.voce,
                    "aliquota_iva": _rate(aperto.aliquota_iva),
                    "stato": DA_DEFINIRE,
                }
                for aperto in ambito.da_definire
            )
        return _table(TOTALS_COLUMNS, rows)

    def nido(self, preventivo: Preventivo) -> str:
        p = preventivo
        row = {
            "iscritti": p.iscritti,
            "iscritti_min": p.fascia.iscritti_min,
            "iscritti_max": p.fascia.iscritti_max,
            **_preventivo(p),
            "riduzione_imponibile": _amount(p.riduzione_imponibile),
            "riduzione_totale": _amount(p.riduzione_totale),
        }
        return _table(list(row), [row])

    def fasce(self, tariffe: tuple[TariffaFascia, ...]) -> str:
        rows: list[Row] = []
        for t in tariffe:
            tier = {"iscritti_min": t.fascia.iscritti_min, "iscritti_max": t.fascia.iscritti_max}
            if t.preventivo is None:
                rows.append({**tier, "stato": RIMODULAZIONE})
            else:
                rows.append({**tier, **_preventivo(t.preventivo), "stato": DEFINITO})
        return _table(("iscritti_min", "iscritti_max", *_PREVENTIVO_COLUMNS, "stato"), rows)

    def risorse(self, risorse: Risorse, itemised: bool) -> str:
        """Itemised, one row per item and per 1 % share, which together sum to the
        total; otherwise one row per ambito."""
        if not itemised:
            return _table(
                ("ambito", "titolo", "risorse", "quota_1_percento", "totale"),
                (
                    {
                        "ambito": a.numero,
                        "titolo": a.titolo,
                        "risorse": _amount(a.totale),
                        "quota_1_percento": _amount(a.quota_1_percento),
                        "totale": _amount(a.totale + (a.quota_1_percento or ZERO)),
                    }
                    for a in risorse.ambiti
                ),
            )
        rows: list[Row] = []
        for a in risorse.ambiti:
            rows.extend(
                {"ambito": a.numero, "tipo": "risorsa", "voce": voce, "importo": _amount(importo)}
                for voce, importo in a.voci
            )
            if a.quota_1_percento is not None:
                rows.append(
                    {
                        "ambito": a.numero,
                        "tipo": "quota_1_percento",
                        "voce": "quota parte 1 %",
                        "importo": _amount(a.quota_1_percento),
                    }
                )
        return _table(("ambito", "tipo", "voce", "importo"), rows)

    def check(self, checks: list[Check]) -> str:
        rows: list[Row] = []
        for c in checks:
            figures = {
                "dichiarato": c.dichiarato,
                "calcolato": c.calcolato,
                "differenza": c.differenza,
            }
            rows.append(
                {
                    "dove": c.dove,
                    "cifra": c.cifra,
                    "unita": "%" if c.percentuale else "EUR",
                    # A percentage keeps every computed digit: the check is about
                    # how the declared figure was cut or rounded.
                    **{k: str(v) if c.percentuale else _amount(v) for k, v in figures.items()},
                    "esito": c.esito.value,
                    "nota": c.nota,
                }
            )
        columns = (
            "dove",
            "cifra",
            "unita",
            "dichiarato",
            "calcolato",
            "differenza",
            "esito",
            "nota",
        )
        return _table(columns, rows)
