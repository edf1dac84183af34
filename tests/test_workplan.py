"""`crema-budget piano`: the work plan, and each activity's state at a date from the
register's `attivita:` entries, through the command line as an office would run it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke


def _register(tmp_path: Path, body: str, name: str = "registro.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _states(invoke: Invoke, register: Path, al: str) -> tuple[int, dict[str, dict[str, Any]]]:
    result = invoke("piano", "--registro", str(register), "--al", al, "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    document = json.loads(result.stdout)
    return result.exit_code, {a["codice"]: a for a in document["attivita"]}


EMPTY = "attivita: []\n"


def test_piano_lists_the_56_activities_with_the_documents_words(invoke: Invoke) -> None:
    """Without a register: the plan as written, no state, exit 0."""
    result = invoke("piano", "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["schema"] == "crema-budget/piano/1"
    assert document["monitorato"] is False
    attivita = document["attivita"]
    assert len(attivita) == 56
    assert [a["ambito"] for a in attivita].count(2) == 13
    a47 = next(a for a in attivita if a["codice"] == "A4.7")
    assert a47["attivita"] == "Mappatura di altre postazioni lavorative per tirocini lavorativi"
    assert a47["quando"] == "entro aprile 2016"
    assert a47["stato"] is None
    a21 = next(a for a in attivita if a["codice"] == "A2.1")
    assert a21["gruppo"] == "PRE e POST SCUOLA"


def test_at_30_june_with_nothing_recorded_a4_7_is_late_and_a4_3_is_not(
    invoke: Invoke, tmp_path: Path
) -> None:
    """ "entro aprile 2016" has passed at 30 June; "entro giugno-luglio 2016" has not."""
    code, states = _states(invoke, _register(tmp_path, EMPTY), "2016-06-30")
    assert code == 1
    assert states["A4.7"]["stato"] == "in_ritardo"
    assert states["A4.7"]["ritardo"] == {"motivo": "scadenza", "mese": "2016-04", "giorno": None}
    assert states["A4.3"]["stato"] == "da_avviare"


def test_a4_3_is_late_on_1_august(invoke: Invoke, tmp_path: Path) -> None:
    _code, states = _states(invoke, _register(tmp_path, EMPTY), "2016-08-01")
    assert states["A4.3"]["stato"] == "in_ritardo"
    assert states["A4.3"]["ritardo"]["mese"] == "2016-07"


def test_a4_3_on_31_july_its_deadline_month_has_passed(invoke: Invoke, tmp_path: Path) -> None:
    """A date is the end of its day: July has passed at 31 July, not at 30 July."""
    _code, states = _states(invoke, _register(tmp_path, EMPTY), "2016-07-31")
    assert states["A4.3"]["stato"] == "in_ritardo"
    _code, states = _states(invoke, _register(tmp_path, EMPTY), "2016-07-30")
    assert states["A4.3"]["stato"] == "da_avviare"


def test_a5_3_with_only_the_june_occurrence_is_late_on_31_december(
    invoke: Invoke, tmp_path: Path
) -> None:
    """ "giugno e dicembre": each month needs its own occurrence."""
    register = _register(
        tmp_path, "attivita:\n  - {codice: A5.3, stato: svolta, data: 2016-06-15}\n"
    )
    _code, states = _states(invoke, register, "2016-12-30")
    assert states["A5.3"]["stato"] == "in_corso"
    _code, states = _states(invoke, register, "2016-12-31")
    assert states["A5.3"]["stato"] == "in_ritardo"
    assert states["A5.3"]["ritardo"] == {"motivo": "occorrenza", "mese": "2016-12", "giorno": None}


def test_a5_3_with_both_occurrences_is_done(invoke: Invoke, tmp_path: Path) -> None:
    register = _register(
        tmp_path,
        "attivita:\n"
        "  - {codice: A5.3, stato: svolta, data: 2016-06-15}\n"
        "  - {codice: A5.3, stato: svolta, data: 2016-12-12}\n",
    )
    _code, states = _states(invoke, register, "2016-12-31")
    assert states["A5.3"]["stato"] == "svolta"
    assert states["A5.3"]["data"] == "2016-12-12"


def test_a2_3_done_in_june_without_the_september_check_is_late_on_1_october(
    invoke: Invoke, tmp_path: Path
) -> None:
    """ "giugno (con verifica a settembre)": the checkpoint needs its own entry."""
    register = _register(
        tmp_path, "attivita:\n  - {codice: A2.3, stato: svolta, data: 2016-06-20}\n"
    )
    _code, states = _states(invoke, register, "2016-09-29")
    assert states["A2.3"]["stato"] == "in_corso"
    _code, states = _states(invoke, register, "2016-10-01")
    assert states["A2.3"]["stato"] == "in_ritardo"
    assert states["A2.3"]["ritardo"] == {"motivo": "verifica", "mese": "2016-09", "giorno": None}


@pytest.mark.parametrize(
    ("codice", "quando", "entries", "al", "stato", "motivo"),
    [
        # inizio: "dal mese di gennaio" — started by the end of January
        ("A1.1", "dal mese di gennaio", "", "2016-01-30", "da_avviare", None),
        ("A1.1", "dal mese di gennaio", "", "2016-01-31", "in_ritardo", "inizio"),
        (
            "A1.1",
            "dal mese di gennaio",
            "avviata, data: 2016-01-15",
            "2016-12-31",
            "in_corso",
            None,
        ),
        ("A1.1", "dal mese di gennaio", "svolta, data: 2016-11-30", "2016-12-31", "svolta", None),
        # a window "Febbraio/Marzo": started by February's end, done by March's
        ("A3.3", "Febbraio/Marzo", "avviata, data: 2016-02-10", "2016-03-30", "in_corso", None),
        (
            "A3.3",
            "Febbraio/Marzo",
            "avviata, data: 2016-02-10",
            "2016-03-31",
            "in_ritardo",
            "scadenza",
        ),
        ("A3.3", "Febbraio/Marzo", "", "2016-02-29", "in_ritardo", "inizio"),
        # "mensilmente da aprile": one occurrence a month from April
        (
            "A5.4",
            "mensilmente da aprile",
            "svolta, data: 2016-04-20",
            "2016-05-31",
            "in_ritardo",
            "occorrenza",
        ),
        (
            "A5.4",
            "mensilmente da aprile",
            "svolta, data: 2016-04-20",
            "2016-05-30",
            "in_corso",
            None,
        ),
        # the nursery's closures: Easter (27 March 2016) and the summer (August)
        (
            "A1.3",
            "chiusura per le vacanze di Pasqua e per quelle estive",
            "",
            "2016-03-31",
            "in_ritardo",
            "occorrenza",
        ),
        # "in corso", "già attivo": under way from the start, never late for it
        ("A1.11", "in corso", "", "2016-12-31", "in_corso", None),
        ("A2.7", "già attivo", "", "2016-12-31", "in_corso", None),
        # "in corso e per tutto l'anno 2016": under way, to be done by December
        ("A4.6", "in corso e per tutto l'anno 2016", "", "2016-12-31", "in_ritardo", "scadenza"),
        # "durante tutto l'anno": the year — started in January, done by December
        ("A2.6", "durante tutto l'anno", "", "2016-01-31", "in_ritardo", "inizio"),
        # a single month "aprile 2016": a window of one month
        ("A2.8", "aprile 2016", "svolta, data: 2016-04-28", "2016-06-30", "svolta", None),
        # "Maggio e Settembre 2016": two occurrences
        (
            "A2.13",
            "Maggio e Settembre 2016",
            "svolta, data: 2016-05-05",
            "2016-09-30",
            "in_ritardo",
            "occorrenza",
        ),
        # "entro novembre"
        ("A5.10", "entro novembre", "svolta, data: 2016-10-03", "2016-12-31", "svolta", None),
    ],
)
def test_each_timing_form_follows_its_rule(
    invoke: Invoke,
    tmp_path: Path,
    codice: str,
    quando: str,
    entries: str,
    al: str,
    stato: str,
    motivo: str | None,
) -> None:
    body = f"attivita:\n  - {{codice: {codice}, stato: {entries}}}\n" if entries else EMPTY
    _code, states = _states(invoke, _register(tmp_path, body), al)
    assert states[codice]["quando"] == quando
    assert states[codice]["stato"] == stato
    found = states[codice]["ritardo"]
    assert (found["motivo"] if isinstance(found, dict) else None) == motivo


def test_a_rescheduled_activity_is_late_again_when_its_new_deadline_passes(
    invoke: Invoke, tmp_path: Path
) -> None:
    register = _register(
        tmp_path,
        "attivita:\n"
        "  - {codice: A4.7, stato: rinviata, data: 2016-04-20, nuova_scadenza: 2016-09-30,"
        " atto: determinazione n. 200/2016}\n",
    )
    _code, states = _states(invoke, register, "2016-09-29")
    assert states["A4.7"]["stato"] == "rinviata"
    assert states["A4.7"]["nuova_scadenza"] == "2016-09-30"
    _code, states = _states(invoke, register, "2016-09-30")
    assert states["A4.7"]["stato"] == "in_ritardo"
    assert states["A4.7"]["ritardo"] == {
        "motivo": "nuova_scadenza",
        "mese": None,
        "giorno": "2016-09-30",
    }


def test_a_cancelled_activity_is_never_late(invoke: Invoke, tmp_path: Path) -> None:
    register = _register(
        tmp_path, "attivita:\n  - {codice: A4.7, stato: annullata, data: 2016-03-01}\n"
    )
    _code, states = _states(invoke, register, "2016-12-31")
    assert states["A4.7"]["stato"] == "annullata"


def test_a_register_without_attivita_leaves_the_plan_unmonitored(
    invoke: Invoke, tmp_path: Path
) -> None:
    """Exit 0, and the table says so."""
    register = _register(tmp_path, "iscritti_nido:\n  2016-01: 27\n")
    result = invoke("piano", "--registro", str(register), "--al", "2016-12-31")
    assert result.exit_code == 0, result.stderr
    assert "non ha la sezione attivita:" in result.stdout
    document = json.loads(
        invoke("piano", "--registro", str(register), "--al", "2016-12-31", "-f", "json").stdout
    )
    assert document["monitorato"] is False
    assert {a["stato"] for a in document["attivita"]} == {None}


def test_late_activities_are_shown_in_italian_and_the_exit_code_is_1(
    invoke: Invoke, tmp_path: Path
) -> None:
    register = str(_register(tmp_path, EMPTY))
    result = invoke("piano", "--registro", register, "--al", "2016-06-30", "-f", "markdown")
    assert result.exit_code == 1
    # By hand, every start, deadline and occurrence month up to June with no entry:
    # ambito 1: A1.1–A1.7 but A1.3's March closure counted too, A1.9, A1.10 = 9;
    # ambito 2: A2.1–A2.6, A2.8–A2.11, A2.13 (May) = 11; ambito 3: A3.1, A3.3, A3.4, A3.5,
    # A3.8 = 5; ambito 4: A4.1, A4.2, A4.5, A4.7, A4.8 = 5; ambito 5: A5.2–A5.5, A5.9 = 5.
    assert "35 attività sono in ritardo." in result.stdout
    assert "| in ritardo " in result.stdout
    assert "da concludere entro la fine di aprile 2016" in result.stdout


def test_an_unknown_activity_code_is_an_error_at_its_line_with_the_nearest_code(
    invoke: Invoke, tmp_path: Path
) -> None:
    """A typo in a code, a day of another year: each at its line, nothing computed."""
    register = _register(
        tmp_path,
        "attivita:\n"
        "  - {codice: A4.7, stato: svolta, data: 2016-04-10}\n"
        "  - {codice: A4.77, stato: svolta, data: 2016-04-10}\n"
        "  - {codice: A2.3, stato: svolta, data: 2015-12-10}\n",
    )
    result = invoke("piano", "--registro", str(register), "--al", "2016-06-30")
    assert result.exit_code == 2
    assert f"{register}:3:14: attivita[1].codice: il piano di lavoro non ha l'attività A4.77; " in (
        result.stderr
    )
    assert "forse intendeva A4.7?" in result.stderr
    assert f"{register}:4:" in result.stderr
    assert "2015-12-10" in result.stderr
    assert "Traceback" not in result.stderr


def test_nuova_scadenza_goes_with_rinviata_and_only_with_it(invoke: Invoke, tmp_path: Path) -> None:
    register = _register(
        tmp_path,
        "attivita:\n"
        "  - {codice: A2.3, stato: svolta, data: 2016-04-10, nuova_scadenza: 2016-05-01}\n"
        "  - {codice: A2.3, stato: rinviata, data: 2016-04-10}\n",
    )
    result = invoke("piano", "--registro", str(register), "--al", "2016-06-30")
    assert result.exit_code == 2
    assert f"{register}:2:5: attivita[0]: " in result.stderr
    assert f"{register}:3:5: attivita[1]: " in result.stderr
    assert "nuova_scadenza" in result.stderr


def test_piano_writes_every_format(invoke: Invoke, tmp_path: Path) -> None:
    """The plan through the formats for people and for spreadsheets."""
    register = _register(tmp_path, EMPTY)
    for name in ("piano.md", "piano.csv", "piano.odt", "piano.docx", "piano.xlsx"):
        out = tmp_path / name
        result = invoke("piano", "--registro", str(register), "--al", "2016-06-30", "-o", str(out))
        assert result.exit_code == 1, result.stderr
        assert out.stat().st_size > 0
    assert "A4.7" in (tmp_path / "piano.md").read_text(encoding="utf-8")


def test_a_date_without_a_register_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("piano", "--al", "2016-06-30")
    assert result.exit_code == 2
    assert "--al richiede --registro FILE" in result.stderr
