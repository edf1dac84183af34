"""The data format's rules that span fields, each refused at the field to fix with what
is wrong (and accepted one step away), and the models' strict reading of figures given
as Python values rather than YAML text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import Invoke
from pydantic import ValidationError

from crema_budget.agreement import fileformat

WriteData = Callable[..., Path]

HEAD = "documento: {titolo: T, comune: C, consorzio: K, anno: 2016}\nambiti:\n"
#: An ambito of a monthly fee line and a sum, and an open item.
AMBITO_1 = """\
  - numero: 1
    titolo: Uno
    servizi:
      - {codice: asilo, voce: Asilo, canone_mensile: 1000, mensilita: 11, aliquota_iva: 4}
      - {codice: colonia, voce: Colonia, importo: 5000, aliquota_iva: 4}
    da_definire:
      - {codice: seggi, voce: Seggi}
"""
NURSERY = """\
nido:
  servizio: asilo
  fasce:
    - {iscritti_min: 0, iscritti_max: 19, rimodulazione: true}
    - {iscritti_min: 20, canone_mensile: 1000}
"""
VALID = HEAD + AMBITO_1 + NURSERY


class Rule(NamedTuple):
    """A file that breaks one rule, and where and how it is refused (None: accepted)."""

    text: str
    refused: str | None


def _in(old: str, new: str) -> str:
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def _amend(*lines: str) -> str:
    return VALID + "variazioni:\n" + "".join(f"  - {line}\n" for line in lines)


RULES = {
    # A fee line has one way of charging.
    "a monthly fee and a sum": Rule(
        _in("mensilita: 11,", "mensilita: 11, importo: 10,"),
        "ambiti[0].servizi[0]: give either canone_mensile with mensilita, or importo for the "
        "period, not both",
    ),
    "a monthly fee without months": Rule(
        _in("canone_mensile: 1000, mensilita: 11,", "canone_mensile: 1000,"),
        "ambiti[0].servizi[0]: a monthly fee needs both canone_mensile and mensilita; add "
        "mensilita",
    ),
    "months without a fee": Rule(
        _in("canone_mensile: 1000, mensilita: 11,", "mensilita: 11,"),
        "ambiti[0].servizi[0]: a monthly fee needs both canone_mensile and mensilita; add "
        "canone_mensile",
    ),
    "no fee at all": Rule(
        _in("importo: 5000, aliquota_iva: 4}", "aliquota_iva: 4}"),
        "ambiti[0].servizi[1]: missing the fee: add canone_mensile with mensilita, or importo",
    ),
    # Months and instalments.
    "a month listed twice": Rule(
        _in("mensilita: 11,", "mensilita: 2, mesi: [3, 3],"),
        "ambiti[0].servizi[0].mesi: month 3 is listed twice",
    ),
    "instalments of a monthly fee": Rule(
        _in("mensilita: 11,", "mensilita: 11, rate: [{mese: 1, importo: 11000}],"),
        "ambiti[0].servizi[0].rate: instalments (rate) split a sum: give importo instead of a "
        "monthly fee",
    ),
    "two instalments in a month": Rule(
        _in(
            "importo: 5000,",
            "importo: 5000, rate: [{mese: 6, importo: 2500}, {mese: 6, importo: 2500}],",
        ),
        "ambiti[0].servizi[1].rate: month 6 has two instalments",
    ),
    "an instalment outside the months": Rule(
        _in(
            "importo: 5000,",
            "importo: 5000, mesi: [6, 7], rate: [{mese: 6, importo: 2500}, "
            "{mese: 8, importo: 2500}],",
        ),
        "ambiti[0].servizi[1].rate: an instalment falls in a month that mesi leaves out",
    ),
    "instalments in every month listed": Rule(
        _in(
            "importo: 5000,",
            "importo: 5000, mesi: [6, 7], rate: [{mese: 6, importo: 2500}, "
            "{mese: 7, importo: 2500}],",
        ),
        None,
    ),
    # Ambiti and codes.
    "an ambito twice": Rule(
        VALID.replace(NURSERY, "")
        + AMBITO_1.replace("asilo", "a2").replace("colonia", "c2").replace("seggi", "s2"),
        "ambiti[1].numero: ambito 1 appears twice (also ambiti[0])",
    ),
    "an empty ambito": Rule(
        VALID.replace(NURSERY, "") + "  - {numero: 2, titolo: Due}\n",
        "ambiti[1]: an ambito needs at least one entry in servizi or da_definire",
    ),
    "an open item with a line's code": Rule(
        _in("{codice: seggi,", "{codice: colonia,"),
        "ambiti[0].da_definire[0].codice: the code colonia is already used by ambiti[0].servizi[1]",
    ),
    # The nursery's line and tiers.
    "the nursery on a sum": Rule(
        _in("servizio: asilo", "servizio: colonia"),
        "nido.servizio: the nursery's fee line must be a monthly fee (canone_mensile, mensilita)",
    ),
    "the nursery on no line": Rule(
        _in("servizio: asilo", "servizio: nido"), "nido.servizio: no fee line has the code nido"
    ),
    "the nursery's line by position": Rule(
        _in("servizio: asilo", "ambito: 1\n  servizio: 1"), None
    ),
    "the nursery's line past the last": Rule(
        _in("servizio: asilo", "ambito: 1\n  servizio: 3"),
        "nido.servizio: ambito 1 has 2 fee lines; servizio counts from 1",
    ),
    "the nursery's line 0": Rule(
        _in("servizio: asilo", "ambito: 1\n  servizio: 0"),
        "nido.servizio: fee lines are counted from 1",
    ),
    "a position without its ambito": Rule(
        _in("servizio: asilo", "servizio: 1"),
        "nido.servizio: give the fee line's code, or ambito: with the line's position",
    ),
    "a position in no ambito": Rule(
        _in("servizio: asilo", "ambito: 7\n  servizio: 1"), "nido.ambito: there is no ambito 7"
    ),
    "a tier upside down": Rule(
        _in(
            "{iscritti_min: 20, canone_mensile: 1000}",
            "{iscritti_min: 20, iscritti_max: 18, canone_mensile: 1000}",
        ),
        "nido.fasce[1]: iscritti_max (18) is below iscritti_min (20)",
    ),
    "a tier with a fee and a renegotiation": Rule(
        _in("rimodulazione: true}", "rimodulazione: true, canone_mensile: 900}"),
        "nido.fasce[0]: a tier has either canone_mensile or rimodulazione: true",
    ),
    "a tier with neither": Rule(
        _in(
            "{iscritti_min: 0, iscritti_max: 19, rimodulazione: true}",
            "{iscritti_min: 0, iscritti_max: 19}",
        ),
        "nido.fasce[0]: a tier has either canone_mensile or rimodulazione: true",
    ),
    "no tier with a fee": Rule(
        _in("{iscritti_min: 20, canone_mensile: 1000}", "{iscritti_min: 20, rimodulazione: true}"),
        "nido.fasce: no tier has a fee (canone_mensile)",
    ),
    # Amendments.
    "an amendment of nothing": Rule(
        _amend("{data: 2016-05-10, atto: x, importo: 1}"),
        "variazioni[0]: an amendment changes one thing: give servizio, nuovo_servizio or risorsa",
    ),
    "an amendment of two things": Rule(
        _amend(
            "{data: 2016-05-10, atto: x, servizio: colonia, importo: 1, risorsa: {ambito: 1, "
            "voce: V, importo: 1}}"
        ),
        "variazioni[0]: an amendment changes one thing: give servizio, nuovo_servizio or risorsa",
    ),
    "an item's figure outside it": Rule(
        _amend(
            "{data: 2016-05-10, atto: x, aliquota_iva: 10, risorsa: {ambito: 1, voce: V, "
            "importo: 1}}"
        ),
        "variazioni[0]: the figures of a new line or item go inside nuovo_servizio or risorsa",
    ),
    "a new line with a code in use": Rule(
        _amend(
            "{data: 2016-05-10, atto: x, nuovo_servizio: {ambito: 1, codice: colonia, voce: "
            "V, importo: 1, aliquota_iva: 4}}"
        ),
        "variazioni[0].nuovo_servizio.codice: the code colonia is already used",
    ),
    "a new line with a code just added": Rule(
        _amend(
            *2
            * [
                "{data: 2016-05-10, atto: x, nuovo_servizio: {ambito: 1, codice: mensa, "
                "voce: V, importo: 1, aliquota_iva: 4}}"
            ]
        ),
        "variazioni[1].nuovo_servizio.codice: the code mensa is already used",
    ),
    "a new line in no ambito": Rule(
        _amend(
            "{data: 2016-05-10, atto: x, nuovo_servizio: {ambito: 7, codice: mensa, voce: V, "
            "importo: 1, aliquota_iva: 4}}"
        ),
        "variazioni[0].nuovo_servizio.ambito: there is no ambito 7",
    ),
    "an item in no ambito": Rule(
        _amend("{data: 2016-05-10, atto: x, risorsa: {ambito: 7, voce: V, importo: 1}}"),
        "variazioni[0].risorsa.ambito: there is no ambito 7",
    ),
    "an item changed twice on a day": Rule(
        _amend(
            "{data: 2016-05-10, atto: x, risorsa: {ambito: 1, voce: V, importo: 1}}",
            "{data: 2016-05-10, atto: y, risorsa: {ambito: 1, voce: V, importo: 2}}",
        ),
        "variazioni[1]: variazioni[0] changes the same thing on the same date",
    ),
    "two items changed on a day": Rule(
        _amend(
            "{data: 2016-05-10, atto: x, risorsa: {ambito: 1, voce: V, importo: 1}}",
            "{data: 2016-05-10, atto: y, risorsa: {ambito: 1, voce: W, importo: 2}}",
        ),
        None,
    ),
    "an item changed after a line, on a day": Rule(
        _amend(
            "{data: 2016-05-10, atto: x, servizio: colonia, importo: 1}",
            "{data: 2016-05-10, atto: y, risorsa: {ambito: 1, voce: colonia, importo: 2}}",
        ),
        None,
    ),
    "an open item given months": Rule(
        _amend(
            "{data: 2016-05-10, atto: x, servizio: seggi, importo: 100, aliquota_iva: 22, "
            "mensilita: 2}"
        ),
        "variazioni[0].servizio: seggi is still to be defined: the amendment gives it an importo",
    ),
    "an open item given no rate": Rule(
        _amend("{data: 2016-05-10, atto: x, servizio: seggi, importo: 100}"),
        "variazioni[0].aliquota_iva: missing; add `aliquota_iva:`",
    ),
    "an open item given its sum and rate": Rule(
        _amend("{data: 2016-05-10, atto: x, servizio: seggi, importo: 100, aliquota_iva: 22}"),
        None,
    ),
    "a code mistyped": Rule(
        _amend("{data: 2016-05-10, atto: x, servizio: colnia, importo: 1}"),
        "variazioni[0].servizio: no fee line has the code colnia; did you mean colonia?",
    ),
    "a sum given months": Rule(
        _amend("{data: 2016-05-10, atto: x, servizio: colonia, mensilita: 2}"),
        "variazioni[0].servizio: colonia is a sum for a period: change its importo",
    ),
    "a monthly fee given a new fee": Rule(
        _amend("{data: 2016-05-10, atto: x, servizio: asilo, canone_mensile: 1100}"), None
    ),
}


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_each_rule_at_its_field(invoke: Invoke, write_data: WriteData, rule: Rule) -> None:
    """A file that breaks a rule is refused (exit 2) with the field to fix and what is
    wrong; the files one step away are accepted."""
    path = write_data(rule.text)
    result = invoke("--data", str(path), "totals", "-f", "json", "--locale", "en")
    if rule.refused is None:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 2
        assert f": {rule.refused}" in result.stderr, result.stderr


def test_tiers_that_overlap_name_the_tier_they_overlap(
    invoke: Invoke, write_data: WriteData
) -> None:
    """Each overlapping tier names the tier that already covers its first child, even
    when a tier between them ends at the same child."""
    tiers = (
        "    - {iscritti_min: 0, iscritti_max: 19, canone_mensile: 100}\n"
        "    - {iscritti_min: 19, iscritti_max: 19, canone_mensile: 100}\n"
        "    - {iscritti_min: 19, canone_mensile: 100}\n"
    )
    text = HEAD + AMBITO_1 + "nido:\n  servizio: asilo\n  fasce:\n" + tiers
    result = invoke("--data", str(write_data(text)), "nido", "--locale", "en")
    assert result.exit_code == 2
    assert "nido.fasce[1].iscritti_min: this tier (19) overlaps fasce[0] (0–19)" in result.stderr
    assert "nido.fasce[2].iscritti_min: this tier (19 or more) overlaps fasce[0] (0–19)" in (
        result.stderr
    )


def test_a_falling_fee_names_the_tier_below(invoke: Invoke, write_data: WriteData) -> None:
    text = VALID.replace("rimodulazione: true}", "canone_mensile: 1000.01}")
    result = invoke("--data", str(write_data(text)), "nido", "--locale", "en")
    assert result.exit_code == 2
    assert (
        "nido.fasce[1].canone_mensile: the fee falls as enrolment rises: fasce[0], with fewer "
        "children, charges 1000.01"
    ) in result.stderr


def test_twelve_monthly_fees_cover_the_year(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """Twelve monthly fees cover January to December without saying so: listing the
    twelve months changes nothing `diff` can see."""
    old = "        mensilita: 12\n        periodo: gennaio–dicembre 2016\n"
    assert data_text.count(old) == 2
    listed = data_text.replace(old, old + "        mesi: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]\n")
    result = invoke("diff", "data/ambiti_2016.yaml", str(write_data(listed)), "-f", "json")
    assert result.exit_code == 0, result.stdout


# --- figures given as Python values (a library's caller, not a YAML file) -------------


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("value", "says"),
    [
        (True, "True is a yes/no value, not an amount"),
        (26736.87, "floating-point numbers are not exact; give the figure as text or Decimal"),
        (None, "expected an amount, not a blank value"),
        ({"euro": 1}, "expected an amount, not a mapping (key: value lines)"),
        ([1], "expected an amount, not a list"),
        (b"400", "expected an amount, not bytes"),
        (Decimal("26736.875"), "'26736.875' has more than two decimals"),
    ],
)
def test_python_values_are_read_as_strictly_as_text(value: object, says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        fileformat.VoceRisorsa.model_validate({"voce": "V", "importo": value})
    assert says in str(refused.value)


@pytest.mark.parametrize(
    ("value", "amount"), [(400, "400.00"), (Decimal("26736.87"), "26736.87"), ("0.5", "0.50")]
)
def test_exact_python_numbers_are_read(value: object, amount: str) -> None:
    item = fileformat.VoceRisorsa.model_validate({"voce": "V", "importo": value})
    assert str(item.importo) == amount


@pytest.mark.usefixtures("english")
def test_python_values_for_yes_no_dates_and_positions() -> None:
    """A bool is a yes/no value, a date a date, an int a fee line's position; a yes/no
    given as a number, or a position as a bool, is refused."""
    tier = {"iscritti_min": "0", "iscritti_max": "19"}
    assert fileformat.Fascia.model_validate({**tier, "rimodulazione": True}).rimodulazione
    assert fileformat.Fascia.model_validate({**tier, "rimodulazione": " TRUE "}).rimodulazione
    with pytest.raises(ValidationError, match="write true or false"):
        fileformat.Fascia.model_validate({**tier, "rimodulazione": 1})
    amendment = {"atto": "x", "servizio": "colonia", "importo": "1"}
    when = fileformat.Variazione.model_validate({**amendment, "data": date(2016, 5, 10)}).data
    assert when == date(2016, 5, 10)
    fasce = [{"iscritti_min": "0", "canone_mensile": "1"}]
    nursery = fileformat.Nido.model_validate({"ambito": "1", "servizio": 2, "fasce": fasce})
    assert nursery.servizio == 2
    with pytest.raises(ValidationError, match="expected a code such as nido or pre-post"):
        fileformat.Nido.model_validate({"ambito": "1", "servizio": True, "fasce": fasce})
