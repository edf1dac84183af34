"""Boundaries of the agreement's year: each test sits exactly on an edge (an invoice dated
`--al`, a payment made on `--al`, an enrolment month that begins on `--al`, a month's last
day, the last day of the payment term, a lump sum billed to the cent of its total, SdI's
tolerances to the cent, a period of one day, a VAT rate of 100 %, a value quoted whole up
to 40 characters) and on the step beside it, so that moving the comparison by one (`<=`
for `<`, `>` for `>=`) fails it; and an e-invoice's VAT shared across its lines to the
cent. The mutation script (benchmarks/mutation.py) makes those moves and runs these tests
to prove it.

Expected figures are the document's fees, or worked out by hand in the comments; the
monitoring runs in-process on registers written here (no subprocess)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

from crema_budget.agreement.model import Agreement
from crema_budget.year.anomalies import Anomalia, Tipo
from crema_budget.year.assign import assign
from crema_budget.year.fatturapa.records import (
    Cassa,
    FatturaElettronica,
    Riepilogo,
    RigaFattura,
)
from crema_budget.year.fatturapa.values import as_amount2, as_rate, value_problem
from crema_budget.year.monitor import Linea, Monitoraggio, default_date, monitor
from crema_budget.year.records import Abbinamento, Mese
from crema_budget.year.register import parse_registro
from crema_budget.year.split_payment import Versamento

D = Decimal
FULL, LOW = D("26736.87"), D("19304.08")  # the nursery's full fee, and its tier for 20
ACCOGLIENZA = D("2300.00")  # a monthly fee, VAT 4 %: 92.00
AUTONOMIA = D("42479.93")  # a sum for the year (pro rata), VAT 4 %
CIG = "6543210ABC"  # the register's rule: this CIG's lines are the green areas (verde)


def run(
    agreement: Agreement,
    text: str,
    al: date,
    letti: Sequence[FatturaElettronica] = (),
) -> Monitoraggio:
    return monitor(agreement, parse_registro(text, "registro.yaml"), al, letti)


def line(result: Monitoraggio, codice: str) -> Linea:
    return next(x for x in result.linee if x.codice == codice)


def of_kind(found: Sequence[Anomalia], tipo: Tipo) -> list[Anomalia]:
    return [a for a in found if a.tipo is tipo]


def accoglienza(numero: str, data: str, competenza: str, pagata: str = "") -> str:
    """A register's invoice of one month of accoglienza: 2,300.00 + 4 % = 92.00."""
    paid = f", pagata: {pagata}" if pagata else ""
    return (
        f"  - {{numero: '{numero}', data: {data}, servizio: accoglienza, competenza: "
        f"{competenza}, imponibile: 2300.00, aliquota_iva: 4, iva: 92.00{paid}}}\n"
    )


def register(*invoices: str, extra: str = "") -> str:
    return "iscritti_nido:\n  2016-01: 27\nfatture:\n" + "".join(invoices) + extra


# --- dates against --al ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("al", "invoiced", "count"),
    [
        (date(2016, 2, 5), ACCOGLIENZA, 1),  # the invoice dated exactly --al counts…
        (date(2016, 2, 4), D("0.00"), 0),  # …not the day before its date
    ],
)
def test_an_invoice_dated_exactly_al_is_counted_the_next_one_is_not(
    agreement: Agreement, al: date, invoiced: Decimal, count: int
) -> None:
    """January's invoice is dated 5 February, February's the 6th: at 5 February the
    first is invoiced and the second not yet."""
    text = register(
        accoglienza("A1", "2016-02-05", "2016-01"), accoglienza("A2", "2016-02-06", "2016-02")
    )
    found = line(run(agreement, text, al), "accoglienza")
    assert (found.fatturato, found.fatture) == (invoiced, count)


