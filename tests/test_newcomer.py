"""What a newcomer trips on (issue 22): every parser error in the user's language,
Italian figures in the data, a spreadsheet given as data, the PDF's missing
dependency, the schema's Italian names, suggestions without accents, dates and
years outside the agreement's."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke
from test_i18n import _phrases

import crema_budget.errors
from crema_budget.cli import application

#: What the command-line parser says in English, whatever the language of the run.
PARSER_ENGLISH = (
    "Invalid value",
    "is not a valid",
    "does not take a value",
    "requires an argument",
    "No such option",
    "unexpected extra",
    "Missing argument",
    "Missing option",
    "Error:",
)


def _bad_values() -> list[tuple[str, ...]]:
    """Every option of every command with a bad value: a word where a value goes,
    a value given to a flag."""
    import typer.main

    group: Any = typer.main.get_command(application())
    runs: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        missing = False  # a value left out is worded alike for every option: once a command
        for param in command.params:
            if param.param_type_name != "option":
                runs.append((name, "/nessuna/duemila", "tremila", "quattromila"))
                continue
            option = max(param.opts, key=len)
            if getattr(param, "is_flag", False):
                runs.append((name, f"{option}=duemila"))
            else:
                runs.append((name, option, "/nessuna/duemila"))
                if not missing:
                    runs.append((name, option))  # the value left out
                    missing = True
    return runs


BAD_VALUES = _bad_values()


@pytest.mark.parametrize("language", ["it", "en"])
def test_every_option_with_a_bad_value_speaks_one_language(invoke: Invoke, language: str) -> None:
    """Each command's each option given a bad value (and each argument too many):
    a usage error, exit 2, with no word of the other language nor of the parser's
    English."""
    assert len(BAD_VALUES) > 80  # every command's every option
    phrases = _phrases(language)
    for args in BAD_VALUES:
        result = invoke(
            *args, env={"LANG": f"{language}_IT.UTF-8" if language == "it" else "en_GB.UTF-8"}
        )
        assert result.exit_code == 2, (args, result.output)
        leaks = [p for p in phrases if p in result.stderr]
        if language == "it":
            leaks += [p for p in PARSER_ENGLISH if p in result.stderr]
        assert leaks == [], (args, result.stderr)


def test_a_word_where_the_year_goes(invoke: Invoke) -> None:
    result = invoke("bozza", "--anno", "duemila")
    assert result.exit_code == 2
    assert "--anno: 'duemila' non è un numero intero (ad es. 2017)" in result.stderr
    english = invoke("bozza", "--anno", "duemila", "--locale", "en")
    assert "--anno: 'duemila' is not a whole number (such as 2017)" in english.stderr
    flag = invoke("check", "--no-cache=sì")
    assert "l'opzione --no-cache non accetta un valore" in flag.stderr


# --- Italian figures in the data ------------------------------------------------------

REGISTER = (
    "fatture:\n"
    "  - {{numero: FT 1/2016, data: 2016-02-05, servizio: nido, competenza: 2016-01, "
    "{figure}, aliquota_iva: 4, iva: 291.32}}\n"
)


@pytest.mark.parametrize(
    ("written", "plain"), [("imponibile: 7283,00", "7283.00"), ("imponibile: 1.234,56", "1234.56")]
)
def test_a_decimal_comma_in_a_mapping_on_one_line(
    invoke: Invoke, tmp_path: Path, written: str, plain: str
) -> None:
    """YAML ends the value at the comma and reads the decimals as a key ('00'): said
    as the decimal comma it is, once, at the figure's line and column."""
    path = tmp_path / "registro.yaml"
    path.write_text(REGISTER.format(figure=written), encoding="utf-8")
    result = invoke("monitor", "--registro", str(path), "--al", "2016-06-30")
    assert result.exit_code == 2
    column = path.read_text("utf-8").splitlines()[1].index(written) + len("imponibile: ") + 1
    figure = written.removeprefix("imponibile: ")
    assert (
        f"{path}:2:{column}: fatture[0].imponibile: '{figure}': virgola decimale, che in un "
        f"elenco tra parentesi graffe chiude il valore; scrivere {plain}"
    ) in result.stderr
    assert "sconosciuta" not in result.stderr  # no "unknown key '00'"
    assert "decimali" not in result.stderr  # no "more than two decimals"


