"""Every figure the document declares, recomputed from the inputs and compared.

``check`` passes only when every declared figure agrees *and* the figures
that hold the whole document together are declared at all: the summary's
grand totals (taxable and with VAT) and the consortium's closing total
(:data:`REQUIRED`). A file cut short (an interrupted copy, a half-saved edit)
loses those first, since they close the document, or its grand total no
longer matches them; either way ``check`` fails instead of passing on less.

The computed figures that no declared figure covers are listed too, so a
reader sees what the check could not compare.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from crema_budget.agreement.compute import Risorse, Totali, nido_servizio, risorse, totali
from crema_budget.agreement.model import Agreement, Dichiarato
from crema_budget.i18n import _, ngettext
from crema_budget.money import ZERO, decimal_places, round_half_up, truncate


class Esito(str, Enum):
    """The outcome of one check; the values are stable identifiers (JSON, CSV)."""

    #: Declared and computed agree to the cent (or to the declared decimals).
    CONCORDA = "concorda"
    #: A percentage declared with fewer decimals agrees only if cut, not rounded.
    TRONCATO = "troncato"
    #: Declared and computed differ: a slip in the document or the data.
    DIFFERISCE = "differisce"
    #: A figure ``check`` needs is not declared: the file may be cut short.
    NON_DICHIARATO = "non dichiarato"

    def label(self) -> str:
        """The outcome in the reader's language."""
        return {
            Esito.CONCORDA: _("agrees"),
            Esito.TRONCATO: _("truncated"),
            Esito.DIFFERISCE: _("differs"),
            Esito.NON_DICHIARATO: _("not declared"),
        }[self]


#: The outcomes of a check that agrees.
AGREE = (Esito.CONCORDA, Esito.TRONCATO)


class Check(NamedTuple):
    """One declared figure against the computed one."""

    chiave: str  # a stable identifier: ambito.2.servizio.1.iva, sintesi.totale, …
    dove: str  # where in the document, for a reader
    cifra: str  # which figure, for a reader
    dichiarato: Decimal | None
    calcolato: Decimal
    esito: Esito
    percentuale: bool = False

    @property
    def differenza(self) -> Decimal | None:
        """Declared minus computed, exactly (for a percentage, in percentage points)."""
        return None if self.dichiarato is None else self.dichiarato - self.calcolato

    @property
    def ok(self) -> bool:
        return self.esito in AGREE

    @property
    def nota(self) -> str:
        """For a truncated percentage: what it is and what rounding would give."""
        if self.esito is not Esito.TRONCATO or self.dichiarato is None:
            return ""
        places = decimal_places(self.dichiarato)
        return ngettext(
            "{exact} % truncated to {places} decimal, not rounded (rounded: {rounded} %)",
            "{exact} % truncated to {places} decimals, not rounded (rounded: {rounded} %)",
            places,
        ).format(
            exact=round_half_up(self.calcolato, 2),
            places=places,
            rounded=round_half_up(self.calcolato, places),
        )


class Figure(NamedTuple):
    """A computed figure that no declared figure covers."""

    chiave: str
    dove: str
    cifra: str
    calcolato: Decimal
    percentuale: bool = False


class Controllo(NamedTuple):
    """The result of ``check``: every comparison, and what could not be compared."""

    checks: tuple[Check, ...]
    scoperte: tuple[Figure, ...]

    @property
    def differenze(self) -> int:
        # Counted on the outcomes, not through Check.ok: a document of 350,000 checks
        # asks for this more than once.
        return sum(c.esito not in AGREE for c in self.checks)

    @property
    def ok(self) -> bool:
        return self.differenze == 0


#: Figures ``check`` needs declared to pass (see the module's docstring).
REQUIRED = ("sintesi.imponibile", "sintesi.totale", "risorse.totale")


def percent_check(
    chiave: str, dove: str, cifra: str, dichiarato: Decimal, esatto: Decimal
) -> Check:
    """Compare a percentage declared to some decimals with the exact ratio.

    Rounded half up to the declared decimals it agrees, or it does not; a
    figure that matches only when cut (7.5 for 7.5587…) is reported as such.
    """
    places = decimal_places(dichiarato)
    if round_half_up(esatto, places) == dichiarato:
        esito = Esito.CONCORDA
    elif truncate(esatto, places) == dichiarato:
        esito = Esito.TRONCATO
    else:
        esito = Esito.DIFFERISCE
    return Check(chiave, dove, cifra, dichiarato, esatto, esito, percentuale=True)


#: A figure the document could declare: its key, where, which figure, the computed
#: value and the declared one (None where the document declares none). A plain tuple,
#: which costs a fifth of a NamedTuple to make: a large agreement has 350,000.
_Computed = tuple[str, str, str, Decimal, Decimal | None]


def run_checks(agreement: Agreement) -> Controllo:
    """Recompute every declared figure, in document order, and list the computed
    figures that nothing declared covers."""
    municipali = totali(agreement)
    consorzio = risorse(agreement, municipali)
    checks: list[Check] = []
    scoperte: list[Figure] = []
    concorda, differisce = Esito.CONCORDA, Esito.DIFFERISCE
    append = checks.append
    for figure in _figures(agreement, municipali, consorzio):
        chiave, dove, cifra, calcolato, dichiarato = figure
        if dichiarato is not None:
            if chiave == "risorse.percentuale":
                append(percent_check(chiave, dove, cifra, dichiarato, calcolato))
            else:
                esito = concorda if dichiarato == calcolato else differisce
                append(Check(chiave, dove, cifra, dichiarato, calcolato, esito))
        elif chiave in REQUIRED:
            append(Check(chiave, dove, cifra, None, calcolato, Esito.NON_DICHIARATO))
        else:
            percent = chiave == "risorse.percentuale"
            scoperte.append(Figure(chiave, dove, cifra, calcolato, percentuale=percent))
    return Controllo(tuple(checks), tuple(scoperte))