def test_a_payment_made_exactly_on_al_is_paid_the_next_days_is_not(agreement: Agreement) -> None:
    """Two invoices paid on 10 and 11 February: at 10 February one is paid (monitor's
    `pagato`), and split payment has it alone in February's versamento: 2,300.00 to the
    consortium, its 92.00 of VAT to the Treasury by 16 March 2016 (a Wednesday)."""
    text = register(
        accoglienza("A1", "2016-02-01", "2016-01", pagata="2016-02-10"),
        accoglienza("A2", "2016-02-01", "2016-01", pagata="2016-02-11"),
    )
    result = run(agreement, text, date(2016, 2, 10))
    assert line(result, "accoglienza").pagato == ACCOGLIENZA
    assert result.versamenti == (
        Versamento(Mese(2016, 2), ACCOGLIENZA, D("92.00"), date(2016, 3, 16), 1),
    )
    day_before = run(agreement, text, date(2016, 2, 9))
    assert line(day_before, "accoglienza").pagato == 0
    assert day_before.versamenti == ()


def einvoice(
    numero: str,
    righe: Sequence[tuple[str, Decimal, Decimal]],
    riepiloghi: Sequence[tuple[Decimal, Decimal, Decimal]],
    data: date = date(2016, 2, 1),
    periodo: tuple[date | None, date | None] = (date(2016, 1, 1), date(2016, 1, 31)),
) -> FatturaElettronica:
    """An e-invoice with the green areas' CIG: lines (description, PrezzoTotale, rate), and
    summaries (rate, ImponibileImporto, Imposta) under split payment."""
    return FatturaElettronica(
        file=f"{numero}.xml",
        indice=1,
        tipo_documento="TD01",
        numero=numero,
        data=data,
        cedente="Consorzio Sul Serio",
        cedente_partita_iva=None,
        cessionario="Comune di Crema",
        cig=(CIG,),
        righe=tuple(
            RigaFattura(n, text, *periodo, None, amount, amount, rate, None)
            for n, (text, amount, rate) in enumerate(righe, start=1)
        ),
        riepiloghi=tuple(Riepilogo(rate, base, tax, "S") for rate, base, tax in riepiloghi),
        importo_totale=None,
        firmata=False,
    )


def green(
    numero: str, amount: Decimal, imposta: Decimal, imponibile: Decimal | None = None
) -> FatturaElettronica:
    """One line of green areas at 22 %, its summary stating ``imponibile`` (the line's
    amount unless said) and ``imposta``."""
    base = amount if imponibile is None else imponibile
    return einvoice(numero, [("Manutenzione aree verdi", amount, D(22))], [(D(22), base, imposta)])


RULES = f"abbinamenti:\n  - {{cig: {CIG}, servizio: verde}}\n"
VERDE_RULE = (Abbinamento("verde", cig=CIG),)


@pytest.mark.parametrize(
    ("al", "paid"),
    [
        (date(2016, 2, 10), True),  # paid on --al: counted
        (date(2016, 2, 9), False),  # the day before its payment: not yet
    ],
)
def test_an_einvoice_paid_exactly_on_al_is_in_split_payment(
    agreement: Agreement, al: date, paid: bool
) -> None:
    """An e-invoice paid on 10 February is in February's versamento at 10 February,
    and in none the day before: 1,000.00 to the consortium, and 1,000.00 × 22 % = 220.00
    of VAT to the Treasury (EsigibilitaIVA S) by 16 March 2016."""
    pagamenti = "pagamenti:\n  - {numero: FPA 1, data: 2016-02-10}\n"
    text = register(accoglienza("A1", "2016-02-01", "2016-01"), extra=RULES + pagamenti)
    result = run(agreement, text, al, [green("FPA 1", D("1000.00"), D("220.00"))])
    expected = Versamento(Mese(2016, 2), D("1000.00"), D("220.00"), date(2016, 3, 16), 1)
    assert result.versamenti == ((expected,) if paid else ())


