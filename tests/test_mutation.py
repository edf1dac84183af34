"""The mutation script (benchmarks/mutation.py) makes the mutants it promises, and its
list of equivalent survivors names mutants that still exist. The run itself takes
minutes and is not part of the suite; see the README's Development section."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_mutation", BENCHMARKS / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


mutation = _script()


def _named(target: Any) -> dict[str, Any]:
    """The target's mutants by the name the equivalents file gives them."""
    _source, found = mutation.mutants(target)
    names = mutation.keys(target, found)
    return {names[m.number]: m for m in found}


def test_every_known_equivalent_is_still_a_mutant() -> None:
    """Each line of benchmarks/mutation-equivalent.txt names a mutant the script makes
    today: a line left behind by a change of the code is found here, not trusted."""
    known = mutation.known_equivalent()
    assert known
    names = {name for target in mutation.TARGETS.values() for name in _named(target)}
    assert sorted(set(known) - names) == []
    assert all(why.strip() for why in known.values())


@pytest.mark.parametrize(
    ("description", "argument", "original", "mutated"),
    [
        # The document's rounding, and the one a mutant puts in its place.
        ("ROUND_HALF_UP → ROUND_HALF_EVEN", Decimal("0.005"), Decimal("0.01"), Decimal("0.00")),
    ],
)
def test_a_mutant_changes_what_the_code_does(
    description: str, argument: Decimal, original: Decimal, mutated: Decimal
) -> None:
    """A mutant is the module with one change, compiled and run: round_cent with the
    rounding mode swapped rounds half a cent down."""
    target = mutation.TARGETS["money"]
    mutant = _named(target)[f"crema_budget/money.py | round_cent | {description}"]
    namespace: dict[str, Any] = {"__name__": "mutant"}
    exec(mutation.mutant_code(target, mutant.number), namespace)
    assert namespace["round_cent"](argument) == mutated
    from crema_budget.money import round_cent

    assert round_cent(argument) == original


def test_the_kinds_of_mutation() -> None:
    """Comparisons, arithmetic, constants, rounding modes, boolean results, conditions
    and dropped statements are all made; messages for people are left alone."""
    descriptions = [
        name.split(" | ")[2] for target in mutation.TARGETS.values() for name in _named(target)
    ]
    for kind in ("`<=` → `<`", "`>` → `>=`", "`==` → `!=`", "`+` → `-`", "`*` → `/`",
                 "12 → 13", "ROUND_DOWN → ROUND_HALF_UP", "`return ", "→ `not …`", "drop `",
                 "`and` → `or`", "`max` → `min`", "Decimal('0.00') → Decimal('0.01')"):  # fmt: skip
        assert any(kind in d for d in descriptions), kind
    assert not any("_(" in d or "ngettext(" in d for d in descriptions if "drop" not in d)
