"""Boundaries of the agreement: each test sits exactly on an edge (a nursery tier's
first and last child, a sum met to the cent, a ratio half a unit from the declared
one, an amendment dated exactly `--al`) and on the step beside it, so that moving the
comparison by one (`<=` for `<`, `>` for `>=`) fails it. The mutation script
(benchmarks/mutation.py) makes those moves and runs these tests to prove it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.agreement.checks import Esito, percent_check

D = Decimal
WriteData = Callable[..., Path]
VARIATO = "examples/ambiti_2016_variato.yaml"

#: A small agreement to build on: one ambito, a nursery of 11 monthly fees.
BASE = """\
documento: {titolo: T, comune: C, consorzio: K, anno: 2016}
ambiti:
  - numero: 1
    titolo: Uno
    servizi:
      - {codice: asilo, voce: Asilo, canone_mensile: 1000, mensilita: 11, aliquota_iva: 4}
"""

# --- the nursery's tiers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("iscritti", "exit_code", "fascia", "canone"),
    [
        (0, 3, (0, 19), None),  # the lowest enrolment there is
        (19, 3, (0, 19), None),  # the last child without a fee
        (20, 0, (20, 20), "19304.08"),  # the first with one
        (21, 0, (21, 26), "22909.58"),
        (26, 0, (21, 26), "22909.58"),
        (27, 0, (27, None), "26736.87"),  # the full fee from here on
        (10_000, 0, (27, None), "26736.87"),  # the most --iscritti accepts
    ],
)
def test_each_tier_from_its_first_to_its_last_child(
    invoke: Invoke, iscritti: int, exit_code: int, fascia: tuple[int, int | None], canone: str
) -> None:
    """The document's tiers: fewer than 20 children, no fee (exit 3); 20, € 19.304,08; 21
    to 26, € 22.909,58; 27 or more, € 26.736,87 a month."""
    result = invoke("nido", "--iscritti", str(iscritti), "--format", "json")
    assert result.exit_code == exit_code
    document = json.loads(result.stdout)
    assert (document["fascia"]["iscritti_min"], document["fascia"]["iscritti_max"]) == fascia
    assert document.get("canone_mensile") == canone


def test_one_more_child_than_accepted_is_a_usage_error(invoke: Invoke) -> None:
    """10.000 children is the most `--iscritti` takes; 10.001 is a typing slip (exit 2)."""
    assert invoke("nido", "--iscritti", "10000").exit_code == 0
    result = invoke("nido", "--iscritti", "10001", "--locale", "en")
    assert result.exit_code == 2
    assert "--iscritti 10001 is not a plausible number of children (at most 10,000)" in (
        result.stderr
    )


NURSERY = """\
nido:
  servizio: asilo
  fasce:
{tiers}"""


@pytest.mark.parametrize(
    ("tiers", "says"),
    [
        (
            [
                "{iscritti_min: 0, iscritti_max: 19, rimodulazione: true}",
                "{iscritti_min: 20, canone_mensile: 1000}",
            ],
            None,
        ),
        (
            [
                "{iscritti_min: 0, iscritti_max: 19, rimodulazione: true}",
                "{iscritti_min: 21, canone_mensile: 1000}",
            ],
            "nido.fasce[1].iscritti_min: no tier covers 20 enrolled children",
        ),
        (
            [
                "{iscritti_min: 0, iscritti_max: 20, rimodulazione: true}",
                "{iscritti_min: 20, canone_mensile: 1000}",
            ],
            "nido.fasce[1].iscritti_min: this tier (20 or more) overlaps fasce[0] (0–20)",
        ),
        (
            [
                "{iscritti_min: 1, iscritti_max: 19, rimodulazione: true}",
                "{iscritti_min: 20, canone_mensile: 1000}",
            ],
            "nido.fasce[0].iscritti_min: no tier covers 0 enrolled children",
        ),
        (
            [
                "{iscritti_min: 0, iscritti_max: 19, rimodulazione: true}",
                "{iscritti_min: 20, iscritti_max: 20, canone_mensile: 1000}",
            ],
            "nido.fasce[1].iscritti_max: no tier covers more than 20 children",
        ),
        (
            [
                "{iscritti_min: 0, iscritti_max: 19, canone_mensile: 999.99}",
                "{iscritti_min: 20, canone_mensile: 1000}",
            ],
            None,
        ),
        (
            [
                "{iscritti_min: 0, iscritti_max: 19, canone_mensile: 1000.01}",
                "{iscritti_min: 20, canone_mensile: 1000}",
            ],
            "nido.fasce[1].canone_mensile: the fee falls as enrolment rises",
        ),
        (
            [
                "{iscritti_min: 0, iscritti_max: 19, canone_mensile: 1000}",
                "{iscritti_min: 20, canone_mensile: 1000}",
            ],
            None,
        ),
    ],
    ids=[
        "next to each other",
        "a gap of one child",
        "an overlap of one child",
        "no tier from 0",
        "no tier open upwards",
        "a cent less below",
        "a cent more below",
        "the same fee",
    ],
)
def test_tiers_meet_exactly(
    invoke: Invoke, write_data: WriteData, tiers: list[str], says: str | None
) -> None:
    """Tiers must cover every number of children once: a tier starts right after the
    one below ends (one child apart is a gap, the same child an overlap), the lowest
    starts at 0, the highest is open; a fee may stay the same as enrolment rises, not
    fall by a cent."""
    text = BASE + NURSERY.format(tiers="".join(f"    - {tier}\n" for tier in tiers))
    result = invoke("--data", str(write_data(text)), "nido", "--locale", "en")
    if says is None:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 2
        assert says in result.stderr


def test_a_single_child_without_a_fee(invoke: Invoke, write_data: WriteData) -> None:
    """When only an empty nursery has no fee (tier 0–0), a fee is defined from 1 child."""
    tiers = (
        "    - {iscritti_min: 0, iscritti_max: 0, rimodulazione: true}\n"
        "    - {iscritti_min: 1, canone_mensile: 1000}\n"
    )
    path = str(write_data(BASE + NURSERY.format(tiers=tiers)))
    empty = invoke("--data", path, "nido", "-n", "0", "-f", "json")
    assert empty.exit_code == 3
    assert json.loads(empty.stdout)["iscritti_minimi_con_canone"] == 1
    assert invoke("--data", path, "nido", "-n", "1").exit_code == 0


def test_a_file_without_a_nursery(invoke: Invoke, write_data: WriteData) -> None:
    """`nido` on a file with no `nido:` section says so (exit 2) rather than guess."""
    result = invoke("--data", str(write_data(BASE)), "nido", "-n", "20", "--locale", "en")
    assert result.exit_code == 2
    assert "this data file defines no nursery tiers (no nido: section)" in result.stderr


# --- sums met to the cent ------------------------------------------------------------

INSTALMENTS = """\
      - codice: colonia
        voce: Colonia
        importo: 1000.00
        aliquota_iva: 4
        rate: [{{mese: 6, importo: 400.00}}, {{mese: 7, importo: {july}}}]
