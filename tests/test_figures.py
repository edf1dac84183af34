"""Every figure of the signed document, recomputed from the inputs.

The expected numbers below are typed from the document (economic summary,
"Risorse/valorizzazioni Consorzio", the nursery clause); the computed ones come
from the fees, months, VAT rates and items in the data file, never from its
declared figures.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from crema_budget.agreement.checks import Esito, percent_check, run_checks
from crema_budget.agreement.compute import (
    Preventivo,
    Rimodulazione,
    preventivo_nido,
    risorse,
    tariffe_nido,
    totali,
)
from crema_budget.agreement.model import Agreement

D = Decimal

# Scheda economica di sintesi: (ambito, row within the ambito) → imponibile, IVA, totale.
SUMMARY_ROWS = [
    (1, 1, "294105.57", "4", "11764.22", "305869.79"),
    (2, 1, "21413.10", "4", "856.52", "22269.62"),
    (2, 2, "62280.00", "4", "2491.20", "64771.20"),
    (4, 1, "42479.93", "4", "1699.20", "44179.13"),
    (5, 1, "426842.00", "22", "93905.24", "520747.24"),
    (5, 2, "16550.00", "22", "3641.00", "20191.00"),
    (5, 3, "167962.11", "22", "36951.66", "204913.77"),
]

# Ambito 3 appears in the summary as one row; its two lines are in the ambito's text.
AMBITO_3_LINES = [(1, "27600.00", "28704.00"), (2, "87396.00", "90891.84")]

# Ambito totals stated in the text (ambito 3's IVA from the summary table).
AMBITO_TOTALS = [
    (2, "83693.10", "87040.82"),
    (3, "114996.00", "119595.84"),
    (5, "611354.11", "745852.01"),
]

CONSORTIUM = [(1, "5540.00"), (2, "8450.00"), (3, "11490.00"), (4, "11140.00"), (5, "39500.00")]
QUOTE_1_PERCENT = [(3, "9000.00"), (5, "1550.49")]


@pytest.mark.parametrize(("ambito", "row", "imponibile", "rate", "iva", "totale"), SUMMARY_ROWS)
def test_summary_row(
    agreement: Agreement, ambito: int, row: int, imponibile: str, rate: str, iva: str, totale: str
) -> None:
    """Each row of the economic summary comes out of fee × months (or the sum) and its VAT."""
    line = totali(agreement).ambiti[ambito - 1].righe[row - 1]
    assert (line.imponibile, line.aliquota_iva, line.iva, line.totale) == (
        D(imponibile),
        D(rate),
        D(iva),
        D(totale),
    )


@pytest.mark.parametrize(("row", "imponibile", "totale"), AMBITO_3_LINES)
def test_ambito_3_lines(agreement: Agreement, row: int, imponibile: str, totale: str) -> None:
    """Ambito 3's two 12-month lines match the ambito's text."""
    line = totali(agreement).ambiti[2].righe[row - 1]
    assert (line.imponibile, line.totale) == (D(imponibile), D(totale))


@pytest.mark.parametrize(("ambito", "imponibile", "totale"), AMBITO_TOTALS)
def test_ambito_totals(agreement: Agreement, ambito: int, imponibile: str, totale: str) -> None:
    """Ambito totals are sums of their lines and match the document."""
    computed = totali(agreement).ambiti[ambito - 1]
    assert (computed.imponibile, computed.totale) == (D(imponibile), D(totale))


def test_ambito_3_vat_as_in_summary(agreement: Agreement) -> None:
    """Ambito 3's VAT, stated only in the summary table, is the sum of its lines' VAT."""
    assert totali(agreement).ambiti[2].iva == D("4599.84")


def test_grand_totals(agreement: Agreement) -> None:
    """The summary's bottom row: € 1.146.628,71 taxable, € 1.302.537,59 with VAT."""
    computed = totali(agreement)
    assert computed.imponibile == D("1146628.71")
    assert computed.totale == D("1302537.59")
    assert computed.iva == computed.totale - computed.imponibile


def test_vat_on_line_total_not_on_monthly_fee(agreement: Agreement) -> None:
    """The nursery's VAT is 4 % of 294.105,57 (305.869,79), not 11 × (fee + VAT) (305.869,74)."""
    line = totali(agreement).ambiti[0].righe[0]
    monthly_with_vat = (D("26736.87") * D("1.04")).quantize(D("0.01"))
    assert line.totale == D("305869.79")
    assert monthly_with_vat * 11 != line.totale


@pytest.mark.parametrize(("ambito", "amount"), CONSORTIUM)
def test_consortium_resources(agreement: Agreement, ambito: int, amount: str) -> None:
    """Each ambito's consortium resources are the sum of its items."""
    found = {a.numero: a.totale for a in risorse(agreement).ambiti}
    assert found[ambito] == D(amount)