def test_a_nursery_fee_written_italian_style_in_the_tiers(
    invoke: Invoke, data_text: str, tmp_path: Path
) -> None:
    line = "{iscritti_min: 27, canone_mensile: 26736.87}"
    assert line in data_text
    path = tmp_path / "ambiti.yaml"
    path.write_text(data_text.replace(line, line.replace("26736.87", "26.736,87")), "utf-8")
    result = invoke("--data", str(path), "totals", "--locale", "en")
    assert result.exit_code == 2
    assert (
        "nido.fasce[0].canone_mensile: '26.736,87' has a decimal comma, which ends the value "
        "in a mapping written on one line; write 26736.87"
    ) in result.stderr


# --- a spreadsheet, a PDF, an image given as data --------------------------------------


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("totali.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"},
         "una cartella di lavoro Excel (.xlsx)"),
        ("totali.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"},
         "un foglio di calcolo OpenDocument (.ods)"),
        ("relazione.odt", {"mimetype": b"application/vnd.oasis.opendocument.text"},
         "un testo OpenDocument (.odt)"),
        ("relazione.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<d/>"},
         "un documento Word (.docx)"),
        ("dati.zip", {"ambiti.yaml": b"documento: {}"}, "un archivio ZIP"),
        ("scheda.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "un documento PDF"),
        ("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "un'immagine PNG"),
        ("vecchio.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "un file Office del vecchio"),
    ],
)  # fmt: skip
def test_a_binary_file_given_as_data_is_named_for_what_it_is(
    invoke: Invoke, tmp_path: Path, name: str, content: dict[str, bytes] | bytes, kind: str
) -> None:
    path = tmp_path / name
    if isinstance(content, dict):
        _zip(path, content)
    else:
        path.write_bytes(content)
    result = invoke("--data", str(path), "totals")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"crema-budget: {path}: questo file è {kind}")
    assert "data/ambiti_2016.yaml" in result.stderr
    assert "crema-budget schema" in result.stderr
    assert "UTF-8" not in result.stderr
    assert "\ufffd" not in result.stderr  # no binary echoed
    assert len(result.stderr.splitlines()) == 1


def test_a_spreadsheet_given_as_the_register(invoke: Invoke, tmp_path: Path) -> None:
    path = _zip(tmp_path / "registro.xlsx", {"xl/workbook.xml": b"<w/>"})
    result = invoke("monitor", "--registro", str(path), "--locale", "en")
    assert result.exit_code == 2
    assert f"{path}: this is an Excel workbook (.xlsx), not a data file" in result.stderr


# --- an optional dependency: the command that installs it where the tool runs ----------


@pytest.mark.parametrize(
    ("prefix", "executable", "expected"),
    [
        ("/home/a/proj/.venv", "/home/a/proj/.venv/bin/python",
         "/home/a/proj/.venv/bin/python -m pip install weasyprint"),
        ("/home/a/.local/share/pipx/venvs/crema-budget", "/home/a/.local/share/pipx/venvs/"
         "crema-budget/bin/python", "pipx inject crema-budget weasyprint"),
        ("/usr", "/usr/bin/python3", "/usr/bin/python3 -m pip install weasyprint"),
        ("/opt/my tools", "/opt/my tools/bin/python",
         "'/opt/my tools/bin/python' -m pip install weasyprint"),
    ],
)  # fmt: skip
def test_the_install_command_fits_how_the_tool_was_installed(
    monkeypatch: pytest.MonkeyPatch, prefix: str, executable: str, expected: str
) -> None:
    monkeypatch.setattr(sys, "prefix", prefix)
    monkeypatch.setattr(sys, "executable", executable)
    assert crema_budget.errors.install_command("weasyprint") == expected