"""


@pytest.mark.parametrize(
    ("july", "says"),
    [
        ("600.00", None),  # 400,00 + 600,00 = 1.000,00: exactly the sum
        ("599.99", "the instalments add up to 999.99, not to importo 1000.00"),
        ("600.01", "the instalments add up to 1000.01, not to importo 1000.00"),
    ],
)
def test_instalments_add_up_to_the_sum_exactly(
    invoke: Invoke, write_data: WriteData, july: str, says: str | None
) -> None:
    """A sum paid in instalments: they must come to the sum to the cent, neither a
    cent less nor a cent more."""
    text = BASE + INSTALMENTS.format(july=july)
    result = invoke("--data", str(write_data(text)), "totals", "-f", "json", "--locale", "en")
    if says is None:
        assert result.exit_code == 0, result.stderr
        lines = json.loads(result.stdout)["ambiti"][0]["righe"]
        assert [(r["codice"], r["imponibile"], r["totale"]) for r in lines] == [
            ("asilo", "11000.00", "11440.00"),  # 11 × 1.000,00 + 4 %
            ("colonia", "1000.00", "1040.00"),  # 1.000,00 + 4 %
        ]
    else:
        assert result.exit_code == 2
        assert f"ambiti[0].servizi[1].rate: {says}" in result.stderr


@pytest.mark.parametrize(
    ("mesi", "says"),
    [
        ("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", None),
        ("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "10 months listed, but mensilita is 11"),
        ("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", "12 months listed, but mensilita is 11"),
    ],
)
def test_months_listed_are_as_many_as_the_fees(
    invoke: Invoke, write_data: WriteData, mesi: str, says: str | None
) -> None:
    """A monthly fee's `mesi` must name exactly `mensilita` months: one fewer or one
    more is refused at its line."""
    text = BASE.replace("mensilita: 11,", f"mensilita: 11, mesi: {mesi},")
    result = invoke("--data", str(write_data(text)), "totals", "--locale", "en")
    if says is None:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 2
        assert f"ambiti[0].servizi[0].mesi: {says}" in result.stderr


def test_an_ambito_of_one_line_has_no_total_of_its_own(
    invoke: Invoke, write_data: WriteData
) -> None:
    """An ambito of one fee line is its line: `check` lists no ambito total for it to
    declare; with two lines, the ambito's total is a figure of its own."""
    two = BASE + "      - {codice: mensa, voce: Mensa, importo: 500, aliquota_iva: 4}\n"
    report = json.loads(invoke("--data", str(write_data(two)), "check", "-f", "json").stdout)
    undeclared = {f["chiave"]: f["calcolato"] for f in report["non_dichiarate"]}
    assert (
        undeclared.items()
        >= {
            "ambito.1.totale.imponibile": "11500.00",  # 11 × 1.000,00 + 500,00
            "ambito.1.totale.iva": "460.00",  # 440,00 + 20,00
            "ambito.1.totale.totale": "11960.00",
        }.items()
    )
    one = json.loads(invoke("--data", str(write_data(BASE)), "check", "-f", "json").stdout)
    assert not [f for f in one["non_dichiarate"] if f["chiave"].startswith("ambito.1.totale")]


