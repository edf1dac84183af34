"""The work plan in the data file is the document's: every activity of each ambito's
"2. Tempi", in order, with the document's words and timing words."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.agreement.model import Agreement

#: The signed document as text. It is not in the repository (its sentences are not ours
#: to copy); set CREMA_BUDGET_SOURCE to compare with another copy of it.
SOURCE = Path(
    os.environ.get("CREMA_BUDGET_SOURCE", "/work/shared/source/convenzione-crema-2016.txt")
)
#: Lines of "2. Tempi" that are no activity: the consolidation's period, the headings
#: and the lead-in to the plan.
NOT_ACTIVITIES = {
    "Consolidamento",
    "Gennaio-Dicembre 2016",
    "Sviluppo e innovazione",
    "Come da piano di lavoro 2016 di seguito indicato:",
    "Sviluppo temporale nel corso del periodo di riferimento:",
}
GROUPS = {"PRE e POST SCUOLA", "ESTATE"}


def _plain(text: str) -> str:
    return " ".join(text.split())


def _document_plan() -> list[list[tuple[str | None, str]]]:
    """Each ambito's activity lines as the document writes them, with their group."""
    plans: list[list[tuple[str | None, str]]] = []
    inside = False
    group: str | None = None
    for raw in SOURCE.read_text(encoding="utf-8").splitlines():
        line = _plain(raw)
        if line == "2. Tempi":
            inside, group = True, None
            plans.append([])
            continue
        if line.startswith("Scadenze in itinere"):
            inside = False
        if not inside or not line:
            continue
        line = re.sub(r"^(- |\d+\. )", "", line)
        if line in NOT_ACTIVITIES:
            continue
        if line in GROUPS:
            group = line
            continue
        plans[-1].append((group, line))
    return plans


def test_the_plan_has_the_documents_56_activities(agreement: Agreement) -> None:
    """11, 13, 10, 10 and 12 activities, numbered A<ambito>.<n> in order."""
    counts = [len(a.piano) for a in agreement.ambiti]
    assert counts == [11, 13, 10, 10, 12]
    for ambito in agreement.ambiti:
        assert [x.codice for x in ambito.piano] == [
            f"A{ambito.numero}.{n}" for n in range(1, len(ambito.piano) + 1)
        ]


@pytest.mark.skipif(not SOURCE.is_file(), reason=f"the signed document is not at {SOURCE}")
def test_every_activity_and_timing_is_the_documents(agreement: Agreement) -> None:
    """Each line of each "2. Tempi" is an activity of the data, in the same order: its
    words, a colon, its timing words (whitespace aside); none is left out."""
    document = _document_plan()
    assert len(document) == len(agreement.ambiti) == 5
    for ambito, lines in zip(agreement.ambiti, document, strict=True):
        assert len(lines) == len(ambito.piano), f"ambito {ambito.numero}"
        for attivita, (group, line) in zip(ambito.piano, lines, strict=True):
            pattern = (
                re.escape(_plain(attivita.attivita))
                + r"\s*:\s*"
                + re.escape(_plain(attivita.quando))
            )
            assert re.fullmatch(pattern, line), f"{attivita.codice}: {line!r}"
            assert attivita.gruppo == group, attivita.codice


def test_ambito_3_keeps_its_staff_as_data(agreement: Agreement) -> None:
    """N. 5 operatori sociali: 2 assistenti sociali and 3 educatori."""
    personale = agreement.ambiti[2].personale
    assert personale is not None
    assert personale.operatori == 5
    assert [(r.ruolo, r.numero) for r in personale.di_cui] == [
        ("Assistenti Sociali", 2),
        ("Educatori", 3),
    ]


def _activity(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_a_timing_that_says_nothing_or_contradicts_itself_is_refused_at_its_line(
    invoke: Invoke, data_text: str, tmp_path: Path
) -> None:
    """No timing at all, a deadline before the start, a checkpoint before the deadline:
    each at its line, all at once."""
    text = _activity(
        data_text,
        "        quando: 'dal mese di gennaio'\n        inizio: 1\n      - codice: A1.2",
        "        quando: 'dal mese di gennaio'\n      - codice: A1.2",
    )
    text = _activity(
        text,
        "quando: 'Febbraio/Marzo'\n        inizio: 2\n        scadenza: 3",
        "quando: 'Febbraio/Marzo'\n        inizio: 3\n        scadenza: 2",
    )
    text = _activity(
        text, "scadenza: 6\n        verifiche: [9]", "scadenza: 6\n        verifiche: [5]"
    )
    path = tmp_path / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("--data", str(path), "piano")
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if str(path) in line]
    assert "ambiti[0].piano_di_lavoro[0]: indicare i tempi" in lines[0]
    assert any("ambiti[2].piano_di_lavoro[2]: la scadenza precede l'inizio" in x for x in lines)
    assert any(
        "ambiti[1].piano_di_lavoro[2]: le verifiche vengono dopo la scadenza" in x for x in lines
    )
    assert "3 problemi" in result.stderr


def test_codes_follow_the_documents_order(invoke: Invoke, data_text: str, tmp_path: Path) -> None:
    """A5.12 written A5.13: the code names its place in the plan, and the message says
    which it is."""
    path = tmp_path / "agreement.yaml"
    path.write_text(_activity(data_text, "codice: A5.12", "codice: A5.13"), encoding="utf-8")
    result = invoke("--data", str(path), "piano")
    assert result.exit_code == 2
    assert "ambiti[4].piano_di_lavoro[11].codice: " in result.stderr
    assert "questa è A5.12" in result.stderr