def test_a_pdf_without_weasyprint_names_the_command(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # not installed
    result = invoke("totals", "-o", str(tmp_path / "totali.pdf"))
    assert result.exit_code == 2
    assert f"installarlo con: {sys.executable} -m pip install weasyprint" in result.stderr
    assert "crema-budget[pdf]" not in result.stderr


# --- schema: Italian names ---------------------------------------------------------------


def test_schema_takes_the_italian_names(invoke: Invoke) -> None:
    convenzione = invoke("schema", "convenzione")
    assert convenzione.exit_code == 0
    assert convenzione.stdout == invoke("schema", "agreement").stdout == invoke("schema").stdout
    assert '"title": "crema-budget agreement data"' in convenzione.stdout
    assert invoke("schema", "registro").exit_code == 0
    wrong = invoke("schema", "convenzion")
    assert wrong.exit_code == 2
    assert "schema 'convenzion' sconosciuto; forse intendeva convenzione?" in wrong.stderr
    unknown = invoke("schema", "xyz")
    assert "usare uno di questi: convenzione, registro, totals" in unknown.stderr


def test_schema_help_speaks_one_language(invoke: Invoke) -> None:
    help_text = invoke("schema", "--help").stdout
    assert "Uso: crema-budget schema [OPZIONI] [NOME]" in help_text
    assert "convenzione, registro, oppure il documento di un comando" in help_text
    assert "agreement" not in help_text


# --- suggestions compare without accents -----------------------------------------------


def test_a_code_with_an_accent_suggests_the_code(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "registro.yaml"
    path.write_text(REGISTER.format(figure="imponibile: 10.00").replace("nido", "equipé"), "utf-8")
    result = invoke("monitor", "--registro", str(path), "--al", "2016-06-30")
    assert result.exit_code == 2
    assert "(ad es. equipe)" in result.stderr  # the agreement's code, not "equip"


def test_an_accented_amendment_code_and_key(invoke: Invoke, data_text: str, tmp_path: Path) -> None:
    amendment = (
        "variazioni:\n  - {data: 2016-05-10, atto: det. 1/2016, servizio: equipe, importò: 10.00}\n"
    )
    path = tmp_path / "ambiti.yaml"
    path.write_text(data_text + amendment, encoding="utf-8")
    result = invoke("--data", str(path), "totals")
    assert "chiave 'importò' sconosciuta; forse intendeva 'importo'?" in result.stderr


def test_closest_compares_without_accents() -> None:
    from crema_budget.i18n import closest

    assert closest("equipé", ["equipe", "nido", "colonia"]) == "equipe"
    assert closest("Colònia", ["equipe", "nido", "colonia"]) == "colonia"
    assert closest("zzz", ["equipe", "nido"]) is None


# --- years and dates outside the agreement's --------------------------------------------


@pytest.mark.parametrize("anno", ["2015", "2016"])
def test_a_draft_for_a_year_not_after_the_agreement_is_a_usage_error(
    invoke: Invoke, anno: str
) -> None:
    result = invoke("bozza", "--anno", anno, "-o", "-")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        f"--anno {anno}: la bozza è per un anno successivo a quello della convenzione (2016), "
        "ad es. 2017"
    ) in result.stderr


@pytest.mark.parametrize(
    ("al", "warning"),
    [
        ("2015-03-01", "--al 01/03/2015 è prima dell'anno della convenzione (2016)"),
        ("2017-01-01", "--al 01/01/2017 è dopo l'anno della convenzione (2016)"),
        ("2016-12-31", None),
        ("2016-01-01", None),
    ],
)
def test_monitor_warns_of_a_date_outside_the_year(
    invoke: Invoke, al: str, warning: str | None
) -> None:
    result = invoke(
        "monitor", "--registro", "examples/registro_2016.yaml", "--al", al, "-f", "json"
    )
    assert result.exit_code in (0, 1)
    assert result.stdout.startswith("{")
    if warning is None:
        assert "attenzione: --al" not in result.stderr
    else:
        assert f"crema-budget: attenzione: {warning}" in result.stderr


# --- check: the verdict last, --quiet; FORCE_COLOR ---------------------------------------


def test_the_verdict_is_the_last_line_of_check(invoke: Invoke) -> None:
    result = invoke("check")
    assert result.exit_code == 0
    assert result.stdout.rstrip("\n").splitlines()[-1] == "51 cifre controllate: tutte concordano."


def test_check_quiet_prints_the_verdict_alone(
    invoke: Invoke, data_text: str, tmp_path: Path
) -> None:
    assert invoke("check", "--quiet").stdout == "51 cifre controllate: tutte concordano.\n"
    # a cent off in the grand total: 1.302.537,59 declared as 1.302.537,60
    broken = tmp_path / "ambiti.yaml"
    broken.write_text(data_text.replace("totale: 1302537.59", "totale: 1302537.60"), "utf-8")
    result = invoke("--data", str(broken), "check", "-q")
    assert result.exit_code == 1
    assert result.stdout == "51 cifre controllate: 1 non concorda.\n"
    assert invoke("check", "-q", "-f", "json").exit_code == 2


def test_check_on_a_draft_says_not_declared(invoke: Invoke, tmp_path: Path) -> None:
    """A draft's declared figures are removed: the verdict says they are not declared,
    not that they disagree."""
    draft = tmp_path / "ambiti_2017.yaml"
    assert invoke("bozza", "--anno", "2017", "-o", str(draft)).exit_code == 0
    result = invoke("--data", str(draft), "check")
    assert result.exit_code == 1
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last == "4 cifre controllate: 3 non sono dichiarate."
    assert "non concord" not in last


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"FORCE_COLOR": "1", "NO_COLOR": "", "TERM": "xterm"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "xterm"}, False),
        ({"FORCE_COLOR": "", "NO_COLOR": "", "TERM": "xterm"}, False),  # a pipe: no colour
    ],
)
def test_force_color_is_honoured_and_no_color_wins(
    invoke: Invoke, env: dict[str, str], coloured: bool
) -> None:
    result = invoke("check", env=env)
    assert ("\x1b[" in result.stdout) is coloured


