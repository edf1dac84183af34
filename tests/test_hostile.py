"""Hostile and broken data files: each ends in exit code 2 and a message that
points at the line to fix, fast, and never in a traceback.

Each case copies the embedded agreement, breaks one thing, and runs
``crema-budget --data FILE totals``. The expected line is found in the broken
text (the line holding a marker), so the table reads as what a person would
type by mistake.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Invoke, Result

from crema_budget.errors import ExitCode
from crema_budget.reading import messages, source, walk

WriteData = Callable[..., Path]


def edit(text: str, old: str, new: str) -> str:
    """``text`` with the one occurrence of ``old`` replaced (so a test cannot
    pass because the embedded data changed under it)."""
    assert text.count(old) == 1, f"{old!r} is not in the data exactly once"
    return text.replace(old, new)


def line_of(text: str, marker: str) -> int:
    """The number (from 1) of the first line of ``text`` that holds ``marker``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} is not in the text")


def run_timed(invoke: Invoke, *args: str) -> tuple[Result, float]:
    """Run in English: these tests read the messages' source wording (the Italian
    catalog is checked against it in test_i18n)."""
    return invoke(*args, env={"LANG": "en_US.UTF-8"}), 0.0


def assert_refused(result: Result, elapsed: float) -> None:
    """What every bad file must give: exit 2, a message, nothing on stdout, no traceback."""
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert result.stderr.startswith("crema-budget: ")
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "Error:" not in result.stderr  # no exception class names


@dataclass(frozen=True)
class Case:
    """A broken copy of the agreement and where the message must point."""

    id: str
    old: str  # replaced once in the embedded agreement…
    new: str  # …by this
    marker: str  # the reported line is the first one holding this
    field: str  # the reported field path ("" for YAML syntax)
    says: str  # a piece of the message
    also: tuple[str, str] = ("", "")  # a second edit, where one slip takes two

    def text(self, data_text: str) -> str:
        text = edit(data_text, self.old, self.new)
        return edit(text, *self.also) if self.also[0] else text

    def message(self, text: str) -> str:
        """What the message must say; ``<line of X>`` stands for the line that holds X."""
        return re.sub(
            r"<line of (.+?)>", lambda match: str(line_of(text, match.group(1))), self.says
        )


FEE = "importo: 62280.00"  # the summer camp's lump sum (ambiti[1].servizi[1])
CAMP = "ambiti[1].servizi[1].importo"
MONTHS = "mensilita: 11"  # the nursery's months (ambiti[0].servizi[0])
NURSERY_MONTHS = "mesi: [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]"
NURSERY_VAT = f"{NURSERY_MONTHS}\n        aliquota_iva: 4"
VAT_FIELD = "ambiti[0].servizi[0].aliquota_iva"


def vat(rate: str) -> str:
    return f"{NURSERY_MONTHS}\n        aliquota_iva: {rate}"


