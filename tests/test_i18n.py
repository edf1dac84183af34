"""The whole interface in Italian, English on request: catalogs complete and current,
every placeholder kept, plural forms right, and no word of the other language in any
command's output, in any format."""

from __future__ import annotations

import gettext
import io
import re
import string
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import Invoke

from crema_budget import i18n
from crema_budget.render import Format

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "crema_budget"
PO = PACKAGE / "locale" / "it" / "LC_MESSAGES" / "crema_budget.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def catalog() -> object:
    with PO.open("rb") as stream:
        return read_po(stream)


def extracted() -> set[str]:
    """Every msgid the code marks, as Babel's extractor finds it."""
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_catalog_is_current() -> None:
    """Extraction finds no string the catalog lacks, and the catalog keeps none the code
    no longer uses (run `pybabel extract` and `pybabel update` after changing messages)."""
    po = catalog()
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in po if m.id}  # type: ignore[attr-defined]
    code = extracted()
    assert code - ids == set(), "new strings: run pybabel extract / update"
    assert ids - code == set(), "strings the code no longer has"
    assert not po.obsolete  # type: ignore[attr-defined]


def test_catalog_is_complete() -> None:
    """Every message translated, no fuzzy entry, every plural form filled."""
    for message in catalog():  # type: ignore[attr-defined]
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms), message.id


def test_compiled_catalog_matches_the_source() -> None:
    """The shipped .mo holds exactly the .po's translations (run `pybabel compile`)."""
    with MO.open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)._catalog  # type: ignore[attr-defined]
    for message in catalog():  # type: ignore[attr-defined]
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for index, form in enumerate(message.string):
                assert compiled[(message.id[0], index)] == form
        else:
            assert compiled[message.id] == message.string


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_placeholder_is_kept() -> None:
    """A translation has the msgid's placeholders (the code formats it with them); a
    singular may leave out the count it shows in words."""
    for message in catalog():  # type: ignore[attr-defined]
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            assert _fields(message.string[0]) <= _fields(singular), singular
            assert _fields(message.string[1]) == _fields(plural), plural
            assert _fields(message.string[0]) >= _fields(singular) - {"n", "count"}, singular
        else:
            assert _fields(message.string) == _fields(message.id), message.id


def test_an_installed_italian_catalog_is_loaded() -> None:
    """The compiled catalog is found where the package looks (a fresh install has it)."""
    i18n.activate("it")
    assert i18n._("Taxable amount") == "Imponibile"
    i18n.activate("en")
    assert i18n._("Taxable amount") == "Taxable amount"


# --- plurals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [
        ("it", 0, "0 cifre controllate"),
        ("it", 1, "1 cifra controllata"),
        ("it", 2, "2 cifre controllate"),
        ("en", 0, "0 figures checked"),
        ("en", 1, "1 figure checked"),
        ("en", 2, "2 figures checked"),
    ],
)
def test_checked_figures_plural(language: str, n: int, expected: str) -> None:
    i18n.activate(language)
    assert i18n.ngettext("{n} figure checked", "{n} figures checked", n).format(n=n) == expected


@pytest.mark.parametrize(("n", "italian", "english"), [
    (0, "0 non concordano", "0 do not agree"),
    (1, "1 non concorda", "1 does not agree"),
    (2, "2 non concordano", "2 do not agree"),
])  # fmt: skip
def test_differing_figures_plural(n: int, italian: str, english: str) -> None:
    for language, expected in (("it", italian), ("en", english)):
        i18n.activate(language)
        text = i18n.ngettext("{checked}: {n} does not agree.", "{checked}: {n} do not agree.", n)
        assert expected in text.format(checked="x", n=n)


@pytest.mark.parametrize(("n", "italian", "english"), [
    (0, "0 problemi in f.yaml", "0 problems in f.yaml"),
    (1, "1 problema in f.yaml", "1 problem in f.yaml"),
    (2, "2 problemi in f.yaml", "2 problems in f.yaml"),
])  # fmt: skip
def test_problems_plural(n: int, italian: str, english: str) -> None:
    for language, expected in (("it", italian), ("en", english)):
        i18n.activate(language)
        text = i18n.ngettext(
            "{n} problem in {source}; nothing was computed",
            "{n} problems in {source}; nothing was computed",
            n,
        ).format(n=n, source="f.yaml")
        assert text.startswith(expected)


def test_one_and_two_differing_figures_through_the_cli(
    invoke: Invoke, data_text: str, write_data: object
) -> None:
    """Through `check`: one figure off says "1 non concorda", two "2 non concordano"."""
    one = data_text.replace("totale: 1302537.59", "totale: 1302537.95")
    two = one.replace("totale: 305869.79", "totale: 305869.80", 1)
    for text, expected in ((one, "1 non concorda."), (two, "2 non concordano.")):
        path = write_data(text)  # type: ignore[operator]
        assert expected in invoke("--data", str(path), "check").stdout


