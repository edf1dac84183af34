"""What is due when, through the command line: each kind of fee line falls due its own way
(year-long pro rata, monthly fee month by month, seasonal when it runs, one-off once its day
has passed); missing invoices past the payment term; the register's control count; months
of enrolment written twice or outside the year; a period of decades never a traceback.

Expected figures are the document's fees and sums, worked out by hand in the comments."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

from crema_budget.errors import ExitCode

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "registro_2016.yaml"
WriteData = Callable[..., Path]


def monitor(invoke: Invoke, *args: str) -> tuple[int, dict[str, Any]]:
    """`monitor … -f json`: its exit code and its document."""
    result = invoke("monitor", *args, "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return result.exit_code, document


def line(document: dict[str, Any], codice: str) -> dict[str, Any]:
    found: dict[str, Any] = next(x for x in document["linee"] if x["codice"] == codice)
    return found


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def example_copy(tmp_path: Path, text: str) -> Path:
    """``text`` as a register beside a link to the example's e-invoices."""
    (tmp_path / "fatture").symlink_to(ROOT / "examples" / "fatture")
    path = tmp_path / "registro.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# 5. What is due when --------------------------------------------------------------------------


def test_a_seasonal_service_is_due_when_it_runs(invoke: Invoke) -> None:
    """The Colonia's 6 weeks run in July and August (the example register's svolgimento):
    nothing of its € 62.280,00 is due at 30 June, half at 31 July (€ 31.140,00), all of it
    at 31 August."""
    expected = {"2016-06-30": "0.00", "2016-07-31": "31140.00", "2016-08-31": "62280.00"}
    for al, due in expected.items():
        _code, document = monitor(invoke, "--registro", str(EXAMPLE), "--al", al)
        colonia = line(document, "colonia")
        assert (colonia["tipo"], colonia["base"], colonia["dovuto"]) == (
            "stagionale",
            "stagione",
            due,
        ), al
        assert colonia["previsione"] == "62280.00"


def test_a_seasonal_service_whose_months_are_unknown_is_due_nothing_yet(
    invoke: Invoke, write_data: WriteData
) -> None:
    """Without the register saying when it ran (the document says only "6 settimane,
    estate 2016"), nothing of the Colonia is due, not pro rata over the year; the forecast
    is its budget, and the view says why."""
    path = write_data("fatture:\n", "r.yaml")
    _code, document = monitor(invoke, "--registro", str(path), "--al", "2016-06-30")
    colonia = line(document, "colonia")
    assert (colonia["base"], colonia["dovuto"], colonia["previsione"]) == (
        "stagione da definire",
        "0.00",
        "62280.00",
    )
    shown = invoke("monitor", "--registro", str(path), "--al", "2016-06-30", "-f", "markdown")
    assert "stagionale: nulla è dovuto finché il registro (svolgimento)" in shown.stdout


def test_the_electoral_service_is_due_in_full_once_the_referendum_is_past(
    invoke: Invoke,
) -> None:
    """The amended example sets the electoral service at € 9.800,00 on 10 May, for the
    referendum of 17 April: a one-off, all due at 30 June (not € 2.450,00, two eighths
    spread May to December); at 9 May it is still to be defined."""
    agreement = str(ROOT / "examples" / "ambiti_2016_variato.yaml")
    args = ("--data", agreement, "--registro", str(EXAMPLE))
    _code, june = monitor(invoke, *args, "--al", "2016-06-30")
    elettorale = line(june, "elettorale")
    assert (elettorale["tipo"], elettorale["dovuto"]) == ("una_tantum", "9800.00")
    _code, may = monitor(invoke, *args, "--al", "2016-05-09")
    assert all(x["codice"] != "elettorale" for x in may["linee"])
    assert [x["codice"] for x in may["da_definire"]] == ["elettorale"]


