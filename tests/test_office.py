"""The office's duties, through the CLI: commitments under `monitor`, the
payment-timeliness indicator (`tempestivita`), ANAC's dataset of Law 190/2012 (`anac`).
Expected figures are the document's or worked out by hand in the comments."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import Invoke

from crema_budget.office import anac
from crema_budget.year.records import Affidamento, Soggetto

if TYPE_CHECKING:
    import einvoice
else:  # the e-invoices' writer of benchmarks/, as the e-invoice tests load it
    from test_einvoices_year import einvoice

AWARD_FOR_REGISTER = """\
affidamento:
  cig: 7012345ABC
  oggetto: Coprogettazione
  scelta_contraente: 17
  ente: {codice_fiscale: "00123450190", denominazione: Comune di Crema}
  aggiudicatario: {codice_fiscale: "01555550191", ragione_sociale: Consorzio Sul Serio}
  inizio: 2016-01-01
  fine: 2016-12-31
"""

# --- the payment-timeliness indicator ------------------------------------------------

#: Four invoices paid, one not. Term 30 days (the 2016 agreement states none).
#: A: received 15/01 → due 14/02, paid 24/02: +10 days × 1.000,00 (split payment: the
#:    VAT went to the Treasury, so the amount is the taxable one) = 10.000,00
#: B: no receipt, its date 01/02 → due 02/03 (2016 is a leap year), paid 21/02: −10 days
#:    × 610,00 (no split payment: 500,00 + 110,00 of VAT to the supplier) = −6.100,00
#: C: received 03/03 → due 02/04, paid 12/04: +10 × 2.000,00 = 20.000,00
#: D: no receipt, 01/04 → due 01/05, paid 11/04: −20 × 300,00 = −6.000,00
#: E: not paid: left out.
TIMELINESS = """\
fatture:
  - {numero: A, data: 2016-01-10, ricevuta: 2016-01-15, servizio: nido, competenza: 2016-01, imponibile: 1000.00, aliquota_iva: 4, iva: 40.00, pagata: 2016-02-24}
  - {numero: B, data: 2016-02-01, servizio: verde, competenza: 2016-01, imponibile: 500.00, aliquota_iva: 22, iva: 110.00, pagata: 2016-02-21, scissione: false}
  - {numero: C, data: 2016-03-01, ricevuta: 2016-03-03, servizio: nido, competenza: 2016-02, imponibile: 2000.00, aliquota_iva: 4, iva: 80.00, pagata: 2016-04-12}
  - {numero: D, data: 2016-04-01, servizio: nido, competenza: 2016-03, imponibile: 300.00, aliquota_iva: 4, iva: 12.00, pagata: 2016-04-11}
  - {numero: E, data: 2016-05-01, servizio: nido, competenza: 2016-04, imponibile: 999.00, aliquota_iva: 4, iva: 39.96}