CASES = [
    # YAML itself
    Case("syntax: indentation", "  comune: Comune di Crema", "   comune: Comune di Crema",
         "   comune:", "", "YAML syntax"),
    Case("syntax: tab indentation", "  comune: Comune di Crema", "\tcomune: Comune di Crema",
         "\tcomune:", "", "a tab cannot indent YAML; use spaces"),
    Case("syntax: unclosed flow mapping", "importo: 400}", "importo: 400",
         "{voce: supervisione psicologica", "",
         "a mapping in braces that starts at line <line of genitori, importo: 400>"),
    Case("duplicate key, nested", "  anno: 2016\n", "  anno: 2016\n  anno: 2017\n",
         "anno: 2017", "documento.anno",
         "duplicate key 'anno' (first given at line <line of anno: 2016>)"),
    Case("alias", "  titolo: Scheda", "  titolo: &titolo Scheda",
         "titolo: *titolo", "ambiti[1].titolo",
         "aliases (*name) are not allowed: this one repeats the value anchored at line "
         "<line of &titolo>",
         also=("titolo: Servizi per i minori nel pre e post scuola e nel periodo estivo",
               "titolo: *titolo")),
    Case("merge key", "documento:\n", "documento:\n  <<: {anno: 2016}\n",
         "<<:", "documento.<<", "merge keys (<<) are not allowed"),
    Case("unclosed double quote", "voce: Facchinaggio\n", 'voce: "Facchinaggio\n',
         'voce: "Facchinaggio', "",
         "the quote that opens this text is not closed on its line (YAML read on to line"),
    Case("unclosed single quote", "voce: Accoglienza sociale\n", "voce: 'Accoglienza sociale\n",
         "voce: 'Accoglienza", "", "is the closing quote missing?"),
    Case("tag !!float", "anno: 2016", "anno: !!float 2016",
         "!!float", "documento.anno", "YAML tags such as !!float are not used"),
    Case("control character", "comune: Comune di Crema", "comune: Comune\x07di Crema",
         "Comune\x07di", "", "character U+0007 is not allowed"),
    # The format
    Case("unknown key (typo)", "canone_mensile: 26736.87\n", "canone_mensle: 26736.87\n",
         "canone_mensle", "ambiti[0].servizi[0].canone_mensle", "did you mean 'canone_mensile'?"),
    Case("missing required field", NURSERY_VAT, NURSERY_MONTHS,
         "- codice: nido", VAT_FIELD, "missing; add `aliquota_iva:`"),
    Case("both ways of charging", FEE, f"{FEE}\n        mensilita: 2",
         "- codice: colonia", "ambiti[1].servizi[1]", "not both"),
    Case("label that is a list", "voce: Facchinaggio", "voce: [Facchinaggio]",
         "voce: [Facchinaggio]", "ambiti[4].servizi[1].voce", "expected a single value"),
    # Money
    Case("negative amount", FEE, "importo: -62280.00", "importo: -62280", CAMP,
         "of zero or more"),
    Case("NaN", FEE, "importo: .nan", "importo: .nan", CAMP, "not a finite number"),
    Case("infinity", FEE, "importo: .inf", "importo: .inf", CAMP, "not a finite number"),
    Case("boolean", FEE, "importo: true", "importo: true", CAMP, "yes/no value"),
    Case("three decimals", FEE, "importo: 62280.001", "importo: 62280.001", CAMP,
         "more than two decimals"),
    Case("5000 digits", FEE, "importo: " + "9" * 5000, "importo: 999", CAMP,
         "more than 12 digits"),
    Case("exponent", FEE, "importo: 1e3", "importo: 1e3", CAMP, "uses an exponent"),
    Case("Italian style", FEE, "importo: 26.736,87", "importo: 26.736,87", CAMP,
         "Italian-style (dot for thousands, comma for decimals); write 26736.87"),
    Case("dot for thousands is ambiguous", FEE, "importo: 1.500", "importo: 1.500", CAMP,
         "if the dot separates thousands, write 1500"),
    Case("comma for thousands is ambiguous", FEE, "importo: 1,500", "importo: 1,500", CAMP,
         "write 1500 if the comma separates thousands, or 1.5 if it marks decimals"),
    Case("float that does not round-trip", FEE, "importo: 0.1000000000000000055511151231257827",
         "importo: 0.1000", CAMP, "more than two decimals"),
    Case("currency sign", FEE, "importo: € 62280.00", "importo: €", CAMP,
         "write 62280.00 without the currency"),
    Case("non-ASCII digits", FEE, "importo: ٦٢٢٨٠", "importo: ٦", CAMP, "is not an amount"),
    # Counts and rates
    Case("octal-looking months", MONTHS, "mensilita: 012", "mensilita: 012",
         "ambiti[0].servizi[0].mensilita", "leading zero, which YAML 1.1 reads as an octal "
         "number; write 12"),
    Case("no months", MONTHS, "mensilita: 0", "mensilita: 0", "ambiti[0].servizi[0].mensilita",
         "a year has 12 months: write 1 to 12 (got 0)"),
    Case("13 months", MONTHS, "mensilita: 13", "mensilita: 13", "ambiti[0].servizi[0].mensilita",
         "a year has 12 months: write 1 to 12 (got 13)"),
    Case("months with decimals", MONTHS, "mensilita: 11.0", "mensilita: 11.0",
         "ambiti[0].servizi[0].mensilita", "not a whole number; write 11"),
    Case("VAT 122", NURSERY_VAT, vat("122"), "aliquota_iva: 122", VAT_FIELD,
         "between 0 and 100 (got 122)"),
    Case("VAT -4", NURSERY_VAT, vat("-4"), "aliquota_iva: -4", VAT_FIELD, "of zero or more"),
    Case("VAT with a % sign", NURSERY_VAT, vat("4%"), "aliquota_iva: 4%", VAT_FIELD,
         "write 4 without the percent sign"),
    Case("VAT with a decimal comma", NURSERY_VAT, vat("4,5"), "aliquota_iva: 4,5", VAT_FIELD,
         "write 4.5 with a decimal point"),
    Case("VAT with a leading zero", NURSERY_VAT, vat("04"), "aliquota_iva: 04", VAT_FIELD,
         "leading zero"),
    Case("year out of range", "anno: 2016", "anno: 16", "anno: 16", "documento.anno",
         "must be at least 1900"),
    Case("letter O for a zero", "anno: 2016", "anno: 2O16", "anno: 2O16", "documento.anno",
         "'2O16' has a letter where a digit belongs (O for 0, l for 1?); write 2016"),
    # Nursery tiers
    Case("tiers overlap", "iscritti_min: 21,", "iscritti_min: 20,",
         "iscritti_min: 20, iscritti_max: 26", "nido.fasce[1].iscritti_min",
         "this tier (20–26) overlaps fasce[2] (20)"),
    Case("tiers leave a gap", "iscritti_min: 21,", "iscritti_min: 23,", "iscritti_min: 23",
         "nido.fasce[1].iscritti_min", "no tier covers 21–22 enrolled children"),
    Case("highest tier closed", "iscritti_min: 27,", "iscritti_min: 27, iscritti_max: 40,",
         "iscritti_max: 40", "nido.fasce[0].iscritti_max", "no tier covers more than 40 children"),
    Case("fee falls as enrolment rises", "canone_mensile: 19304.08", "canone_mensile: 29304.08",
         "canone_mensile: 22909.58", "nido.fasce[1].canone_mensile", "the fee falls"),
    Case("renegotiation above a fee", "rimodulazione: true}", "canone_mensile: 100}",
         "iscritti_min: 20, iscritti_max: 20", "nido.fasce[2].rimodulazione",
         "must lie below every tier with a fee",
         also=("canone_mensile: 19304.08", "rimodulazione: true")),
    Case("highest tier without a fee", "iscritti_min: 27, canone_mensile: 26736.87",
         "iscritti_min: 27, rimodulazione: true", "iscritti_min: 27",
         "nido.fasce[0].rimodulazione", "must lie below every tier with a fee"),
    Case("ambito in the closing table that does not exist", "{1: 5540.00", "{7: 5540.00",
         "per_ambito:", "risorse_consorzio.dichiarato.per_ambito.7", "there is no ambito 7"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_broken_agreement_points_at_the_line(
    case: Case, invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """One slip in the agreement: exit 2 and `file:line:col: field: message` at its line."""
    text = case.text(data_text)
    path = write_data(text)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    line = line_of(text, case.marker)
    where = f"{path}:{line}:"
    head = f"{case.field}: " if case.field else ""
    assert re.search(rf"{re.escape(where)}\d+: {re.escape(head)}", result.stderr), result.stderr
    assert case.message(text) in result.stderr


def test_hostile_file_runs_nothing(
    invoke: Invoke, data_text: str, write_data: WriteData, tmp_path: Path
) -> None:
    """A Python tag is refused at its line, and the command in it never runs."""
    witness = tmp_path / "ran"
    text = edit(
        data_text, "anno: 2016", f'anno: !!python/object/apply:os.system ["touch {witness}"]'
    )
    path = write_data(text)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert f"{path}:{line_of(text, '!!python')}:9: documento.anno: " in result.stderr
    assert "YAML tags such as !!python/object/apply:os.system are not used" in result.stderr
    assert not witness.exists()


def test_problem_in_a_flow_mapping_points_at_the_value(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """Inside `{voce: …, importo: -4}` the caret stands under the -4, not the line's start."""
    text = edit(data_text, "genitori, importo: 400}", "genitori, importo: -4}")
    path = write_data(text)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    line = line_of(text, "importo: -4}")
    column = text.splitlines()[line - 1].index("-4") + 1
    assert (
        f"{path}:{line}:{column}: ambiti[0].risorse_consorzio.voci[0].importo: "
        "expected an amount of zero or more (got -4)"
    ) in result.stderr
    shown = text.splitlines()[line - 1]
    assert f" {line} | {shown}\n" in result.stderr
    assert f" | {' ' * (column - 1)}^" in result.stderr


@pytest.mark.parametrize("key", ["documento", "ambiti"])
def test_duplicate_top_level_key_names_the_first(
    key: str, invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """A second `documento:` or `ambiti:` would silently replace the first: refused."""
    text = data_text + f"\n{key}:\n  titolo: una bozza\n"
    path = write_data(text)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    first = line_of(data_text, f"{key}:")
    second = len(text.splitlines()) - 1
    assert f"{path}:{second}:1: {key}: duplicate key {key!r} (first given at line {first})" in (
        result.stderr
    )


def test_several_problems_reported_at_once_in_line_order(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """Every problem of the file, each with its own line, top to bottom."""
    text = edit(data_text, FEE, "importo: -1")
    text = edit(text, MONTHS, "mensilita: 13")
    text = edit(text, "  anno: 2016\n", "  anno: 2016\n  anno: 2017\n")
    text = edit(text, "voce: Facchinaggio", "voce: Facchinaggio\n        costo: 12")
    path = write_data(text)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    reported = [
        int(n)
        for n in re.findall(
            rf"^(?:crema-budget: )?{re.escape(str(path))}:(\d+):", result.stderr, flags=re.MULTILINE
        )
    ]
    expected = [
        line_of(text, marker)
        for marker in ("anno: 2017", "mensilita: 13", "importo: -1", "costo: 12")
    ]
    assert reported == expected


def test_alias_bomb_fails_fast(invoke: Invoke, write_data: WriteData) -> None:
    """Ten levels of ten aliases (10^10 values if expanded) are refused, each alias where
    it is written, without expanding anything."""
    names = "abcdefghij"
    lines = ["documento:", "  titolo: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in itertools.pairwise(names):
        lines.append(f"  x{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    lines.append("ambiti: [" + ", ".join(["*j"] * 10) + "]")
    path = write_data("\n".join(lines) + "\n")
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert f"{path}:2:11: documento.titolo: expected a single value" in result.stderr
    assert f"{path}:3:3: documento.xb: unknown key 'xb'" in result.stderr
    assert f"{path}:12:10: ambiti[0]: aliases (*name) are not allowed" in result.stderr


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        pytest.param("[" * 10_000, 1, "maximum nesting depth", id="10000 ["),
        pytest.param("{a: " * 10_000, 1, "maximum nesting depth", id="10000 {a:"),
        pytest.param("- " * 10_000 + "x", 1, "maximum nesting depth", id="10000 -"),
        pytest.param(
            "ambiti:\n  - " + "[" * 100 + "]" * 100,
            2,
            "expected a mapping",
            id="100 levels where a mapping belongs",
        ),
        pytest.param(
            "risorse_consorzio:\n dichiarato:\n  per_ambito:\n   1: "
            + "{a: " * 40
            + "1"
            + "}" * 40,
            4,
            "expected a single value",
            id="40 levels where a figure belongs",
        ),
    ],
)
def test_deep_nesting_is_a_clean_error(
    text: str, line: int, says: str, invoke: Invoke, write_data: WriteData
) -> None:
    """Absurd nesting ends in a message, never in a RecursionError."""
    path = write_data(text)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert f"{path}:{line}:" in result.stderr
    assert says in result.stderr
    assert "Recursion" not in result.stderr


# --- Files that cannot be read, or hold no agreement ------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        pytest.param("", "the file is empty", id="empty"),
        pytest.param(" \n\n\t\n", "the file is empty", id="blank"),
        pytest.param(
            "# only\n# comments\n", "the file holds no data (only comments?)", id="only comments"
        ),
        pytest.param("---\n", "the file holds no data", id="empty document"),
    ],
)
def test_file_without_data(content: str, says: str, invoke: Invoke, write_data: WriteData) -> None:
    path = write_data(content)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert says in result.stderr
    assert str(path) in result.stderr


@pytest.mark.parametrize(
    "content",
    ["- documento\n- ambiti\n", "42\n", "just some text\n"],
    ids=["list", "number", "text"],
)
def test_file_that_is_not_a_mapping(content: str, invoke: Invoke, write_data: WriteData) -> None:
    path = write_data(content)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert f"{path}:1:1: the file must be a mapping that starts with documento: and ambiti:" in (
        result.stderr
    )


def test_missing_file(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert result.stderr == f"crema-budget: {path}: no such file\n"


def test_folder(invoke: Invoke, tmp_path: Path) -> None:
    result, elapsed = run_timed(invoke, "--data", str(tmp_path), "totals")
    assert_refused(result, elapsed)
    assert result.stderr == f"crema-budget: {tmp_path}: is a folder, not a data file\n"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads a file whatever its permissions",
)
def test_unreadable_file(invoke: Invoke, data_text: str, write_data: WriteData) -> None:
    path = write_data(data_text)
    path.chmod(0)
    try:
        result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    finally:
        path.chmod(0o600)
    assert_refused(result, elapsed)
    assert "permission denied" in result.stderr


def test_permission_denied(
    invoke: Invoke, data_text: str, write_data: WriteData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusal when the system says no (simulated: tests may run as root)."""
    path = write_data(data_text)
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refuse)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert result.stderr == (f"crema-budget: {path}: permission denied: the file cannot be read\n")


def test_not_utf8(invoke: Invoke, data_text: str, tmp_path: Path) -> None:
    """A Latin-1 `à` is refused at its line and column, the rest of the line shown."""
    text = edit(data_text, "comune: Comune di Crema", "comune: Città di Crema")
    path = tmp_path / "latin1.yaml"
    path.write_bytes(text.encode("latin-1", "replace"))
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    line = line_of(text, "Città")
    column = text.splitlines()[line - 1].index("à") + 1
    assert f"{path}:{line}:{column}: byte 0xe0 is not UTF-8; save the file as UTF-8" in (
        result.stderr
    )
    assert "Citt\N{REPLACEMENT CHARACTER} di Crema" in result.stderr


def test_utf16(invoke: Invoke, data_text: str, tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(data_text.encode("utf-16"))
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert f"{path}:1:1: the file is saved as UTF-16; save it as UTF-8" in result.stderr


def test_file_over_the_size_limit(invoke: Invoke, tmp_path: Path) -> None:
    """Refused before it is read: a sparse file costs no disk and no time."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(source.MAX_FILE_BYTES + 1)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert f"{path}: is larger than 40 MB, the limit for a data file" in result.stderr


def test_size_limit_applies_to_real_content(
    invoke: Invoke, data_text: str, write_data: WriteData, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_data(data_text)
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1000)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert "is larger than 1,000 bytes, the limit for a data file" in result.stderr


def test_too_many_entries(
    invoke: Invoke, write_data: WriteData, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of too many tiny entries stops at the line where it passes the limit
    (lowered here so the test needs a small file, not a million entries)."""
    monkeypatch.setattr(walk, "MAX_ENTRIES", 1000)
    item = "- {numero: 1, titolo: x, quota_1_percento: 3}\n"
    path = write_data("ambiti:\n" + item * 300)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    # ambiti: is one entry, each item one more and its three keys three more:
    # the 1001st is the third key of the 250th item, on line 251.
    column = item.index("quota_1_percento") + 1
    assert f"{path}:251:{column}: ambiti[249]: the file holds more than 1,000 entries" in (
        result.stderr
    )
    assert "the file was not read past line 251" in result.stderr


def test_too_many_problems_shows_the_first(invoke: Invoke, write_data: WriteData) -> None:
    """Hundreds of problems: the first ones in order, then a note, not a flood."""
    keys = "".join(f"  campo_{n}: x\n" for n in range(300))
    path = write_data("documento:\n" + keys)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert result.stderr.count("unknown key") == messages.MAX_PROBLEMS
    # Reading stops at the 51st problem: no time or memory is spent on the rest.
    assert "the file was not read past line 52; fix these problems first" in result.stderr
    assert result.stderr.rstrip().endswith(
        "more than 50 problems in " + str(path) + "; nothing was computed"
    )


def test_shown_line_is_verbatim(invoke: Invoke, data_text: str, write_data: WriteData) -> None:
    """The offending line is shown as written: no emoji codes or markup interpreted."""
    text = edit(
        data_text,
        "{voce: ricerca attiva di finanziamenti, importo: 1500}\n\n  - numero: 2",
        "{voce: ricerca :smile: [bold]attiva[/bold], importo: x}\n\n  - numero: 2",
    )
    path = write_data(text)
    result, elapsed = run_timed(invoke, "--data", str(path), "totals")
    assert_refused(result, elapsed)
    assert "{voce: ricerca :smile: [bold]attiva[/bold], importo: x}" in result.stderr


# --- What is accepted, and means what it says ---------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(MONTHS, 'mensilita: "11"', id="quoted count"),
        pytest.param(
            "canone_mensile: 26736.87\n", "canone_mensile: '26736.87'\n", id="quoted amount"
        ),
        pytest.param(FEE, "importo: 62280", id="amount without cents"),
        pytest.param(FEE, "importo: 62280.0", id="amount with one decimal"),
        pytest.param(NURSERY_VAT, vat('"4"'), id="quoted rate"),
        pytest.param(NURSERY_VAT, vat("4.0"), id="rate with a decimal"),
        pytest.param("rimodulazione: true", "rimodulazione: True", id="capitalised true"),
    ],
)
def test_equivalent_spellings_give_the_same_figures(
    old: str, new: str, invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """Quoting a figure or dropping its zero cents changes nothing in the output."""
    expected = invoke("totals", "--format", "json")
    path = write_data(edit(data_text, old, new))
    result = invoke("--data", str(path), "totals", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.stderr
    assert result.stdout == expected.stdout


@pytest.mark.parametrize(
    "command", [["totals"], ["check"], ["nido"], ["risorse"], ["nido", "--iscritti", "23"]]
)
def test_every_command_refuses_the_same_way(
    command: list[str], invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    text = edit(data_text, FEE, "importo: 26.736,87")
    path = write_data(text)
    result, elapsed = run_timed(invoke, "--data", str(path), *command)
    assert_refused(result, elapsed)
    assert f"{path}:{line_of(text, 'importo: 26.736,87')}:18: {CAMP}: " in result.stderr


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="no /proc on this system")
def test_a_file_the_system_writes_as_it_is_read(invoke: Invoke) -> None:
    """/proc/self/environ says it is a regular file of 0 bytes and then gives the
    environment: refused before it is parsed, so none of it is shown."""
    result, elapsed = run_timed(invoke, "--data", "/proc/self/environ", "totals")
    assert_refused(result, elapsed)
    assert result.stderr == (
        "crema-budget: /proc/self/environ: is not a file on disk but one the system writes "
        "as it is read (as in /proc); give a data file\n"
    )