def test_two_problems_in_a_file_through_the_cli(
    invoke: Invoke, data_text: str, write_data: object
) -> None:
    text = data_text.replace("mensilita: 11", "mensilita: 13").replace("anno: 2016", "anno: 16")
    path = write_data(text)  # type: ignore[operator]
    assert (
        invoke("--data", str(path), "totals")
        .stderr.rstrip()
        .endswith(f"2 problemi in {path}; non è stato calcolato nulla")
    )


# --- no word of the other language ---------------------------------------------------


def _phrases(language: str) -> list[str]:
    """Phrases that belong to one language only: for Italian output, the English msgids
    (their literal parts of three words or more) whose translation differs; for English
    output, the Italian translations likewise."""
    found: set[str] = set()
    for message in catalog():  # type: ignore[attr-defined]
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs = zip(ids, strings, strict=True)
        for english, italian in pairs:
            if english == italian:
                continue
            text = english if language == "it" else italian
            for literal, *_rest in string.Formatter().parse(text):
                for part in re.split(r"[.;:()\n]", literal):
                    part = part.strip(" ,'\"")
                    if len(part.split()) >= 3 and len(part) >= 14:
                        found.add(part)
    # A phrase that the language's own texts use too is not a sign of the other one.
    own = _all_text(language)
    return sorted(p for p in found if p not in own)


def _all_text(language: str) -> str:
    pieces: list[str] = []
    for message in catalog():  # type: ignore[attr-defined]
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pieces.extend(ids if language == "en" else strings)
    return "\n".join(pieces)


def _text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            names = [n for n in book.namelist() if n.endswith(".xml")]
            return "\n".join(book.read(n).decode("utf-8") for n in names)
    return data.decode("utf-8-sig").replace("&#x27;", "'").replace("&#39;", "'")


COMMANDS = [
    ("totals",),
    ("--data", "examples/ambiti_2016_variato.yaml", "totals"),
    ("nido", "-n", "23"),
    ("nido", "-n", "18"),
    ("nido",),
    ("risorse", "--voci"),
    ("check",),
    ("report",),
    ("monitor", "--registro", "examples/registro_2016.yaml", "--al", "2016-06-30"),
    ("fatture", "examples/fatture", "--registro", "examples/registro_2016.yaml"),
    ("diff", "data/ambiti_2016.yaml", "examples/ambiti_2016_variato.yaml"),
    ("--data", "examples/ambiti_2016_variato.yaml", "variazioni"),
]
FORMATS = [f for f in Format if f not in (Format.PDF, Format.CSV, Format.JSON)]


@pytest.mark.parametrize("language", ["it", "en"])
def test_no_word_of_the_other_language(invoke: Invoke, tmp_path: Path, language: str) -> None:
    """Every command in every format for people, in Italian and in English: none of the
    other language's phrases of the catalog appears."""
    phrases = _phrases(language)
    assert len(phrases) > 100  # the test means something
    extension = {Format.TABLE: "txt", Format.MARKDOWN: "md", Format.CSV_IT: "csv"}
    for command in COMMANDS:
        for fmt in FORMATS:
            target = tmp_path / f"out.{extension.get(fmt, fmt.value)}"
            result = invoke(*command, "-f", fmt.value, "-o", str(target), "--locale", language)
            assert result.exit_code in (0, 1, 3), (command, fmt, result.stderr)
            text = _text(target) + result.stderr
            leaks = [p for p in phrases if p in text]
            assert leaks == [], (command, fmt.value, leaks[:5])


@pytest.mark.parametrize("language", ["it", "en"])
def test_help_and_errors_speak_one_language(invoke: Invoke, language: str) -> None:
    """Help, usage errors and data errors: in the language asked for, nothing of the other."""
    phrases = _phrases(language)
    texts = [
        invoke("--help", "--locale", language).stdout,
        *(invoke(c, "--help", "--locale", language).stdout for c in ("totals", "monitor", "diff")),
        invoke("totals", "--frmat", "x", "--locale", language).stderr,
        invoke("--data", "/nonexistent.yaml", "totals", "--locale", language).stderr,
    ]
    for text in texts:
        assert [p for p in phrases if p in text] == []
    words = {"it": ("Uso:", "Opzioni:", "Comandi:"), "en": ("Usage:", "Options:", "Commands:")}
    assert all(word in texts[0] for word in words[language])


@pytest.mark.parametrize(
    ("variables", "word"),
    [
        ({"LANG": "en_US.UTF-8"}, "Options:"),
        ({"LANG": "it_IT.UTF-8"}, "Opzioni:"),
        ({"LANG": "C.UTF-8"}, "Opzioni:"),
        ({"LANG": "de_DE.UTF-8"}, "Opzioni:"),
        ({"LANG": "it_IT.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "Options:"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "it_IT.UTF-8"}, "Opzioni:"),
    ],
)
def test_the_environment_chooses_the_language(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], word: str
) -> None:
    """Without --locale: LC_ALL, then LC_MESSAGES, then LANG; Italian by default."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert word in invoke("--help", env=variables).stdout


def test_locale_wins_over_the_environment(invoke: Invoke) -> None:
    assert "Usage:" in invoke("--help", "--locale", "en", env={"LC_ALL": "it_IT.UTF-8"}).stdout
