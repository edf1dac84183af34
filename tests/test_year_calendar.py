"""The year's calendar: how each kind of fee line falls due (instalments, a sum over the
months stated, a monthly fee given without its months, a one-off on the day the register
records), invoices that bill months beyond the year, a nursery invoice across a month
without a fee, and the days split-payment VAT falls due (weekends, fixed holidays, Easter
Monday by the Gregorian computus).

Expected figures are worked out by hand in the comments; Easter Sundays are the published
dates. The monitoring runs in-process on an agreement and registers written here."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from crema_budget.agreement.load import parse_agreement
from crema_budget.agreement.model import Agreement
from crema_budget.year.anomalies import Tipo
from crema_budget.year.due import Base, tipo
from crema_budget.year.monitor import Linea, Monitoraggio, monitor
from crema_budget.year.records import Mese
from crema_budget.year.register import parse_registro
from crema_budget.year.split_payment import _holidays, italian_due_date

D = Decimal

#: One line of each way of falling due that the 2016 agreement does not have.
KINDS = """\
documento: {titolo: T, comune: C, consorzio: K, anno: 2016}
ambiti:
  - numero: 1
    titolo: Uno
    servizi:
      - {codice: doposcuola, voce: Doposcuola, canone_mensile: 1000, mensilita: 11, aliquota_iva: 4}
      - {codice: pulizie, voce: Pulizie, importo: 1000, aliquota_iva: 22,
         rate: [{mese: 3, importo: 300}, {mese: 9, importo: 700}]}
      - {codice: estate, voce: Estate, importo: 1000, aliquota_iva: 22, mesi: [6, 7, 8]}
      - {codice: evento, voce: Evento, importo: 5000, aliquota_iva: 22, tipo: una_tantum}