"""  # noqa: E501


@pytest.fixture
def timeliness(write_data: Callable[..., Path]) -> Path:
    return write_data(TIMELINESS, "registro.yaml")


def _indicator(invoke: Invoke, *args: str) -> dict[str, object]:
    result = invoke("tempestivita", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize(
    ("quarter", "indicator", "amount", "invoices"),
    [
        # (10.000 − 6.100 + 20.000 − 6.000) / (1.000 + 610 + 2.000 + 300) = 17.900 / 3.910
        # = 4,578… → 4,58
        pytest.param(None, "4.58", "3910.00", ["B", "A", "D", "C"], id="year"),
        # (10.000 − 6.100) / 1.610 = 2,4223… → 2,42
        pytest.param("1", "2.42", "1610.00", ["B", "A"], id="Q1"),
        # (20.000 − 6.000) / 2.300 = 6,0869… → 6,09
        pytest.param("2", "6.09", "2300.00", ["D", "C"], id="Q2"),
    ],
)
def test_the_indicator_is_the_hand_computation(
    invoke: Invoke,
    timeliness: Path,
    quarter: str | None,
    indicator: str,
    amount: str,
    invoices: list[str],
) -> None:
    args = ["-r", str(timeliness), "--anno", "2016"] + (["--trimestre", quarter] if quarter else [])
    document = _indicator(invoke, *args)
    assert document["indicatore"] == indicator
    assert document["importo"] == amount
    assert [f["numero"] for f in document["fatture"]] == invoices  # type: ignore[attr-defined]


def test_each_invoice_says_where_its_term_runs_from(invoke: Invoke, timeliness: Path) -> None:
    rows = {f["numero"]: f for f in _indicator(invoke, "-r", str(timeliness))["fatture"]}  # type: ignore[attr-defined]
    assert (rows["A"]["base"], rows["A"]["scadenza"], rows["A"]["giorni"]) == (
        "ricevuta",
        "2016-02-14",
        10,
    )
    assert (rows["B"]["base"], rows["B"]["scadenza"], rows["B"]["giorni"]) == (
        "data_fattura",
        "2016-03-02",
        -10,
    )
    table = invoke("tempestivita", "-r", str(timeliness), "--locale", "en").stdout
    assert "4.58 days" in table
    assert "receipt" in table
    assert "invoice date" in table


def test_a_quarter_with_no_payment_has_no_indicator(invoke: Invoke, timeliness: Path) -> None:
    document = _indicator(invoke, "-r", str(timeliness), "--trimestre", "3")
    assert (document["indicatore"], document["fatture"]) == (None, [])
    result = invoke("tempestivita", "-r", str(timeliness), "--trimestre", "3")
    assert result.exit_code == 0
    assert "non calcolabile" in result.stdout
    assert "0,00 giorni" not in result.stdout


def test_the_register_s_payment_term_counts(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    # A with 60 days: due 15/01 + 60 = 15/03, paid 24/02: −20 days.
    path = write_data("termine_pagamento: 60\n" + TIMELINESS, "registro.yaml")
    document = _indicator(invoke, "-r", str(path), "--trimestre", "1")
    assert document["termine_pagamento"] == 60
    assert document["fatture"][1]["giorni"] == -20  # type: ignore[index]


def test_e_invoices_count_whole_with_their_receipt_and_credit_notes_do_not(
    invoke: Invoke, tmp_path: Path
) -> None:
    """An e-invoice's receipt is in its payment's entry; without split payment its VAT
    went to the supplier and counts; a credit note (TD04) paid is no invoice paid."""

    def line(amount: str) -> list[einvoice.Linea]:
        return [einvoice.Linea("Manutenzione aree verdi", Decimal(amount), Decimal(22))]

    folder = tmp_path / "fatture"
    folder.mkdir()
    # FPA 45: received 27/06 → due 27/07, paid 15/07: −12 days × (1.000,00 + 220,00 of VAT
    # paid to the supplier, EsigibilitaIVA I) = −14.640,00
    (folder / "a.xml").write_bytes(
        einvoice.fattura_xml("FPA 45/2016", date(2016, 6, 25), line("1000.00"), esigibilita="I")
    )
    # FPA 46: no receipt, 01/06 → due 01/07, paid 11/07: +10 × 2.000,00 (split) = 20.000,00
    (folder / "b.xml").write_bytes(
        einvoice.fattura_xml("FPA 46/2016", date(2016, 6, 1), line("2000.00"))
    )
    credit = einvoice.fattura_xml("NC 1/2016", date(2016, 7, 1), line("500.00"))
    (folder / "c.xml").write_bytes(credit.replace(b"<TipoDocumento>TD01<", b"<TipoDocumento>TD04<"))
    register = tmp_path / "registro.yaml"
    register.write_text(
        "fatture_elettroniche: fatture/\n"
        "pagamenti:\n"
        "  - {numero: FPA 45/2016, data: 2016-07-15, ricevuta: 2016-06-27}\n"
        "  - {numero: FPA 46/2016, data: 2016-07-11}\n"
        "  - {numero: NC 1/2016, data: 2016-07-20}\n",
        encoding="utf-8",
    )
    document = _indicator(invoke, "-r", str(register), "--trimestre", "3")
    rows = [(f["numero"], f["base"], f["giorni"], f["importo"]) for f in document["fatture"]]  # type: ignore[attr-defined]
    assert rows == [
        ("FPA 46/2016", "data_fattura", 10, "2000.00"),
        ("FPA 45/2016", "ricevuta", -12, "1220.00"),
    ]
    # (−14.640 + 20.000) / (1.220 + 2.000) = 5.360 / 3.220 = 1,6645… → 1,66
    assert document["indicatore"] == "1.66"


@pytest.mark.parametrize("given", ["5", "0", "II", "-1"])
def test_a_quarter_that_is_not_one_is_a_usage_error(
    invoke: Invoke, timeliness: Path, given: str
) -> None:
    result = invoke("tempestivita", "-r", str(timeliness), f"--trimestre={given}")
    assert result.exit_code == 2
    assert "--trimestre" in result.stderr


# --- commitments -------------------------------------------------------------------

#: Eleven nursery invoices at the 21–26 tier (24 children): 22.909,58 + 4 % VAT 916,38 =
#: 23.825,96 each, 11 × 23.825,96 = 262.085,56 VAT included; the first ten paid:
#: 10 × 23.825,96 = 238.259,60. After ten invoices 238.259,60 ≤ 250.000, the eleventh
#: (December's) takes the total beyond it. One pre-post invoice no commitment covers.
_MONTHS = [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]


def _commitments_register(amount: str) -> str:
    lines = ["iscritti_nido:"] + [f"  2016-{m:02d}: 24" for m in _MONTHS]
    lines.append("fatture:")
    for n, m in enumerate(_MONTHS, start=1):
        paid = f", pagata: 2016-{m:02d}-28" if n <= 10 else ""
        lines.append(
            f"  - {{numero: N{n}, data: 2016-{m:02d}-20, servizio: nido, competenza: 2016-{m:02d},"
            f" imponibile: 22909.58, aliquota_iva: 4, iva: 916.38{paid}}}"
        )
    lines.append(
        "  - {numero: P1, data: 2016-02-05, servizio: pre-post, competenza: 2016-01,"
        " imponibile: 3568.85, aliquota_iva: 4, iva: 142.75}"
    )
    lines.append("impegni:")
    lines.append(f"  - {{numero: 2016/7, capitolo: 12011.03, importo: {amount}, servizi: [nido]}}")
    return "\n".join(lines) + "\n"


def _monitor(invoke: Invoke, path: Path) -> tuple[int, dict[str, object]]:
    result = invoke("monitor", "-r", str(path), "--al", "2016-12-31", "-f", "json")
    return result.exit_code, json.loads(result.stdout)


def test_a_commitment_exceeded_is_an_anomaly_naming_it(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(_commitments_register("250000.00"), "registro.yaml")
    code, document = _monitor(invoke, path)
    assert code == 1
    beyond = [a for a in document["anomalie"] if a["tipo"] == "oltre l'impegno"]  # type: ignore[attr-defined]
    assert beyond == [
        {
            "tipo": "oltre l'impegno",
            "fattura": "N11",
            "servizio": "nido",
            "mese": None,
            "importo": "262085.56",
            "atteso": "250000.00",
            # 262.085,56 − 250.000,00
            "differenza": "12085.56",
            "origine": "",
            "testo": "2016/7",
            "cedente": "",
        }
    ]
    table = invoke("monitor", "-r", str(path), "--al", "2016-12-31", "--locale", "en").stdout
    assert re.search(r"beyond\s+commitment\s+2016/7 of\s+€250,000.00", table), table


def test_a_commitment_not_exceeded_shows_its_residual(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(_commitments_register("300000.00"), "registro.yaml")
    _code, document = _monitor(invoke, path)
    assert document["impegni"] == [
        {
            "numero": "2016/7",
            "capitolo": "12011.03",
            "servizi": ["nido"],
            "importo": "300000.00",
            "fatturato": "262085.56",
            "pagato": "238259.60",
            # 300.000,00 − 262.085,56
            "residuo": "37914.44",
            "fatture": 11,
        }
    ]
    kinds = [a["tipo"] for a in document["anomalie"]]  # type: ignore[attr-defined]
    assert "oltre l'impegno" not in kinds
    table = invoke("monitor", "-r", str(path), "--al", "2016-12-31").stdout
    assert "€ 37.914,44" in table


def test_a_fee_line_invoiced_under_no_commitment_is_an_anomaly(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(_commitments_register("300000.00"), "registro.yaml")
    _code, document = _monitor(invoke, path)
    without = [a for a in document["anomalie"] if a["tipo"] == "senza impegno"]  # type: ignore[attr-defined]
    # 3.568,85 + 142,75
    assert [(a["servizio"], a["importo"]) for a in without] == [("pre-post", "3711.60")]


def test_without_commitments_no_line_needs_one(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    text = _commitments_register("300000.00").partition("impegni:")[0]
    _code, document = _monitor(invoke, write_data(text, "registro.yaml"))
    assert document["impegni"] == []
    assert all(a["tipo"] != "senza impegno" for a in document["anomalie"])  # type: ignore[attr-defined]


def test_a_fee_line_under_two_commitments_is_refused_at_its_line(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    text = _commitments_register("300000.00") + (
        "  - {numero: 2016/8, capitolo: 12011.03, importo: 1.00, servizi: [nido]}\n"
    )
    result = invoke("monitor", "-r", str(write_data(text, "registro.yaml")))
    assert result.exit_code == 2
    assert re.search(r"registro.yaml:\d+:\d+: impegni\[1\]\.servizi\[0\]", result.stderr)


# --- ANAC's dataset (L. 190/2012) ---------------------------------------------------

AWARD = """\
affidamento:
  cig: 7012345ABC
  oggetto: "Coprogettazione <servizi> & supporto"
  scelta_contraente: {code}
  ente: {{codice_fiscale: "00123450190", denominazione: Comune di Crema}}
  aggiudicatario: {{codice_fiscale: "01555550191", ragione_sociale: Consorzio Sul Serio}}
  inizio: 2016-01-01
  fine: 2016-12-31