# --- the consortium's resources ------------------------------------------------------


def test_only_ambiti_with_resources_are_listed(invoke: Invoke, write_data: WriteData) -> None:
    """`risorse` lists an ambito with items, or with a share of the 1 % only, and
    leaves out one with neither."""
    text = (
        BASE
        + "    risorse_consorzio:\n      voci:\n        - {voce: Voce, importo: 300}\n"
        + "  - {numero: 2, titolo: Due, servizi: [{voce: S, importo: 100, aliquota_iva: 4}]}\n"
        + "  - numero: 3\n    titolo: Tre\n"
        + "    servizi: [{voce: S, importo: 100, aliquota_iva: 4}]\n"
        + "    quota_1_percento: 50\n"
    )
    document = json.loads(invoke("--data", str(write_data(text)), "risorse", "-f", "json").stdout)
    assert [(a["numero"], a["totale"], a["quota_1_percento"]) for a in document["ambiti"]] == [
        (1, "300.00", None),
        (3, "0.00", "50.00"),
    ]
    assert document["totale"] == "350.00"  # 300,00 + 50,00


# --- a percentage declared to some decimals ------------------------------------------


@pytest.mark.parametrize(
    ("declared", "exact", "esito"),
    [
        # Two decimals: what rounds half up to them agrees.
        ("7.55", "7.545", Esito.CONCORDA),  # exactly half a hundredth: up (half even: 7,54)
        ("7.54", "7.545", Esito.TRONCATO),  # cut, not rounded
        ("7.57", "7.565", Esito.CONCORDA),  # up again (half even: 7,56)
        ("7.56", "7.565", Esito.TRONCATO),
        ("7.54", "7.5449999", Esito.CONCORDA),  # just under half: down
        ("7.55", "7.5449999", Esito.DIFFERISCE),
        ("7.55", "7.5500000", Esito.CONCORDA),  # exactly the figure
        ("7.6", "7.55", Esito.CONCORDA),  # one decimal: 7,55 → 7,6
        ("7.5", "7.55", Esito.TRONCATO),
        ("7.5", "7.5999", Esito.TRONCATO),  # cut even just under the next tenth
        ("7.6", "7.5499", Esito.DIFFERISCE),  # rounded 7,5, cut 7,5: neither is 7,6
        ("8", "7.5", Esito.CONCORDA),  # no decimals: 7,5 → 8
        ("7", "7.4999", Esito.CONCORDA),
        ("7", "7.5", Esito.TRONCATO),
    ],
)
def test_a_percentage_agrees_within_half_its_last_decimal(
    declared: str, exact: str, esito: Esito
) -> None:
    """A percentage declared to some decimals agrees when the exact ratio rounds half
    up to it, is truncated when only cutting the ratio gives it, and differs otherwise."""
    assert percent_check("k", "x", "y", D(declared), D(exact)).esito is esito