def _triple(
    chiave: str,
    dove: str,
    dichiarato: Dichiarato,
    imponibile: Decimal,
    iva: Decimal,
    totale: Decimal,
    cifre: tuple[str, str, str],
) -> tuple[_Computed, _Computed, _Computed]:
    """The taxable amount, the VAT and the total of a line, an ambito or the summary;
    ``cifre`` names the three (translated once per run, not once per line)."""
    return (
        (f"{chiave}.imponibile", dove, cifre[0], imponibile, dichiarato.imponibile),
        (f"{chiave}.iva", dove, cifre[1], iva, dichiarato.iva),
        (f"{chiave}.totale", dove, cifre[2], totale, dichiarato.totale),
    )


def _figures(agreement: Agreement, municipali: Totali, consorzio: Risorse) -> Iterator[_Computed]:
    """Every figure the document could declare, with what it does declare."""
    cifre = (_("taxable amount"), _("VAT"), _("total incl. VAT"))
    per_line = _("Ambito {n} · {voce}")
    for ambito, calcolato in zip(agreement.ambiti, municipali.ambiti, strict=True):
        for n, (servizio, r) in enumerate(zip(ambito.servizi, calcolato.righe, strict=True), 1):
            dove = per_line.format(n=ambito.numero, voce=servizio.voce)
            yield from _triple(
                f"ambito.{ambito.numero}.servizio.{n}",
                dove,
                servizio.dichiarato,
                r.imponibile,
                r.iva,
                r.totale,
                cifre,
            )
        if len(calcolato.righe) > 1 or ambito.dichiarato != Dichiarato():
            # An ambito of one line has no total of its own to declare.
            yield from _triple(
                f"ambito.{ambito.numero}.totale",
                _("Ambito {n} · ambito total").format(n=ambito.numero),
                ambito.dichiarato,
                calcolato.imponibile,
                calcolato.iva,
                calcolato.totale,
                cifre,
            )
    yield from _triple(
        "sintesi",
        _("Economic summary · total"),
        agreement.sintesi,
        municipali.imponibile,
        municipali.iva,
        municipali.totale,
        cifre,
    )
    if agreement.nido is not None:
        servizio = nido_servizio(agreement)
        for fascia in agreement.nido.fasce:
            if fascia.iscritti_max is None and fascia.canone_mensile is not None:
                assert servizio.canone_mensile is not None
                yield (
                    f"nido.fascia.{fascia.iscritti_min}.canone_mensile",
                    _("Ambito {n} · nursery, tier from {low} children").format(
                        n=agreement.nido.ambito, low=fascia.iscritti_min
                    ),
                    _("top tier's monthly fee = the nursery fee line's"),
                    servizio.canone_mensile,
                    fascia.canone_mensile,
                )
    yield from _resource_figures(agreement, consorzio)


def _resource_figures(agreement: Agreement, consorzio: Risorse) -> Iterator[_Computed]:
    by_numero = {a.numero: a for a in consorzio.ambiti}
    for ambito in agreement.ambiti:
        found = by_numero.get(ambito.numero)
        if found is not None and found.voci:
            declared = ambito.risorse_consorzio
            yield (
                f"ambito.{ambito.numero}.risorse",
                _("Ambito {n} · consortium resources").format(n=ambito.numero),
                _("total of the items"),
                found.totale,
                declared.dichiarato_totale if declared is not None else None,
            )
    table = agreement.risorse_consorzio
    dove = _("Consortium resources (closing table)")
    per_ambito = dict(table.per_ambito)
    quote = dict(table.quote_1_percento)
    for numero in sorted({*per_ambito, *(a.numero for a in consorzio.ambiti if a.voci)}):
        found = by_numero.get(numero)
        yield (
            f"risorse.ambito.{numero}",
            dove,
            _("Ambito {n}: resources").format(n=numero),
            found.totale if found else ZERO,
            per_ambito.get(numero),
        )
    for numero in sorted(quote):
        found = by_numero.get(numero)
        # The share is an input, not a sum: the table must repeat it as given.
        share = found.quota_1_percento if found and found.quota_1_percento else ZERO
        yield (
            f"risorse.quota.{numero}",
            dove,
            _("Ambito {n}: share of the 1%").format(n=numero),
            share,
            quote[numero],
        )
    yield (
        "risorse.totale_risorse",
        dove,
        _("total resources"),
        consorzio.totale_risorse,
        table.totale_risorse,
    )
    if consorzio.totale_quote or table.totale_quote is not None:
        yield (
            "risorse.totale_quote",
            dove,
            _("total of the shares of the 1%"),
            consorzio.totale_quote,
            table.totale_quote,
        )
    yield (
        "risorse.totale",
        dove,
        _("total extra economic resources"),
        consorzio.totale,
        table.totale,
    )
    yield (
        "risorse.percentuale",
        dove,
        _("percentage of the municipal resources (taxable)"),
        consorzio.percentuale,
        table.percentuale,
    )