# --- -o totali.csv for an Italian: the CSV an Italian spreadsheet opens ------------------


def test_a_csv_file_for_an_italian_is_csv_it(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "totali.csv"
    assert invoke("totals", "-o", str(target)).exit_code == 0
    text = target.read_text("utf-8-sig")
    assert "1;nido;Asilo nido Via Dante/Pesadori e Centro prima infanzia;" in text
    assert ";294105,57;" in text
    assert invoke("totals", "-o", str(target), "--format", "csv").exit_code == 0
    assert target.read_text("utf-8").startswith("ambito,codice,voce,")
    assert invoke("totals", "-o", str(target), "--locale", "en").exit_code == 0
    assert target.read_text("utf-8").startswith("ambito,codice,voce,")


# --- variazioni ---------------------------------------------------------------------------


def test_variazioni_lists_the_amendments_and_their_effects(invoke: Invoke) -> None:
    """The example's three amendments; their effects add up to what diff finds between
    the signed and the amended file: € 22.751,20 with VAT, € 500,00 of resources
    (electoral 9.800,00 × 1,22 = 11.956,00; Colonia 10.380,00 × 1,04 = 10.795,20)."""
    result = invoke("--data", "examples/ambiti_2016_variato.yaml", "variazioni", width=200)
    assert result.exit_code == 0
    out = result.stdout
    for expected in (
        "Variazioni della convenzione",
        "3 variazioni.",
        "10/05/2016",
        "determinazione n. 321/2016",
        "elettorale definita: € 9.800,00 (referendum del 17 aprile 2016)",
        "11.956,00",
        "10.795,20",
        "22.751,20",
        "20.180,00",
        "500,00",
    ):
        assert expected in out, expected
    document = invoke("--data", "examples/ambiti_2016_variato.yaml", "variazioni", "-f", "json")
    assert json.loads(document.stdout)["variazioni"][0]["effetto_totale"] == "11956.00"
    assert json.loads(document.stdout)["variazioni"][2]["effetto_risorse"] == "500.00"


def test_variazioni_without_amendments(invoke: Invoke) -> None:
    result = invoke("variazioni")
    assert result.exit_code == 0
    assert "La convenzione non elenca alcuna variazione." in result.stdout


# --- monitor and fatture in a narrow terminal: still tables ------------------------------

MONITOR = ("monitor", "--registro", "examples/registro_2016.yaml", "--al", "2016-06-30")
FATTURE = ("fatture", "examples/fatture", "--registro", "examples/registro_2016.yaml")


def _italian(amount: str) -> str:
    """A JSON amount as the table writes it: 145112.06 → 145.112,06 (no sign, no €)."""
    whole, _dot, cents = amount.lstrip("-").partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ".".join(groups) + "," + cents


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_monitor_in_a_narrow_terminal_is_a_table_with_every_figure(
    invoke: Invoke, width: int
) -> None:
    import json

    document = json.loads(invoke(*MONITOR, "-f", "json").stdout)
    text = invoke(*MONITOR, width=width).stdout
    assert max(len(line) for line in text.splitlines()) <= width
    table = text[text.index("Voci di corrispettivo") : text.index("Asilo nido, mese per mese")]
    assert "Stanziamento:" not in table  # no block of "Titolo: valore" lines
    assert "Ambito" in table or "Amb." in table
    for line in document["linee"]:
        assert line["codice"] in table
        for key in ("bilancio", "dovuto", "fatturato", "pagato", "differenza", "previsione"):
            assert _italian(line[key]) in table, (width, line["codice"], key)
        assert line["percentuale"].replace(".", ",") + " %" in table
    # every ambito heads its lines in every part of the table
    parts = table.count("Voci di corrispettivo")
    assert len(re.findall(r"^[│ ]*5[│ ]", table, re.M)) == parts


@pytest.mark.parametrize("width", [80, 100, 120])
def test_fatture_in_a_narrow_terminal_is_a_table_with_every_figure(
    invoke: Invoke, width: int
) -> None:
    import json

    document = json.loads(invoke(*FATTURE, "-f", "json").stdout)
    text = invoke(*FATTURE, width=width).stdout
    assert max(len(line) for line in text.splitlines()) <= width
    assert "Imponibile:" not in text
    for fattura in document["fatture"]:
        assert fattura["numero"].split()[1] in text
        for line in fattura["righe"]:
            assert _italian(line["prezzo_totale"]) in text


# --- words, not codes; shares with a stated number of decimals ---------------------------


def test_the_criterion_is_words_and_the_share_has_two_decimals(invoke: Invoke) -> None:
    rows = invoke(*MONITOR, "-f", "csv").stdout.splitlines()
    nido = next(row for row in rows if row.startswith("1,nido,"))
    assert "canone mensile secondo gli iscritti di ciascun mese" in nido
    # 126.029,77 invoiced of 294.105,57: 42,8518… % → 42,85 (half up, two decimals)
    assert ",42.85," in nido
    english = invoke(*MONITOR, "-f", "csv", "--locale", "en").stdout
    assert "pro rata over the year: no months are stated" in english
    assert ",pro rata anno," not in english
    document = invoke(*MONITOR, "-f", "json").stdout
    found = json.loads(document)
    assert next(x for x in found["linee"] if x["codice"] == "nido")["percentuale"] == "42.85"
    # the consortium's resources delivered against the fees invoiced: 22,585… % → 22,59
    assert found["risorse_consorzio"]["percentuale"] == "22.59"
    # scripts keep the identifier
    assert next(x for x in found["linee"] if x["codice"] == "nido")["base"] == "nido"


# --- the printed report's footer ----------------------------------------------------------


def test_the_printed_page_number_has_its_own_unbreakable_box(
    invoke: Invoke, tmp_path: Path
) -> None:
    """Checked as a picture (WeasyPrint, pdftoppm): "2 / 17" on one line beside the
    provenance. Here, what holds it: the counter's own box, no break inside it, and
    the margin's hashes cut to 12 digits (the whole ones stay on the first page)."""
    import hashlib

    page = tmp_path / "report.html"
    assert invoke("report", "-o", str(page)).exit_code == 0
    html = page.read_text("utf-8")
    footer = html[html.index("@bottom-right") :].split("}")[0]
    assert 'counter(page) "\\a0/\\a0" counter(pages)' in footer
    assert "white-space: nowrap" in footer
    digest = hashlib.sha256(Path("data/ambiti_2016.yaml").read_bytes()).hexdigest()
    margin = html[html.index("@bottom-left") :].split("}")[0]
    assert f"{digest[:12]}…" in margin
    assert digest not in margin
    assert digest in html  # on the first page, whole


# --- a sign of life for long work, on a terminal only -------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_long_work_shows_a_spinner_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the delay (0 here, 1 s in use) the work's description shows on standard
    error, and is wiped when the work ends."""
    import threading

    from crema_budget.cli import progress

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    progress.enable()
    seen = threading.Event()
    with progress.working("lettura di ambiti.yaml…"):
        for _attempt in range(500):  # until the spinner's thread has drawn it
            if "lettura di ambiti.yaml…" in terminal.getvalue():
                seen.set()
                break
            threading.Event().wait(0.01)
    assert seen.is_set()


@pytest.mark.parametrize(
    ("terminal", "ci", "json_out", "shown"),
    [
        (True, "", False, True),
        (False, "", False, False),  # a pipe or a file
        (True, "true", False, False),  # CI's log
        (True, "", True, False),  # JSON to standard output
    ],
)
def test_the_spinner_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, terminal: bool, ci: str, json_out: bool, shown: bool
) -> None:
    from crema_budget.cli import progress
    from crema_budget.cli.app import target

    monkeypatch.setattr(sys, "stderr", _Terminal() if terminal else io.StringIO())
    monkeypatch.setenv("CI", ci)
    monkeypatch.setenv("TERM", "xterm")
    progress.enable()
    target("json" if json_out else "table", None, (None,))
    assert progress.wanted() is shown
    progress.enable()


# --- small layout -------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 80])
def test_da_definire_and_dante_pesadori_are_never_split(invoke: Invoke, width: int) -> None:
    text = invoke("totals", width=width).stdout
    assert text.count("definire") == text.count("da definire") > 0
    cells = text.replace("│", " ")
    assert "Dante/Pesadori" in cells or re.search(r"Dante/\s*\n[\s]*Pesadori", cells)
    assert "Pesado\n" not in cells.replace(" ", "")


def test_diff_aligns_its_amounts_right(invoke: Invoke) -> None:
    """Before and after, amounts among words, end at the column's right edge; an open
    item's effect says it is to be defined rather than leaving a blank."""
    text = invoke("diff", "data/ambiti_2016.yaml", "examples/ambiti_2016_variato.yaml", width=100)
    assert "│ importo               │  € 1.000,00 │  € 1.500,00 │" in text.stdout
    effect = next(line for line in text.stdout.splitlines() if "elettorale: totale" in line)
    assert "da definire" in effect
    assert "€ 11.956,00" in effect


def test_a_percentage_is_not_under_a_euro_column(invoke: Invoke) -> None:
    """check at 80 columns: the declared column holds amounts and the 7,5 %, so its
    title does not say (€), and its amounts keep their euro sign."""
    text = invoke("check", width=80).stdout
    header = text.splitlines()[2]
    assert "Dichiarato" in header
    assert "(€)" not in header
    assert "€ 294.105,57" in text
    assert re.search(r"7,5 %\s+7,56 %", text)


def test_one_percent_style(invoke: Invoke) -> None:
    """VAT rates and ratios alike: a space before the sign ("4 %", "7,56 %")."""
    text = invoke("totals", width=160).stdout
    assert "4 %" in text
    assert "22 %" in text
    assert "7,56 %" in text
    assert not re.search(r"\d%", text.replace("dell'1%", ""))


def test_help_examples_are_never_folded_in_the_middle(invoke: Invoke) -> None:
    text = invoke("monitor", "--help", width=60).stdout
    example = "crema-budget monitor --registro examples/registro_2016.yaml --al 2016-06-30"
    assert f"    {example}\n" in text


def test_a_spreadsheets_page_header_names_the_sheet_whole(invoke: Invoke, tmp_path: Path) -> None:
    """Checked as a picture (LibreOffice → PDF → pdftoppm): two lines, the document and
    the sheet, neither cut. Here: the header's text, line by line."""
    import openpyxl

    target = tmp_path / "monitor.xlsx"
    assert invoke(*MONITOR, "-o", str(target)).exit_code == 1  # the example's anomalies
    book = openpyxl.load_workbook(target)
    headers = [sheet.oddHeader.center.text for sheet in book.worksheets]
    assert (
        'Monitoraggio della convenzione 2016 al 30/06/2016 · Comune di Crema – Consorzio "Sul '
        'Serio" Crema\nAsilo nido, mese per mese'
    ) in headers
    assert not any("…" in header for header in headers)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"abc\x00\x01\x02\xff\xfe garbage", "questo file è un file binario, non un file di dati"),
        ("documento: {}\n".encode("utf-16"), "il file è salvato in UTF-16; salvarlo in UTF-8"),
    ],
)
def test_no_binary_is_echoed(invoke: Invoke, tmp_path: Path, content: bytes, said: str) -> None:
    path = tmp_path / "dati.yaml"
    path.write_bytes(content)
    result = invoke("--data", str(path), "totals")
    assert result.exit_code == 2
    assert said in result.stderr
    assert len(result.stderr.splitlines()) == 1  # the message alone, no line of bytes
    assert "\ufffd" not in result.stderr
