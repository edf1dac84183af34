"""The benchmark's generated agreements are valid data whose declared figures all check."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from conftest import Invoke

from crema_budget.agreement.load import load_agreement

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

Write = Callable[..., Path]


def _module(name: str) -> ModuleType:
    """A script in benchmarks/, imported from its path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate = _module("generate")


def small() -> str:
    text: str = generate.generate(20, 5)
    return text


def test_small_file_has_the_size_asked_for_and_the_formats_variety(
    write_data: Write,
) -> None:
    """20 ambiti of 5 fee lines, monthly and lump-sum, 4 % and 22 %, with open
    items, consortium resources, 1 % shares and the nursery tiers."""
    agreement = load_agreement(write_data(small()))
    servizi = [s for a in agreement.ambiti for s in a.servizi]
    assert [a.numero for a in agreement.ambiti] == list(range(1, 21))
    assert {len(a.servizi) for a in agreement.ambiti} == {5}
    assert any(s.canone_mensile is not None for s in servizi)
    assert any(s.importo is not None for s in servizi)
    assert {s.aliquota_iva for s in servizi} == {Decimal(4), Decimal(22)}
    assert any(a.da_definire for a in agreement.ambiti)
    assert any(a.quota_1_percento is not None for a in agreement.ambiti)
    assert any(a.risorse_consorzio is not None for a in agreement.ambiti)
    assert agreement.nido is not None


def test_check_passes_on_a_generated_file(invoke: Invoke, write_data: Write) -> None:
    path = write_data(small())
    result = invoke("--data", str(path), "check", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    # 100 lines × 3 figures, 20 ambiti × 3, the summary row's 3, the full nursery
    # fee, 16 resource totals twice, 6 shares, 3 closing totals and the percentage.
    assert report["controlli"] == 300 + 60 + 3 + 1 + 16 * 2 + 6 + 3 + 1
    assert invoke("--data", str(path), "check").exit_code == 0


def _one_cent_more(text: str, key: str, occurrence: int) -> str:
    """``text`` with the ``occurrence``-th figure written under ``key:`` raised by 0.01."""
    found = list(re.finditer(rf"(?m)^(\s+{re.escape(key)}: )(\d+\.\d\d)$", text))
    match = found[occurrence]
    raised = Decimal(match.group(2)) + Decimal("0.01")
    return f"{text[: match.start(2)]}{raised}{text[match.end(2) :]}"


@pytest.mark.parametrize(
    ("key", "occurrence"),
    [
        ("imponibile", 0),  # the first fee line
        ("iva", 3),  # the fourth fee line
        ("totale", 5),  # ambito 1's total (after its five lines)
        ("dichiarato_totale", 0),  # ambito 1's consortium resources
        ("1", 0),  # the closing table's resources of ambito 1
        ("totale_quote", 0),
        ("percentuale", 0),
    ],
)
def test_a_declared_figure_one_cent_off_fails_the_check(
    invoke: Invoke, write_data: Write, key: str, occurrence: int
) -> None:
    path = write_data(_one_cent_more(small(), key, occurrence))
    result = invoke("--data", str(path), "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["differenze"] == 1


def test_generation_is_deterministic(tmp_path: Path) -> None:
    """Same size and seed, same bytes, also through the script's command line."""
    assert generate.generate(20, 5) == small()
    assert generate.generate(20, 5, seed=7) != small()
    out = tmp_path / "agreement.yaml"
    assert generate.main(["--ambiti", "20", "--servizi", "5", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == small()


def test_sizes_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        generate.generate(0, 5)
    with pytest.raises(SystemExit):
        generate.main(["--ambiti", "3", "--servizi", "0"])


def test_large_check_table_lists_only_what_needs_attention(
    invoke: Invoke, write_data: Callable[[str], Path]
) -> None:
    """Hundreds of checks: the terminal table shows only the differing row, with a count."""
    text = small()
    match = re.search(r"totale: (\d+\.\d\d)", text)
    assert match is not None
    wrong = f"{Decimal(match.group(1)) + Decimal('0.01')}"
    path = write_data(text.replace(match.group(0), f"totale: {wrong}", 1))
    result = invoke("--data", str(path), "check")
    assert result.exit_code == 1
    verdict = re.search(r"(\d+) cifre controllate: 1 non concorda", result.stdout)
    assert verdict is not None
    total = int(verdict.group(1))
    assert total > 200
    assert result.stdout.count("differisce") == 1
    assert result.stdout.count("concorda ") == 0
    assert f"{total - 1} cifre che concordano non sono elencate" in result.stdout
