"""Every figure the document declares, recomputed from the inputs and compared."""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from crema_budget.compute import Risorse, Totali, nido_servizio, risorse, totali
from crema_budget.model import Agreement, Dichiarato, DichiaratoSintesi
from crema_budget.money import decimal_places, round_half_up, truncate


class Esito(str, Enum):
    """The outcome of one check."""

    #: Declared and computed agree to the cent (or to the declared decimals).
    CONCORDA = "concorda"
    #: A percentage declared with fewer decimals agrees only if cut, not rounded.
    TRONCATO = "troncato"
    #: Declared and computed differ: a slip in the document or the data.
    DIFFERISCE = "differisce"


class Check(NamedTuple):
    """One declared figure against the computed one."""

    dove: str  # where in the document
    cifra: str  # which figure
    dichiarato: Decimal
    calcolato: Decimal
    esito: Esito
    nota: str = ""
    percentuale: bool = False

    @property
    def differenza(self) -> Decimal:
        """Declared minus computed (for a percentage: minus the computed one as compared)."""
        if self.percentuale:
            places = decimal_places(self.dichiarato)
            return self.dichiarato - round_half_up(self.calcolato, places)
        return self.dichiarato - self.calcolato

    @property
    def ok(self) -> bool:
        return self.esito is not Esito.DIFFERISCE


def _money(
    dove: str, cifra: str, dichiarato: Decimal | None, calcolato: Decimal
) -> Iterator[Check]:
    if dichiarato is None:
        return
    esito = Esito.CONCORDA if dichiarato == calcolato else Esito.DIFFERISCE
    yield Check(dove, cifra, dichiarato, calcolato, esito)


def _triple(
    dove: str,
    dichiarato: Dichiarato | DichiaratoSintesi,
    imponibile: Decimal,
    iva: Decimal,
    totale: Decimal,
) -> Iterator[Check]:
    yield from _money(dove, "imponibile", dichiarato.imponibile, imponibile)
    yield from _money(dove, "IVA", dichiarato.iva, iva)
    yield from _money(dove, "totale IVA inclusa", dichiarato.totale, totale)


def percent_check(dove: str, cifra: str, dichiarato: Decimal, esatto: Decimal) -> Check:
    """Compare a percentage declared to some decimals with the exact ratio.

    Rounded half up to the declared decimals it agrees, or it does not; a
    figure that matches only when cut (7.5 for 7.5587…) is reported as such.
    """
    places = decimal_places(dichiarato)
    rounded = round_half_up(esatto, places)
    if rounded == dichiarato:
        return Check(dove, cifra, dichiarato, esatto, Esito.CONCORDA, percentuale=True)
    if truncate(esatto, places) == dichiarato:
        shown = round_half_up(esatto, 2)
        return Check(
            dove,
            cifra,
            dichiarato,
            esatto,
            Esito.TRONCATO,
            nota=f"{shown} % cut to {places} decimal(s), not rounded (rounded: {rounded} %)",
            percentuale=True,
        )
    return Check(dove, cifra, dichiarato, esatto, Esito.DIFFERISCE, percentuale=True)


def run_checks(agreement: Agreement) -> list[Check]:
    """Recompute every declared figure; one :class:`Check` each, in document order."""
    municipali = totali(agreement)
    consorzio = risorse(agreement, municipali)
    return [
        *_fee_checks(agreement, municipali),
        *_nido_checks(agreement),
        *_resource_checks(agreement, consorzio),
    ]


def _fee_checks(agreement: Agreement, municipali: Totali) -> Iterator[Check]:
    for ambito, calcolato in zip(agreement.ambiti, municipali.ambiti, strict=True):
        for servizio, r in zip(ambito.servizi, calcolato.righe, strict=True):
            dove = f"Ambito {ambito.numero} · {servizio.voce}"
            yield from _triple(dove, servizio.dichiarato, r.imponibile, r.iva, r.totale)
        yield from _triple(
            f"Ambito {ambito.numero} · totale ambito",
            ambito.dichiarato,
            calcolato.imponibile,
            calcolato.iva,
            calcolato.totale,
        )
    yield from _triple(
        "Scheda economica di sintesi · totale",
        agreement.sintesi.dichiarato,
        municipali.imponibile,
        municipali.iva,
        municipali.totale,
    )


def _nido_checks(agreement: Agreement) -> Iterator[Check]:
    if agreement.nido is None:
        return
    servizio = nido_servizio(agreement)
    for fascia in agreement.nido.fasce:
        if fascia.iscritti_max is None and fascia.canone_mensile is not None:
            assert servizio.canone_mensile is not None
            yield from _money(
                f"Ambito {agreement.nido.ambito} · nido, fascia da {fascia.iscritti_min} iscritti",
                "canone mensile pieno = canone del contratto",
                fascia.canone_mensile,
                servizio.canone_mensile,
            )


def _resource_checks(agreement: Agreement, consorzio: Risorse) -> Iterator[Check]:
    by_numero = {a.numero: a for a in consorzio.ambiti}
    for ambito in agreement.ambiti:
        declared = ambito.risorse_consorzio
        if declared is not None and ambito.numero in by_numero:
            yield from _money(
                f"Ambito {ambito.numero} · risorse Consorzio",
                "totale delle voci",
                declared.dichiarato_totale,
                by_numero[ambito.numero].totale,
            )
    table = agreement.risorse_consorzio.dichiarato
    dove = "Risorse/valorizzazioni Consorzio"
    for numero, importo in table.per_ambito.items():
        found = by_numero.get(numero)
        yield from _money(
            dove, f"Ambito {numero}: risorse", importo, found.totale if found else Decimal(0)
        )
    for numero, importo in table.quote_1_percento.items():
        found = by_numero.get(numero)
        quota = found.quota_1_percento if found and found.quota_1_percento else Decimal(0)
        yield from _money(dove, f"Ambito {numero}: quota parte 1 %", importo, quota)
    yield from _money(dove, "totale risorse", table.totale_risorse, consorzio.totale_risorse)
    yield from _money(dove, "totale quote 1 %", table.totale_quote, consorzio.totale_quote)
    yield from _money(dove, "totale risorse economiche aggiuntive", table.totale, consorzio.totale)
    if table.percentuale is not None:
        yield percent_check(
            dove, "% delle risorse comunali (imponibile)", table.percentuale, consorzio.percentuale
        )
