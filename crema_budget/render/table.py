"""Terminal tables (Rich): figures in the chosen locale, right-aligned, totals last."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from crema_budget import fmt
from crema_budget.checks import Check, Esito, percent_check
from crema_budget.compute import Preventivo, Risorse, TariffaFascia, Totali
from crema_budget.money import decimal_places

_DA_DEFINIRE = "da definire"

#: Above this many checks the terminal table lists only those that need attention.
MAX_CHECK_ROWS = 200


class TableRenderer:
    """Rich tables for a terminal (or a text file with ``--output``)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def _euro(self, value: Decimal) -> str:
        return fmt.euro(value, self.locale)

    def totals(self, totali: Totali, risorse: Risorse) -> RenderableType:
        table = Table(
            title="Risorse comunali – scheda economica (totale IVA inclusa)",
            title_justify="left",
            show_footer=True,
            footer_style="bold",
        )
        # Short headers keep the figures whole in an 80-column terminal.
        table.add_column("Amb.")
        table.add_column("Voce", ratio=1, min_width=12, footer="Totale")
        table.add_column(
            "Imponibile", justify="right", no_wrap=True, footer=self._euro(totali.imponibile)
        )
        table.add_column("Aliq.", justify="right", no_wrap=True)
        table.add_column("IVA", justify="right", no_wrap=True, footer=self._euro(totali.iva))
        table.add_column("Totale", justify="right", no_wrap=True, footer=self._euro(totali.totale))
        for ambito in totali.ambiti:
            for riga in ambito.righe:
                voce = riga.voce
                if riga.canone_mensile is not None:
                    voce += f"\n  {riga.mensilita} × {self._euro(riga.canone_mensile)}"
                table.add_row(
                    str(ambito.numero),
                    voce,
                    self._euro(riga.imponibile),
                    fmt.rate(riga.aliquota_iva, self.locale),
                    self._euro(riga.iva),
                    self._euro(riga.totale),
                )
            for aperto in ambito.da_definire:
                rate = fmt.rate(aperto.aliquota_iva, self.locale) if aperto.aliquota_iva else ""
                table.add_row(
                    str(ambito.numero),
                    Text(aperto.voce, style="italic"),
                    Text(_DA_DEFINIRE, style="italic"),
                    rate,
                    Text(_DA_DEFINIRE, style="italic"),
                    Text(_DA_DEFINIRE, style="italic"),
                )
            if len(ambito.righe) > 1:
                table.add_row(
                    "",
                    Text(f"Totale ambito {ambito.numero}", style="bold"),
                    Text(self._euro(ambito.imponibile), style="bold"),
                    "",
                    Text(self._euro(ambito.iva), style="bold"),
                    Text(self._euro(ambito.totale), style="bold"),
                    end_section=True,
                )
            else:
                table.rows[-1].end_section = True
        return Group(table, Text(""), self.risorse(risorse, itemised=False))

    def risorse(self, risorse: Risorse, itemised: bool) -> RenderableType:
        table = Table(
            title="Risorse aggiuntive del Consorzio",
            title_justify="left",
            show_footer=True,
            footer_style="bold",
        )
        table.add_column("Ambito", footer="Totale")
        table.add_column("Voce" if itemised else "", footer="")
        table.add_column(
            "Risorse", justify="right", no_wrap=True, footer=self._euro(risorse.totale_risorse)
        )
        table.add_column(
            "Quota parte 1%", justify="right", no_wrap=True, footer=self._euro(risorse.totale_quote)
        )
        for ambito in risorse.ambiti:
            if itemised:
                for voce, importo in ambito.voci:
                    table.add_row(str(ambito.numero), voce, self._euro(importo), "")
            quota = self._euro(ambito.quota_1_percento) if ambito.quota_1_percento else ""
            label = (
                Text(f"Totale ambito {ambito.numero}", style="bold")
                if itemised
                else Text(ambito.titolo)
            )
            table.add_row(
                str(ambito.numero), label, self._euro(ambito.totale), quota, end_section=itemised
            )
        summary = Text.assemble(
            ("Totale risorse economiche aggiuntive: ", "bold"),
            (self._euro(risorse.totale), "bold"),
            f"\n= {fmt.percent(risorse.percentuale, self.locale)} delle risorse comunali "
            f"(imponibile {self._euro(risorse.base)})",
        )
        declared = risorse.percentuale_dichiarata
        if declared is not None:
            outcome = percent_check("", "", declared, risorse.percentuale).esito
            places = decimal_places(declared)
            summary.append(
                f"\n  il documento dichiara {fmt.percent(declared, self.locale, places)}: "
                + {
                    Esito.CONCORDA: "concorda",
                    Esito.TRONCATO: f"il valore esatto troncato a {places} decimal"
                    f"{'e' if places == 1 else 'i'}, non arrotondato",
                    Esito.DIFFERISCE: "non concorda",
                }[outcome]
            )
        return Group(table, summary)

    def nido(self, preventivo: Preventivo) -> RenderableType:
        p = preventivo
        table = Table(
            title=f"Asilo nido – {p.iscritti} bambini iscritti "
            f"(fascia {fmt.fascia(p.fascia.iscritti_min, p.fascia.iscritti_max)})",
            title_justify="left",
        )
        table.add_column("")
        table.add_column("Mensile", justify="right", no_wrap=True)
        table.add_column(f"{p.mensilita} mensilità", justify="right", no_wrap=True)
        table.add_column("Differenza dal canone pieno", justify="right", no_wrap=True)
        table.add_row(
            "Imponibile",
            self._euro(p.canone_mensile),
            self._euro(p.imponibile),
            self._euro(-p.riduzione_imponibile),
        )
        table.add_row(
            f"IVA {fmt.rate(p.aliquota_iva, self.locale)}",
            self._euro(p.iva_mensile),
            self._euro(p.iva),
            "",
        )
        table.add_row(
            Text("Totale IVA inclusa", style="bold"),
            self._euro(p.totale_mensile),
            Text(self._euro(p.totale), style="bold"),
            self._euro(-p.riduzione_totale),
        )
        note = Text(
            f"IVA sulle {p.mensilita} mensilità calcolata sull'imponibile annuo e "
            "arrotondata al centesimo, come nel documento.",
            style="dim",
        )
        return Group(table, note)

    def fasce(self, tariffe: tuple[TariffaFascia, ...]) -> RenderableType:
        table = Table(title="Asilo nido – canone per numero di iscritti", title_justify="left")
        table.add_column("Iscritti")
        table.add_column("Canone mensile", justify="right", no_wrap=True)
        table.add_column("IVA", justify="right", no_wrap=True)
        table.add_column("Totale mensile", justify="right", no_wrap=True)
        table.add_column("Totale annuo IVA inclusa", justify="right", no_wrap=True)
        for tariffa in tariffe:
            f = tariffa.fascia
            p = tariffa.preventivo
            if p is None:
                table.add_row(
                    fmt.fascia(f.iscritti_min, f.iscritti_max),
                    Text("rimodulazione complessiva", style="italic"),
                    "",
                    "",
                    "",
                )
            else:
                table.add_row(
                    fmt.fascia(f.iscritti_min, f.iscritti_max),
                    self._euro(p.canone_mensile),
                    self._euro(p.iva_mensile),
                    self._euro(p.totale_mensile),
                    self._euro(p.totale),
                )
        return table

    def check(self, checks: list[Check]) -> RenderableType:
        everything = checks
        hidden = 0
        if len(checks) > MAX_CHECK_ROWS:
            # A terminal table of thousands of rows is slow to lay out and unreadable:
            # list what needs attention; the machine formats keep every row.
            checks = [c for c in checks if c.esito is not Esito.CONCORDA]
            hidden = len(everything) - len(checks)
        table = Table(title="Controllo delle cifre dichiarate", title_justify="left")
        table.add_column("Dove", ratio=3, min_width=12)
        table.add_column("Cifra", ratio=2, min_width=10)
        table.add_column("Dichiarato", justify="right", no_wrap=True)
        table.add_column("Calcolato", justify="right", no_wrap=True)
        # The difference column appears only when there is a difference to show.
        differs = any(not c.ok for c in checks)
        if differs:
            table.add_column("Differenza", justify="right", no_wrap=True)
        table.add_column("Esito", min_width=10)
        styles = {Esito.CONCORDA: "green", Esito.TRONCATO: "yellow", Esito.DIFFERISCE: "bold red"}
        notes: list[Text] = []
        for index, c in enumerate(checks):
            if c.percentuale:
                declared = fmt.percent(c.dichiarato, self.locale, decimal_places(c.dichiarato))
                computed = fmt.percent(c.calcolato, self.locale)
                difference = ""
            else:
                declared, computed = self._euro(c.dichiarato), self._euro(c.calcolato)
                difference = self._euro(c.differenza) if c.differenza else ""
            outcome = Text(c.esito.value, style=styles[c.esito])
            if c.esito is Esito.TRONCATO:
                places = decimal_places(c.dichiarato)
                notes.append(
                    Text(
                        f"({len(notes) + 1}) {c.dove}: {computed} troncato a {places} "
                        f"decimal{'e' if places == 1 else 'i'}; arrotondato sarebbe "
                        f"{fmt.percent(c.calcolato, self.locale, places)}.",
                        style="yellow",
                    )
                )
                outcome.append(f" ({len(notes)})")
            # The place is printed once per group of consecutive checks.
            same_place = index > 0 and checks[index - 1].dove == c.dove
            last_of_place = index + 1 == len(checks) or checks[index + 1].dove != c.dove
            cells = ["" if same_place else c.dove, c.cifra, declared, computed]
            table.add_row(
                *cells, *([difference] if differs else []), outcome, end_section=last_of_place
            )
        wrong = sum(not c.ok for c in everything)
        total = len(everything)
        verdict = (
            Text(f"{total} cifre controllate: tutte concordano.", style="green")
            if not wrong
            else Text(f"{total} cifre controllate: {wrong} non concordano.", style="bold red")
        )
        if hidden:
            notes.append(
                Text(
                    f"{hidden} cifre che concordano non sono elencate; "
                    "--format csv o json le elenca tutte.",
                    style="dim",
                )
            )
        return Group(*([table] if checks else []), *notes, verdict)
