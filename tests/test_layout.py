"""The layout shows the architecture: packages for the parts of the domain, one name per
concept across layers, imports that read top to bottom, no module too long to read.

Every import is read from the source (those inside functions and under
``TYPE_CHECKING`` too), so a lazy import cannot hide an arrow that runs back up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "crema_budget"

#: Each part of the house and its floor: a module imports only from lower floors, or
#: from its own part. Parts on one floor (views, documents, render) do not import
#: each other: each turns results into something else, side by side.
FLOORS = {
    "i18n": 0,
    "view": 0,
    "errors": 1,
    "money": 1,
    "reading": 2,
    "figures": 3,
    "agreement": 4,
    "year": 5,
    "office": 6,
    "views": 7,
    "documents": 7,
    "render": 7,
    "cli": 8,
    "__main__": 9,
}
#: The foundations are the only modules at the top level, beside the packages.
TOP_LEVEL = {"__init__", "__main__", "i18n", "view", "errors", "money", "figures"}
LONGEST = 600


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts)] = path
    return found


def _part(module: str) -> str:
    return module.split(".")[0]


def _imports(module: str, path: Path) -> set[str]:
    """The crema_budget modules (or packages) ``module`` imports, wherever it does."""
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(["crema_budget", *package[: len(package) - node.level + 1]])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            # `from crema_budget.year import due` imports a module: keep the name
            names = [target] + [f"{target}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("crema_budget."):
                found.add(name.removeprefix("crema_budget."))
    return {name for name in found if name.split(".")[0] in FLOORS and name != module}


def test_the_top_level_holds_only_the_foundations_and_the_packages() -> None:
    loose = {p.stem for p in PACKAGE.glob("*.py")}
    assert loose == TOP_LEVEL
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == {part for part in FLOORS if part not in TOP_LEVEL} | {"locale"}


@pytest.mark.parametrize("module", sorted(_modules()))
def test_imports_run_down_the_floors(module: str) -> None:
    """A module imports from a lower floor or from its own part; never from above, and
    never from a neighbour on its own floor."""
    mine = _part(module)
    wrong = sorted(
        name
        for name in _imports(module, _modules()[module])
        if _part(name) != mine and FLOORS[_part(name)] >= FLOORS[mine]
    )
    assert wrong == [], f"crema_budget.{module} (floor {FLOORS[mine]}) imports {wrong}"


def test_no_circle_of_imports_within_a_part() -> None:
    """Inside a package too the imports form no loop (Python would import half a module)."""
    modules = _modules()
    graph = {m: {n for n in _imports(m, p) if n in modules} for m, p in modules.items()}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            loop = (*path[path.index(module) :], module)
            raise AssertionError("circle of imports: " + " → ".join(loop))
        if module in done:
            return
        for name in sorted(graph[module]):
            visit(name, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_is_longer_than_600_lines(module: str) -> None:
    lines = len(_modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= LONGEST, f"crema_budget.{module}: {lines} lines; split it by reason to change"


def test_a_view_and_a_document_share_the_name_of_their_domain_module() -> None:
    """``views/monitor.py`` shows what ``year/monitor.py`` computes, ``documents/monitor.py``
    writes it for scripts: one name per concept, found from either side."""
    modules = _modules()
    # Modules and packages of the domain: year/fatturapa/ is a concept too.
    domain = {
        n for m in modules if _part(m) in ("agreement", "year", "office") for n in m.split(".")
    }
    views = {m.split(".")[-1] for m in modules if _part(m) == "views"} - {"__init__"}
    documents = {m.split(".")[-1] for m in modules if _part(m) == "documents"} - {"__init__"}
    # The report gathers every part of the agreement and its year: no domain module of its own.
    assert views - domain == {"report"}
    # Besides one document per view: their encoding, and the schemas of documents and data.
    assert documents - views == {"encode", "schemas", "data_schemas"}


def test_every_package_is_installed() -> None:
    """pyproject.toml lists every package: one left out works in the editable install of
    a developer and is missing from the one users and CI get."""
    import re

    pyproject = (PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8")
    listed = re.search(r"^packages = \[(.*?)\]", pyproject, re.S | re.M)
    assert listed is not None
    names = set(re.findall(r'"([a-z_.]+)"', listed.group(1)))
    packages = {
        ".".join(init.parent.relative_to(PACKAGE.parent).parts)
        for init in PACKAGE.rglob("__init__.py")
    }
    assert packages - names == set()
