"""Markdown: GitHub-style pipe tables to paste into a report or a wiki page.

Figures are written for people in the chosen locale (``€ 1.302.537,59`` in
Italian) and right-aligned; totals rows are bold. Cells are padded so that the
raw text lines up too, for readers who never render it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from crema_budget import fmt
from crema_budget.checks import Check
from crema_budget.compute import Preventivo, Risorse, TariffaFascia, Totali
from crema_budget.money import decimal_places

DA_DEFINIRE = "da definire"

# Characters that would end a cell (|) or start inline markup in a label.
_SPECIAL = re.compile(r"([\\|*_`\[\]<>])")


def escape(text: str) -> str:
    """A label made safe for a table cell: markup characters escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def bold(text: str) -> str:
    return f"**{text}**" if text else ""


@dataclass(frozen=True)
class Column:
    title: str
    right: bool = False  # amounts are right-aligned so the digits line up


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table; cells must already be escaped (labels) or formatted (figures)."""
    header = [escape(c.title) for c in columns]
    widths = [max(3, len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.rjust(width) if column.right else cell.ljust(width)
            for cell, width, column in zip(cells, widths, columns, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (w + 1) + ":" if c.right else "-" * (w + 2)
        for c, w in zip(columns, widths, strict=True)
    )
    return "\n".join([line(header), f"|{rule}|", *(line(row) for row in rows)]) + "\n"


class MarkdownRenderer:
    """Renders every command as Markdown text with figures in ``locale``."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def _euro(self, value: Decimal) -> str:
        return fmt.euro(value, self.locale)

    def _rate(self, value: Decimal) -> str:
        return fmt.rate(value, self.locale)

    def totals(self, totali: Totali, risorse: Risorse) -> str:
        columns = [
            Column("Ambito"),
            Column("Voce"),
            Column("Imponibile", right=True),
            Column("IVA", right=True),
            Column("Importo IVA", right=True),
            Column("Totale IVA inclusa", right=True),
        ]
        rows: list[list[str]] = []
        for ambito in totali.ambiti:
            for r in ambito.righe:
                voce = escape(r.voce)
                if r.canone_mensile is not None:
                    voce += f" ({r.mensilita} × {self._euro(r.canone_mensile)})"
                rows.append(
                    [
                        str(ambito.numero),
                        voce,
                        self._euro(r.imponibile),
                        self._rate(r.aliquota_iva),
                        self._euro(r.iva),
                        self._euro(r.totale),
                    ]
                )
            for aperto in ambito.da_definire:
                rate = self._rate(aperto.aliquota_iva) if aperto.aliquota_iva is not None else ""
                rows.append(
                    [
                        str(ambito.numero),
                        f"*{escape(aperto.voce)}*",
                        f"*{DA_DEFINIRE}*",
                        rate,
                        f"*{DA_DEFINIRE}*",
                        f"*{DA_DEFINIRE}*",
                    ]
                )
            if len(ambito.righe) > 1:
                rows.append(
                    [
                        "",
                        bold(f"Totale ambito {ambito.numero}"),
                        bold(self._euro(ambito.imponibile)),
                        "",
                        bold(self._euro(ambito.iva)),
                        bold(self._euro(ambito.totale)),
                    ]
                )
        rows.append(
            [
                bold("Totale"),
                "",
                bold(self._euro(totali.imponibile)),
                "",
                bold(self._euro(totali.iva)),
                bold(self._euro(totali.totale)),
            ]
        )
        return (
            "### Risorse comunali – scheda economica\n\n"
            + table(columns, rows)
            + "\n"
            + self.risorse(risorse, itemised=False)
        )

    def risorse(self, risorse: Risorse, itemised: bool) -> str:
        columns = [
            Column("Ambito"),
            Column("Voce" if itemised else "Titolo"),
            Column("Risorse", right=True),
            Column("Quota parte 1%", right=True),
        ]
        rows: list[list[str]] = []
        for a in risorse.ambiti:
            quota = self._euro(a.quota_1_percento) if a.quota_1_percento is not None else ""
            if itemised:
                rows.extend(
                    [str(a.numero), escape(voce), self._euro(importo), ""]
                    for voce, importo in a.voci
                )
                rows.append(
                    ["", bold(f"Totale ambito {a.numero}"), bold(self._euro(a.totale)), bold(quota)]
                )
            else:
                rows.append([str(a.numero), escape(a.titolo), self._euro(a.totale), quota])
        rows.append(
            [
                bold("Totale"),
                "",
                bold(self._euro(risorse.totale_risorse)),
                bold(self._euro(risorse.totale_quote)),
            ]
        )
        percent = fmt.percent(risorse.percentuale, self.locale)
        return (
            "### Risorse aggiuntive del Consorzio\n\n"
            + table(columns, rows)
            + f"\n**Totale risorse economiche aggiuntive: {self._euro(risorse.totale)}**, "
            f"pari al {percent} delle risorse comunali "
            f"(imponibile {self._euro(risorse.base)}).\n"
        )

    def nido(self, preventivo: Preventivo) -> str:
        p = preventivo
        columns = [
            Column(""),
            Column("Mensile", right=True),
            Column(f"{p.mensilita} mensilità", right=True),
            Column("Differenza dal canone pieno", right=True),
        ]
        rows = [
            [
                "Imponibile",
                self._euro(p.canone_mensile),
                self._euro(p.imponibile),
                self._euro(-p.riduzione_imponibile),
            ],
            [f"IVA {self._rate(p.aliquota_iva)}", self._euro(p.iva_mensile), self._euro(p.iva), ""],
            [
                bold("Totale IVA inclusa"),
                bold(self._euro(p.totale_mensile)),
                bold(self._euro(p.totale)),
                bold(self._euro(-p.riduzione_totale)),
            ],
        ]
        tier = fmt.fascia(p.fascia.iscritti_min, p.fascia.iscritti_max)
        return (
            f"### Asilo nido – {p.iscritti} bambini iscritti (fascia {tier})\n\n"
            + table(columns, rows)
            + f"\nIVA sulle {p.mensilita} mensilità calcolata sull'imponibile annuo e "
            "arrotondata al centesimo.\n"
        )

    def fasce(self, tariffe: tuple[TariffaFascia, ...]) -> str:
        columns = [
            Column("Iscritti"),
            Column("Canone mensile", right=True),
            Column("IVA", right=True),
            Column("Totale mensile", right=True),
            Column("Totale annuo IVA inclusa", right=True),
        ]
        rows: list[list[str]] = []
        for t in tariffe:
            tier = fmt.fascia(t.fascia.iscritti_min, t.fascia.iscritti_max)
            p = t.preventivo
            if p is None:
                rows.append([tier, "*rimodulazione complessiva*", "", "", ""])
            else:
                rows.append(
                    [
                        tier,
                        self._euro(p.canone_mensile),
                        self._euro(p.iva_mensile),
                        self._euro(p.totale_mensile),
                        self._euro(p.totale),
                    ]
                )
        return "### Asilo nido – canone per numero di iscritti\n\n" + table(columns, rows)

    def check(self, checks: list[Check]) -> str:
        columns = [
            Column("Dove"),
            Column("Cifra"),
            Column("Dichiarato", right=True),
            Column("Calcolato", right=True),
            Column("Differenza", right=True),
            Column("Esito"),
        ]
        rows: list[list[str]] = []
        for c in checks:
            if c.percentuale:
                declared = fmt.percent(c.dichiarato, self.locale, decimal_places(c.dichiarato))
                computed, difference = fmt.percent(c.calcolato, self.locale), ""
            else:
                declared, computed = self._euro(c.dichiarato), self._euro(c.calcolato)
                difference = self._euro(c.differenza) if c.differenza else ""
            outcome = c.esito.value if c.ok else bold(c.esito.value)
            if c.nota:
                outcome += f" ({escape(c.nota)})"
            rows.append([escape(c.dove), escape(c.cifra), declared, computed, difference, outcome])
        wrong = sum(not c.ok for c in checks)
        verdict = (
            f"{len(checks)} cifre controllate: tutte concordano."
            if not wrong
            else bold(f"{len(checks)} cifre controllate: {wrong} non concordano.")
        )
        return "### Controllo delle cifre dichiarate\n\n" + table(columns, rows) + f"\n{verdict}\n"
