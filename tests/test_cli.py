"""The command line as a user meets it: output, exit codes, options where people
type them, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.errors import ExitCode

WriteData = Callable[..., Path]


def test_totals_shows_the_grand_totals_in_italian(invoke: Invoke) -> None:
    """`totals` prints every line, subtotals and the grand totals as € 1.302.537,59."""
    result = invoke("totals")
    assert result.exit_code == 0
    for figure in (
        "€ 294.105,57",
        "€ 11.764,22",
        "€ 83.693,10",
        "€ 745.852,01",
        "€ 1.146.628,71",
        "€ 1.302.537,59",
        "€ 86.670,49",
        "7,56 %",
    ):
        assert figure in result.stdout
    assert "da definire" in result.stdout
    assert result.stderr == ""


def test_totals_json_is_machine_readable(invoke: Invoke) -> None:
    """`--format json` gives amounts as exact strings and each fee line's code."""
    document = json.loads(invoke("totals", "--format", "json").stdout)
    assert document["schema"] == "crema-budget/totals/1"
    assert document["imponibile"] == "1146628.71"
    assert document["totale"] == "1302537.59"
    assert document["ambiti"][0]["righe"][0]["iva"] == "11764.22"
    assert document["ambiti"][0]["righe"][0]["codice"] == "nido"
    assert document["ambiti"][4]["da_definire"][0]["codice"] == "elettorale"
    assert document["risorse_consorzio"]["totale"] == "86670.49"
    assert document["risorse_consorzio"]["percentuale_2_decimali"] == "7.56"


def test_nido_23(invoke: Invoke) -> None:
    """`nido --iscritti 23`: the 21–26 tier, its fee, VAT, and the difference from the
    full fee, negative because it costs less."""
    result = invoke("nido", "--iscritti", "23")
    assert result.exit_code == 0
    for figure in (
        "21–26",
        "€ 22.909,58",
        "€ 916,38",
        "€ 23.825,96",
        "€ 252.005,38",
        "€ 262.085,60",
        "-€ 42.100,19",
        "-€ 43.784,19",
    ):
        assert figure in result.stdout
    document = json.loads(invoke("nido", "-n", "23", "-f", "json").stdout)
    assert document["differenza_imponibile"] == "-42100.19"
    assert document["differenza_totale"] == "-43784.19"