@pytest.mark.parametrize(
    ("al", "last_known", "forecast"),
    [
        # February's 20 children are known from 1 February: January at the full fee, the
        # ten months after at the tier for 20: 26,736.87 + 10 × 19,304.08 = 219,777.67.
        (date(2016, 2, 1), (Mese(2016, 2), 20), D("219777.67")),
        # On 31 January, February's count is not known yet: January's 27 for all 11
        # months, 11 × 26,736.87 = 294,105.57 (the document's yearly fee).
        (date(2016, 1, 31), (Mese(2016, 1), 27), D("294105.57")),
    ],
)
def test_an_enrolment_month_beginning_exactly_on_al_is_known(
    agreement: Agreement, al: date, last_known: tuple[Mese, int], forecast: Decimal
) -> None:
    """The enrolment of a month is known from its first day, and the nursery's forecast
    follows it; the day before, the last month known is the one before."""
    text = "iscritti_nido:\n  2016-01: 27\n  2016-02: 20\nfatture:\n" + accoglienza(
        "A1", "2016-01-05", "2016-01"
    )
    result = run(agreement, text, al)
    assert result.ultimo_iscritti == last_known
    assert line(result, "nido").previsione == forecast


@pytest.mark.parametrize(
    ("al", "due", "january_passed"),
    [
        (date(2016, 1, 31), ACCOGLIENZA, True),  # January's last day: January is due
        (date(2016, 1, 30), D("0.00"), False),  # the day before: nothing yet
    ],
)
def test_a_month_falls_due_on_its_last_day(
    agreement: Agreement, al: date, due: Decimal, january_passed: bool
) -> None:
    """A month's fee falls due on the month's last day (`scade <= al`), and the nursery's
    January has passed then, not the day before."""
    result = run(agreement, register(accoglienza("A1", "2016-01-05", "2016-01")), al)
    assert line(result, "accoglienza").dovuto == due
    assert line(result, "nido").dovuto == (FULL if january_passed else 0)
    assert result.nido[0].mese == Mese(2016, 1)
    assert result.nido[0].passato is january_passed


@pytest.mark.parametrize(
    ("al", "missing"),
    [
        # January falls due on the 31st; 30 days later, 1 March 2016 (a leap year), is the
        # last day of its term: on that day the invoice is late but not missing…
        (date(2016, 3, 1), []),
        # …the day after, it is.
        (date(2016, 3, 2), [(Mese(2016, 1), ACCOGLIENZA, "2016-03-01")]),
    ],
)
def test_an_invoice_is_missing_the_day_after_its_term(
    agreement: Agreement, al: date, missing: list[tuple[Mese, Decimal, str]]
) -> None:
    """February's accoglienza is invoiced, January's is not: it is missing only once
    its payment term (`termine < al`) has run out."""
    text = register(accoglienza("A2", "2016-02-29", "2016-02"))
    found = of_kind(run(agreement, text, al).anomalie, Tipo.FATTURA_MANCANTE)
    assert [(a.mese, a.atteso, a.testo) for a in found if a.servizio == "accoglienza"] == missing


def autonomia(numero: str, competenza: str, imponibile: str) -> str:
    # 4 % of 21,239.97 is 849.5988 and of 21,239.96 is 849.5984: both 849.60.
    return (
        f"  - {{numero: '{numero}', data: 2016-12-20, servizio: autonomia, competenza: "
        f"{competenza}, imponibile: {imponibile}, aliquota_iva: 4, iva: 849.60}}\n"
    )


def test_a_lump_sum_billed_exactly_to_its_total_is_within_budget(agreement: Agreement) -> None:
    """The year's € 42.479,93 of autonomia in two halves, 21,239.97 + 21,239.96 =
    42,479.93 to the cent: neither beyond the line's sum nor beyond its budget."""
    text = register(
        autonomia("B1", "2016-01/2016-06", "21239.97"),
        autonomia("B2", "2016-07/2016-12", "21239.96"),
    )
    result = run(agreement, text, date(2016, 12, 31))
    found = line(result, "autonomia")
    # The year-end forecast: what is invoiced, and nothing more to come.
    assert (found.fatturato, found.previsione) == (AUTONOMIA, AUTONOMIA)
    assert of_kind(result.anomalie, Tipo.OLTRE_IMPORTO) == []
    assert of_kind(result.anomalie, Tipo.OLTRE_BILANCIO) == []