"""

#: Each version's elements, in the schema's order (datasetAppaltiL190.xsd).
METADATA = {
    "1.0": [
        "titolo",
        "abstract",
        "dataPubbicazioneDataset",  # sic: version 1.0's schema spells it so
        "entePubblicatore",
        "dataUltimoAggiornamentoDataset",
        "annoRiferimento",
        "urlFile",
        "licenza",
    ],
}
METADATA["1.2"] = METADATA["1.3"] = [
    "dataPubblicazioneDataset" if name == "dataPubbicazioneDataset" else name
    for name in METADATA["1.0"]
]
LOTTO = [
    "cig",
    "strutturaProponente",
    "oggetto",
    "sceltaContraente",
    "partecipanti",
    "aggiudicatari",
    "importoAggiudicazione",
    "tempiCompletamento",
    "importoSommeLiquidate",
]
#: TypesL190.xsd's sceltaContraenteType: how many procedures, and labels that changed.
PROCEDURES = {
    "1.0": (
        18,
        {
            "17": "17-AFFIDAMENTO DIRETTO EX ART. 5 DELLA LEGGE N.381/91",
            "23": "23-AFFIDAMENTO IN ECONOMIA - AFFIDAMENTO DIRETTO",
            "03": "03-PROCEDURA NEGOZIATA PREVIA PUBBLICAZIONE DEL BANDO",
        },
    ),
    "1.2": (
        28,
        {
            "17": "17-AFFIDAMENTO DIRETTO EX ART. 5 DELLA LEGGE 381/91",
            "23": "23-AFFIDAMENTO DIRETTO",
            "03": "03-PROCEDURA NEGOZIATA PREVIA PUBBLICAZIONE",
        },
    ),
    "1.3": (
        29,
        {
            "17": "17-AFFIDAMENTO DIRETTO EX ART. 5 DELLA LEGGE 381/91",
            "23": "23-AFFIDAMENTO DIRETTO",
            "39": "39-AFFIDAMENTO DIRETTO PER MODIFICHE CONTRATTUALI O VARIANTI PER LE QUALI "
            "È NECESSARIA UNA NUOVA PROCEDURA DI AFFIDAMENTO",
        },
    ),
}
AMOUNT = re.compile(r"^[0-9]{1,13}\.[0-9]{2}$")  # ImportoType: 15 digits, 2 decimals
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _anac_file(invoke: Invoke, write_data: Callable[..., Path], code: str = "17") -> Path:
    path = write_data(TIMELINESS + AWARD.format(code=code), "registro.yaml")
    out = path.with_name("l190.xml")
    result = invoke(
        "anac", "-r", str(path), "-o", str(out), env={"SOURCE_DATE_EPOCH": "1485561600"}
    )
    assert result.exit_code == 0, result.stderr
    return out


def _structure(root: ET.Element, version: str) -> None:
    assert root.tag == "{legge190_1_0}pubblicazione"
    assert [child.tag for child in root] == ["metadata", "data"]
    assert [e.tag for e in root.find("metadata")] == METADATA[version]  # type: ignore[union-attr]
    lotto = root.find("data/lotto")
    assert lotto is not None
    assert [e.tag for e in lotto] == LOTTO
    for name in ("importoAggiudicazione", "importoSommeLiquidate"):
        assert AMOUNT.match(lotto.findtext(name) or ""), name
    for name in ("tempiCompletamento/dataInizio", "tempiCompletamento/dataUltimazione"):
        assert DAY.match(lotto.findtext(name) or ""), name
    assert len(lotto.findtext("cig") or "") <= 10


def test_the_2016_dataset_follows_version_1_0(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    root = ET.parse(_anac_file(invoke, write_data)).getroot()
    _structure(root, "1.0")
    lotto = root.find("data/lotto")
    assert lotto is not None
    assert lotto.findtext("sceltaContraente") == PROCEDURES["1.0"][1]["17"]
    # The agreement's taxable total, as the document declares it.
    assert lotto.findtext("importoAggiudicazione") == "1146628.71"
    # Paid in 2016, VAT excluded: A 1.000,00 + B 500,00 + C 2.000,00 + D 300,00.
    assert lotto.findtext("importoSommeLiquidate") == "3800.00"
    assert lotto.findtext("oggetto") == "Coprogettazione <servizi> & supporto"
    assert root.findtext("metadata/annoRiferimento") == "2016"
    # SOURCE_DATE_EPOCH 1485561600 is 28 January 2017, before the 31 January deadline.
    assert root.findtext("metadata/dataPubbicazioneDataset") == "2017-01-28"


@pytest.mark.parametrize("version", sorted(PROCEDURES))
def test_each_version_names_its_elements_and_procedures(version: str) -> None:
    year = {"1.0": 2016, "1.2": 2019, "1.3": 2021}[version]
    versione = anac.version_for(year)
    assert versione.numero == version
    count, labels = PROCEDURES[version]
    assert len(versione.procedure) == count
    for code, label in labels.items():
        assert f"{code}-{versione.procedure[code]}" == label
    award = Affidamento(
        "7012345ABC",
        "oggetto",
        "23",
        Soggetto("00123450190", "Comune"),
        Soggetto("01555550191", "Consorzio"),
        date(year, 1, 1),
        date(year, 12, 31),
    )
    dataset = anac.dataset(
        award, year, Decimal("1.50"), Decimal("0.00"), date(year + 1, 1, 30), "x"
    )
    _structure(ET.fromstring(anac.xml(dataset)), version)


def test_a_year_from_2024_is_refused_with_the_reason(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(TIMELINESS + AWARD.format(code="17"), "registro.yaml")
    result = invoke("anac", "-r", str(path), "--anno", "2024", "--locale", "en")
    assert result.exit_code == 2
    assert "36/2023" in result.stderr
    assert "1 January 2024" in result.stderr
    assert result.stdout == ""


def test_a_procedure_not_in_the_year_s_list_is_refused_at_its_line(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    # 33 came with version 1.2 (2019): not a procedure of 2016.
    path = write_data(TIMELINESS + AWARD.format(code="33"), "registro.yaml")
    result = invoke("anac", "-r", str(path))
    assert result.exit_code == 2
    assert re.search(r"registro.yaml:\d+:\d+: affidamento\.scelta_contraente: 33", result.stderr)


def test_a_register_without_its_award_is_a_usage_error(invoke: Invoke, timeliness: Path) -> None:
    result = invoke("anac", "-r", str(timeliness), "--locale", "en")
    assert result.exit_code == 2
    assert "affidamento:" in result.stderr


def _anac_on(invoke: Invoke, path: Path, epoch: str, *options: str) -> bytes:
    """The dataset written on the day ``epoch`` (SOURCE_DATE_EPOCH), with ``options``."""
    result = invoke("anac", "-r", str(path), *options, env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, result.stderr
    return result.stdout.encode("utf-8")


#: 1485561600 is 28 January 2017 (17,194 days × 86,400 s), 1488326400 is 1 March 2017
#: (17,226 days: 28 January + 3 days of January + 28 of February + 1).
_28_JANUARY, _1_MARCH = "1485561600", "1488326400"


@pytest.mark.parametrize("day", ["2017-01-31", "31/01/2017", "31/1/2017"])
def test_the_day_of_publication_makes_the_file_the_same_on_any_later_day(
    invoke: Invoke, write_data: Callable[..., Path], day: str
) -> None:
    """The office writes again, in March, the very file it published on 31 January."""
    path = write_data(TIMELINESS + AWARD.format(code="17"), "registro.yaml")
    published = _anac_on(invoke, path, _28_JANUARY, "--data-pubblicazione", day)
    assert published == _anac_on(invoke, path, _1_MARCH, "--data-pubblicazione", day)
    root = ET.fromstring(published)
    assert root.findtext("metadata/dataPubbicazioneDataset") == "2017-01-31"
    assert root.findtext("metadata/dataUltimoAggiornamentoDataset") == "2017-01-31"


def test_without_a_day_of_publication_the_run_s_day_is_written(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(TIMELINESS + AWARD.format(code="17"), "registro.yaml")
    root = ET.fromstring(_anac_on(invoke, path, _1_MARCH))
    assert root.findtext("metadata/dataPubbicazioneDataset") == "2017-03-01"
    assert root.findtext("metadata/dataUltimoAggiornamentoDataset") == "2017-03-01"


def test_a_corrected_file_keeps_its_day_of_publication_and_says_its_update(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(TIMELINESS + AWARD.format(code="17"), "registro.yaml")
    options = ("--data-pubblicazione", "31/01/2017", "--data-aggiornamento", "15/03/2017")
    root = ET.fromstring(_anac_on(invoke, path, _1_MARCH, *options))
    _structure(root, "1.0")
    assert root.findtext("metadata/dataPubbicazioneDataset") == "2017-01-31"
    assert root.findtext("metadata/dataUltimoAggiornamentoDataset") == "2017-03-15"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            ("--data-pubblicazione", "31.01.2017"),
            "--data-pubblicazione '31.01.2017' non è una data; scriverla nella forma "
            "2016-06-30 o 30/06/2016",
            id="not a day",
        ),
        pytest.param(
            ("--data-pubblicazione", "2017-02-30"),
            "--data-pubblicazione '2017-02-30' non è una data",
            id="30 February",
        ),
        pytest.param(
            ("--data-pubblicazione", "31/01/2017", "--data-aggiornamento", "30/01/2017"),
            "--data-aggiornamento 30/01/2017 è precedente al giorno di pubblicazione 31/01/2017",
            id="an update before the publication",
        ),
    ],
)
def test_a_day_of_publication_that_cannot_be_is_a_usage_error_in_italian(
    invoke: Invoke, write_data: Callable[..., Path], options: tuple[str, ...], message: str
) -> None:
    path = write_data(TIMELINESS + AWARD.format(code="17"), "registro.yaml")
    result = invoke("anac", "-r", str(path), *options)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.skipif(
    not os.environ.get("CREMA_BUDGET_L190_XSD"),
    reason="CREMA_BUDGET_L190_XSD names no folder of ANAC's schemas (1.0/, 1.2/, 1.3/)",
)
@pytest.mark.parametrize("version", sorted(PROCEDURES))
def test_the_dataset_validates_against_anac_s_schema(
    invoke: Invoke, write_data: Callable[..., Path], version: str
) -> None:
    """With ANAC's published schemas at hand (not shipped): each version's output is
    valid, and each version's list of procedures is exactly the schema's."""
    etree = pytest.importorskip("lxml.etree")
    folder = Path(os.environ["CREMA_BUDGET_L190_XSD"]) / version
    schema = etree.XMLSchema(etree.parse(str(folder / "datasetAppaltiL190.xsd")))
    year = {"1.0": 2016, "1.2": 2019, "1.3": 2021}[version]
    versione = anac.version_for(year)
    if version == "1.0":
        document = etree.parse(str(_anac_file(invoke, write_data)))
    else:
        award = Affidamento(
            "7012345ABC",
            "oggetto",
            "23",
            Soggetto("00123450190", "Comune"),
            Soggetto("01555550191", "Consorzio"),
            date(year, 1, 1),
            date(year, 12, 31),
        )
        dataset = anac.dataset(award, year, Decimal("1.50"), Decimal("0"), date(year, 1, 1), "x")
        document = etree.fromstring(anac.xml(dataset)).getroottree()
    assert schema.validate(document), schema.error_log
    types = etree.parse(str(folder / "TypesL190.xsd"))
    listed = types.xpath(
        "//xsd:simpleType[@name='sceltaContraenteType']//xsd:enumeration/@value",
        namespaces={"xsd": "http://www.w3.org/2001/XMLSchema"},
    )
    assert sorted(listed) == sorted(f"{c}-{label}" for c, label in versione.procedure.items())


# --- the register's sections for the office ------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param(
            "impegni:\n  - {numero: 1, capitolo: c, importo: 10.00, servizi: [nido]}\n"
            "  - {numero: 2, capitolo: c, importo: 10.00, servizi: [verde, nido]}\n",
            r"impegni\[1\]\.servizi\[1\]: nido",
            id="a fee line under two commitments",
        ),
        pytest.param(
            "impegni:\n  - {numero: 1, capitolo: c, importo: 10.00, servizi: [nidi]}\n",
            r"impegni\[0\]\.servizi\[0\]: .*nido",
            id="a code the agreement does not have",
        ),
        pytest.param(
            "fatture:\n  - {numero: A, data: 2016-02-01, ricevuta: 2016-01-31, servizio: nido,"
            " competenza: 2016-01, imponibile: 1.00, aliquota_iva: 4, iva: 0.04}\n",
            r"fatture\[0\]\.ricevuta: .*2016-01-31",
            id="received before its date",
        ),
        pytest.param(
            AWARD_FOR_REGISTER.replace('"00123450190"', '"0012345019"'),
            r"affidamento\.ente\.codice_fiscale: '0012345019'",
            id="a codice fiscale of 10 digits",
        ),
        pytest.param(
            AWARD_FOR_REGISTER.replace("scelta_contraente: 17", "scelta_contraente: A1"),
            r"affidamento\.scelta_contraente: 'A1'",
            id="a procedure that is not a number",
        ),
        pytest.param(
            AWARD_FOR_REGISTER.replace("fine: 2016-12-31", "fine: 2015-12-31"),
            r"affidamento: .*2015-12-31",
            id="an award that ends before it starts",
        ),
        pytest.param("termine_pagamento: 0\n", r"termine_pagamento", id="a term of 0 days"),
    ],
)
def test_the_office_s_sections_are_checked_at_their_lines(
    invoke: Invoke, write_data: Callable[..., Path], text: str, where: str
) -> None:
    result = invoke("monitor", "-r", str(write_data(text, "registro.yaml")), "--locale", "en")
    assert result.exit_code == 2, result.output
    assert re.search(rf"registro\.yaml:\d+:\d+: {where}", result.stderr), result.stderr


def test_a_register_with_every_office_section_loads(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    text = AWARD_FOR_REGISTER + (
        "termine_pagamento: 60\n"
        "impegni:\n  - {numero: 2016/1, capitolo: '12011.03', importo: 10.00, servizi: [nido]}\n"
        "pagamenti:\n  - {numero: X, data: 2016-03-01, ricevuta: 2016-02-01}\n"
    )
    result = invoke("monitor", "-r", str(write_data(text, "registro.yaml")), "-f", "json")
    assert result.exit_code in (0, 1), result.stderr


def test_the_dataset_goes_to_standard_output_and_never_over_the_register(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(TIMELINESS + AWARD.format(code="17"), "registro.yaml")
    result = invoke("anac", "-r", str(path))
    assert result.exit_code == 0
    assert ET.fromstring(result.stdout.encode()).tag == "{legge190_1_0}pubblicazione"
    before = path.read_bytes()
    refused = invoke("anac", "-r", str(path), "-o", str(path))
    assert refused.exit_code == 2
    assert path.read_bytes() == before


def test_the_report_shows_the_commitments_and_the_indicator(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(_commitments_register("300000.00"), "registro.yaml")
    args = ("report", "-r", str(path), "--al", "2016-12-31")
    document = json.loads(invoke(*args, "-f", "json").stdout)
    assert document["monitor"]["impegni"][0]["residuo"] == "37914.44"
    # N1…N10, dated the 20th and paid the 28th of their month, each 22 days before it
    # falls due (its date + 30 days): −22,00 whatever their amounts.
    assert document["monitor"]["tempestivita"]["indicatore"] == "-22.00"
    text = invoke(*args, "-f", "markdown").stdout
    assert "Impegni di spesa (IVA inclusa)" in text
    assert "-22,00 giorni" in text