@pytest.mark.parametrize(
    ("iscritti", "canone"),
    [("20", "19304.08"), ("21", "22909.58"), ("26", "22909.58"), ("27", "26736.87")],
)
def test_nido_tier_boundaries_json(invoke: Invoke, iscritti: str, canone: str) -> None:
    """Each tier boundary gives its fee through the CLI too."""
    result = invoke("nido", "-n", iscritti, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["canone_mensile"] == canone


@pytest.mark.parametrize("iscritti", ["0", "18", "19"])
def test_nido_below_20_needs_rimodulazione(invoke: Invoke, iscritti: str) -> None:
    """Under 20 children (zero included): exit code 3, as the README documents it, and
    the reason on stdout, in every format."""
    result = invoke("nido", "--iscritti", iscritti)
    assert result.exit_code == 3
    assert "rimodulazione" in result.stdout
    scripted = invoke("nido", "-n", iscritti, "-f", "json")
    assert scripted.exit_code == 3
    document = json.loads(scripted.stdout)
    assert document["esito"] == "rimodulazione"
    assert document["iscritti"] == int(iscritti)
    assert document["iscritti_minimi_con_canone"] == 20
    assert "canone_mensile" not in document


@pytest.mark.parametrize("value", ["-3", "abc", "2.5", "", "10001", "1e3", "٣"])
def test_nido_bad_count_is_usage_error(invoke: Invoke, value: str) -> None:
    """A count that is not a whole number of children, or an absurd one, is a usage
    error (exit 2) naming --iscritti."""
    result = invoke("nido", f"--iscritti={value}")
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "--iscritti" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_nido_without_count_shows_tiers(invoke: Invoke) -> None:
    """`nido` alone prints the tier table, with the renegotiation tier."""
    result = invoke("nido")
    assert result.exit_code == 0
    for text in ("27 o più", "21–26", "€ 19.304,08", "meno di 20", "rimodulazione"):
        assert text in result.stdout


def test_risorse_itemised(invoke: Invoke) -> None:
    """`risorse --voci` lists items; the totals and the ratio close the table."""
    result = invoke("risorse", "--voci")
    assert result.exit_code == 0
    for text in (
        "sportello ludopatia",
        "€ 3.240,00",
        "€ 9.000,00",
        "€ 1.550,49",
        "€ 76.120,00",
        "€ 10.550,49",
        "€ 86.670,49",
        "7,56 %",
    ):
        assert text in result.stdout


def test_check_passes_on_the_signed_document(invoke: Invoke) -> None:
    """`check` on the shipped data: every figure agrees, the 7,5 % is flagged as cut."""
    result = invoke("check")
    assert result.exit_code == 0
    assert "51 cifre controllate: tutte concordano." in result.stdout
    assert "troncato" in result.stdout


def test_check_fails_on_a_cent(invoke: Invoke, data_text: str, write_data: WriteData) -> None:
    """One declared figure a cent off: `check` names it, shows the difference, exits 1."""
    broken = data_text.replace("totale: 305869.79", "totale: 305869.80", 1)
    assert broken != data_text
    result = invoke("--data", str(write_data(broken)), "check", "--format", "json")
    assert result.exit_code == 1  # the README's code for a figure that differs
    report = json.loads(result.stdout)
    wrong = [c for c in report["checks"] if c["esito"] == "differisce"]
    assert len(wrong) == 1
    assert wrong[0]["chiave"] == "ambito.1.servizio.1.totale"
    assert (wrong[0]["dichiarato"], wrong[0]["calcolato"]) == ("305869.80", "305869.79")
    assert wrong[0]["differenza"] == "0.01"


def test_check_table_on_a_slip_in_the_grand_total(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """A slip in the summary's grand total shows in the table and in the verdict."""
    broken = data_text.replace("totale: 1302537.59", "totale: 1302537.95")
    result = invoke("--data", str(write_data(broken)), "check")
    assert result.exit_code == 1
    assert "€ 1.302.537,95" in result.stdout
    assert "€ 0,36" in result.stdout
    assert "1 non concorda" in result.stdout


def test_bad_data_file_exit_2_with_line(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """A typo in the data file: exit 2, `file:line:col: path: message`, no traceback."""
    broken = data_text.replace("canone_mensile: 3568.85", "canone_mensile: 3.568,85")
    path = write_data(broken)
    line = broken.splitlines().index("        canone_mensile: 3.568,85") + 1
    result = invoke("--data", str(path), "totals")
    assert result.exit_code == 2
    assert f"{path}:{line}:25: ambiti[1].servizi[0].canone_mensile: " in result.stderr
    assert "3568.85" in result.stderr
    assert "Traceback" not in result.output


def test_missing_data_file(invoke: Invoke, tmp_path: Path) -> None:
    """A data path that does not exist: exit 2 and the path in the message."""
    result = invoke("--data", str(tmp_path / "nope.yaml"), "check")
    assert result.exit_code == 2
    assert str(tmp_path / "nope.yaml") in result.stderr


# --- options where people type them ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--data", "{path}", "check", "-f", "json"),
        ("check", "--data", "{path}", "-f", "json"),
        ("check", "-f", "json", "-d", "{path}"),
        ("--data=/nonexistent", "check", "--data={path}", "-f", "json"),
    ],
    ids=["before", "after", "short after", "after wins"],
)
def test_data_before_or_after_the_command(
    invoke: Invoke, data_text: str, write_data: WriteData, args: tuple[str, ...]
) -> None:
    """`--data` works before or after the command name; after it, it wins."""
    path = write_data(data_text.replace("totale: 1302537.59", "totale: 1302537.95"))
    result = invoke(*(arg.format(path=path) for arg in args))
    assert result.exit_code == 1, result.stderr
    assert json.loads(result.stdout)["differenze"] == 1


@pytest.mark.parametrize(
    "args",
    [("--locale", "en", "totals"), ("totals", "--locale", "en"), ("totals", "-l", "en_GB")],
)
def test_locale_before_or_after_the_command(invoke: Invoke, args: tuple[str, ...]) -> None:
    """`--locale` works on either side of the command name, for figures and words."""
    result = invoke(*args)
    assert result.exit_code == 0
    assert "€1,302,537.59" in result.stdout
    assert "to be defined" in result.stdout
    assert "da definire" not in result.stdout


def test_data_from_standard_input(invoke: Invoke, data_text: str) -> None:
    """`--data -` reads the agreement from standard input."""
    result = invoke("--data", "-", "totals", "-f", "json", stdin=data_text.encode())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["totale"] == "1302537.59"


def test_bad_data_on_standard_input_names_it(invoke: Invoke) -> None:
    """A problem in data read from standard input says where: <stdin>:line:col."""
    result = invoke("check", "--data", "-", stdin=b"documento: [\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("crema-budget: <stdin>:")


def test_fifo_is_refused_at_once(invoke: Invoke, tmp_path: Path) -> None:
    """A named pipe as data file is refused without opening it (it would never end)."""
    fifo = tmp_path / "pipe.yaml"
    import os

    os.mkfifo(fifo)
    result = invoke("--data", str(fifo), "totals")
    assert result.exit_code == 2
    assert str(fifo) in result.stderr
    assert "-" in result.stderr  # says how to read standard input instead


def test_output_refuses_to_overwrite_the_data(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """`-o` naming the data file being read is refused; the file is untouched."""
    path = write_data(data_text, "x.yaml")
    result = invoke("--data", str(path), "totals", "-f", "json", "-o", str(path))
    assert result.exit_code == 2
    assert path.read_text(encoding="utf-8") == data_text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("totals", "--frmat", "json"), "--format"),
        (("totals", "-f"), "-f"),
        (("totls",), "totals"),
        (("totals", "extra"), "extra"),
        (("totals", "-f", "yaml"), "yaml"),
        (("--data", "x.yaml"), ""),
        (("totals", "-f", "csv", "-o", "x.xlsx"), "x.xlsx"),
        (("totals", "-o", "totali.dat"), "--format"),
    ],
    ids=[
        "misspelt option",
        "missing value",
        "misspelt command",
        "extra argument",
        "unknown format",
        "no command",
        "format contradicts file",
        "unknown extension",
    ],
)
def test_usage_errors(invoke: Invoke, args: tuple[str, ...], says: str) -> None:
    """Each usage error: exit 2, one clear line naming what to fix, nothing on stdout,
    no traceback, and no English words in an Italian run."""
    result = invoke(*args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stdout == ""
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    for english in ("No such", "Usage:", "Error:", "Missing", "Try '"):
        assert english not in result.stderr


def test_no_arguments_shows_help(invoke: Invoke) -> None:
    """`crema-budget` alone shows the help (on stderr) and exits 2."""
    result = invoke()
    assert result.exit_code == 2
    assert "totals" in result.stderr
    assert result.stdout == ""


def test_version(invoke: Invoke) -> None:
    """`--version` prints the version."""
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("crema-budget ")


def test_unknown_language_is_refused(invoke: Invoke) -> None:
    """`--locale de` names the languages the tool speaks."""
    result = invoke("--locale", "de", "totals")
    assert result.exit_code == 2
    assert "it" in result.stderr
    assert "en" in result.stderr


def test_python_dash_m(tmp_path: Path) -> None:
    """`python -m crema_budget` behaves like `crema-budget`, from any folder."""
    result = subprocess.run(
        [sys.executable, "-m", "crema_budget", "nido", "--iscritti", "27", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totale"] == "305869.79"


def test_an_option_of_another_command_says_which_commands_have_it(invoke: Invoke) -> None:
    """`check --al` is not a typo of `-l` (--locale): check has no --al, others do."""
    result = invoke("check", "--al", "2016-06-30")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Uso: crema-budget check [OPZIONI]"
    assert lines[1] == (
        "crema-budget: crema-budget check non ha l'opzione --al; "
        "ce l'hanno diff, monitor, nido, piano, report, risorse, totals"
    )
    single = invoke("--locale", "en", "totals", "--voci").stderr.splitlines()[1]
    assert single == "crema-budget: crema-budget totals has no option --voci; risorse has it"


def test_a_missing_value_points_at_the_commands_help(invoke: Invoke) -> None:
    result = invoke("nido", "-n")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Uso: crema-budget nido [OPZIONI]",
        "crema-budget: l'opzione -n richiede un valore",
        "Per la guida, eseguire 'crema-budget nido --help'.",
    ]


# --- an internal error ------------------------------------------------------------


def _a_bug(*args: object, **kwargs: object) -> object:
    raise ZeroDivisionError("division by zero")


def test_a_bug_is_exit_70_and_one_line_saying_where_the_details_are(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception the tool did not expect: one line in the user's language saying it
    is a bug and naming the file that holds the traceback, exit 70 (never 1, which
    says that figures differ), and no traceback on the screen."""
    import tempfile

    from crema_budget.views import agreement

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(agreement, "totals_view", _a_bug)
    result = invoke("totals")
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert int(ExitCode.INTERNAL_ERROR) == 70  # EX_SOFTWARE
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        "crema-budget: errore interno (un difetto di crema-budget, non un problema dei vostri "
        "file); i dettagli sono in "
    )
    assert line.endswith(" (CREMA_BUDGET_DEBUG=1 li mostra)")
    (details,) = tmp_path.glob("crema-budget-bug-*.txt")
    assert str(details) in line
    text = details.read_text(encoding="utf-8")
    assert "Traceback" in text
    assert "ZeroDivisionError: division by zero" in text
    assert "$ crema-budget totals" in text


def test_a_bug_with_debug_prints_the_traceback(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With CREMA_BUDGET_DEBUG=1 the traceback goes to standard error, then the line."""
    from crema_budget.views import agreement

    monkeypatch.setattr(agreement, "totals_view", _a_bug)
    result = invoke("--locale", "en", "totals", env={"CREMA_BUDGET_DEBUG": "1"})
    assert result.exit_code == 70
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: division by zero" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1] == (
        "crema-budget: internal error (a bug in crema-budget, not a problem with your files); "
        "the details are above"
    )


def test_the_exits_meant_are_not_bugs(invoke: Invoke) -> None:
    """The exit codes the tool means still come through: 3 from `nido`, 1 from a check
    that fails, 2 for bad input, 0 for --version (each a typer.Exit or a return)."""
    assert invoke("nido", "-n", "18").exit_code == ExitCode.NO_FEE_DEFINED
    assert invoke("--version").exit_code == 0
    assert invoke("totals", "-f", "yaml").exit_code == ExitCode.BAD_INPUT
    assert invoke("monitor", "--registro", "nowhere.yaml").exit_code == ExitCode.BAD_INPUT


@pytest.mark.parametrize("where", ["inside the command", "before it"])
def test_ctrl_c_is_exit_130_and_one_line(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    """Ctrl-C is neither "figures differ" (1) nor a bug (70): 130, as a shell reports
    SIGINT, with one line and no traceback; the output file is not touched."""
    from crema_budget import cli
    from crema_budget.agreement import compute

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    if where == "inside the command":
        monkeypatch.setattr(compute, "totali", interrupted)
    else:
        monkeypatch.setattr(cli, "language_of_args", interrupted)
    kept = tmp_path / "totali.json"
    kept.write_text("prima")
    result = invoke("totals", "-o", str(kept))
    assert result.exit_code == 130
    assert result.stderr.strip() == "crema-budget: interrotto"
    assert kept.read_text() == "prima"