@pytest.mark.parametrize(("ambito", "amount"), QUOTE_1_PERCENT)
def test_one_percent_shares(agreement: Agreement, ambito: int, amount: str) -> None:
    """The two 1 % shares are carried into the consortium's table."""
    found = {a.numero: a.quota_1_percento for a in risorse(agreement).ambiti}
    assert found[ambito] == D(amount)


def test_consortium_totals_and_ratio(agreement: Agreement) -> None:
    """€ 76.120,00 + € 10.550,49 = € 86.670,49, which is 7,5587…% of the taxable fees."""
    computed = risorse(agreement)
    assert computed.totale_risorse == D("76120.00")
    assert computed.totale_quote == D("10550.49")
    assert computed.totale == D("86670.49")
    assert computed.base == D("1146628.71")
    assert computed.percentuale.quantize(D("0.0001")) == D("7.5587")


def test_declared_ratio_is_truncated_not_rounded(agreement: Agreement) -> None:
    """The document's "7,5 %" is 7,56 % cut to one decimal: reported as such, not as a failure."""
    ratio = [c for c in run_checks(agreement).checks if c.percentuale]
    assert len(ratio) == 1
    assert ratio[0].esito is Esito.TRONCATO
    assert ratio[0].ok


@pytest.mark.parametrize(
    ("declared", "exact", "esito"),
    [
        ("7.6", "7.5587", Esito.CONCORDA),
        ("7.5", "7.5587", Esito.TRONCATO),
        ("7.4", "7.5587", Esito.DIFFERISCE),
        ("7.56", "7.5587", Esito.CONCORDA),
        ("7.55", "7.5587", Esito.TRONCATO),
        ("8", "7.5587", Esito.CONCORDA),
        ("7", "7.5587", Esito.TRONCATO),
    ],
)
def test_percent_check_outcomes(declared: str, exact: str, esito: Esito) -> None:
    """A percentage agrees when rounded half up to its decimals; cut-only is flagged."""
    assert percent_check("k", "x", "y", D(declared), D(exact)).esito is esito


def test_every_declared_figure_agrees(agreement: Agreement) -> None:
    """All 51 declared figures of the shipped file agree with the computation."""
    controllo = run_checks(agreement)
    assert len(controllo.checks) == 51
    assert [c for c in controllo.checks if not c.ok] == []
    assert controllo.ok


@pytest.mark.parametrize(
    ("iscritti", "canone", "totale_annuo"),
    [
        (20, "19304.08", "220838.68"),
        (21, "22909.58", "262085.60"),
        (23, "22909.58", "262085.60"),
        (26, "22909.58", "262085.60"),
        (27, "26736.87", "305869.79"),
        (60, "26736.87", "305869.79"),
    ],
)
def test_nursery_tiers(agreement: Agreement, iscritti: int, canone: str, totale_annuo: str) -> None:
    """Tier boundaries 20 / 21 / 26 / 27 give the document's three monthly fees."""
    quote = preventivo_nido(agreement, iscritti)
    assert isinstance(quote, Preventivo)
    assert quote.canone_mensile == D(canone)
    assert quote.mensilita == 11
    assert quote.totale == D(totale_annuo)
    assert quote.imponibile == D(canone) * 11


def test_nursery_21_to_26_figures(agreement: Agreement) -> None:
    """23 children: € 22.909,58 + 4 % a month; € 42.100,19 less taxable than the full fee."""
    quote = preventivo_nido(agreement, 23)
    assert isinstance(quote, Preventivo)
    assert (quote.iva_mensile, quote.totale_mensile) == (D("916.38"), D("23825.96"))
    assert (quote.imponibile, quote.iva) == (D("252005.38"), D("10080.22"))
    assert quote.differenza_imponibile == D("-42100.19")
    assert quote.differenza_totale == D("262085.60") - D("305869.79")


@pytest.mark.parametrize("iscritti", [0, 1, 19])
def test_under_20_no_fee(agreement: Agreement, iscritti: int) -> None:
    """Under 20 children no fee exists: the agreement calls for a rimodulazione."""
    quote = preventivo_nido(agreement, iscritti)
    assert isinstance(quote, Rimodulazione)
    assert quote.soglia == 20


def test_tier_table(agreement: Agreement) -> None:
    """The tier table lists 27+, 21–26, 20 and the rimodulazione tier, highest first."""
    rows = tariffe_nido(agreement)
    assert [(r.fascia.iscritti_min, r.fascia.iscritti_max) for r in rows] == [
        (27, None),
        (21, 26),
        (20, 20),
        (0, 19),
    ]
    assert [r.preventivo.canone_mensile if r.preventivo else None for r in rows] == [
        D("26736.87"),
        D("22909.58"),
        D("19304.08"),
        None,
    ]


def test_electoral_service_is_open_not_zero(agreement: Agreement) -> None:
    """Ambito 5's electoral-service budget is listed as to be defined, not counted."""
    ambito_5 = totali(agreement).ambiti[4]
    assert [d.voce for d in ambito_5.da_definire] == [
        "Servizio elettorale (allestimento sedi per le consultazioni referendarie)"
    ]
    assert len(ambito_5.righe) == 3
