"""Versions of an agreement: amendments at a date, `diff` between two agreements, and
`bozza`, next year's draft."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.agreement.checks import run_checks
from crema_budget.agreement.compute import totali
from crema_budget.agreement.load import load_agreement, parse_agreement
from crema_budget.agreement.versions import amended, compare
from crema_budget.errors import ExitCode
from crema_budget.year.due import Base
from crema_budget.year.monitor import monitor
from crema_budget.year.records import Mese
from crema_budget.year.register import parse_registro

D = Decimal
WriteData = Callable[..., Path]
VARIATO = Path(__file__).resolve().parent.parent / "examples" / "ambiti_2016_variato.yaml"

ELECTORAL = """
variazioni:
  - data: 2016-05-10
    atto: determinazione n. 321/2016
    servizio: elettorale
    importo: 9800.00
    giorno: 2016-04-17
    motivo: referendum del 17 aprile
"""
COLONIA = """
  - data: 2016-06-01
    atto: accordo integrativo
    servizio: colonia
    importo: 72660.00
"""


def with_amendments(data_text: str, block: str) -> str:
    return data_text + block


@pytest.mark.parametrize(
    ("al", "defined"),
    [
        (date(2016, 5, 9), False),  # the day before
        (date(2016, 5, 10), True),  # on the day
        (date(2016, 12, 31), True),  # after
        (None, True),  # no date: every amendment
    ],
)
def test_electoral_item_defined_from_its_date(
    data_text: str, al: date | None, defined: bool
) -> None:
    """The open electoral item becomes a fee line from the amendment's date on, and is no
    longer "to be defined"; before it, it is open and counted nowhere."""
    agreement = parse_agreement(with_amendments(data_text, ELECTORAL))
    version = amended(agreement, al).agreement
    ambito_5 = totali(version).ambiti[4]
    codes = [r.codice for r in ambito_5.righe]
    assert ("elettorale" in codes) is defined
    assert bool(ambito_5.da_definire) is not defined
    signed_total = D("1302537.59")
    expected = signed_total + (D("9800.00") + D("2156.00") if defined else 0)
    assert totali(version).totale == expected


def test_the_electoral_service_is_due_once_its_day_has_passed(data_text: str) -> None:
    """The electoral service is a one-off (una_tantum): set on 10 May for the referendum
    of 17 April, all of its € 9.800,00 is due at 30 June, not two eighths of it spread
    from May to December; before the amendment it is still to be defined."""
    agreement = parse_agreement(with_amendments(data_text, ELECTORAL))
    registro = parse_registro("fatture:\n", "r.yaml")
    at_june = monitor(amended(agreement, date(2016, 6, 30)).agreement, registro, date(2016, 6, 30))
    line = next(x for x in at_june.linee if x.codice == "elettorale")
    assert line.dovuto == D("9800.00")
    assert line.base is Base.UNA_TANTUM
    at_april = monitor(amended(agreement, date(2016, 4, 30)).agreement, registro, date(2016, 4, 30))
    assert all(x.codice != "elettorale" for x in at_april.linee)
    assert at_april.aperte


def test_a_one_off_without_its_day_is_due_when_the_register_gives_it(data_text: str) -> None:
    """Defined without a day, the one-off is due nothing until the register records the
    day it was rendered (svolgimento), then all of it once that day has passed."""
    without_day = ELECTORAL.replace("    giorno: 2016-04-17\n", "")
    agreement = amended(parse_agreement(with_amendments(data_text, without_day))).agreement
    empty = parse_registro("fatture:\n", "r.yaml")
    line = next(
        x for x in monitor(agreement, empty, date(2016, 12, 31)).linee if x.codice == "elettorale"
    )
    assert (line.base, line.dovuto, line.previsione) == (
        Base.UNA_TANTUM_IGNOTA,
        D("0.00"),
        D("9800.00"),
    )
    recorded = parse_registro("svolgimento:\n  - {servizio: elettorale, giorno: 2016-06-05}\n")
    for al, due in ((date(2016, 6, 4), D("0.00")), (date(2016, 6, 5), D("9800.00"))):
        line = next(x for x in monitor(agreement, recorded, al).linee if x.codice == "elettorale")
        assert line.dovuto == due, al


def test_check_keeps_checking_the_signed_document(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """Amendments never make `check` fail: it checks the document as signed."""
    path = write_data(with_amendments(data_text, ELECTORAL + COLONIA))
    result = invoke("--data", str(path), "check")
    assert result.exit_code == 0, result.stdout
    assert "51 cifre controllate: tutte concordano." in result.stdout


def test_totals_marks_amended_lines(invoke: Invoke, data_text: str, write_data: WriteData) -> None:
    """`totals` shows the agreement with every amendment, each amended line marked with
    its act and the signed figure; --al shows it at a date."""
    path = str(write_data(with_amendments(data_text, ELECTORAL + COLONIA)))
    result = invoke("--data", path, "totals")
    assert result.exit_code == 0
    assert "determinazione n. 321/2016" in result.stdout
    assert "€ 64.771,20" in result.stdout  # the Colonia as signed, beside the amended
    assert "€ 75.566,40" in result.stdout  # 72.660,00 + 4 %
    assert "7,56 %" in result.stdout  # the ratio as signed, as well as amended
    before = invoke("--data", path, "totals", "--al", "2016-05-31", "-f", "json")
    document = json.loads(before.stdout)
    colonia = document["ambiti"][1]["righe"][1]
    assert colonia["imponibile"] == "62280.00"  # not yet amended on 31 May
    assert [v["chiave"] for v in document["variazioni"]] == ["elettorale"]


@pytest.mark.parametrize(
    ("block", "says", "field"),
    [
        (
            "variazioni:\n  - {data: 2016-05-10, atto: x, servizio: mensa, importo: 1}\n",
            "no fee line has the code mensa",
            "variazioni[0].servizio",
        ),
        (
            "variazioni:\n  - {data: 2017-01-10, atto: x, servizio: colonia, importo: 1}\n",
            "outside the agreement's year 2016",
            "variazioni[0].data",
        ),
        (
            "variazioni:\n  - {data: 2016-05-10, atto: x, servizio: colonia, importo: 1}\n"
            "  - {data: 2016-05-10, atto: y, servizio: colonia, importo: 2}\n",
            "variazioni[0] changes the same thing on the same date",
            "variazioni[1]",
        ),
        (
            "variazioni:\n  - {data: 2016-05-10, atto: x, servizio: nido, importo: 1}\n",
            "nido is a monthly fee",
            "variazioni[0].importo",
        ),
        (
            "variazioni:\n  - {data: 2016-05-10, atto: x, servizio: colonia}\n",
            "say what changes",
            "variazioni[0]",
        ),
    ],
    ids=["no such line", "outside the year", "same thing twice", "wrong figure", "no change"],
)
def test_bad_amendments_point_at_the_line(
    invoke: Invoke, data_text: str, write_data: WriteData, block: str, says: str, field: str
) -> None:
    """An amendment that cannot apply is refused with its line and what is wrong."""
    text = data_text + block
    path = write_data(text)
    result = invoke("--data", str(path), "totals", "--locale", "en")
    assert result.exit_code == ExitCode.BAD_INPUT
    line = len(data_text.splitlines()) + len(block.splitlines())
    assert f"{path}:" in result.stderr
    assert f": {field}: " in result.stderr
    assert says in result.stderr
    assert f":{line}:" in result.stderr


BROKEN_ONCE_APPLIED = [
    (
        "variazioni:\n  - {data: 2016-05-10, atto: x, servizio: nido, mesi: [1]}\n",
        "variazioni[0].mesi",
        "nido invalid: 1 month listed, but mensilita is 11",
        2,
    ),
    (
        "variazioni:\n"
        "  - {data: 2016-03-01, atto: x, servizio: nido, mensilita: 10}\n"
        "  - {data: 2016-04-01, atto: y, servizio: nido,\n"
        "     mesi: [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]}\n",
        "variazioni[1].mesi",
        "nido invalid: 11 months listed, but mensilita is 10",
        4,
    ),
    (
        "variazioni:\n"
        "  - data: 2016-09-01\n"
        "    atto: x\n"
        "    nuovo_servizio: {ambito: 2, codice: pre-2, voce: Pre scuola, canone_mensile: 100,\n"
        "                     mensilita: 4, aliquota_iva: 4, mesi: [9, 10]}\n",
        "variazioni[0].nuovo_servizio.mesi",
        "pre-2 invalid: 2 months listed, but mensilita is 4",
        5,
    ),
    (
        "variazioni:\n"
        "  - data: 2016-09-01\n"
        "    atto: x\n"
        "    nuovo_servizio: {ambito: 5, codice: sfalci, voce: Sfalci, importo: 300,\n"
        "                     aliquota_iva: 22,\n"
        "                     rate: [{mese: 9, importo: 100}, {mese: 12, importo: 200}]}\n"
        "  - {data: 2016-10-01, atto: y, servizio: sfalci, mesi: [10, 11, 12]}\n",
        "variazioni[1].mesi",
        "sfalci invalid: an instalment falls in a month that mesi leaves out",
        7,
    ),
]


@pytest.mark.parametrize("command", [("totals",), ("check",), ("diff", "--al", "2016-12-31")])
@pytest.mark.parametrize(
    ("block", "field", "says", "line"),
    BROKEN_ONCE_APPLIED,
    ids=["one month of eleven", "months after a new count", "new line", "instalment left out"],
)
def test_an_amendment_that_breaks_a_line_once_applied_is_refused(
    invoke: Invoke,
    data_text: str,
    write_data: WriteData,
    command: tuple[str, ...],
    block: str,
    field: str,
    says: str,
    line: int,
) -> None:
    """An amendment is checked with the same rules as the agreement once it applies
    (`mesi: [1]` on the 11-month nursery line): a data error at the amendment's line,
    for every command, `check` included, and nothing computed."""
    path = write_data(data_text + block)
    result = invoke("--locale", "en", "--data", str(path), *command)
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert result.stdout == ""
    where = f"{path}:{len(data_text.splitlines()) + line}:"
    assert result.stderr.startswith(f"crema-budget: {where}")
    assert f": {field}: once applied, this amendment leaves the fee line {says}\n" in (
        result.stderr
    )


def test_two_open_items_of_one_ambito_defined_in_turn(data_text: str) -> None:
    """Defining the first open item of an ambito moves the next one up in its list:
    the second amendment still finds it (and each gets its own sum)."""
    last_open_item = "        tipo: una_tantum        # due once its day (giorno) has passed\n"
    assert last_open_item in data_text
    text = data_text.replace(
        last_open_item,
        last_open_item + "      - {codice: seggi, voce: Seggi elettorali, aliquota_iva: 22}\n",
        1,
    )
    text += (
        "variazioni:\n"
        "  - {data: 2016-05-10, atto: a, servizio: elettorale, importo: 9800.00}\n"
        "  - {data: 2016-06-10, atto: b, servizio: seggi, importo: 1200.00}\n"
    )
    ambito = amended(parse_agreement(text, "two.yaml")).agreement.ambiti[4]
    assert ambito.da_definire == ()
    sums = {line.codice: line.importo for line in ambito.servizi}
    assert sums["elettorale"] == D("9800.00")
    assert sums["seggi"] == D("1200.00")


def test_bozza_never_writes_a_draft_its_loader_refuses(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the writer makes is loaded before it is written: a draft the loader would
    refuse (here, a writer made to forget a colon) is an internal error, exit 70, and
    no file is written."""
    from crema_budget.agreement import writer

    real = writer.draft
    monkeypatch.setattr(
        writer, "draft", lambda *a, **k: real(*a, **k).replace("  stato: bozza", "  stato bozza")
    )
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    target = tmp_path / "bozza.yaml"
    result = invoke("bozza", "-o", str(target))
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert not target.exists()
    (details,) = tmp_path.glob("crema-budget-bug-*.txt")
    assert "the draft does not load" in details.read_text(encoding="utf-8")


