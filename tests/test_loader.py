"""The walk over the YAML file decides what reaches the format's models: an empty value
is nothing, a quoted `~` is text, a value of the wrong kind, an alias or a tag is
refused at its place, and the limits on lists and on entries hold to the entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.reading import walk

WriteData = Callable[..., Path]

HEAD = """\
documento: {titolo: T, comune: C, consorzio: K, anno: 2016}
ambiti:
  - numero: 1
    titolo: Uno
"""


def refused(invoke: Invoke, path: Path) -> list[str]:
    """The problems reported, one ``line:column: field: message`` each."""
    result = invoke("--data", str(path), "totals", "--locale", "en", "--no-cache")
    assert result.exit_code == 2
    prefix = f"{path}:"
    return [
        line.removeprefix("crema-budget: ").removeprefix(prefix)
        for line in result.stderr.splitlines()
        if line.removeprefix("crema-budget: ").startswith(prefix)
    ]


SERVIZIO = "    servizi: [{voce: S, importo: 1, aliquota_iva: 4}]\n"
EMPTY_LIST = "ambiti[0].da_definire: is empty; expected a list (lines starting with '- ')"
NO_FEE = "ambiti[0].servizi[0]: missing the fee: add canone_mensile with mensilita, or importo"
FIGURE = "    servizi:\n      - voce: S\n        importo:{}\n        aliquota_iva: 4\n"

#: What a value reads as: (id, the lines after HEAD, the problems reported).
KINDS = [
    (
        "scalar for collections",
        "    servizi: 5\n    dichiarato: 7\n",
        [
            "5:14: ambiti[0].servizi: expected a list (lines starting with '- ')",
            "6:17: ambiti[0].dichiarato: expected a mapping (indented key: value lines)",
        ],
    ),
    (
        "list for a scalar",
        "    servizi: [{voce: S, importo: 1, aliquota_iva: [4]}]\n",
        [
            "5:51: ambiti[0].servizi[0].aliquota_iva: expected a single value, not a list "
            "or a mapping"
        ],
    ),
    # Empty, ~ and null are nothing; a quoted "~" is text.
    ("blank", SERVIZIO + "    da_definire:\n", [f"6:17: {EMPTY_LIST}"]),
    ("~", SERVIZIO + "    da_definire: ~\n", [f"6:18: {EMPTY_LIST}"]),
    ("null", SERVIZIO + "    da_definire: null\n", [f"6:18: {EMPTY_LIST}"]),
    (
        "quoted ~",
        SERVIZIO + '    da_definire: "~"\n',
        ["6:18: ambiti[0].da_definire: expected a list (lines starting with '- ')"],
    ),
    ("blank figure", FIGURE.format(""), [f"6:9: {NO_FEE}"]),
    ("~ figure", FIGURE.format(" ~"), [f"6:9: {NO_FEE}"]),
    ("Null figure", FIGURE.format(" Null"), [f"6:9: {NO_FEE}"]),
    (
        "quoted ~ figure",
        FIGURE.format(' "~"'),
        ["7:18: ambiti[0].servizi[0].importo: '~' is not an amount; write e.g. 26736.87"],
    ),
]


@pytest.mark.parametrize(
    ("lines", "problems"), [case[1:] for case in KINDS], ids=[case[0] for case in KINDS]
)
def test_a_value_of_the_wrong_kind(
    invoke: Invoke, write_data: WriteData, lines: str, problems: list[str]
) -> None:
    assert refused(invoke, write_data(HEAD + lines)) == problems


def test_an_alias_names_the_line_of_its_anchor(invoke: Invoke, write_data: WriteData) -> None:
    """Anchors may be written, aliases may not: each alias says which line it repeats,
    whether the anchor is on a figure, a list or a mapping."""
    text = HEAD + (
        "    servizi:\n"
        "      - {voce: A, importo: &fee 100, aliquota_iva: 4, mesi: &m [1, 2],\n"
        "         dichiarato: &d {imponibile: 100}}\n"
        "      - {voce: B, importo: *fee, aliquota_iva: 4, mesi: *m, dichiarato: *d}\n"
    )
    line = text.splitlines()[7]
    found = refused(invoke, write_data(text))
    assert found == [
        f"8:{line.index(alias) + 1}: ambiti[0].servizi[1].{field}: aliases (*name) are not "
        f"allowed: this one repeats the value anchored at line {anchored}; write the value out"
        for field, alias, anchored in (
            ("importo", "*fee", 6),
            ("mesi", "*m", 6),
            ("dichiarato", "*d", 7),
        )
    ]


def test_a_tag_on_a_mapping_is_the_only_problem(invoke: Invoke, write_data: WriteData) -> None:
    """A tagged mapping is refused and skipped whole: nothing inside it is read as well."""
    text = HEAD + (
        "    servizi:\n"
        "      - voce: S\n"
        "        importo: 100\n"
        "        aliquota_iva: 4\n"
        "        dichiarato: !!map {imponibile: x, iva: [1], nota: 3}\n"
    )
    assert refused(invoke, write_data(text)) == [
        "9:21: ambiti[0].servizi[0].dichiarato: YAML tags such as !!map are not used in this "
        "format; remove it"
    ]


def test_a_list_holds_as_many_entries_as_the_format_allows(
    invoke: Invoke, write_data: WriteData
) -> None:
    """Twelve months are the most `mesi` can list; a thirteenth is refused where it
    stands, and the walk stops there."""
    months = ", ".join(str(m) for m in range(1, 13))
    line = "    servizi: [{voce: S, importo: 1, aliquota_iva: 4, mesi: [MONTHS]}]\n"
    twelve = write_data(HEAD + line.replace("MONTHS", months), "twelve.yaml")
    ok = invoke("--data", str(twelve), "totals", "--no-cache")
    assert ok.exit_code == 0, ok.stderr
    thirteen = line.replace("MONTHS", months + ", 1")
    column = thirteen.index("12, 1") + 5  # the 13th entry
    assert refused(invoke, write_data(HEAD + thirteen, "thirteen.yaml"))[0] == (
        f"5:{column}: ambiti[0].servizi[0].mesi: more than 12 entries here; the format allows "
        "at most 12"
    )


#: Entries of the file below: documento and its 4 keys (5), ambiti (1), the ambito and
#: its numero and titolo (3), servizi, its line and the line's 3 keys (5): 14.
SMALL = HEAD + "    servizi: [{voce: S, importo: 100, aliquota_iva: 4}]\n"


@pytest.mark.parametrize(
    ("text", "limit", "over"),
    [
        (SMALL, 14, False),
        (SMALL, 13, True),
        # An unknown key and the 3 items of its value, skipped but counted: 18.
        (SMALL + "extra: [1, 2, 3]\n", 18, False),
        (SMALL + "extra: [1, 2, 3]\n", 17, True),
        # A skipped mapping: its keys, values and nested list and items: 14 + 1 + 6 = 21.
        (SMALL + "extra: {a: 1, b: [2, 3]}\n", 21, False),
        (SMALL + "extra: {a: 1, b: [2, 3]}\n", 20, True),
    ],
)
def test_every_entry_counts_towards_the_limit(
    invoke: Invoke,
    write_data: WriteData,
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    limit: int,
    over: bool,
) -> None:
    """The limit on entries counts each key and each list item, those of values skipped
    for an unknown key too, and refuses the file at the first entry past it."""
    monkeypatch.setattr(walk, "MAX_ENTRIES", limit)
    result = invoke("--data", str(write_data(text)), "totals", "--locale", "en", "--no-cache")
    says = f"the file holds more than {limit} entries"
    assert (says in result.stderr) is over, result.stderr


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("{}:\n", "1:1"),  # found by tests/test_properties.py: it ended in an internal error
        ("{a: 1}: 2\n", "1:1"),
        ("documento: x\n[1, 2]: {x: [1, 2]}\nambiti: []\n", "2:1"),
        ("documento: x\n? [a]\n: b\n", "2:3"),
    ],
)
def test_a_key_that_is_a_list_or_a_mapping_is_refused_at_its_place(
    write_data: WriteData, invoke: Invoke, text: str, where: str
) -> None:
    """The key's own items are passed over before its value, so what follows is read in
    its place (the keys after it too: `ambiti: []` is found, not said to be missing)."""
    problems = refused(invoke, write_data(text))
    assert f"{where}: a key must be plain text, not a list or a mapping" in problems
    if "ambiti:" in text:  # read after the key refused: not said to be missing
        assert not [problem for problem in problems if "ambiti: missing" in problem]
