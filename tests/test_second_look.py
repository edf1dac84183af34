"""A second newcomer's look, after issues 17–24 landed: what still read badly in the
help, the terminal's tables and the messages, each checked through the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import Invoke

MAN = Path(__file__).resolve().parent.parent / "crema_budget" / "man"

COMMANDS = [
    "totals",
    "nido",
    "risorse",
    "check",
    "report",
    "monitor",
    "piano",
    "fatture",
    "variazioni",
    "diff",
    "bozza",
    "tempestivita",
    "anac",
    "schema",
]


def _commands_section(text: str) -> str:
    return text.split("Comandi:" if "Comandi:" in text else "Commands:", 1)[1]


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_commands_list_does_not_stop_at_an_abbreviation(invoke: Invoke, language: str) -> None:
    """`crema-budget --help` once cut piano's summary at "(2." and anac's at "dell'art.":
    a full stop inside brackets or before a number does not end a sentence."""
    text = invoke("--locale", language, "--help", width=80).stdout
    listed = " ".join(_commands_section(text).split())
    assert "(2. Tempi – Sviluppo e innovazione)" in listed
    assert "art. 9)" in listed
    assert re.search(r"art\. 1, comma 32", listed)


@pytest.mark.parametrize("folder", ["man1", "it/man1"])
@pytest.mark.parametrize("command", ["piano", "anac", "tempestivita"])
def test_the_man_pages_name_line_is_a_whole_clause(command: str, folder: str) -> None:
    """The NAME line of piano's page read "The work plan of each ambito (2"."""
    lines = (MAN / folder / f"crema-budget-{command}.1").read_text(encoding="utf-8").splitlines()
    name_line = lines[next(i for i, line in enumerate(lines) if line.startswith(".SH ")) + 1]
    assert not re.search(r"(\(2|art)$", name_line), name_line
    assert len(name_line) > len(f"crema\\-budget\\-{command} \\- ") + 40


@pytest.mark.parametrize("language", ["it", "en"])
@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_example_is_one_line_at_80_columns(
    invoke: Invoke, command: str, language: str
) -> None:
    """anac's example (79 characters with its label) was folded before "l190.xml"."""
    text = invoke("--locale", language, command, "--help", width=80).stdout
    lines = text.splitlines()
    label = next(i for i, line in enumerate(lines) if re.match(r"  (Esempio|Example):", line))
    example = lines[label].split(":", 1)[1].strip() or lines[label + 1].strip()
    assert example.startswith("crema-budget ")
    following = lines[label + 1] if lines[label].split(":", 1)[1].strip() else lines[label + 2]
    assert not following.strip(), f"the example goes on: {following!r}"
    assert all(len(line) <= 80 for line in lines)


REGISTER = "examples/registro_2016.yaml"


def _cells(text: str) -> list[str]:
    """Each line with the table's vertical rules taken out, right-stripped."""
    return [re.sub(r"[│┃]", " ", line).rstrip() for line in text.splitlines()]


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize(
    "args",
    [
        ("totals",),
        ("monitor", "--registro", REGISTER, "--al", "2016-06-30"),
        ("monitor", "--registro", REGISTER, "--al", "2016-12-31"),
    ],
    ids=["totals", "monitor-06", "monitor-12"],
)
def test_a_euro_sign_is_never_left_without_its_figure(
    invoke: Invoke, args: tuple[str, ...], width: int
) -> None:
    """An anomaly at 80 columns read "dà €" and, on the next line, "142,75"; a missing
    invoice at 60 "(€" over "22.909,58)"; totals at 60 "(imponibile €" over the taxable
    total."""
    lines = _cells(invoke(*args, width=width).stdout)
    orphans = [line for line in lines if re.search(r"(^|\s|\()-?€$", line)]
    assert not orphans


def test_the_anomaly_keeps_its_figure_whole_at_80_columns(invoke: Invoke) -> None:
    text = invoke("monitor", "--registro", REGISTER, "--al", "2016-06-30", width=80).stdout
    assert "€ 142,75" in text
    assert "€ 22.909,58" in text