def test_a_lump_sum_half_billed_is_forecast_to_its_total(agreement: Agreement) -> None:
    """Half of autonomia invoiced (21,239.97): the forecast is the line's sum, the other
    21,239.96 still to come."""
    text = register(autonomia("B1", "2016-01/2016-06", "21239.97"))
    found = line(run(agreement, text, date(2016, 12, 31)), "autonomia")
    assert (found.fatturato, found.previsione) == (D("21239.97"), AUTONOMIA)


def test_a_lump_sum_billed_one_cent_over_its_total_is_said(agreement: Agreement) -> None:
    """The same halves with one more cent, 21,239.97 + 21,239.97 = 42,479.94: the second
    invoice bills beyond the line's sum, and the line is beyond its budget, each by € 0,01."""
    text = register(
        autonomia("B1", "2016-01/2016-06", "21239.97"),
        autonomia("B2", "2016-07/2016-12", "21239.97"),
    )
    result = run(agreement, text, date(2016, 12, 31))
    over = D("42479.94")
    # The forecast is what is invoiced, never less.
    assert line(result, "autonomia").previsione == over
    assert [
        (a.numero, a.importo, a.atteso) for a in of_kind(result.anomalie, Tipo.OLTRE_IMPORTO)
    ] == [("B2", over, AUTONOMIA)]
    assert [
        (a.numero, a.importo, a.atteso) for a in of_kind(result.anomalie, Tipo.OLTRE_BILANCIO)
    ] == [("B2", over, AUTONOMIA)]


# --- SdI's tolerances ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("imposta", "tollerato"),
    [
        # 1,000.00 × 22 % = 220.00: a cent either way is SdI's tolerance (00421)…
        (D("220.01"), True),
        (D("219.99"), True),
        # …two cents are beyond it.
        (D("220.02"), False),
        (D("219.98"), False),
    ],
)
def test_sdi_vat_tolerance_on_its_edge(
    agreement: Agreement, imposta: Decimal, tollerato: bool
) -> None:
    """A VAT 1 cent from the rate's: a note, and the invoice counts; 2 cents: an anomaly
    (the invoice's lines still count: the VAT is wrong, not the amounts)."""
    text = register(accoglienza("A1", "2016-01-05", "2016-01"), extra=RULES)
    result = run(agreement, text, date(2016, 6, 30), [green("FPA 2", D("1000.00"), imposta)])
    gap = [
        (a.tipo, a.importo, a.atteso)
        for a in (*result.note, *result.anomalie)
        if a.numero == "FPA 2"
    ]
    assert gap == [(Tipo.IVA, imposta, D("220.00"))]
    assert (gap[0] in [(a.tipo, a.importo, a.atteso) for a in result.note]) is tollerato
    assert line(result, "verde").fatturato == D("1000.00")


