"""The arithmetic: pure functions from a validated agreement to results.

Every derived figure is computed here from the inputs, never copied from the
document's declared figures. VAT is computed on each fee line's taxable total
and rounded to the cent, half up (as the document does: 294105.57 + 4 % =
305869.79, not 11 × the monthly fee with VAT); ambito and grand totals are
sums of lines.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from decimal import Decimal
from typing import NamedTuple

from crema_budget.agreement.model import Agreement, Ambito, DaDefinire, Fascia, Nido, Servizio
from crema_budget.errors import UsageError
from crema_budget.i18n import _
from crema_budget.money import HUNDRED, ZERO, vat


class Riga(NamedTuple):
    """A fee line with its computed taxable amount, VAT and total."""

    ambito: int
    numero: int  # 1-based position within the ambito
    codice: str | None
    voce: str
    periodo: str | None
    canone_mensile: Decimal | None
    mensilita: int | None
    imponibile: Decimal
    aliquota_iva: Decimal
    iva: Decimal
    totale: Decimal


class TotaleAmbito(NamedTuple):
    """An ambito's fee lines, open items and their sums."""

    numero: int
    titolo: str
    righe: tuple[Riga, ...]
    da_definire: tuple[DaDefinire, ...]
    imponibile: Decimal
    iva: Decimal
    totale: Decimal


class Totali(NamedTuple):
    """The economic summary: every ambito and the grand totals."""

    ambiti: tuple[TotaleAmbito, ...]
    imponibile: Decimal
    iva: Decimal
    totale: Decimal


class RisorseAmbito(NamedTuple):
    """The consortium's extra resources in one ambito."""

    numero: int
    titolo: str
    voci: tuple[tuple[str, Decimal], ...]
    totale: Decimal
    quota_1_percento: Decimal | None


class Risorse(NamedTuple):
    """The consortium's extra resources and their ratio to the municipal resources."""

    ambiti: tuple[RisorseAmbito, ...]
    totale_risorse: Decimal
    totale_quote: Decimal
    totale: Decimal
    #: The municipal resources the ratio is taken on: the taxable grand total.
    base: Decimal
    #: ``totale / base × 100``, unrounded (28 significant digits).
    percentuale: Decimal
    #: The ratio as the document states it, shown beside the exact one (never used
    #: in a computation; ``check`` compares the two).
    percentuale_dichiarata: Decimal | None = None


class Preventivo(NamedTuple):
    """The nursery's fee for a given enrolment, monthly and over its months."""

    iscritti: int
    fascia: Fascia
    canone_mensile: Decimal
    aliquota_iva: Decimal
    iva_mensile: Decimal
    totale_mensile: Decimal
    mensilita: int
    imponibile: Decimal
    iva: Decimal
    totale: Decimal
    #: The same figures at the full fee (the highest tier), for the difference.
    imponibile_pieno: Decimal
    totale_pieno: Decimal

    @property
    def differenza_imponibile(self) -> Decimal:
        """This tier's yearly taxable amount minus the full fee's: negative when it costs less."""
        return self.imponibile - self.imponibile_pieno

    @property
    def differenza_totale(self) -> Decimal:
        """The same difference on the totals with VAT."""
        return self.totale - self.totale_pieno


class Rimodulazione(NamedTuple):
    """An enrolment for which the agreement defines no fee: it must be renegotiated."""

    iscritti: int
    fascia: Fascia

    @property
    def soglia(self) -> int:
        """The fewest children for which a fee is defined."""
        return (self.fascia.iscritti_max or 0) + 1


def imponibile(servizio: Servizio) -> Decimal:
    """A line's taxable total: monthly fee × months, or the sum for the period."""
    if servizio.canone_mensile is not None and servizio.mensilita is not None:
        return servizio.canone_mensile * servizio.mensilita
    assert servizio.importo is not None  # guaranteed by the model
    return servizio.importo


def riga(ambito: int, numero: int, servizio: Servizio) -> Riga:
    base = imponibile(servizio)
    tax = vat(base, servizio.aliquota_iva)
    return Riga(
        ambito=ambito,
        numero=numero,
        codice=servizio.codice,
        voce=servizio.voce,
        periodo=servizio.periodo,
        canone_mensile=servizio.canone_mensile,
        mensilita=servizio.mensilita,
        imponibile=base,
        aliquota_iva=servizio.aliquota_iva,
        iva=tax,
        totale=base + tax,
    )


def totale_ambito(ambito: Ambito) -> TotaleAmbito:
    righe = tuple(riga(ambito.numero, n, s) for n, s in enumerate(ambito.servizi, start=1))
    return TotaleAmbito(
        numero=ambito.numero,
        titolo=ambito.titolo,
        righe=righe,
        da_definire=tuple(ambito.da_definire),
        imponibile=sum((r.imponibile for r in righe), ZERO),
        iva=sum((r.iva for r in righe), ZERO),
        totale=sum((r.totale for r in righe), ZERO),
    )


