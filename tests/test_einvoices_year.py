"""The e-invoices of the agreement's year, through the command line: FatturaPA 1.1 as 2016
had it and 1.2 read alike; SdI's tolerances (a note within them, an anomaly beyond);
lines against their summary; split payment on whole invoices; what `fatture` tells a
program; what a document that is not an invoice is, and whom to settle it with.

Expected figures are the document's, or worked out by hand in the comments."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from conftest import Invoke

from crema_budget.errors import ExitCode

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    """A script in benchmarks/, imported from its path (benchmarks/ is not a package)."""
    found = sys.modules.get(name)
    if found is not None:
        return found
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import einvoice
else:
    einvoice = _load("einvoice")

D = Decimal
VERDE = D("55987.37")  # FPA 45/2016 of the example: the green areas, March to June


def verde(numero: str = "FPA 45/2016", versione: str = "1.1", importo: Decimal = VERDE) -> bytes:
    """The example's green-areas invoice, March to June 2016, with its CIG."""
    linea = einvoice.Linea(
        "Manutenzione aree verdi marzo-giugno 2016",
        importo,
        D(22),
        date(2016, 3, 1),
        date(2016, 6, 30),
    )
    xml: bytes = einvoice.fattura_xml(
        numero, date(2016, 6, 25), [linea], cig="6543210ABC", versione=versione
    )
    return xml


def year_folder(tmp_path: Path, files: dict[str, bytes], payments: str = "") -> Path:
    """A register with no paper invoice, whose e-invoices are ``files``, assigned by the
    example's rules; ``payments`` lines go under ``pagamenti``."""
    folder = tmp_path / "fatture"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    register = tmp_path / "registro.yaml"
    register.write_text(
        "fatture_elettroniche: fatture/\n"
        "abbinamenti:\n"
        "  - {descrizione: asilo nido, servizio: nido}\n"
        "  - {descrizione: facchinaggio, servizio: facchinaggio}\n"
        "  - {cig: 6543210ABC, servizio: verde}\n"
        + (f"pagamenti:\n{payments}" if payments else ""),
        encoding="utf-8",
    )
    return register