@pytest.mark.parametrize(
    ("imponibile", "imposta", "tollerato"),
    [
        # The line bills 1,000.00; a summary of 1,001.00 is 1 euro off, SdI's tolerance
        # (00422): a note. Its VAT, 1,001.00 × 22 % = 220.22, is exact.
        (D("1001.00"), D("220.22"), True),
        (D("999.00"), D("219.78"), True),  # 999.00 × 22 % = 219.78
        # 1,001.01 is 1.01 off: an anomaly, and the invoice is not counted.
        # 1,001.01 × 22 % = 220.2222 → 220.22.
        (D("1001.01"), D("220.22"), False),
        (D("998.99"), D("219.78"), False),  # 998.99 × 22 % = 219.7778 → 219.78
    ],
)
def test_sdi_taxable_tolerance_on_its_edge(
    agreement: Agreement, imponibile: Decimal, imposta: Decimal, tollerato: bool
) -> None:
    """A summary 1 euro from its lines is a rounding SdI lets through: noted, and the
    line counts; 1 euro and a cent is an anomaly, and none of the invoice's lines counts."""
    text = register(accoglienza("A1", "2016-01-05", "2016-01"), extra=RULES)
    invoice = green("FPA 3", D("1000.00"), imposta, imponibile=imponibile)
    result = run(agreement, text, date(2016, 6, 30), [invoice])
    gap = [
        (a.tipo, a.importo, a.atteso)
        for a in (*result.note, *result.anomalie)
        if a.numero == "FPA 3"
    ]
    assert gap == [(Tipo.RIEPILOGO, imponibile, D("1000.00"))]
    assert (gap[0] in [(a.tipo, a.importo, a.atteso) for a in result.note]) is tollerato
    assert line(result, "verde").fatturato == (D("1000.00") if tollerato else 0)


def test_a_declared_rounding_is_part_of_the_taxable_total(agreement: Agreement) -> None:
    """A summary of 1,000.50 over a line of 1,000.00 and an Arrotondamento of 0.50 adds up
    (1,000.00 + 0.50 = 1,000.50): no gap to note (1,000.50 × 22 % = 220.11)."""
    invoice = green("FPA 6", D("1000.00"), D("220.11"), imponibile=D("1000.50"))
    (summary,) = invoice.riepiloghi
    invoice = invoice._replace(riepiloghi=(summary._replace(arrotondamento=D("0.50")),))
    text = register(accoglienza("A1", "2016-01-05", "2016-01"), extra=RULES)
    result = run(agreement, text, date(2016, 6, 30), [invoice])
    assert [a for a in (*result.note, *result.anomalie) if a.numero == "FPA 6"] == []
    assert line(result, "verde").fatturato == D("1000.00")


def test_a_fund_contribution_is_part_of_the_taxable_total(agreement: Agreement) -> None:
    """A summary of 1,020.00 over a line of 1,000.00 and a fund contribution of 20.00 at
    the same rate adds up (1,000.00 + 20.00 = 1,020.00; 1,020.00 × 22 % = 224.40)."""
    invoice = green("FPA 8", D("1000.00"), D("224.40"), imponibile=D("1020.00"))
    invoice = invoice._replace(casse=(Cassa(D(22), D("20.00")),))
    text = register(accoglienza("A1", "2016-01-05", "2016-01"), extra=RULES)
    result = run(agreement, text, date(2016, 6, 30), [invoice])
    assert [a for a in (*result.note, *result.anomalie) if a.numero == "FPA 8"] == []


@pytest.mark.parametrize(
    ("periodo", "inverted"),
    [
        ((date(2016, 3, 15), date(2016, 3, 15)), False),  # one day: starts and ends on it
        ((date(2016, 3, 15), date(2016, 3, 14)), True),  # ends the day before it starts
    ],
)
def test_a_period_of_one_day_is_not_upside_down(periodo: tuple[date, date], inverted: bool) -> None:
    """A line's period that ends the day it starts is a period; one that ends the day
    before is upside down."""
    invoice = einvoice(
        "FPA 7",
        [("Manutenzione aree verdi", D("100.00"), D(22))],
        [(D(22), D("100.00"), D("22.00"))],
        periodo=periodo,
    )
    found = assign([invoice], VERDE_RULE, ())
    assert [a.tipo for a in found.problems] == ([Tipo.PERIODO_INVERTITO] if inverted else [])
    assert [(e.dal, e.al) for e in found.entries] == ([] if inverted else [(Mese(2016, 3),) * 2])


# --- an e-invoice's VAT shared across its lines ----------------------------------------------


