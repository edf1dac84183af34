"""A credit note typed in the register (``tipo: nota_di_credito``), through the CLI: the
year nets it (what is invoiced, its VAT, the commitments, the split payment), the invoice
it corrects is held to what is due net of it, and the payment-timeliness indicator leaves
it out. Figures are the document's nursery fees, the rest worked out in the comments."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

#: January with 24 children: the fee of the tier 21–26 is due, € 22.909,58, but FT 1
#: bills the full € 26.736,87. NC 1 takes back 26.736,87 − 22.909,58 = 3.827,29, and its
#: VAT at 4 %: 3.827,29 × 0,04 = 153,0916 → 153,09. Both settled on 1 March 2016.
REGISTER = """\
iscritti_nido:
  2016-01: 24
  2016-02: 24
fatture:
  - {numero: FT 1, data: 2016-02-05, servizio: nido, competenza: 2016-01, imponibile: 26736.87, aliquota_iva: 4, iva: 1069.47, pagata: 2016-03-01}
"""  # noqa: E501
CREDIT_NOTE = """\
  - {numero: NC 1, tipo: nota_di_credito, data: 2016-02-20, servizio: nido, competenza: 2016-01, imponibile: 3827.29, aliquota_iva: 4, iva: 153.09, pagata: 2016-03-01}
"""  # noqa: E501
#: A commitment of € 24.000,00 (VAT included): FT 1 alone is 26.736,87 + 1.069,47 =
#: 27.806,34, beyond it; net of NC 1 (3.827,29 + 153,09 = 3.980,38) it is 23.825,96.
COMMITMENT = (
    "impegni:\n  - {numero: 2016/7, capitolo: 12011.03, importo: 24000.00, servizi: [nido]}\n"
)


def _monitor(invoke: Invoke, path: Path) -> dict[str, Any]:
    result = invoke("monitor", "-r", str(path), "--al", "2016-03-01", "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _kinds(document: dict[str, Any]) -> list[str]:
    return [a["tipo"] for a in document["anomalie"]]


def test_the_invoice_alone_bills_more_than_is_due(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    """What the credit note corrects: without it, January's fee is wrong."""
    document = _monitor(invoke, write_data(REGISTER + COMMITMENT, "registro.yaml"))
    assert "importo diverso" in _kinds(document)
    assert "oltre l'impegno" in _kinds(document)


def test_a_credit_note_nets_what_is_invoiced_and_clears_the_wrong_fee(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(REGISTER + CREDIT_NOTE, "registro.yaml")
    document = _monitor(invoke, path)
    nido = next(line for line in document["linee"] if line["codice"] == "nido")
    # 26.736,87 − 3.827,29: exactly January's fee for 24 children.
    assert nido["fatturato"] == "22909.58"
    assert nido["pagato"] == "22909.58"
    assert (document["nido"][0]["dovuto"], document["nido"][0]["fatturato"]) == (
        "22909.58",
        "22909.58",
    )
    # Neither a wrong amount nor two documents for one month, nor a missing invoice
    # (February's is not late before 31 March).
    assert document["anomalie"] == []
    # Split payment, March: 22.909,58 to the consortium, 1.069,47 − 153,09 = 916,38 of
    # VAT to the Treasury.
    (march,) = document["scissione_pagamenti"]
    assert (march["al_consorzio"], march["iva_erario"]) == ("22909.58", "916.38")


def test_a_credit_note_nets_the_commitment(invoke: Invoke, write_data: Callable[..., Path]) -> None:
    path = write_data(REGISTER + CREDIT_NOTE + COMMITMENT, "registro.yaml")
    document = _monitor(invoke, path)
    (commitment,) = document["impegni"]
    assert commitment["fatturato"] == "23825.96"
    assert commitment["pagato"] == "23825.96"
    # 24.000,00 − 23.825,96
    assert commitment["residuo"] == "174.04"
    assert "oltre l'impegno" not in _kinds(document)


def test_a_partial_credit_note_leaves_the_fee_still_wrong_by_what_remains(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    # NC 1 takes back 1.000,00 (VAT 40,00): 26.736,87 − 1.000,00 = 25.736,87 still billed
    # against 22.909,58 due.
    text = CREDIT_NOTE.replace("3827.29", "1000.00").replace("153.09", "40.00")
    document = _monitor(invoke, write_data(REGISTER + text, "registro.yaml"))
    (wrong,) = [a for a in document["anomalie"] if a["tipo"] == "importo diverso"]
    assert (wrong["fattura"], wrong["importo"], wrong["atteso"]) == ("FT 1", "25736.87", "22909.58")


def test_the_timeliness_indicator_leaves_credit_notes_out(
    invoke: Invoke, write_data: Callable[..., Path]
) -> None:
    path = write_data(REGISTER + CREDIT_NOTE, "registro.yaml")
    result = invoke("tempestivita", "-r", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    # FT 1 alone: dated 5 February, no receipt → due 6 March (30 days, 2016 a leap year),
    # paid 1 March: −5 days, on its taxable amount (split payment).
    assert [f["numero"] for f in document["fatture"]] == ["FT 1"]
    assert document["indicatore"] == "-5.00"
    assert document["importo"] == "26736.87"


@pytest.mark.parametrize("word", ["credito", "TD04", "-"])
def test_a_kind_that_is_not_one_is_refused_at_its_line(
    invoke: Invoke, write_data: Callable[..., Path], word: str
) -> None:
    text = CREDIT_NOTE.replace("nota_di_credito", repr(word))
    result = invoke("monitor", "-r", str(write_data(REGISTER + text, "registro.yaml")))
    assert result.exit_code == 2
    assert re.search(
        r"registro.yaml:6:\d+: fatture\[1\]\.tipo: .*fattura.*nota_di_credito", result.stderr
    ), result.stderr


def test_a_credit_note_bills_no_month(invoke: Invoke, write_data: Callable[..., Path]) -> None:
    """A credit note for February, which no invoice bills, does not stand for its
    invoice: at 31 March, February's term (30 days from its end, 30 March) has run out."""
    text = CREDIT_NOTE.replace("competenza: 2016-01", "competenza: 2016-02")
    path = write_data(REGISTER + text, "registro.yaml")
    result = invoke("monitor", "-r", str(path), "--al", "2016-03-31", "-f", "json")
    missing = [
        a["mese"]
        for a in json.loads(result.stdout)["anomalie"]
        if a["tipo"] == "fattura mancante" and a["servizio"] == "nido"
    ]
    assert missing == ["2016-02"]
