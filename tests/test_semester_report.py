"""`report --registro F --al 2016-06-30` is the relazione semestrale: what needs
attention first, then each ambito's activities, resources and money. Without
`--registro` the report is what it was."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Invoke

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ("--registro", str(ROOT / "examples" / "registro_2016.yaml"), "--al", "2016-06-30")


def test_what_needs_attention_comes_first(invoke: Invoke) -> None:
    """Its first chapter lists the late activities (the example's four), the consortium's
    resources still to deliver, the invoices' anomalies; the ambiti follow, then the
    report as without a register."""
    result = invoke("report", *REGISTER, "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith(
        "# Relazione semestrale sulla convenzione di coprogettazione 2016 al 30/06/2016"
    )
    chapters = [line for line in text.splitlines() if line.startswith("## ")]
    assert chapters[0] == "## Che cosa richiede attenzione"
    assert chapters[1].startswith("## Ambito 1 al 30/06/2016 – ")
    assert chapters[6] == "## Sintesi"
    attention = text.split("## Ambito 1 al")[0]
    assert "4 attività del piano di lavoro sono in ritardo." in attention
    for code in ("A2.2", "A4.7", "A5.3", "A5.4"):
        assert f"| {code} " in attention
    # the example delivers ambito 4's € 6.400,00 of € 11.140,00: € 4.740,00 to go
    assert "Ancora da erogare: € 4.740,00." in attention
    assert "3 anomalie nelle fatture." in attention
    ambito_4 = text.split("## Ambito 4 al")[1].split("## Ambito 5 al")[0]
    assert "rinviata al 30/09/2016" in ambito_4  # A4.2
    assert "| A4.3 " in ambito_4  # due by July: before the next checkpoint
    assert "€ 4.740,00" in ambito_4


def test_the_json_report_carries_the_plan_and_the_resources(invoke: Invoke) -> None:
    document = json.loads(invoke("report", *REGISTER, "-f", "json").stdout)
    assert len(document["piano"]["attivita"]) == 56
    assert document["piano"]["in_ritardo"] == 4
    assert document["monitor"]["risorse_consorzio"]["mancante"] == "4740.00"


def test_without_a_register_the_report_is_unchanged(invoke: Invoke) -> None:
    text = invoke("report", "-f", "markdown").stdout
    assert text.startswith("# Risorse della convenzione di coprogettazione 2016")
    assert "Che cosa richiede attenzione" not in text
    assert json.loads(invoke("report", "-f", "json").stdout)["piano"] is None