def test_the_commitments_table_breaks_no_word_at_80_columns(invoke: Invoke) -> None:
    """The commitments (impegni) at 80 columns read "all'istruzio" over "ne" and
    "facchinaggio" over a lone ",": a word breaks only after its elision, and only
    when the width leaves no room for it whole."""
    text = invoke("monitor", "--registro", REGISTER, "--al", "2016-06-30", width=80).stdout
    table = text.split("Impegni di spesa", 1)[1].split("\nTotale", 1)[0]
    lines = _cells(table)
    assert "facchinaggio," in table
    assert not [line for line in lines if line.strip() in {",", "ne", "e"}]
    assert "all'istruzione" in table or any(line.endswith("all'") for line in lines)
    assert "istruzio\n" not in "\n".join(lines)


@pytest.mark.parametrize("language", ["it", "en"])
def test_schema_help_names_every_schema_there_is(invoke: Invoke, language: str) -> None:
    """schema's help listed eight documents while the command took twelve (piano,
    monitor, fatture and tempestivita were missing)."""
    refused = invoke("--locale", language, "schema", "xyz").stderr
    names = refused.rsplit(":", 1)[1].strip().split(", ")
    assert len(names) >= 14
    helped = " ".join(invoke("--locale", language, "schema", "--help", width=200).stdout.split())
    missing = [name for name in names if name not in helped]
    assert not missing