def test_a_seasons_months_may_come_from_an_amendment(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """An amendment of 1 May sets the Colonia in June and July: at 30 June half of its
    € 62.280,00 is due (€ 31.140,00), before the amendment nothing."""
    amendment = (
        "variazioni:\n  - {data: 2016-05-01, atto: determinazione n. 1/2016, "
        "servizio: colonia, mesi: [6, 7]}\n"
    )
    agreement = write_data(data_text + amendment)
    register = write_data("fatture:\n", "r.yaml")
    args = ("--data", str(agreement), "--registro", str(register))
    _code, june = monitor(invoke, *args, "--al", "2016-06-30")
    assert (line(june, "colonia")["base"], line(june, "colonia")["dovuto"]) == (
        "stagione",
        "31140.00",
    )
    _code, april = monitor(invoke, *args, "--al", "2016-04-30")
    assert line(april, "colonia")["dovuto"] == "0.00"


@pytest.mark.parametrize(
    ("codice", "tipo", "base", "due"),
    [
        # A year-long service, pro rata: 167.962,11 × 6/12 = 83.981,055, half up.
        ("verde", "annuale", "pro rata anno", "83981.06"),
        # A monthly fee: January to June, 6 × 2.300,00.
        ("accoglienza", "mensile", "mesi", "13800.00"),
        # The nursery: the fee of each month's tier, January to June (27, 27, 26, 24, 24,
        # 22 children): 2 × 26.736,87 + 4 × 22.909,58.
        ("nido", "mensile", "nido", "145112.06"),
    ],
)
def test_year_long_and_monthly_lines_fall_due_month_by_month(
    invoke: Invoke, codice: str, tipo: str, base: str, due: str
) -> None:
    _code, document = monitor(invoke, "--registro", str(EXAMPLE), "--al", "2016-06-30")
    found = line(document, codice)
    assert (found["tipo"], found["base"], found["dovuto"]) == (tipo, base, due)


def test_a_kind_that_does_not_fit_the_fee_is_a_data_error(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """`tipo` is data, checked like the rest, each problem at its line: a sum cannot be a
    monthly fee, a monthly fee is nothing else, a day belongs to a one-off only."""
    nido = "        aliquota_iva: 4\n        tipo: mensile\n"
    impianti = "        aliquota_iva: 22\n        tipo: annuale\n"
    assert data_text.index(nido) > data_text.index("codice: nido")  # the nursery's is first
    text = data_text.replace(nido, nido.replace("mensile", "stagionale"), 1)
    text = text.replace(impianti, impianti.replace("annuale", "mensile"), 1)
    facchinaggio = "        importo: 16550.00\n"
    text = text.replace(facchinaggio, facchinaggio + "        giorno: 2016-04-17\n", 1)
    result = invoke("--data", str(write_data(text)), "totals", "--locale", "en")
    assert result.exit_code == ExitCode.BAD_INPUT
    for problem in (
        "ambiti[0].servizi[0].tipo: a line with canone_mensile is a monthly fee",
        "ambiti[4].servizi[0].tipo: a monthly fee (mensile) needs canone_mensile and mensilita",
        "ambiti[4].servizi[1].giorno: only a one-off service (tipo: una_tantum) has a giorno",
    ):
        assert problem in result.stderr


# 6. Missing invoices; the control count -------------------------------------------------------


def cut_after_ft_12(text: str) -> str:
    """The example register as a copy cut short after its twelfth paper invoice."""
    lines = text.splitlines()
    return "\n".join(lines[: next(i for i, x in enumerate(lines) if "FT 12/2016" in x) + 1]) + "\n"


def without_control(text: str) -> str:
    """The register without its control count (three lines: the key and two figures)."""
    lines = text.splitlines()
    at = lines.index(next(x for x in lines if x.startswith("controllo:")))
    return "\n".join(lines[:at] + lines[at + 3 :]) + "\n"


def test_a_register_cut_short_lists_the_missing_invoices(tmp_path: Path, invoke: Invoke) -> None:
    """Cut after its twelfth invoice (and so without its e-invoices and rules), a register
    with no control count no longer says "no anomaly" at 31 December: each month of a
    monthly fee whose term ran out with no invoice is missing."""
    path = example_copy(tmp_path, without_control(cut_after_ft_12(example_text())))
    code, document = monitor(invoke, "--registro", str(path), "--al", "2016-12-31")
    assert code == ExitCode.FIGURES_DIFFER
    missing = {
        (a["servizio"], a["mese"]) for a in document["anomalie"] if a["tipo"] == "fattura mancante"
    }
    # Invoiced: January to March of nido, pre-post, accoglienza and equipe. A month is
    # missing once 30 days have passed since it ended: by 31 December, April to November
    # (30 November + 30 days = 30 December), for each line in its own months.
    assert ("accoglienza", "2016-04") in missing
    assert ("equipe", "2016-11") in missing  # 30 November + 30 days = 30 December
    assert ("equipe", "2016-12") not in missing  # its term runs to 30 January 2017
    assert ("pre-post", "2016-06") in missing
    assert ("pre-post", "2016-07") not in missing  # pre/post school runs January to June
    assert ("nido", "2016-08") not in missing  # the nursery is closed in August
    assert ("nido", "2016-03") not in missing  # invoiced (FT 9/2016)


def test_a_month_is_not_missing_before_its_payment_term_runs_out(invoke: Invoke) -> None:
    """At 30 June the example's May invoices are in and June's are not due yet: nothing is
    missing, as the README's example shows."""
    _code, document = monitor(invoke, "--registro", str(EXAMPLE), "--al", "2016-06-30")
    assert [a for a in document["anomalie"] if a["tipo"] == "fattura mancante"] == []


def test_a_register_that_does_not_match_its_control_count_is_refused(
    tmp_path: Path, invoke: Invoke
) -> None:
    """The example register keeps its control count first: cut after its twelfth invoice,
    it says 25 invoices for € 436.032,99 and holds 12, so it is refused at those lines,
    exit 2, and nothing is computed."""
    path = example_copy(tmp_path, cut_after_ft_12(example_text()))
    result = invoke("monitor", "--registro", str(path), "--al", "2016-12-31", "--locale", "en")
    assert result.exit_code == ExitCode.BAD_INPUT
    text = example_text().splitlines()
    count_line = next(i for i, x in enumerate(text) if x.startswith("  fatture: 25")) + 1
    assert f"{path}:{count_line}:" in result.stderr
    assert "the register holds 12 invoices, its control count says 25" in result.stderr
    assert "the control count says 436032.99" in result.stderr
    assert result.stdout == ""


def test_a_register_that_matches_its_control_count_is_read(invoke: Invoke) -> None:
    """The example's count is right: 25 invoices, € 436.032,99 of taxable amounts."""
    code, _document = monitor(invoke, "--registro", str(EXAMPLE), "--al", "2016-06-30")
    assert code == ExitCode.FIGURES_DIFFER  # its three planted anomalies, not a refusal


# 8. A period of decades typed in the register ---------------------------------------------------


def test_a_nursery_period_of_decades_is_an_anomaly_not_a_traceback(
    tmp_path: Path, invoke: Invoke
) -> None:
    """`competenza: 1990-01/2016-01` on a nursery invoice: one anomaly for the 312 months
    before the year, for `monitor` and for `report`; exit 1 means an anomaly, not a crash."""
    path = tmp_path / "r.yaml"
    path.write_text(
        "iscritti_nido: {2016-01: 27}\nfatture:\n"
        "  - {numero: FT 1/2016, data: 2016-02-05, servizio: nido, "
        "competenza: 1990-01/2016-01, imponibile: 26736.87, aliquota_iva: 4, iva: 1069.47}\n",
        encoding="utf-8",
    )
    code, document = monitor(invoke, "--registro", str(path), "--al", "2016-06-30")
    assert code == ExitCode.FIGURES_DIFFER
    outside = [a for a in document["anomalie"] if a["tipo"] == "fuori anno"]
    assert [(a["fattura"], a["testo"]) for a in outside] == [("FT 1/2016", "1990-01/2015-12")]
    for fmt in ("table", "html", "json"):
        report = invoke("report", "--registro", str(path), "-f", fmt, "-o", str(tmp_path / "r"))
        assert report.exit_code == 0, report.stderr
        assert "Traceback" not in report.stderr


# 11. Months of enrolment --------------------------------------------------------------------------


def test_one_month_written_twice_is_a_data_error(tmp_path: Path, invoke: Invoke) -> None:
    """`"2016-01 "` and `2016-01` are one month written twice: not "the last one wins" but
    a problem at the second, exit 2."""
    path = tmp_path / "r.yaml"
    path.write_text('iscritti_nido:\n  2016-01: 27\n  "2016-01 ": 18\nfatture:\n', encoding="utf-8")
    result = invoke("monitor", "--registro", str(path), "--locale", "en")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"{path}:3:3: iscritti_nido" in result.stderr
    assert "'2016-01 ' is written twice (also as '2016-01')" in result.stderr


@pytest.mark.parametrize(
    ("register", "where"),
    [
        ("iscritti_nido:\n  2016-01: 27\n  2015-12: 27\nfatture:\n", ":3:3: iscritti_nido"),
        (
            "svolgimento:\n  - {servizio: colonia, mesi: 2017-07/2017-08}\n",
            ":2:31: svolgimento[0].mesi",
        ),
    ],
)
def test_a_month_outside_the_agreements_year_is_a_data_error(
    tmp_path: Path, invoke: Invoke, register: str, where: str
) -> None:
    """Enrolment or a season recorded for a month of another year is refused at its line."""
    path = tmp_path / "r.yaml"
    path.write_text(register, encoding="utf-8")
    result = invoke("monitor", "--registro", str(path), "--locale", "en")
    assert result.exit_code == ExitCode.BAD_INPUT, result.stdout
    assert f"{path}{where}" in result.stderr
    assert "outside the agreement's year 2016" in result.stderr


def test_a_calendar_for_a_line_that_keeps_its_own_is_a_data_error(
    tmp_path: Path, invoke: Invoke
) -> None:
    """`svolgimento` is for seasonal and one-off services; the nursery keeps its months."""
    path = tmp_path / "r.yaml"
    path.write_text("svolgimento:\n  - {servizio: nido, mesi: 2016-07/2016-08}\n", encoding="utf-8")
    result = invoke("monitor", "--registro", str(path), "--locale", "en")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "nido falls due by the agreement's own calendar" in result.stderr


def test_the_forecast_never_uses_a_month_after_the_date(invoke: Invoke) -> None:
    """At 30 June the example has July's enrolment recorded (21): the forecast assumes the
    last enrolment at the date, June's 22 (tier 21–26, € 22.909,58 a month), not July's."""
    _code, document = monitor(invoke, "--registro", str(EXAMPLE), "--al", "2016-06-30")
    assert document["ipotesi_nido"] == {"mese": "2016-06", "iscritti": 22}
    assert [row["mese"] for row in document["nido"] if row["iscritti"] is not None][-1] == "2016-06"
    shown = invoke("monitor", "--registro", str(EXAMPLE), "--al", "2016-06-30", width=200)
    assert "22 bambini iscritti in giugno 2016" in shown.stdout
    assert "luglio 2016" not in shown.stdout
