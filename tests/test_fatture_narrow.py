"""`fatture` in a narrow terminal, through the CLI: at 80 and at 60 columns the
e-invoice lines stay a table (cut in two at 60), never the ``Titolo: valore`` blocks,
no line is wider than the terminal and every figure is printed whole."""

from __future__ import annotations

import re

import pytest
from conftest import Invoke

#: What the three invented e-invoices of examples/fatture/ state, as their XML writes it.
AMOUNTS = ["8.275,00", "120,00", "55.987,37", "22.909,58", "3.568,85"]
DATES = ["20/06/2016", "25/06/2016", "05/07/2016"]
RATES = ["22 %", "4 %"]
FILES = ["IT01555550191_00040.xml", "IT01555550191_00045.xml", "IT01555550191_00061.xml.p7m"]
NUMBERS = ["FPA 40/2016", "FPA 45/2016", "FPA 61/2016"]


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("register", [False, True], ids=["alone", "with the register"])
def test_the_lines_stay_a_table_with_every_figure_whole(
    invoke: Invoke, width: int, register: bool
) -> None:
    args = ["fatture", "examples/fatture"]
    if register:
        args += ["--registro", "examples/registro_2016.yaml"]
    result = invoke(*args, width=width)
    assert result.exit_code in (0, 1), result.stderr
    out = result.stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    # A table: column titles over a rule; never a block of "Imponibile: € 8.275,00".
    assert "Imponibile:" not in out
    assert "Aliquota IVA:" not in out
    assert any(re.match(r"^Numero +Data +Linea", line) for line in lines), out
    assert any(set(line) == {"─"} for line in lines)
    # Each figure whole, on one line (the amounts with or without their euro sign).
    for figure in AMOUNTS + DATES + FILES:
        assert re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d,])", out), figure
    for rate in RATES:
        assert re.search(rf"(?<!\d){re.escape(rate)}", out), rate
    # The table of files names each document by its whole number.
    for number, file in zip(NUMBERS, FILES, strict=True):
        assert re.search(rf"^(│ )?{re.escape(number)} +(│ )?{re.escape(file)} ", out, re.M), number
    if register:
        for code in ("facchinaggio", "verde", "nido", "pre-post"):
            assert re.search(rf"\b{code}\b", out), code


def test_at_60_columns_the_lines_are_cut_in_two_tables(invoke: Invoke) -> None:
    out = invoke(
        "fatture", "examples/fatture", "-r", "examples/registro_2016.yaml", width=60
    ).stdout
    assert "Linee delle fatture elettroniche (1/2)" in out
    assert "Linee delle fatture elettroniche (2/2)" in out
