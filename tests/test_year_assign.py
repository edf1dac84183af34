"""E-invoice lines assigned to the agreement's fee lines: which fee line an anomaly names
when a line matches two of them, none, or has its period upside down; the months a line
bills when it gives only one end of its period, or none; payments of invoices never read;
and the register's codes that name no fee line wherever they stand (invoices, rules,
svolgimento), beside the codes the agreement knows without a line of its own: open items
and lines an amendment adds; and the files that could not be read, first among the
monitoring's anomalies.

`assign()` and `unknown_codes()` are called directly, the natural unit here (what
`monitor` and `fatture` make of them is in test_einvoices_year.py); expected values are
written out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Invoke
from test_year_boundaries import einvoice

from crema_budget.agreement.load import parse_agreement
from crema_budget.agreement.model import Agreement
from crema_budget.year.anomalies import Anomalia, Tipo
from crema_budget.year.assign import CodiceIgnoto, assign, unknown_codes
from crema_budget.year.monitor import monitor
from crema_budget.year.records import Abbinamento, Mese, Pagamento
from crema_budget.year.register import parse_registro

D = Decimal

#: The register's rules: by words of a line's description.
RULES = (
    Abbinamento("facchinaggio", descrizione="facchinaggio"),
    Abbinamento("verde", descrizione="aree verdi"),
)
GREEN = ("Manutenzione aree verdi", D("100.00"), D(22))
OTHER = ("Trasporto materiali", D("50.00"), D(22))
#: 150.00 at 22 %: 33.00 of VAT.
SUMMARY = [(D(22), D("150.00"), D("33.00"))]


def test_an_ambiguous_line_names_both_fee_lines_an_unmatched_one_none() -> None:
    """A line whose words match two rules names both fee lines; a line no rule matches
    names none (not an empty name). Neither is counted."""
    invoice = einvoice(
        "FPA 1", [("Facchinaggio nelle aree verdi", D("100.00"), D(22)), OTHER], SUMMARY
    )
    found = assign([invoice], RULES, ())
    assert [(a.tipo, a.servizio, a.testo) for a in found.problems] == [
        (Tipo.AMBIGUA, "facchinaggio, verde", "Facchinaggio nelle aree verdi"),
        (Tipo.NON_ABBINATA, None, "Trasporto materiali"),
    ]
    assert found.entries == []


def test_a_period_upside_down_names_the_fee_line_it_matches() -> None:
    """A period that ends before it starts is an anomaly of each line, naming the fee line
    the line matches, or none."""
    upside_down = (date(2016, 3, 31), date(2016, 3, 1))
    invoice = einvoice("FPA 2", [GREEN, OTHER], SUMMARY, periodo=upside_down)
    found = assign([invoice], RULES, ())
    assert [(a.tipo, a.servizio, a.testo) for a in found.problems] == [
        (Tipo.PERIODO_INVERTITO, "verde", "2016-03-31/2016-03-01"),
        (Tipo.PERIODO_INVERTITO, None, "2016-03-31/2016-03-01"),
    ]
    assert found.entries == []


@pytest.mark.parametrize(
    ("periodo", "missing", "months"),
    [
        # No period: said, and billed in the month of the invoice's date (1 February).
        ((None, None), [Tipo.PERIODO_MANCANTE], (Mese(2016, 2), Mese(2016, 2))),
        # Only its start, or only its end: that month, and nothing to say.
        ((date(2016, 3, 1), None), [], (Mese(2016, 3), Mese(2016, 3))),
        ((None, date(2016, 5, 31)), [], (Mese(2016, 5), Mese(2016, 5))),
        ((date(2016, 3, 1), date(2016, 5, 31)), [], (Mese(2016, 3), Mese(2016, 5))),
    ],
)
def test_the_months_a_line_bills(
    periodo: tuple[date | None, date | None], missing: list[Tipo], months: tuple[Mese, Mese]
) -> None:
    """A line bills the months of its period, or of the end it gives; with no period at
    all, the month of the invoice's date, and that is said."""
    invoice = einvoice("FPA 3", [GREEN], [(D(22), D("100.00"), D("22.00"))], periodo=periodo)
    found = assign([invoice], RULES, ())
    assert [a.tipo for a in found.problems] == missing
    assert [(e.servizio, e.dal, e.al) for e in found.entries] == [("verde", *months)]


