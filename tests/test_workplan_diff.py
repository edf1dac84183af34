"""`diff` and the work plan ("2. Tempi"), through the CLI: each activity added,
removed, reworded or rescheduled, by its code, in every format `diff` has; and next
year's draft (`bozza`), which carries no plan, says each ambito's is to be written."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

DATA = "data/ambiti_2016.yaml"
ROOT = Path(__file__).resolve().parents[1]

#: The 2016 plan with one change of each kind (the activities as the document lists them).
EDITS = [
    # A1.1 reworded.
    (
        "attivita: 'Accompagnamento/supervisione psicologica per gli operatori delle due sedi'",
        "attivita: 'Supervisione psicologica per gli operatori delle due sedi'",
    ),
    # A1.11, the last of ambito 1, removed.
    (
        "      - codice: A1.11\n        attivita: 'Ricerca attiva di finanziamenti ad hoc'\n"
        "        quando: 'in corso'\n        in_corso: true\n    risorse_consorzio:          "
        "# Ambito 1",
        "    risorse_consorzio:          # Ambito 1",
    ),
    # A5.13 added after A5.12.
    (
        "        in_corso: true\n    risorse_consorzio:          # Ambito 5",
        "        in_corso: true\n      - codice: A5.13\n        attivita: 'Bilancio sociale'\n"
        "        quando: 'entro dicembre'\n        scadenza: 12\n"
        "    risorse_consorzio:          # Ambito 5",
    ),
    # A5.3 twice a year → once: its words of timing and its months.
    ("quando: 'giugno e dicembre'\n        mesi: [6, 12]", "quando: 'giugno'\n        mesi: [6]"),
    # A5.1 under way → from February: words, start, under way.
    (
        "attivita: 'Coordinamento con creazione di una equipe multiprofessionale'\n"
        "        quando: 'in corso'\n        in_corso: true",
        "attivita: 'Coordinamento con creazione di una equipe multiprofessionale'\n"
        "        quando: 'da febbraio'\n        inizio: 2",
    ),
]

#: What `diff` must find, in its order: the old plan's order, then what only the new has.
EXPECTED = [
    ("A1.1", 1, "attivita"),
    ("A1.11", 1, "rimosso"),
    ("A5.1", 5, "quando"),
    ("A5.1", 5, "inizio"),
    ("A5.1", 5, "in_corso"),
    ("A5.3", 5, "quando"),
    ("A5.3", 5, "mesi"),
    ("A5.13", 5, "aggiunto"),
]


@pytest.fixture
def replanned(tmp_path: Path) -> Path:
    text = (ROOT / DATA).read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "ambiti_ripianificati.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _json(invoke: Invoke, *args: str, code: int = 1) -> dict[str, Any]:
    """``diff``'s JSON; exit 1 when something changed, 0 when nothing did."""
    result = invoke("diff", *args, "-f", "json")
    assert result.exit_code == code, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_each_change_of_the_plan_is_found_by_its_code(invoke: Invoke, replanned: Path) -> None:
    document = _json(invoke, DATA, str(replanned))
    plan = [c for c in document["cambi"] if c["tipo"] == "attivita"]
    assert [(c["chiave"], c["ambito"], c["campo"]) for c in plan] == EXPECTED
    sides = {(c["chiave"], c["campo"]): (c["prima"], c["dopo"]) for c in plan}
    assert sides["A1.1", "attivita"] == (
        "Accompagnamento/supervisione psicologica per gli operatori delle due sedi",
        "Supervisione psicologica per gli operatori delle due sedi",
    )
    assert sides["A1.11", "rimosso"] == ("Ricerca attiva di finanziamenti ad hoc", None)
    assert sides["A5.13", "aggiunto"] == (None, "Bilancio sociale")
    assert sides["A5.3", "mesi"] == ([6, 12], [6])
    assert sides["A5.1", "inizio"] == (None, 2)
    assert sides["A5.1", "in_corso"] == (True, False)
    # The plan moves no figure: every effect on the totals is nil.
    assert not document["uguali"]
    assert all(
        e["differenza"] in ("0.00", None) or not float(e["differenza"]) for e in document["effetti"]
    )


def test_the_table_names_each_activity_and_its_months(invoke: Invoke, replanned: Path) -> None:
    out = invoke("diff", DATA, str(replanned), width=200).stdout
    assert "8 dati differiscono." in out
    lines = out.splitlines()

    def row(*words: str) -> bool:
        return any(all(w in line for w in words) for line in lines)

    assert row("Ambito 1 · attività A1.1", "parole dell'attività", "Supervisione psicologica")
    assert row("Ambito 1 · attività A1.11", "eliminata", "Ricerca attiva di finanziamenti ad hoc")
    assert row("Ambito 5 · attività A5.13", "aggiunta", "Bilancio sociale")
    assert row("Ambito 5 · attività A5.3", "mesi", "giugno, dicembre", "giugno")
    assert row("Ambito 5 · attività A5.1", "inizia a", "febbraio")
    assert row("Ambito 5 · attività A5.1", "in corso all'inizio", "sì", "no")


@pytest.mark.parametrize("fmt", ["csv", "markdown", "html"])
def test_every_format_lists_the_plan_s_changes(invoke: Invoke, replanned: Path, fmt: str) -> None:
    result = invoke("diff", DATA, str(replanned), "-f", fmt)
    assert result.exit_code == 1, result.stderr
    for code, _ambito, _field in EXPECTED:
        assert code in result.stdout, (fmt, code)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        plan = [(r["chiave"], r["campo"]) for r in rows if r["tipo"] == "attivita"]
        assert len(plan) == len(EXPECTED)


def test_the_same_plan_is_no_change(invoke: Invoke) -> None:
    document = _json(invoke, DATA, DATA, code=0)
    assert document["uguali"]
    assert document["cambi"] == []


def test_next_year_s_draft_carries_no_plan_and_says_it_is_to_be_written(
    invoke: Invoke, tmp_path: Path, write_data: Callable[..., Path]
) -> None:
    draft = tmp_path / "ambiti_2017.yaml"
    result = invoke("bozza", "--anno", "2017", "--dichiarati", "calcolati", "-o", str(draft))
    assert result.exit_code == 0, result.stderr
    text = draft.read_text(encoding="utf-8")
    assert "piano_di_lavoro:" not in text.replace("# piano_di_lavoro", "")
    # One note per ambito: the 2016 plan has 11, 13, 10, 10 and 12 activities.
    for numero, last in ((1, 11), (2, 13), (3, 10), (4, 10), (5, 12)):
        assert f"A{numero}.1–A{numero}.{last}" in text, numero
    document = _json(invoke, DATA, str(draft))
    kinds = {(c["tipo"], c["campo"]) for c in document["cambi"]}
    # The year, the status, and the 56 activities of 2016 (11 + 13 + 10 + 10 + 12) gone.
    assert kinds == {("documento", "anno"), ("documento", "stato"), ("attivita", "rimosso")}
    assert sum(c["tipo"] == "attivita" for c in document["cambi"]) == 56


def test_piano_says_a_draft_s_plan_is_to_be_written(invoke: Invoke, tmp_path: Path) -> None:
    draft = tmp_path / "ambiti_2017.yaml"
    assert invoke("bozza", "--anno", "2017", "-o", str(draft)).exit_code == 0
    result = invoke("--data", str(draft), "piano")
    assert result.exit_code == 0, result.stderr
    assert "Il piano di lavoro non ha attività: è da scrivere." in result.stdout
    # The signed agreement's plan says nothing of the kind.
    assert "da scrivere" not in invoke("piano").stdout