@pytest.mark.parametrize(
    ("declared", "esito", "exit_code"),
    [("7.56", "concorda", 0), ("7.55", "troncato", 0), ("7.57", "differisce", 1)],
)
def test_the_documents_ratio_at_two_decimals(
    invoke: Invoke, data_text: str, write_data: WriteData, declared: str, esito: str, exit_code: int
) -> None:
    """The ratio is 7,5587…%: declared 7,56 it agrees, 7,55 it is cut, 7,57 it differs
    and `check` fails."""
    text = data_text.replace("percentuale: 7.5", f"percentuale: {declared}")
    result = invoke("--data", str(write_data(text)), "check", "-f", "json")
    assert result.exit_code == exit_code
    (ratio,) = [c for c in json.loads(result.stdout)["checks"] if c["unita"] == "%"]
    assert ratio["esito"] == esito


# --- amendments at a date ------------------------------------------------------------


@pytest.mark.parametrize(
    ("al", "in_effect"),
    [
        ("2016-05-09", []),  # the day before the first amendment
        ("2016-05-10", ["elettorale"]),  # its very day
        ("2016-05-31", ["elettorale"]),
        ("2016-06-01", ["elettorale", "colonia"]),
        ("2016-08-31", ["elettorale", "colonia"]),
        ("2016-09-01", ["elettorale", "colonia", "taglio erba Parco Chiappa"]),
    ],
)
def test_an_amendment_applies_from_its_own_day(
    invoke: Invoke, al: str, in_effect: list[str]
) -> None:
    """`--al DATE` counts an amendment dated exactly DATE, not one of the day after:
    the example's amendments of 10 May, 1 June and 1 September."""
    result = invoke("--data", VARIATO, "totals", "--al", al, "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert [v["chiave"] for v in document.get("variazioni", [])] == in_effect


@pytest.mark.parametrize(
    ("al", "colonia"),
    [("2016-05-31", "62280.00"), ("2016-06-01", "72660.00")],
)
def test_an_amended_sum_counts_from_its_day(invoke: Invoke, al: str, colonia: str) -> None:
    """The Colonia's sum is € 62.280,00 as signed, € 72.660,00 from the amendment of
    1 June: `totals` and `diff --al` agree on the day."""
    document = json.loads(invoke("--data", VARIATO, "totals", "--al", al, "-f", "json").stdout)
    lines = {r["codice"]: r["imponibile"] for a in document["ambiti"] for r in a["righe"]}
    assert lines["colonia"] == colonia
    diff = invoke("diff", VARIATO, "--al", al, "-f", "json")
    changed = {c["chiave"] for c in json.loads(diff.stdout)["cambi"]}
    assert ("colonia" in changed) is (colonia != "62280.00")


@pytest.mark.parametrize(
    ("day", "accepted"),
    [("2015-12-31", False), ("2016-01-01", True), ("2016-12-31", True), ("2017-01-01", False)],
)
def test_an_amendment_falls_within_the_agreements_year(
    invoke: Invoke, data_text: str, write_data: WriteData, day: str, accepted: bool
) -> None:
    """The first and the last day of the year are in it; the days either side are not."""
    text = data_text + (
        f"variazioni:\n  - {{data: {day}, atto: x, servizio: colonia, importo: 1}}\n"
    )
    result = invoke("--data", str(write_data(text)), "totals", "--locale", "en")
    assert (result.exit_code == 0) is accepted
    if not accepted:
        assert f"the amendment is dated {day}, outside the agreement's year 2016" in result.stderr


ONE_OFF = """\
      - {codice: gita, voce: Gita, importo: 1000.00, aliquota_iva: 4, tipo: una_tantum,
         giorno: 2016-03-10}
"""


@pytest.mark.parametrize(
    ("amendment", "due"),
    [
        ("", "1000.00"),  # the day as signed, 10 March, has passed at 30 June
        # moved to 10 September by an amendment of 1 February: nothing due at 30 June
        ("variazioni:\n  - {data: 2016-02-01, atto: d. 1, servizio: gita, giorno: 2016-09-10}\n",
         "0.00"),
    ],
)  # fmt: skip
def test_an_amendment_moves_a_one_off_services_day(
    invoke: Invoke, write_data: WriteData, amendment: str, due: str
) -> None:
    agreement = write_data(BASE + ONE_OFF + amendment)
    register = write_data("fatture:\n", "r.yaml")
    result = invoke(
        "--data", str(agreement), "monitor", "-r", str(register), "--al", "2016-06-30",
        "-f", "json",
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.stderr
    gita = next(x for x in json.loads(result.stdout)["linee"] if x["codice"] == "gita")
    assert (gita["tipo"], gita["dovuto"]) == ("una_tantum", due)


# --- dates as people write them --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "read", "says"),
    [
        (date(2016, 6, 30), date(2016, 6, 30), None),
        ("2016-06-30", date(2016, 6, 30), None),
        (" 2016-06-30 ", date(2016, 6, 30), None),  # blanks around are not the date
        ("2016-02-30", None, "'2016-02-30' is not a day of the calendar"),
        ("30/06/2016", None, "write '30/06/2016' as 2016-06-30: year, month and day"),
        ("30.6.2016", None, "write '30.6.2016' as 2016-06-30"),
        ("1-2-2016", None, "write '1-2-2016' as 2016-02-01"),
        ("31/06/2016", None, "'31/06/2016' is not a date; write it as 2016-02-05"),
        ("giugno 2016", None, "'giugno 2016' is not a date; write it as 2016-02-05"),
        (20160630, None, "20160630 is not a date; write it as 2016-02-05"),
    ],
    ids=repr,
)
def test_a_day_is_read_as_iso_or_said_how_to_write_it(
    value: object, read: date | None, says: str | None
) -> None:
    """An Italian date (30/06/2016) is answered with the same day in ISO form, an
    impossible one (31 June) with how a date is written, never a guess."""
    from pydantic_core import PydanticCustomError

    from crema_budget import i18n
    from crema_budget.reading.fields import parse_day

    i18n.activate("en")
    if says is None:
        assert parse_day(value) == read
    else:
        with pytest.raises(PydanticCustomError) as refused:
            parse_day(value)
        assert says in str(refused.value)


def test_an_open_item_cannot_be_a_monthly_fee(invoke: Invoke, write_data: WriteData) -> None:
    """An open item becomes a sum when an amendment defines it: `tipo: mensile` on it is
    refused at its place."""
    text = BASE + "    da_definire:\n      - {codice: extra, voce: Extra, tipo: mensile}\n"
    result = invoke("--data", str(write_data(text)), "totals", "--locale", "en")
    assert result.exit_code == 2
    assert "ambiti[0].da_definire[0].tipo: an open item becomes a sum" in result.stderr


@pytest.mark.parametrize(
    ("amendment", "says"),
    [
        # a day for a line that is not a one-off service
        ("servizio: asilo, giorno: 2016-05-10",
         "variazioni[0].giorno: only a one-off service (tipo: una_tantum) has a giorno"),
        # a one-off's day outside the agreement's year
        ("servizio: gita, giorno: 2017-01-10", "variazioni[0].giorno:"),
        # months for a one-off service
        ("servizio: gita, mesi: [5]", "variazioni[0].mesi:"),
    ],
)  # fmt: skip
def test_an_amendment_keeps_each_kind_of_line_to_its_own_calendar(
    invoke: Invoke, write_data: WriteData, amendment: str, says: str
) -> None:
    """An amendment is held to the rules of the line it changes: a day only for a
    one-off service, in the agreement's year; months never for one."""
    text = BASE + ONE_OFF + f"variazioni:\n  - {{data: 2016-02-01, atto: d. 1, {amendment}}}\n"
    result = invoke("--data", str(write_data(text)), "totals", "--locale", "en")
    assert result.exit_code == 2, result.stdout
    assert says in result.stderr