def test_a_payment_of_an_invoice_never_read_is_said() -> None:
    """A payment of an e-invoice that was read marks it paid; a payment of a number no
    e-invoice has is an anomaly, and only that one."""
    invoice = einvoice("FPA 4", [GREEN], [(D(22), D("100.00"), D("22.00"))])
    payments = (Pagamento("FPA 4", date(2016, 3, 1)), Pagamento("FPA 9", date(2016, 3, 2)))
    found = assign([invoice], RULES, payments)
    assert found.problems == [Anomalia(Tipo.PAGAMENTO_SCONOSCIUTO, "FPA 9")]
    assert [e.pagata for e in found.entries] == [date(2016, 3, 1)]


def test_unknown_codes_wherever_the_register_names_them(agreement: Agreement) -> None:
    """A code that names no fee line is found in the rules and in svolgimento as in the
    invoices, with the nearest code; the open item `elettorale` is a known code."""
    text = (
        "fatture:\n"
        "  - {numero: '1', data: 2016-05-20, servizio: elettorale, competenza: 2016-04, "
        "imponibile: 100.00, aliquota_iva: 22, iva: 22.00}\n"
        "abbinamenti:\n  - {descrizione: asilo, servizio: nidoo}\n"
        "svolgimento:\n  - {servizio: colonai, mesi: 2016-07/2016-08}\n"
    )
    assert unknown_codes(parse_registro(text, "registro.yaml"), agreement) == [
        CodiceIgnoto(("abbinamenti", 0, "servizio"), "nidoo", "nido"),
        CodiceIgnoto(("svolgimento", 0, "servizio"), "colonai", "colonia"),
    ]


AMENDED = """\
variazioni:
  - data: 2016-09-01
    atto: det. 7
    nuovo_servizio: {ambito: 5, codice: potature, voce: Potature, importo: 500.00,
                     aliquota_iva: 22, mesi: [11, 12]}
"""


def test_a_line_an_amendment_adds_is_a_known_code(data_text: str) -> None:
    """The code of a line added by an amendment is known before and after its date; a
    code one letter from it is not, and the new line is the one suggested."""
    agreement = parse_agreement(data_text + AMENDED, "variato.yaml")
    text = "".join(
        f"  - {{numero: '{n}', data: 2016-11-20, servizio: {code}, competenza: 2016-11, "
        "imponibile: 250.00, aliquota_iva: 22, iva: 55.00}\n"
        for n, code in enumerate(["potature", "potatura"], start=1)
    )
    found = unknown_codes(parse_registro("fatture:\n" + text, "registro.yaml"), agreement)
    assert found == [CodiceIgnoto(("fatture", 1, "servizio"), "potatura", "potature")]


def test_a_file_that_cannot_be_read_is_the_first_anomaly(agreement: Agreement) -> None:
    """An e-invoice file that could not be read is an anomaly of the monitoring, before
    those of the invoices that were read, with the file and the reason."""
    text = "fatture:\n" + (
        "  - {numero: 'A1', data: 2016-01-05, servizio: acoglienza, competenza: 2016-01, "
        "imponibile: 2300.00, aliquota_iva: 4, iva: 92.00}\n"
    )
    registro = parse_registro(text, "registro.yaml")
    found = monitor(agreement, registro, date(2016, 1, 31), (), [("x.xml", "not XML")])
    assert [(a.tipo, a.origine, a.testo) for a in found.anomalie[:2]] == [
        (Tipo.ILLEGGIBILE, "x.xml", "not XML"),
        (Tipo.SERVIZIO_SCONOSCIUTO, "", ""),
    ]


def test_a_commitment_naming_an_unknown_fee_line_is_refused_at_its_place(
    invoke: Invoke, tmp_path: Path
) -> None:
    """A typo in a commitment's fee lines would leave the line's invoices under no
    commitment: it is refused where it is written, with the nearest code."""
    register = tmp_path / "r.yaml"
    register.write_text(
        'impegni:\n  - {numero: "1", capitolo: "c", importo: 100.00, servizi: [nido, nidoo]}\n'
        "fatture:\n",
        encoding="utf-8",
    )
    result = invoke("monitor", "-r", str(register), "--locale", "en")
    assert result.exit_code == 2
    assert (
        f"{register}:2:67: impegni[0].servizi[1]: no fee line has the code nidoo; "
        "did you mean nido?"
    ) in result.stderr