"""


@pytest.fixture(scope="module")
def kinds() -> Agreement:
    return parse_agreement(KINDS, "kinds.yaml")


def run(agreement: Agreement, text: str, al: date) -> Monitoraggio:
    return monitor(agreement, parse_registro(text, "registro.yaml"), al)


def line(result: Monitoraggio, codice: str) -> Linea:
    return next(x for x in result.linee if x.codice == codice)


NO_INVOICE = "fatture:\n"
EVENT_DAY = "svolgimento:\n  - {servizio: evento, giorno: 2016-04-17}\n"


@pytest.mark.parametrize(
    ("codice", "base", "due"),
    [
        # Instalments: 300.00 in March; 700.00 more in September, not due on 31 August.
        ("pulizie", Base.RATE, {"2016-03-31": "300.00", "2016-08-31": "300.00",
                                "2016-09-30": "1000.00"}),
        # A sum over June to August: a third a month, rounded cumulatively:
        # 1,000 × 1/3 = 333.33, 1,000 × 2/3 = 666.67, then the whole.
        ("estate", Base.PRO_RATA_MESI, {"2016-05-31": "0", "2016-06-30": "333.33",
                                        "2016-07-31": "666.67", "2016-08-31": "1000.00"}),
        # 11 monthly fees with no months stated: 11,000.00 over the year's twelve months,
        # 11,000 × 9/12 = 8,250.00 by 30 September.
        ("doposcuola", Base.PRO_RATA_ANNO, {"2016-01-31": "916.67", "2016-09-30": "8250.00"}),
        # A one-off whose day the register records (17 April): all of it on that day.
        ("evento", Base.UNA_TANTUM, {"2016-04-16": "0", "2016-04-17": "5000.00"}),
    ],
)  # fmt: skip
def test_each_kind_of_line_falls_due_its_own_way(
    kinds: Agreement, codice: str, base: Base, due: dict[str, str]
) -> None:
    """What is due of a line at each date follows its kind."""
    for al, amount in due.items():
        found = line(run(kinds, NO_INVOICE + EVENT_DAY, date.fromisoformat(al)), codice)
        assert (found.base, found.dovuto) == (base, D(amount)), al


def test_a_one_off_without_its_day_is_not_due(kinds: Agreement) -> None:
    """Without the register's day, the one-off's day is unknown: nothing of it is due."""
    found = line(run(kinds, NO_INVOICE, date(2016, 12, 31)), "evento")
    assert (found.base, found.dovuto) == (Base.UNA_TANTUM_IGNOTA, D("0"))


@pytest.mark.parametrize(
    ("codice", "kind"), [("nido", "mensile"), ("accoglienza", "mensile"), ("autonomia", "annuale")]
)
def test_a_line_without_its_kind_is_known_by_its_fee(
    agreement: Agreement, codice: str, kind: str
) -> None:
    """A line whose kind is not given is a monthly fee if it has one, else a sum."""
    servizio = agreement.servizi()[codice][1]._replace(tipo="")
    assert tipo(servizio) == kind


def invoice(numero: str, servizio: str, competenza: str, imponibile: str, iva: str) -> str:
    return (
        f"  - {{numero: '{numero}', data: 2016-12-20, servizio: {servizio}, competenza: "
        f"{competenza}, imponibile: {imponibile}, aliquota_iva: 4, iva: {iva}}}\n"
    )


def test_an_invoice_into_the_next_year_is_beyond_the_year_only(agreement: Agreement) -> None:
    """December 2016 and January 2017 of accoglienza (2 × 2,300.00, VAT 184.00): January
    is beyond the agreement's year, said once, and not also outside the line's months."""
    text = "fatture:\n" + invoice("Y1", "accoglienza", "2016-12/2017-01", "4600.00", "184.00")
    found = [
        (a.tipo, a.mese, a.testo)
        for a in run(agreement, text, date(2016, 12, 31)).anomalie
        if a.numero == "Y1"
    ]
    assert found == [(Tipo.FUORI_ANNO, None, "2017-01")]


def test_an_invoice_from_the_year_before_is_beyond_the_year_only(agreement: Agreement) -> None:
    """December 2015 and January 2016: December is before the year, and said once."""
    text = "fatture:\n" + invoice("Y2", "accoglienza", "2015-12/2016-01", "4600.00", "184.00")
    found = [
        (a.tipo, a.mese, a.testo)
        for a in run(agreement, text, date(2016, 12, 31)).anomalie
        if a.numero == "Y2"
    ]
    assert found == [(Tipo.FUORI_ANNO, None, "2015-12")]


def test_a_nursery_invoice_across_a_month_without_a_fee_is_not_compared(
    agreement: Agreement,
) -> None:
    """June and July billed together, with 20 children in June and 18 in July: July has
    no fee (a rimodulazione), so the invoice has no amount to be compared with, and only
    the rimodulazione is said (2 × 19,304.08 = 38,608.16; 4 % VAT 1,544.3264 → 1,544.33)."""
    text = "iscritti_nido:\n  2016-06: 20\n  2016-07: 18\nfatture:\n" + invoice(
        "N67", "nido", "2016-06/2016-07", "38608.16", "1544.33"
    )
    found = [
        (a.tipo, a.mese)
        for a in run(agreement, text, date(2016, 12, 31)).anomalie
        if a.tipo in (Tipo.IMPORTO_DIVERSO, Tipo.RIMODULAZIONE)
    ]
    assert found == [(Tipo.RIMODULAZIONE, Mese(2016, 7))]


def test_an_amount_that_differs_names_its_month_when_it_bills_one(agreement: Agreement) -> None:
    """A one-month invoice of the wrong amount names its month; one of two months, none.
    (2,300.01 × 4 % = 92.0004 → 92.00; 4,600.01 × 4 % = 184.0004 → 184.00.)"""
    text = "fatture:\n" + (
        invoice("M1", "accoglienza", "2016-03", "2300.01", "92.00")
        + invoice("M2", "accoglienza", "2016-04/2016-05", "4600.01", "184.00")
    )
    found = [
        (a.numero, a.mese, a.importo, a.atteso)
        for a in run(agreement, text, date(2016, 12, 31)).anomalie
        if a.tipo is Tipo.IMPORTO_DIVERSO
    ]
    assert found == [
        ("M1", Mese(2016, 3), D("2300.01"), D("2300.00")),
        ("M2", None, D("4600.01"), D("4600.00")),
    ]


# --- when split-payment VAT is due -------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid", "due"),
    [
        (Mese(2016, 9), date(2016, 10, 17)),  # Sunday 16 October → Monday 17
        (Mese(2016, 7), date(2016, 8, 16)),  # Tuesday 16 August, the day after Ferragosto
        (Mese(2001, 3), date(2001, 4, 17)),  # Monday 16 April 2001 is Easter Monday
        (Mese(2022, 3), date(2022, 4, 19)),  # Saturday 16, Sunday 17, Easter Monday 18
        (Mese(2006, 3), date(2006, 4, 18)),  # Sunday 16 April 2006 is Easter, Monday 17
    ],
)
def test_split_payment_vat_is_due_on_the_next_working_day(paid: Mese, due: date) -> None:
    """The 16th of the month after payment, moved a day at a time past weekends and
    holidays (Easter Monday among them)."""
    assert italian_due_date(paid) == due


#: Easter Sunday, as published (by the Gregorian rule, for 3165), in years that try every
#: branch of the computus: the earliest (22 March) and latest (25 April) dates, centuries
#: from the 18th to the 32nd, and years where one step of it goes the other way.
EASTER = {
    1704: (3, 23), 1818: (3, 22), 1859: (4, 24), 1900: (4, 15), 1943: (4, 25), 1954: (4, 18),
    1961: (4, 2), 1981: (4, 19), 2000: (4, 23), 2001: (4, 15), 2002: (3, 31), 2003: (4, 20),
    2004: (4, 11), 2005: (3, 27), 2006: (4, 16), 2007: (4, 8), 2008: (3, 23), 2009: (4, 12),
    2010: (4, 4), 2011: (4, 24), 2012: (4, 8), 2013: (3, 31), 2014: (4, 20), 2015: (4, 5),
    2016: (3, 27), 2017: (4, 16), 2018: (4, 1), 2019: (4, 21), 2020: (4, 12), 2021: (4, 4),
    2022: (4, 17), 2023: (4, 9), 2024: (3, 31), 2025: (4, 20), 2026: (4, 5), 2027: (3, 28),
    2028: (4, 16), 2029: (4, 1), 2030: (4, 21), 2038: (4, 25), 2049: (4, 18), 2076: (4, 19),
    2100: (3, 28), 2106: (4, 18), 2285: (3, 22), 3165: (4, 18),
}  # fmt: skip

#: Italy's fixed national holidays (month, day).
FIXED = [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)]


@pytest.mark.parametrize(("year", "easter"), EASTER.items())
def test_the_holidays_are_the_fixed_ones_and_easter_monday(
    year: int, easter: tuple[int, int]
) -> None:
    """Each year's holidays: the ten fixed ones and the Monday after Easter."""
    monday = date(year, *easter) + timedelta(days=1)
    assert _holidays(year) == {date(year, m, d) for m, d in FIXED} | {monday}


