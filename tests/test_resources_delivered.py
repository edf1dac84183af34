"""`monitor` compares what the consortium promised of its own resources with what the
register says it delivered (`risorse_consorzio:`), through the command line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from conftest import Invoke

# The document's figures (3. Risorse of each ambito; the closing table).
ITEMS = {
    1: Decimal("5540.00"),
    2: Decimal("8450.00"),
    3: Decimal("11490.00"),
    4: Decimal("11140.00"),
    5: Decimal("39500.00"),
}
SHARES = {3: Decimal("9000.00"), 5: Decimal("1550.49")}
PROMISED = sum(ITEMS.values()) + sum(SHARES.values())  # 76120.00 + 10550.49 = 86670.49


def _register(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "registro.yaml"
    path.write_text(body, encoding="utf-8")
    return path


ONLY_AMBITO_1 = "risorse_consorzio:\n  - {ambito: 1, data: 2016-05-10, importo: 5540.00}\n"


def test_only_ambito_1_delivered_is_a_shortfall_of_81130_49_at_31_december(
    invoke: Invoke, tmp_path: Path
) -> None:
    register = _register(tmp_path, ONLY_AMBITO_1)
    result = invoke("monitor", "--registro", str(register), "--al", "2016-12-31", "-f", "json")
    assert result.exit_code == 1
    part = json.loads(result.stdout)["risorse_consorzio"]
    assert Decimal(part["promesso"]) == PROMISED == Decimal("86670.49")
    assert Decimal(part["consegnato"]) == ITEMS[1]
    assert Decimal(part["mancante"]) == PROMISED - ITEMS[1] == Decimal("81130.49")
    assert part["anomalia"] is True
    shares = {r["ambito"]: r for r in part["righe"] if r["parte"] == "quota_1_percento"}
    assert {n: Decimal(r["mancante"]) for n, r in shares.items()} == SHARES
    table = invoke("monitor", "--registro", str(register), "--al", "2016-12-31").stdout
    head = table.split("Alla data")[0]  # said first, above the tables
    assert "A fine anno mancano € 81.130,49 delle risorse del Consorzio." in head
    assert "€ 81.130,49" in table
    assert "€ 86.670,49" in table


def test_before_31_december_a_shortfall_is_shown_not_an_anomaly(
    invoke: Invoke, tmp_path: Path
) -> None:
    """At 30 June: the same shortfall, said to be still to deliver; no anomaly of it."""
    register = _register(tmp_path, ONLY_AMBITO_1)
    result = invoke("monitor", "--registro", str(register), "--al", "2016-06-30", "-f", "json")
    part = json.loads(result.stdout)["risorse_consorzio"]
    assert part["anomalia"] is False
    assert part["mancante"] == "81130.49"
    text = invoke("monitor", "--registro", str(register), "--al", "2016-06-30", "-f", "markdown")
    assert "Ancora da erogare: € 81.130,49." in text.stdout


def test_all_delivered_is_no_anomaly_and_the_ratio_is_on_the_fees_invoiced(
    invoke: Invoke, tmp_path: Path
) -> None:
    """Everything delivered on time; one invoice of € 26.736,87: the ratio is
    86.670,49 / 26.736,87 × 100 = 324,16… %."""
    lines = [f"  - {{ambito: {n}, data: 2016-03-01, importo: {v}}}" for n, v in ITEMS.items()]
    lines += [
        f"  - {{ambito: {n}, data: 2016-03-01, importo: {v}, voce: quota_1_percento}}"
        for n, v in SHARES.items()
    ]
    register = _register(
        tmp_path,
        "iscritti_nido:\n  2016-01: 27\n"
        "fatture:\n  - {numero: FT 1/2016, data: 2016-02-05, servizio: nido, competenza: 2016-01,"
        " imponibile: 26736.87, aliquota_iva: 4, iva: 1069.47}\n"
        "risorse_consorzio:\n" + "\n".join(lines) + "\n",
    )
    result = invoke("monitor", "--registro", str(register), "--al", "2016-12-31", "-f", "json")
    part = json.loads(result.stdout)["risorse_consorzio"]
    assert part["mancante"] == "0.00"
    assert part["anomalia"] is False
    assert Decimal(part["percentuale"]).quantize(Decimal("0.01")) == Decimal("324.16")


def test_without_the_section_the_part_is_left_out_and_said_once(
    invoke: Invoke, tmp_path: Path
) -> None:
    register = _register(tmp_path, "iscritti_nido:\n  2016-01: 27\n")
    result = invoke("monitor", "--registro", str(register), "--al", "2016-06-30", "-f", "markdown")
    assert result.stdout.count("non ha la sezione risorse") == 1
    document = json.loads(
        invoke("monitor", "--registro", str(register), "--al", "2016-06-30", "-f", "json").stdout
    )
    assert document["risorse_consorzio"] is None


def test_an_unknown_item_is_an_error_at_its_line_with_the_nearest_suggested(
    invoke: Invoke, tmp_path: Path
) -> None:
    register = _register(
        tmp_path,
        "risorse_consorzio:\n"
        "  - {ambito: 4, data: 2016-05-10, importo: 500, voce: coordinamento azione}\n"
        "  - {ambito: 1, data: 2016-05-10, importo: 100, voce: quota_1_percento}\n"
        "  - {ambito: 9, data: 2016-05-10, importo: 100}\n"
        "  - {ambito: 2, data: 2017-01-10, importo: 100}\n",
    )
    result = invoke("monitor", "--registro", str(register), "--al", "2016-06-30")
    assert result.exit_code == 2
    assert (
        f"{register}:2:55: risorse_consorzio[0].voce: l'ambito 4 non prevede la voce "
        "'coordinamento azione'; forse intendeva 'coordinamento azioni'?"
    ) in result.stderr
    assert f"{register}:3:" in result.stderr  # ambito 1 has no share of the 1 %
    assert f"{register}:4:" in result.stderr  # no ambito 9
    assert f"{register}:5:" in result.stderr  # 2017
    assert "4 problemi" in result.stderr