def test_a_folder_given_as_the_output_is_said_to_be_a_folder(
    invoke: Invoke, tmp_path: Path
) -> None:
    """`-o /tmp` said the format could not be told from the name: true, but not the
    mistake."""
    result = invoke("totals", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert f"impossibile scrivere {tmp_path}: è una cartella" in result.stderr
    assert "formato" not in result.stderr
    assert not result.stdout


def test_the_monitoring_chart_as_a_table_titles_its_column_ambito(
    invoke: Invoke, tmp_path: Path
) -> None:
    """Seen as a picture (.docx → PDF → PNG): the chart's table repeated its heading,
    "Stanziamento e fatturato per ambito (imponibile)", as the title of its first column."""
    docx = pytest.importorskip("docx")
    target = tmp_path / "relazione.docx"
    result = invoke("report", "--registro", REGISTER, "--al", "2016-06-30", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    headers = [
        [cell.text for cell in table.rows[0].cells] for table in docx.Document(target).tables
    ]
    assert ["Ambito", "Stanziamento", "Fatturato"] in headers
    assert not [h for h in headers if h and h[0].startswith("Stanziamento e fatturato")]


def test_an_invoice_number_never_folds_on_the_html_page(invoke: Invoke, tmp_path: Path) -> None:
    """Seen as a picture (headless Chromium, 1280 px): the anomalies' table folded
    "FT" over "13/2016" and "pre-" over "post", to widen the problem's column. A column
    of short codes is kept on one line by the page's style."""
    target = tmp_path / "relazione.html"
    result = invoke("report", "--registro", REGISTER, "--al", "2016-06-30", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert re.search(r"td\.code\s*\{[^}]*white-space:\s*nowrap", page)
    assert '<td class="code">FT 13/2016</td>' in page
    assert '<td class="code">pre-post</td>' in page
    # A column of long words still folds: the problem's text is not a code.
    assert '<td class="code">fatturato' not in page


@pytest.mark.parametrize("width", [60, 80])
def test_diffs_da_definire_among_figures_never_folds(invoke: Invoke, width: int) -> None:
    """diff at 60 columns folded the electoral service's "da definire" (before: an
    open item) over two lines in the "Prima" column, among figures."""
    text = invoke(
        "diff", "data/ambiti_2016.yaml", "examples/ambiti_2016_variato.yaml", width=width
    ).stdout
    assert text.count("definire") == text.count("da definire") > 0


def test_a_spreadsheets_text_binds_the_euro_sign_to_its_figure(
    invoke: Invoke, tmp_path: Path
) -> None:
    """Seen as a picture (xlsx → PDF → PNG): an anomaly's text, wrapped in its cell,
    ended a line with "dovuto di €" and began the next with "22.909,58"."""
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "m.xlsx"
    result = invoke("monitor", "--registro", REGISTER, "--al", "2016-06-30", "-o", str(target))
    assert result.exit_code == 1  # the example register's anomalies
    texts = [
        cell.value
        for sheet in openpyxl.load_workbook(target).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    problem = next(t for t in texts if t.startswith("fatturato"))
    assert "un dovuto di €\xa022.909,58" in problem
    assert not [t for t in texts if re.search(r"€ \d", t)]


def test_an_invoice_number_stays_on_one_line_at_60_columns(invoke: Invoke) -> None:
    """tempestivita at 60 columns folded "FPA" over "40/2016" while a column of words
    beside it could give way: a column of short codes is kept whole first."""
    text = invoke("tempestivita", "-r", REGISTER, width=60).stdout
    first = text.split("(1/2)", 1)[1].split("(2/2)", 1)[0]
    assert "FPA 40/2016" in first
    assert "FT 13/2016" in first
    assert not re.search(r"^(FT|FPA)\s*$", first, re.MULTILINE)


def test_the_signed_column_reads_as_a_yes_or_no_question(invoke: Invoke) -> None:
    """fatture's files table titled its sì/no column "Firma (non verificata)": "no"
    under it read as "not unverified". It asks whether the file is signed."""
    text = invoke("fatture", "examples/fatture", "--registro", REGISTER, width=120).stdout
    files = text.split("File letti", 1)[1]
    assert "Firmato (firma non verificata)" in files
    assert "Firma (non verificata)" not in text


def test_a_long_facts_value_folds_under_itself(invoke: Invoke) -> None:
    """risorse at 60 columns: the declared ratio's value, on its own line under its
    label, went on at the margin ("arrotondato)") instead of under itself."""
    lines = invoke("risorse", width=60).stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  7,5 % (valore esatto"))
    assert lines[at + 1].startswith("  ")
    assert lines[at + 1].strip()
    assert all(len(line) <= 60 for line in lines)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("relazione", "report"),  # was "variazioni", the nearest spelling
        ("verifica", "check"),  # was no suggestion at all
        ("monitoraggio", "monitor"),
        ("aiuto", "--help"),
    ],
)
def test_an_italian_word_for_a_command_suggests_that_command(
    invoke: Invoke, typed: str, meant: str
) -> None:
    result = invoke(typed)
    assert result.exit_code == 2
    assert f"il comando '{typed}' non esiste; forse intendeva {meant}?" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_arrow_stays_with_the_figure_it_leads_from(invoke: Invoke) -> None:
    """variazioni at 60 columns put "→" alone on a line between the amount before
    and the amount after."""
    text = invoke("--data", "examples/ambiti_2016_variato.yaml", "variazioni", width=60).stdout
    cells = [cell.strip() for line in _cells(text) for cell in re.split(r"\s{2,}", line)]
    assert "→" not in cells
    assert "€ 62.280,00 →" in text


@pytest.mark.parametrize(
    ("language", "kinds"),
    [
        # The example register at 30 June: FPA 40/2016's transport line matches no rule,
        # FT 13/2016 bills € 3.827,29 more than the nursery's due, FT 10/2016's VAT is a
        # cent off its rate.
        ("it", ["linea non abbinata", "importo diverso", "IVA diversa"]),
        ("en", ["line not matched", "amount differs", "VAT differs"]),
    ],
)
def test_the_spreadsheets_kind_of_anomaly_is_in_words(
    invoke: Invoke, tmp_path: Path, language: str, kinds: list[str]
) -> None:
    """The anomalies' sheet once showed the program's identifiers (`iva`, `importo
    diverso`, in English too): people sort and filter by words of their language."""
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "m.xlsx"
    result = invoke(
        "--locale", language, "monitor", "--registro", REGISTER, "--al", "2016-06-30",
        "-o", str(target),
    )  # fmt: skip
    assert result.exit_code == 1
    workbook = openpyxl.load_workbook(target)
    (sheet,) = [s for s in workbook.worksheets if s.title in ("Anomalie", "Anomalies")]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if "Tipo" in row or "Kind" in row)
    column = header.index("Tipo" if language == "it" else "Kind")
    found = [row[column] for row in rows[rows.index(header) + 1 :] if row[column]]
    assert found == kinds


def test_every_kind_of_anomaly_has_a_name_in_both_languages() -> None:
    from crema_budget import i18n
    from crema_budget.views.monitor import KIND_NAMES
    from crema_budget.year.anomalies import Tipo

    assert set(KIND_NAMES) == set(Tipo)
    i18n.activate("it")
    italian = {tipo: i18n._(name) for tipo, name in KIND_NAMES.items()}
    assert all(italian[tipo] != KIND_NAMES[tipo] for tipo in (Tipo.IVA, Tipo.AMBIGUA))
    assert len(set(italian.values())) == len(Tipo)  # no two kinds called alike
    assert len(set(KIND_NAMES.values())) == len(Tipo)