def shared_vat(invoice: FatturaElettronica) -> list[Decimal]:
    """Each entry's VAT, as the e-invoice's lines are assigned."""
    return [entry.iva for entry in assign([invoice], VERDE_RULE, ()).entries]


def test_the_vat_rounding_remainder_goes_to_the_last_line_of_its_rate() -> None:
    """Three lines of 100.25 at 22 % and one of 10.05 at 4 %. Line by line, 100.25 × 22 %
    = 22.055 → 22.06, three times 66.18; the summary states 300.75 × 22 % = 66.165 →
    66.17. The cent left over (66.17 − 66.18 = −0.01) goes to the third line, the last
    at 22 %, not to the 4 % line after it (10.05 × 4 % = 0.402 → 0.40, its summary's)."""
    invoice = einvoice(
        "FPA 4",
        [("verde", D("100.25"), D(22))] * 3 + [("verde", D("10.05"), D(4))],
        [(D(22), D("300.75"), D("66.17")), (D(4), D("10.05"), D("0.40"))],
    )
    shares = shared_vat(invoice)
    assert shares == [D("22.06"), D("22.06"), D("22.05"), D("0.40")]
    assert sum(shares[:3]) == D("66.17")  # the stated VAT at 22 %, to the cent


@pytest.mark.parametrize(
    ("imposta", "shares"),
    [
        # Two lines of 50.00 at 22 %: 11.00 each, 22.00 in all. A stated 22.02 leaves
        # 2 cents, one per line at most, which rounding line by line could leave: the
        # last line takes them (11.02)…
        (D("22.02"), [D("11.00"), D("11.02")]),
        # …3 cents could not come from rounding two lines: nothing is shared (and the
        # VAT's gap from 100.00 × 22 % = 22.00 is an SdI anomaly of its own).
        (D("22.03"), [D("11.00"), D("11.00")]),
        # The stated VAT exact: nothing to share.
        (D("22.00"), [D("11.00"), D("11.00")]),
    ],
)
def test_the_vat_remainder_is_shared_up_to_a_cent_a_line(
    imposta: Decimal, shares: list[Decimal]
) -> None:
    """What the lines' VAT leaves to the stated VAT goes to the last line only while it
    is within a cent per line of the rate."""
    invoice = einvoice("FPA 5", [("verde", D("50.00"), D(22))] * 2, [(D(22), D("100.00"), imposta)])
    assert shared_vat(invoice) == shares


@pytest.mark.parametrize(
    ("today", "al"),
    [
        (date(2015, 12, 31), date(2016, 1, 1)),  # before the year: its first day
        (date(2016, 1, 1), date(2016, 1, 1)),
        (date(2016, 6, 15), date(2016, 6, 15)),
        (date(2016, 12, 31), date(2016, 12, 31)),
        (date(2017, 1, 1), date(2016, 12, 31)),  # after the year: its last day
    ],
)
def test_without_al_the_date_is_today_within_the_agreements_year(
    agreement: Agreement, today: date, al: date
) -> None:
    """`monitor` without `--al` takes today, held to the agreement's year 2016."""
    assert default_date(agreement, today) == al


# --- an e-invoice's values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rate"),
    [("100.00", D("100.00")), ("100.01", None), ("0.00", D("0.00"))],
)
def test_a_vat_rate_is_read_up_to_100_percent(text: str, rate: Decimal | None) -> None:
    """AliquotaIVA is a percentage: 100.00 is the highest there is, 100.01 is refused."""
    assert as_rate(text) == rate


@pytest.mark.parametrize(
    ("length", "quoted"),
    [(40, "9" * 40), (41, "9" * 40 + "…")],
)
def test_a_refused_value_is_quoted_whole_up_to_40_characters(length: int, quoted: str) -> None:
    """A message quotes a refused value whole up to 40 characters, and cuts a longer
    one at 40."""
    message = value_problem(as_amount2, "9" * length, "PrezzoTotale")
    assert f"'{quoted}' in PrezzoTotale" in message