def monitor_json(invoke: Invoke, register: Path, al: str = "2016-06-30") -> dict[str, Any]:
    result = invoke("monitor", "--registro", str(register), "--al", al, "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def line_of(document: dict[str, Any], codice: str) -> dict[str, Any]:
    found: dict[str, Any] = next(x for x in document["linee"] if x["codice"] == codice)
    return found


# 1. FatturaPA 1.1 and 1.2, plain and signed, read alike -------------------------------------


def test_fatturapa_1_1_and_1_2_plain_and_signed_are_read_alike(
    tmp_path: Path, invoke: Invoke
) -> None:
    """The 2016 invoice in FatturaPA 1.1 and the same in 1.2, each plain and as a signed
    .p7m: `fatture` reads all four, the same lines and amounts, and says the version."""
    folder = tmp_path / "fatture"
    folder.mkdir()
    for versione in ("1.1", "1.2"):
        xml = verde(f"{versione}/2016", versione)
        (folder / f"v{versione}.xml").write_bytes(xml)
        (folder / f"v{versione}.xml.p7m").write_bytes(einvoice.firma_p7m(xml))
    result = invoke("fatture", str(folder), "-f", "json")
    assert result.exit_code == 0, result.stdout
    invoices = json.loads(result.stdout)["fatture"]
    assert [(f["versione"], f["numero"], f["firmata"]) for f in invoices] == [
        ("1.1", "1.1/2016", False),
        ("1.1", "1.1/2016", True),
        ("1.2", "1.2/2016", False),
        ("1.2", "1.2/2016", True),
    ]
    assert {f["righe"][0]["prezzo_totale"] for f in invoices} == {"55987.37"}
    assert {f["riepiloghi"][0]["imposta"] for f in invoices} == {"12317.22"}  # × 22 %


def test_the_example_is_read_as_fatturapa_1_1(invoke: Invoke) -> None:
    """The example register's three e-invoices are 1.1 (SDI11) files, one of them signed."""
    result = invoke("fatture", "examples/fatture", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["versione"] for row in rows} == {"1.1"}
    assert {row["numero"] for row in rows} == {"FPA 40/2016", "FPA 45/2016", "FPA 61/2016"}


# 2. What the schema takes is read ------------------------------------------------------------


def test_a_date_with_a_time_zone_and_a_blank_description_are_read(
    tmp_path: Path, invoke: Invoke
) -> None:
    """`2014-12-18+01:00` is 18 December 2014, and a description of blanks is a line: both
    valid under the schema, both read; exit 0."""
    xml = (
        verde()
        .replace(b"<Data>2016-06-25<", b"<Data>2016-06-25+02:00<")
        .replace(b"<Descrizione>Manutenzione aree verdi marzo-giugno 2016<", b"<Descrizione>  <")
    )
    path = tmp_path / "fattura.xml"
    path.write_bytes(xml)
    result = invoke("fatture", str(path), "-f", "json")
    assert result.exit_code == 0, result.stdout
    (fattura,) = json.loads(result.stdout)["fatture"]
    assert fattura["data"] == "2016-06-25"
    assert fattura["righe"][0]["descrizione"] == ""


# 3. SdI's tolerances on an e-invoice's VAT -----------------------------------------------------


@pytest.mark.parametrize(
    ("imposta", "anomaly"),
    [
        ("12317.23", False),  # 55.987,37 × 22 % = 12.317,2214 → 12.317,22: one cent more
        ("12317.21", False),  # one cent less
        ("12317.24", True),  # two cents: beyond the tolerance
    ],
)
def test_an_einvoices_vat_within_sdis_cent_is_a_note_beyond_it_an_anomaly(
    tmp_path: Path, invoke: Invoke, imposta: str, anomaly: bool
) -> None:
    """SdI admits ±1 cent between Imposta and the rate × ImponibileImporto (error 00421):
    within it the monitoring notes the rounding and finds nothing wrong; beyond it, an
    anomaly and exit 1."""
    xml = verde().replace(b"<Imposta>12317.22<", f"<Imposta>{imposta}<".encode())
    register = year_folder(tmp_path, {"verde.xml": xml})
    document = monitor_json(invoke, register)
    kinds = [(a["tipo"], a["fattura"]) for a in document["anomalie"]]
    notes = [(a["tipo"], a["fattura"]) for a in document["note"]]
    if anomaly:
        assert ("iva", "FPA 45/2016") in kinds
        assert notes == []
    else:
        assert ("iva", "FPA 45/2016") not in kinds
        assert notes == [("iva", "FPA 45/2016")]
    shown = invoke("monitor", "--registro", str(register), "--al", "2016-06-30", width=200)
    assert ("tollera uno scarto di un centesimo" in shown.stdout) is not anomaly
    assert ("oltre il centesimo di tolleranza dello SdI" in shown.stdout) is anomaly


# 4. Split payment on whole invoices ------------------------------------------------------------


def test_june_2016s_vat_to_the_treasury_is_the_whole_invoices(invoke: Invoke) -> None:
    """The example's June: the four paper invoices paid on 29 June carry € 1.442,45 of VAT
    (916,38 + 142,75 + 92,00 + 291,32) and FPA 40/2016, paid on 28 June, € 1.846,90
    (€ 8.395,00 × 22 %), its € 120,00 of transport that no fee line covers included:
    € 3.289,35, not € 3.262,95."""
    args = ("monitor", "--registro", "examples/registro_2016.yaml", "--al", "2016-06-30")
    document = json.loads(invoke(*args, "-f", "json").stdout)
    june = next(v for v in document["scissione_pagamenti"] if v["mese_pagamento"] == "2016-06")
    assert june["iva_erario"] == "3289.35"
    # To the consortium: 22.909,58 + 3.568,85 + 2.300,00 + 7.283,00 + 8.395,00.
    assert june["al_consorzio"] == "44456.43"
    assert june["fatture"] == 5
    shown = invoke(*args, width=120).stdout
    assert "€ 3.289,35" in shown
    assert "€ 3.262,95" not in shown


# 7. Lines against their summary; a period that ends before it starts --------------------------


def test_lines_that_do_not_add_up_to_their_summary_are_an_anomaly(
    tmp_path: Path, invoke: Invoke
) -> None:
    """A line of −55.987,37 under a summary of +55.987,37: beyond SdI's euro of tolerance
    (error 00422), an anomaly, and none of the invoice's lines is counted."""
    xml = verde().replace(b"<PrezzoTotale>55987.37<", b"<PrezzoTotale>-55987.37<")
    register = year_folder(tmp_path, {"verde.xml": xml})
    document = monitor_json(invoke, register)
    (problem,) = [a for a in document["anomalie"] if a["tipo"] == "riepilogo"]
    assert (problem["fattura"], problem["importo"], problem["atteso"]) == (
        "FPA 45/2016",
        "55987.37",
        "-55987.37",
    )
    assert line_of(document, "verde")["fatturato"] == "0.00"
    result = invoke("monitor", "--registro", str(register), "--al", "2016-06-30")
    assert result.exit_code == ExitCode.FIGURES_DIFFER


def test_lines_within_a_euro_of_their_summary_are_a_note(tmp_path: Path, invoke: Invoke) -> None:
    """Lines 40 cents short of their summary: within SdI's euro, a note; the line counts."""
    xml = verde().replace(b"<PrezzoTotale>55987.37<", b"<PrezzoTotale>55986.97<")
    register = year_folder(tmp_path, {"verde.xml": xml})
    document = monitor_json(invoke, register)
    anomalies = document["anomalie"]
    assert [a["tipo"] for a in anomalies if a["fattura"] == "FPA 45/2016"] == []
    assert [a["tipo"] for a in document["note"]] == ["riepilogo"]
    assert line_of(document, "verde")["fatturato"] == "55986.97"


def test_a_period_that_ends_before_it_starts_is_an_anomaly(tmp_path: Path, invoke: Invoke) -> None:
    """DataFinePeriodo before DataInizioPeriodo: the line is an anomaly, counted nowhere."""
    xml = verde().replace(b"<DataFinePeriodo>2016-06-30<", b"<DataFinePeriodo>2016-02-29<")
    register = year_folder(tmp_path, {"verde.xml": xml})
    document = monitor_json(invoke, register)
    anomalies = document["anomalie"]
    (problem,) = [a for a in anomalies if a["fattura"] == "FPA 45/2016"]
    assert (problem["tipo"], problem["testo"]) == ("periodo invertito", "2016-03-01/2016-02-29")
    assert line_of(document, "verde")["fatturato"] == "0.00"
    fatture = invoke("fatture", str(register.parent / "fatture"))
    assert fatture.exit_code == ExitCode.FIGURES_DIFFER


# 8. A period of decades in an e-invoice ----------------------------------------------------------


def test_a_nursery_period_of_decades_in_an_einvoice_is_an_anomaly(
    tmp_path: Path, invoke: Invoke
) -> None:
    """DataInizioPeriodo 1990-01-01 to 2016-01-31 on a nursery line: one anomaly for the
    months outside the year, for `monitor` and `report`; never a traceback."""
    linea = einvoice.Linea(
        "Asilo nido gennaio 2016", D("26736.87"), D(4), date(1990, 1, 1), date(2016, 1, 31)
    )
    xml = einvoice.fattura_xml("FPA 9/2016", date(2016, 2, 5), [linea], versione="1.1")
    register = year_folder(tmp_path, {"nido.xml": xml})
    document = monitor_json(invoke, register)
    found = [(a["tipo"], a["testo"]) for a in document["anomalie"]]
    assert ("fuori anno", "1990-01/2015-12") in found
    report = invoke(
        "report", "--registro", str(register), "--al", "2016-06-30", "-o", str(tmp_path / "r.html")
    )
    assert report.exit_code == 0, report.stderr
    assert "Traceback" not in report.stderr


# 9. What `fatture` tells a program ---------------------------------------------------------------


def test_fatture_json_with_a_register_gives_each_lines_fee_line_and_the_problems(
    invoke: Invoke,
) -> None:
    """With --registro the JSON says, line by line, the fee line it goes to (null: counted
    nowhere) and lists the problems, as the table does."""
    result = invoke(
        "fatture", "examples/fatture", "--registro", "examples/registro_2016.yaml", "-f", "json"
    )
    assert result.exit_code == ExitCode.FIGURES_DIFFER
    document = json.loads(result.stdout)
    lines = {
        (f["numero"], r["numero_linea"]): r["servizio"]
        for f in document["fatture"]
        for r in f["righe"]
    }
    assert lines == {
        ("FPA 40/2016", 1): "facchinaggio",
        ("FPA 40/2016", 2): None,
        ("FPA 45/2016", 1): "verde",
        ("FPA 61/2016", 1): "nido",
        ("FPA 61/2016", 2): "pre-post",
    }
    (problem,) = document["problemi"]
    assert (problem["tipo"], problem["fattura"], problem["testo"]) == (
        "non abbinata",
        "FPA 40/2016",
        "Spese di trasporto materiali",
    )
    assert document["ok"] is False


def test_fatture_csv_has_one_line_number_column_and_true_or_false(invoke: Invoke) -> None:
    """The CSV's columns are each named once; `firmata` is true or false, as programs read
    it, not sì/no."""
    result = invoke(
        "fatture", "examples/fatture", "--registro", "examples/registro_2016.yaml", "-f", "csv"
    )
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(header) == len(set(header))
    assert header.count("numero_linea") == 1
    signed = {row[header.index("numero")]: row[header.index("firmata")] for row in rows}
    assert signed == {"FPA 40/2016": "false", "FPA 45/2016": "false", "FPA 61/2016": "true"}
    people = invoke(
        "fatture", "examples/fatture", "--registro", "examples/registro_2016.yaml", "-f", "csv-it"
    )
    assert ";sì" in people.stdout
    assert ";true" not in people.stdout


# 10. A document that is not an invoice -------------------------------------------------------


@pytest.mark.parametrize(
    ("tipo", "words"),
    [
        ("TD17", "un'integrazione o autofattura per acquisto di servizi dall'estero"),
        ("TD04", "una nota di credito"),
        ("TD99", "un tipo che FatturaPA non prevede"),
    ],
)
def test_a_document_that_is_not_an_invoice_says_what_it_is_and_who_issued_it(
    tmp_path: Path, invoke: Invoke, tipo: str, words: str
) -> None:
    """The anomaly names the document's type and the supplier the document names, to
    settle it with: not a note about TD04 for a TD17, not "the consortium" for another."""
    xml = einvoice.fattura_xml(
        "AF 3/2016",
        date(2016, 6, 30),
        [einvoice.Linea("Servizio di consulenza", D("1000.00"), D(22))],
        cedente="Studio Rossi GmbH",
        versione="1.1" if tipo == "TD04" else "1.2",
    ).replace(b"<TipoDocumento>TD01<", f"<TipoDocumento>{tipo}<".encode())
    path = tmp_path / "autofattura.xml"
    path.write_bytes(xml)
    result = invoke("fatture", str(path), "-f", "csv-it")
    assert result.exit_code == ExitCode.FIGURES_DIFFER
    text = result.stdout
    assert f"un documento di tipo {tipo}, {words}, non è una fattura" in text
    assert "va regolato con Studio Rossi GmbH, che lo ha emesso" in text
    assert "TD04 è una nota di credito" not in text