def totali(agreement: Agreement) -> Totali:
    """The municipal fees: every line, every ambito, the grand total."""
    ambiti = tuple(totale_ambito(a) for a in agreement.ambiti)
    return Totali(
        ambiti=ambiti,
        imponibile=sum((a.imponibile for a in ambiti), ZERO),
        iva=sum((a.iva for a in ambiti), ZERO),
        totale=sum((a.totale for a in ambiti), ZERO),
    )


def risorse(agreement: Agreement, municipali: Totali | None = None) -> Risorse:
    """The consortium's extra resources, the 1 % shares and their ratio to the fees."""
    municipali = totali(agreement) if municipali is None else municipali
    ambiti = []
    for ambito in agreement.ambiti:
        voci = (
            tuple((v.voce, v.importo) for v in ambito.risorse_consorzio.voci)
            if ambito.risorse_consorzio is not None
            else ()
        )
        if not voci and ambito.quota_1_percento is None:
            continue
        ambiti.append(
            RisorseAmbito(
                numero=ambito.numero,
                titolo=ambito.titolo,
                voci=voci,
                totale=sum((importo for _, importo in voci), ZERO),
                quota_1_percento=ambito.quota_1_percento,
            )
        )
    totale_risorse = sum((a.totale for a in ambiti), ZERO)
    totale_quote = sum((a.quota_1_percento or ZERO for a in ambiti), ZERO)
    totale = totale_risorse + totale_quote
    base = municipali.imponibile
    return Risorse(
        ambiti=tuple(ambiti),
        totale_risorse=totale_risorse,
        totale_quote=totale_quote,
        totale=totale,
        base=base,
        percentuale=totale * HUNDRED / base if base else ZERO,
        percentuale_dichiarata=agreement.risorse_consorzio.percentuale,
    )


def nido_servizio(agreement: Agreement) -> Servizio:
    """The fee line the nursery tiers apply to (validated to exist by the loader)."""
    nido = agreement.nido
    assert nido is not None
    ambito = next(a for a in agreement.ambiti if a.numero == nido.ambito)
    return ambito.servizi[nido.servizio - 1]


def fascia_per(fasce: tuple[Fascia, ...], iscritti: int) -> Fascia:
    """The tier that covers ``iscritti`` (tiers cover 0 to ∞ without gaps)."""
    for fascia in fasce:
        top = fascia.iscritti_max
        if fascia.iscritti_min <= iscritti and (top is None or iscritti <= top):
            return fascia
    raise AssertionError(f"no tier covers {iscritti}; the loader checks coverage")


def fascia_piena(fasce: tuple[Fascia, ...]) -> Fascia:
    """The highest tier: the full-fee contract."""
    return max(fasce, key=lambda fascia: fascia.iscritti_min)


def _nido(agreement: Agreement) -> Nido:
    if agreement.nido is None:
        raise UsageError(_("this data file defines no nursery tiers (no nido: section)"))
    return agreement.nido


def preventivo_nido(agreement: Agreement, iscritti: int) -> Preventivo | Rimodulazione:
    """The nursery's fee for ``iscritti`` enrolled children, or the tier that
    calls for a *rimodulazione* (no fee defined)."""
    nido = _nido(agreement)
    servizio = nido_servizio(agreement)
    assert servizio.mensilita is not None
    fascia = fascia_per(nido.fasce, iscritti)
    if fascia.canone_mensile is None:
        return Rimodulazione(iscritti, fascia)
    piena = fascia_piena(nido.fasce)
    assert piena.canone_mensile is not None
    aliquota = servizio.aliquota_iva
    mesi = servizio.mensilita
    annuo = fascia.canone_mensile * mesi
    annuo_pieno = piena.canone_mensile * mesi
    iva_mensile = vat(fascia.canone_mensile, aliquota)
    iva_annua = vat(annuo, aliquota)
    return Preventivo(
        iscritti=iscritti,
        fascia=fascia,
        canone_mensile=fascia.canone_mensile,
        aliquota_iva=aliquota,
        iva_mensile=iva_mensile,
        totale_mensile=fascia.canone_mensile + iva_mensile,
        mensilita=mesi,
        imponibile=annuo,
        iva=iva_annua,
        totale=annuo + iva_annua,
        imponibile_pieno=annuo_pieno,
        totale_pieno=annuo_pieno + vat(annuo_pieno, aliquota),
    )


class TariffaFascia(NamedTuple):
    """One row of the nursery's tier table: the tier and, if it has a fee, its figures."""

    fascia: Fascia
    preventivo: Preventivo | None  # None: the tier calls for a rimodulazione


def tariffe_nido(agreement: Agreement) -> tuple[TariffaFascia, ...]:
    """Every nursery tier, highest enrolment first, with its fee worked out."""
    nido = _nido(agreement)
    rows = []
    for fascia in sorted(nido.fasce, key=lambda f: f.iscritti_min, reverse=True):
        quote = preventivo_nido(agreement, fascia.iscritti_min)
        rows.append(TariffaFascia(fascia, quote if isinstance(quote, Preventivo) else None))
    return tuple(rows)