def test_a_nursery_invoice_of_several_months_is_shared_among_them(agreement: Agreement) -> None:
    """The nursery month by month: an invoice of several months is shared evenly among
    them, rounded cumulatively so the months add up to it; one of a single month is all
    that month's. January bills 26,736.87 alone. February–April bills 80,210.62 (a cent
    over 3 × 26,736.87): 80,210.62 / 3 = 26,736.873… → 26,736.87 for February; 2/3 =
    53,473.746… → 53,473.75, March 53,473.75 − 26,736.87 = 26,736.88; April 80,210.62 −
    53,473.75 = 26,736.87. May–June bills 53,473.74, 26,736.87 each."""
    months = "".join(f"  2016-{m:02d}: 27\n" for m in range(1, 7))
    text = f"iscritti_nido:\n{months}fatture:\n" + (
        invoice("N1", "nido", "2016-01", "26736.87", "1069.47")  # 1,069.4748
        + invoice("N24", "nido", "2016-02/2016-04", "80210.62", "3208.42")  # 3,208.4248
        + invoice("N56", "nido", "2016-05/2016-06", "53473.74", "2138.95")  # 2,138.9496
    )
    rows = run(agreement, text, date(2016, 12, 31)).nido
    assert [(row.mese.mese, row.fatturato) for row in rows[:7]] == [
        (1, D("26736.87")),
        (2, D("26736.87")),
        (3, D("26736.88")),
        (4, D("26736.87")),
        (5, D("26736.87")),
        (6, D("26736.87")),
        (7, D("0")),
    ]