# --- diff ----------------------------------------------------------------------------


def test_diff_with_itself_is_exit_0(invoke: Invoke) -> None:
    """The same agreement twice: nothing changed, exit 0."""
    result = invoke("diff", "data/ambiti_2016.yaml", "data/ambiti_2016.yaml", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["uguali"] is True


def test_diff_reports_each_change_and_its_effect(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """One fee, one VAT rate, one consortium item and one tier changed: each is reported,
    with its effect on its line, its ambito, the grand totals and the ratio; exit 1."""
    text = data_text.replace("canone_mensile: 3568.85", "canone_mensile: 3600.00")
    text = text.replace(
        "importo: 16550.00\n        periodo: anno 2016\n        aliquota_iva: 22",
        "importo: 16550.00\n        periodo: anno 2016\n        aliquota_iva: 10",
    )
    text = text.replace(
        "{voce: sportello ludopatia, importo: 1500}", "{voce: sportello ludopatia, importo: 1800}"
    )
    text = text.replace("canone_mensile: 19304.08}", "canone_mensile: 19500.00}")
    new = write_data(text, "new.yaml")
    result = invoke("diff", "data/ambiti_2016.yaml", str(new), "-f", "json")
    assert result.exit_code == ExitCode.FIGURES_DIFFER
    document = json.loads(result.stdout)
    changes = {
        (c["tipo"], c["chiave"], c["campo"]): (c["prima"], c["dopo"]) for c in document["cambi"]
    }
    assert changes[("servizio", "pre-post", "canone_mensile")] == ("3568.85", "3600")
    assert changes[("servizio", "facchinaggio", "aliquota_iva")] == ("22", "10")
    assert changes[("risorsa", "sportello ludopatia", "importo")] == ("1500", "1800")
    assert changes[("fascia", "20–20", "canone_mensile")] == ("19304.08", "19500")
    effects = {e["chiave"]: e for e in document["effetti"]}
    # Pre/post school: 6 × 3.600,00 = 21.600,00 + 4 % = 22.464,00 (was 22.269,62).
    assert effects["servizio.pre-post.totale"]["dopo"] == "22464.00"
    assert effects["servizio.pre-post.totale"]["differenza"] == "194.38"
    # Facchinaggio at 10 %: 16.550,00 + 1.655,00 (was 3.641,00 of VAT).
    assert effects["servizio.facchinaggio.totale"]["differenza"] == "-1986.00"
    assert effects["totale"]["differenza"] == str(D("194.38") - D("1986.00"))
    assert effects["risorse.totale"]["differenza"] == "300.00"


def test_diff_ambito_added_and_removed(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """An ambito that is not in the other file: its lines added or removed."""
    start = data_text.index("  - numero: 4")
    end = data_text.index("  - numero: 5")
    without_4 = data_text[:start] + data_text[end:]
    without_4 = without_4.replace(" 4: 11140.00,", "")
    path = write_data(without_4, "senza4.yaml")
    removed = json.loads(invoke("diff", "data/ambiti_2016.yaml", str(path), "-f", "json").stdout)
    assert ("servizio", "autonomia", "rimosso") in {
        (c["tipo"], c["chiave"], c["campo"]) for c in removed["cambi"]
    }
    added = json.loads(invoke("diff", str(path), "data/ambiti_2016.yaml", "-f", "json").stdout)
    assert ("servizio", "autonomia", "aggiunto") in {
        (c["tipo"], c["chiave"], c["campo"]) for c in added["cambi"]
    }
    effects = {e["chiave"]: e for e in added["effetti"]}
    assert effects["ambito.4.totale"]["dopo"] == "44179.13"


def test_diff_of_a_file_and_its_amended_self(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """`diff --al DATE FILE`: the file as signed against the file as amended then."""
    path = write_data(with_amendments(data_text, ELECTORAL + COLONIA))
    result = invoke("diff", str(path), "--al", "2016-05-31", "-f", "json")
    assert result.exit_code == 1
    keys = {c["chiave"] for c in json.loads(result.stdout)["cambi"]}
    assert keys == {"elettorale"}


def test_diff_needs_two_files_or_a_date(invoke: Invoke) -> None:
    result = invoke("diff", "data/ambiti_2016.yaml")
    assert result.exit_code == 2
    assert "--al" in result.stderr


# --- bozza ---------------------------------------------------------------------------


def test_draft_round_trips(invoke: Invoke, tmp_path: Path) -> None:
    """`bozza --dichiarati calcolati` writes a file that loads, passes `check`, and
    differs from the signed one only in the year and the status, and in the work plan,
    which a draft does not carry (tests/test_workplan_diff.py)."""
    target = tmp_path / "ambiti_2017.yaml"
    result = invoke("bozza", "--dichiarati", "calcolati", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "calcolato, non firmato" in text
    draft = parse_agreement(text, str(target))
    assert draft.documento.anno == 2017
    assert draft.documento.stato == "bozza"
    assert run_checks(draft).ok
    confronto = compare(load_agreement(), draft)
    assert {(c.tipo, c.campo) for c in confronto.cambi} == {
        ("documento", "anno"),
        ("documento", "stato"),
        ("attivita", "rimosso"),
    }
    check = invoke("--data", str(target), "check")
    assert check.exit_code == 0


def test_draft_without_declared_figures(invoke: Invoke, tmp_path: Path) -> None:
    """By default the declared figures are removed: the draft loads, and `check` says
    the grand totals are not declared (a draft is not signed)."""
    target = tmp_path / "bozza.yaml"
    assert invoke("bozza", "--anno", "2018", "-o", str(target)).exit_code == 0
    draft = parse_agreement(target.read_bytes(), str(target))
    assert draft.documento.anno == 2018
    assert draft.sintesi.totale is None
    assert not run_checks(draft).ok
    assert "bozza" in invoke("--data", str(target), "totals").stdout.lower()


def test_draft_folds_the_amendments_in(
    invoke: Invoke, data_text: str, write_data: WriteData, tmp_path: Path
) -> None:
    """Amendments of the year are folded into next year's figures, and not kept."""
    path = write_data(with_amendments(data_text, ELECTORAL + COLONIA))
    target = tmp_path / "bozza.yaml"
    assert invoke("--data", str(path), "bozza", "-o", str(target)).exit_code == 0
    draft = parse_agreement(target.read_bytes(), str(target))
    assert draft.variazioni == ()
    colonia = next(s for a in draft.ambiti for s in a.servizi if s.codice == "colonia")
    assert colonia.importo == D("72660.00")
    elettorale = next(s for a in draft.ambiti for s in a.servizi if s.codice == "elettorale")
    # A one-off keeps its kind; its day was 2016's, so next year it has none yet.
    assert (elettorale.tipo, elettorale.mesi, elettorale.giorno) == ("una_tantum", None, None)
    assert all(not a.da_definire for a in draft.ambiti)


def test_draft_refuses_to_overwrite_its_source(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    path = write_data(data_text, "a.yaml")
    result = invoke("--data", str(path), "bozza", "-o", str(path))
    assert result.exit_code == 2
    assert path.read_text(encoding="utf-8") == data_text


def test_months_are_months() -> None:
    """Mese orders and steps like the calendar."""
    assert Mese(2016, 12).next() == Mese(2017, 1)
    assert Mese(2016, 2).last_day() == date(2016, 2, 29)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2016-02-30", "'2016-02-30' is not a day of the calendar: check the month and the day"),
        ("10/05/2016", "write '10/05/2016' as 2016-05-10: year, month and day, joined by hyphens"),
        ("10.5.2016", "write '10.5.2016' as 2016-05-10"),
        ("maggio", "'maggio' is not a date; write it as 2016-02-05"),
    ],
)
def test_a_date_written_otherwise_says_how_to_write_it(
    invoke: Invoke, write_data: WriteData, written: str, message: str
) -> None:
    text = VARIATO.read_text(encoding="utf-8").replace("data: 2016-05-10", f"data: {written}", 1)
    result = invoke("--locale", "en", "--data", str(write_data(text)), "totals")
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_open_item_given_its_sum_is_one_change(invoke: Invoke) -> None:
    """The amendment that gives the electoral service its sum is one change, `definito`,
    with the taxable amount: not an open item removed and a fee line added."""
    signed = VARIATO.parent.parent / "data" / "ambiti_2016.yaml"
    result = invoke("diff", str(signed), str(VARIATO), "-f", "json")
    assert result.exit_code == 1
    cambi = json.loads(result.stdout)["cambi"]
    electoral = [c for c in cambi if c["chiave"] == "elettorale"]
    assert electoral == [
        {
            "tipo": "servizio",
            "chiave": "elettorale",
            "ambito": 5,
            "campo": "definito",
            "prima": None,
            "dopo": "9800",
        }
    ]
    assert len(cambi) == 3  # one per amendment of the example file


def test_an_open_item_dropped_without_a_sum_is_still_a_removal(
    invoke: Invoke, write_data: WriteData
) -> None:
    """Only an open item that becomes a fee line of its code is `definito`; one that is
    simply dropped is reported as removed."""
    signed = VARIATO.parent.parent / "data" / "ambiti_2016.yaml"
    text = signed.read_text(encoding="utf-8")
    start = text.index("    da_definire:")
    end = text.index("    dichiarato:", start)
    dropped = write_data(text[:start] + text[end:])
    result = invoke("diff", str(signed), str(dropped), "-f", "json")
    assert result.exit_code == 1, result.stderr
    cambi = json.loads(result.stdout)["cambi"]
    assert [(c["tipo"], c["chiave"], c["campo"]) for c in cambi] == [
        ("da definire", "elettorale", "rimosso")
    ]
