"""A large table is drawn without Rich (crema_budget/render/grid.py): what a person
reads must be what Rich draws, byte for byte, in every layout and at every width."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import Invoke

from crema_budget.render import Options, terminal
from crema_budget.view import Column, Kind, Row, RowKind, Table, View

COMMANDS = [
    ("totals",),
    ("check",),
    ("nido", "--iscritti", "23"),
    ("monitor", "--registro", "examples/registro_2016.yaml", "--al", "2016-12-31"),
    ("diff", "data/ambiti_2016.yaml", "examples/ambiti_2016_variato.yaml"),
    ("risorse",),
]


@pytest.mark.parametrize("width", [160, 90, 60])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_table_drawn_without_rich_reads_as_rich_draws_it(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...], width: int
) -> None:
    by_rich = invoke(*command, width=width)
    drawn = _drawing(monkeypatch)
    by_grid = invoke(*command, width=width)
    assert by_grid == by_rich
    assert any(drawn)  # not every table left to Rich


def _drawing(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every table drawn without Rich, however small; the list says which were."""
    drawn: list[bool] = []
    laid_out = terminal._laid_out

    def counted(*args: Any) -> Any:
        result = laid_out(*args)
        drawn.append(result is not None)
        return result

    monkeypatch.setattr(terminal, "LARGE", -1)
    monkeypatch.setattr(terminal, "_laid_out", counted)
    return drawn


def _table() -> Table:
    """Folding words, a word longer than its column, notes, totals, sections, blanks."""
    columns = (
        Column("voce", "Voce del servizio"),
        Column("importo", "Importo dell'anno", Kind.MONEY),
        Column("nota", "Nota"),
    )
    rows = []
    for n in range(12):
        label = (
            f"voce {n} "
            + "parola " * (n % 5)
            + "Supercalifragilistichespiralidoso" * (n % 2) * 3
            + "  è"
        )
        amount = None if n % 4 == 3 else Decimal(1234567 * n) / 100
        rows.append(Row((label, amount, "" if n % 3 else "vedi  sotto"), group=n % 5 == 0))
        if n % 4 == 1:
            rows.append(Row((f"nota della riga {n}, piuttosto lunga " * 2, None, ""), RowKind.NOTE))
    rows.append(Row(("Totale", Decimal("99999999.99"), ""), RowKind.TOTAL))
    return Table("Una tabella", columns, tuple(rows), notes=("Una nota in fondo alla tabella.",))


@pytest.mark.parametrize("width", [120, 70, 50, 40])
def test_folding_notes_and_sections_are_drawn_as_rich_draws_them(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    view = View("Prova", blocks=(_table(),))
    options = Options(locale="it", width=width, color=False)
    by_rich = terminal.render(view, options)
    drawn = _drawing(monkeypatch)
    assert terminal.render(view, options) == by_rich
    assert drawn
    assert all(drawn)


def test_a_terminal_table_shows_its_first_rows_and_says_how_many_follow(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A monitor of a large register lists its first anomalies on the terminal and says
    how many more there are; the file formats list every one."""
    command = ("monitor", "--registro", "examples/registro_2016.yaml", "--al", "2016-12-31")
    every = json.loads(invoke(*command, "--format", "json").stdout)["anomalie"]
    assert len(every) > 3
    monkeypatch.setattr(terminal, "MAX_ROWS", 2)
    shown = invoke(*command, "--locale", "en").stdout
    says = f"{len(every) - 2} more rows are not shown here; --format csv, json or xlsx lists"
    assert says in " ".join(shown.split())
    assert f"{len(every)} anomalies to look at." in shown  # the count is whole
