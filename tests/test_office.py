"""The office's duties, through the CLI: commitments under `monitor`, the
payment-timeliness indicator (`tempestivita`), ANAC's dataset of Law 190/2012 (`anac`).
Expected figures are the document's or worked out by hand in the comments."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Invoke

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
