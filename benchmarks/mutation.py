"""Mutation testing of the core: would a test notice if the code were subtly wrong?

Each *mutant* is the program with one small change a person could make by
mistake: a comparison's boundary moved (``<=`` → ``<``), an equality negated, an
arithmetic operator swapped, a constant off by one, another rounding mode, a
boolean result inverted, a condition negated, a statement dropped. For every
mutant the tests that concern its module run (``pytest -x``, with a timeout);
a failing test *kills* it, a mutant every test passes *survives*: a mistake
nobody would notice. The score of a module is the share of its mutants killed
(a timeout counts as noticed), leaving out the survivors known to be
equivalent: changes that cannot alter anything the program does, listed with
the reason in ``benchmarks/mutation-equivalent.txt``.

The mutants are made from the module's syntax tree (no string, message, type
annotation, docstring or ``assert`` is touched) and loaded in place of the real
module by an import hook in the test process, so the files on disk are never
changed and several mutants run side by side (``--jobs``, default: the CPUs).
A first run of the tests, unmutated, notes which lines each test executes: a
mutant runs first against the tests that reach its line, then, if they all pass,
against the rest; a mutant on a line no test reaches is reported as surviving
without being run.

Example: python benchmarks/mutation.py                    (every module below,
                                                           20 to 30 minutes on 2 CPUs)
         python benchmarks/mutation.py money compute      (some of them)
         python benchmarks/mutation.py --list checks      (the mutants, nothing run)

The exit status is 1 when a module scores below ``--min-score`` (default 90).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = Path(__file__).resolve().with_name("mutation-equivalent.txt")


class Target(NamedTuple):
    """A module to mutate and the tests that should notice: the most pointed and
    fastest first, since ``-x`` stops at the first failure."""

    module: str
    tests: tuple[str, ...]
    #: Functions (qualified names, or their prefixes) to mutate; empty: the whole module.
    only: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return ROOT / (self.module.replace(".", "/") + ".py")

    @property
    def relative(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


#: The year's tests, the most pointed and fastest first (``-x`` stops at the first failure).
YEAR_TESTS = (
    "tests/test_year_boundaries.py",
    "tests/test_year_calendar.py",
    "tests/test_year_assign.py",
    "tests/test_monitor.py",
    "tests/test_due.py",
    "tests/test_einvoices_year.py",
    "tests/test_boundaries.py",
    "tests/test_fatturapa.py",
    "tests/test_cli.py",
    "tests/test_report.py",
    "tests/test_credit_notes.py",
)

#: The core: money, the arithmetic, the checks, versions, figures for people, and
#: the parts of the data format that decide figures (cross-field rules, records).
TARGETS: dict[str, Target] = {
    "money": Target(
        "crema_budget.money",
        (
            "tests/test_money.py",
            "tests/test_figures.py",
            "tests/test_figures_locale.py",
            "tests/test_hostile.py",
            "tests/test_schemas.py",
            "tests/test_properties.py",
        ),
    ),
    "compute": Target(
        "crema_budget.agreement.compute",
        (
            "tests/test_figures.py",
            "tests/test_boundaries.py",
            "tests/test_cli.py",
            "tests/test_schemas.py",
            "tests/test_properties.py",
        ),
    ),
    "checks": Target(
        "crema_budget.agreement.checks",
        (
            "tests/test_figures.py",
            "tests/test_boundaries.py",
            "tests/test_schemas.py",
            "tests/test_checks.py",
            "tests/test_properties.py",
        ),
    ),
    "versions": Target(
        "crema_budget.agreement.versions",
        (
            "tests/test_amendments.py",
            "tests/test_versions.py",
            "tests/test_boundaries.py",
            "tests/test_schemas.py",
            "tests/test_workplan_diff.py",
        ),
    ),
    "figures": Target(
        "crema_budget.figures",
        ("tests/test_figures_locale.py", "tests/test_cli.py", "tests/test_formats.py"),
    ),
    "fields": Target(
        "crema_budget.reading.fields",
        (
            "tests/test_fileformat.py",
            "tests/test_hostile.py",
            "tests/test_amendments.py",
            "tests/test_boundaries.py",
            "tests/test_properties.py",
            "tests/test_newcomer.py",  # Italian numbers and dates, said how to write them
        ),
        only=("strict", "_month", "_yes_no", "parse_day"),
    ),
    "fileformat": Target(
        "crema_budget.agreement.fileformat",
        (
            "tests/test_fileformat.py",
            "tests/test_hostile.py",
            "tests/test_amendments.py",
            "tests/test_boundaries.py",
            "tests/test_figures.py",
            "tests/test_versions.py",
            "tests/test_properties.py",
            "tests/test_trusting.py",
        ),
        only=(
            "Servizio.",
            "Fascia.",
            "_nido_servizio",
            "Variazione.",
            "nido_line",
            "to_model",
            "to_variazione",
            "_servizio",
            "to_ambito",
        ),
    ),
    "rules": Target(
        "crema_budget.agreement.rules",
        (
            "tests/test_fileformat.py",
            "tests/test_hostile.py",
            "tests/test_amendments.py",
            "tests/test_boundaries.py",
            "tests/test_figures.py",
            "tests/test_versions.py",
            "tests/test_properties.py",
            "tests/test_due.py",  # a line's kind against its fee, in the file and amendments
            "tests/test_workplan_data.py",  # the work plan's own rules
        ),
        only=(
            "consistency_problems",
            "_amendment_problems",
            "_schedule_problems",
            "_nido_problems",
            "_top",
        ),
    ),
    # Of the walk over the YAML events, the parts that decide what reaches the models: a
    # value (empty is None, a figure stays text, the wrong kind is refused) and the
    # limits on a list's items and on the file's entries. Keys (their anchors, tags and
    # duplicates) and the reporting of problems are left out.
    "walk": Target(
        "crema_budget.reading.walk",
        (
            "tests/test_loader.py",
            "tests/test_hostile.py",
            "tests/test_fileformat.py",
            "tests/test_boundaries.py",
            "tests/test_properties.py",
        ),
        only=("Walk._value", "Walk._sequence", "Walk._count", "Walk._skip"),
    ),
    # The agreement's year: what is due when, invoices assigned to fee lines and their
    # anomalies, split payment, the monitoring that puts them together; and of the
    # e-invoices, SdI's arithmetic and the values read as the schema writes them.
    "due": Target(
        "crema_budget.year.due",
        YEAR_TESTS,
    ),
    "assign": Target(
        "crema_budget.year.assign",
        (*YEAR_TESTS, "tests/test_office.py"),  # codes named by commitments
    ),
    "anomalies": Target(
        "crema_budget.year.anomalies",
        YEAR_TESTS,
    ),
    "split_payment": Target(
        "crema_budget.year.split_payment",
        YEAR_TESTS,
    ),
    "monitor": Target(
        "crema_budget.year.monitor",
        YEAR_TESTS,
    ),
    "sdi": Target(
        "crema_budget.year.fatturapa.sdi",
        YEAR_TESTS,
    ),
    "values": Target(
        "crema_budget.year.fatturapa.values",
        ("tests/test_fatturapa_fields.py", *YEAR_TESTS),
    ),
    "reader": Target(
        "crema_budget.year.fatturapa.reader",
        ("tests/test_fatturapa_fields.py", *YEAR_TESTS),
    ),
    "einvoice_xml": Target(
        "crema_budget.year.fatturapa.xml",
        ("tests/test_fatturapa_batch.py", "tests/test_fatturapa.py", "tests/test_hostile.py"),
    ),
    # The files, as batches read them; how a folder is listed and what is not a regular
    # file are the hostile tests' (tests/test_hostile.py, tests/test_fatturapa.py).
    "einvoice_files": Target(
        "crema_budget.year.fatturapa.files",
        ("tests/test_fatturapa_batch.py", "tests/test_fatturapa.py", "tests/test_hostile.py"),
        (
            "read_einvoices",
            "_read_files",
            "_read_together",
            "read_einvoice",
            "_read_parsed",
            "_read_file",
        ),
    ),
}

# --- the mutations ----------------------------------------------------------------

_COMPARISONS: dict[type[ast.cmpop], tuple[type[ast.cmpop], str, str]] = {
    ast.Lt: (ast.LtE, "<", "<="),
    ast.LtE: (ast.Lt, "<=", "<"),
    ast.Gt: (ast.GtE, ">", ">="),
    ast.GtE: (ast.Gt, ">=", ">"),
    ast.Eq: (ast.NotEq, "==", "!="),
    ast.NotEq: (ast.Eq, "!=", "=="),
    ast.In: (ast.NotIn, "in", "not in"),
    ast.NotIn: (ast.In, "not in", "in"),
    ast.Is: (ast.IsNot, "is", "is not"),
    ast.IsNot: (ast.Is, "is not", "is"),
}
_ARITHMETIC: dict[type[ast.operator], tuple[type[ast.operator], str, str]] = {
    ast.Add: (ast.Sub, "+", "-"),
    ast.Sub: (ast.Add, "-", "+"),
    ast.Mult: (ast.Div, "*", "/"),
    ast.Div: (ast.Mult, "/", "*"),
    ast.FloorDiv: (ast.Div, "//", "/"),
    ast.Mod: (ast.FloorDiv, "%", "//"),
}
_ROUNDING = {
    "ROUND_HALF_UP": "ROUND_HALF_EVEN",
    "ROUND_HALF_EVEN": "ROUND_HALF_UP",
    "ROUND_HALF_DOWN": "ROUND_HALF_UP",
    "ROUND_DOWN": "ROUND_HALF_UP",
    "ROUND_UP": "ROUND_DOWN",
    "ROUND_FLOOR": "ROUND_CEILING",
    "ROUND_CEILING": "ROUND_FLOOR",
}
_SWAPPED_CALLS = {"min": "max", "max": "min", "any": "all", "all": "any"}
#: Calls whose arguments are messages for people: not mutated.
_MESSAGES = {"_", "N_", "ngettext"}


class Mutant(NamedTuple):
    """One small change, where it is and what it does."""

    number: int  # position among the module's mutants, in the order they are found
    line: int
    end_line: int
    function: str  # qualified name of the enclosing function, or <module>
    description: str

    def key(self, relative: str, occurrence: int) -> str:
        """How the equivalents file names it: stable when other code moves."""
        suffix = f" #{occurrence}" if occurrence > 1 else ""
        return f"{relative} | {self.function} | {self.description}{suffix}"


@dataclass
class _Site:
    mutant: Mutant
    apply: Callable[[], None]


def _snippet(node: ast.AST, limit: int = 48) -> str:
    text = ast.unparse(node).splitlines()[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _replace_in(parent: Any, field_name: str, old: ast.AST, new: ast.AST) -> Callable[[], None]:
    """A closure that puts ``new`` where ``old`` is in ``parent.field_name``."""

    def apply() -> None:
        value = getattr(parent, field_name)
        if isinstance(value, list):
            value[value.index(old)] = ast.copy_location(new, old)
        else:
            setattr(parent, field_name, ast.copy_location(new, old))

    return apply


class _Collector:
    """Finds every mutation site of a module, in a fixed order."""

    def __init__(self, only: Sequence[str]) -> None:
        self.only = tuple(only)
        self.sites: list[_Site] = []
        self.scope: list[str] = []
        self.returns_bool: list[bool] = []
        self.rebound: list[Callable[[ast.Assign], bool]] = []

    # where we are

    def _function(self) -> str:
        return ".".join(self.scope) or "<module>"

    def _wanted(self) -> bool:
        if not self.only:
            return True
        name = self._function()
        return any(name == o or name.startswith(o) for o in self.only)

    def _add(self, node: ast.AST, description: str, apply: Callable[[], None]) -> None:
        if not self._wanted():
            return
        line = getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", line) or line
        mutant = Mutant(len(self.sites), line, end, self._function(), description)
        self.sites.append(_Site(mutant, apply))

    # walking

    def module(self, tree: ast.Module) -> None:
        self._body(tree, "body", in_function=False)

    def _body(self, parent: Any, field_name: str, in_function: bool) -> None:
        for statement in list(getattr(parent, field_name)):
            if in_function and self._droppable(statement):
                self._add(
                    statement,
                    f"drop `{_snippet(statement)}`",
                    _replace_in(parent, field_name, statement, ast.Pass()),
                )
            self._statement(statement, in_function)

    def _droppable(self, statement: ast.stmt) -> bool:
        if isinstance(statement, ast.Expr):
            return isinstance(statement.value, ast.Call) and not _is_message(statement.value)
        if isinstance(statement, ast.AugAssign | ast.Continue | ast.Break):
            return True
        if isinstance(statement, ast.Raise):
            return not _is_internal(statement)
        if isinstance(statement, ast.If):
            return not statement.orelse and not _is_type_checking(statement.test)
        if isinstance(statement, ast.Assign):
            return bool(self.rebound) and self.rebound[-1](statement)
        return False

    def _statement(self, node: ast.stmt, in_function: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._def(node)
        elif isinstance(node, ast.ClassDef):
            self.scope.append(node.name)
            self._body(node, "body", in_function=False)
            self.scope.pop()
        elif isinstance(node, ast.Assert | ast.Import | ast.ImportFrom | ast.Global) or (
            isinstance(node, ast.Raise) and _is_internal(node)
        ):
            return
        elif isinstance(node, ast.If):
            if _is_type_checking(node.test):
                return
            self._condition(node, "test")
            self._expression(node, "test")
            self._body(node, "body", in_function)
            self._body(node, "orelse", in_function)
        elif isinstance(node, ast.While):
            self._condition(node, "test")
            self._expression(node, "test")
            self._body(node, "body", in_function)
            self._body(node, "orelse", in_function)
        elif isinstance(node, ast.For | ast.AsyncFor):
            self._expression(node, "iter")
            self._body(node, "body", in_function)
            self._body(node, "orelse", in_function)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                self._expression(item, "context_expr")
            self._body(node, "body", in_function)
        elif isinstance(node, ast.Try):
            self._body(node, "body", in_function)
            for handler in node.handlers:
                self._body(handler, "body", in_function)
            self._body(node, "orelse", in_function)
            self._body(node, "finalbody", in_function)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                self._boolean_return(node)
                self._expression(node, "value")
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._expression(node, "value")
        elif isinstance(node, ast.AugAssign):
            kind = type(node.op)
            if kind in _ARITHMETIC:
                new, before, after = _ARITHMETIC[kind]
                self._add(node, f"`{before}=` → `{after}=`", _set(node, "op", new()))
            self._expression(node, "value")
        elif isinstance(node, ast.Assign | ast.Expr | ast.Raise):
            for name in ("value", "exc"):
                if getattr(node, name, None) is not None:
                    self._expression(node, name)

    def _def(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        returns = node.returns
        self.returns_bool.append(
            (isinstance(returns, ast.Name) and returns.id == "bool")
            or (isinstance(returns, ast.Constant) and returns.value == "bool")
        )
        self.rebound.append(_rebinding(node))
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self._walk_expression(default)
        self._body(node, "body", in_function=True)
        self.rebound.pop()
        self.returns_bool.pop()
        self.scope.pop()

    def _condition(self, node: ast.If | ast.While | ast.IfExp, field_name: str) -> None:
        """``if x`` → ``if not x``, where no other mutation already inverts the test."""
        test = getattr(node, field_name)
        if isinstance(test, ast.Compare | ast.BoolOp | ast.Constant) or (
            isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        ):
            return
        self._add(
            test,
            f"`{_snippet(test, 30)}` → `not …`",
            _replace_in(node, field_name, test, ast.UnaryOp(ast.Not(), test)),
        )

    def _boolean_return(self, node: ast.Return) -> None:
        value = node.value
        if not self.returns_bool or not self.returns_bool[-1] or value is None:
            return
        if isinstance(value, ast.Constant) or _negated_elsewhere(value):
            return  # the constants', comparisons' or `not`'s own mutation is the same
        self._add(
            value,
            f"`return {_snippet(value, 30)}` → `return not …`",
            _replace_in(node, "value", value, ast.UnaryOp(ast.Not(), value)),
        )

    def _expression(self, parent: Any, field_name: str) -> None:
        value = getattr(parent, field_name)
        if isinstance(value, ast.AST):
            self._walk_expression(value, parent, field_name)

    def _walk_expression(
        self, node: ast.AST, parent: Any = None, field_name: str | None = None
    ) -> None:
        if isinstance(node, ast.JoinedStr):
            return
        if isinstance(node, ast.Call) and _is_message(node):
            return
        self._mutate_expression(node, parent, field_name)
        for name, value in ast.iter_fields(node):
            if isinstance(value, ast.AST):
                self._walk_expression(value, node, name)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self._walk_expression(item, node, name)

    def _mutate_expression(self, node: ast.AST, parent: Any, field_name: str | None) -> None:
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                kind = type(op)
                if kind in _COMPARISONS:
                    new, before, after = _COMPARISONS[kind]
                    self._add(node, f"`{before}` → `{after}`", _set_op(node, position, new()))
        elif isinstance(node, ast.BinOp):
            operator = type(node.op)
            if operator in _ARITHMETIC and not _is_text(node):
                swapped, sign, other = _ARITHMETIC[operator]
                self._add(node, f"`{sign}` → `{other}`", _set(node, "op", swapped()))
        elif isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                self._add(node, "`and` → `or`", _set(node, "op", ast.Or()))
            else:
                self._add(node, "`or` → `and`", _set(node, "op", ast.And()))
        elif isinstance(node, ast.UnaryOp) and parent is not None and field_name is not None:
            bare = _replace_in(parent, field_name, node, node.operand)
            if isinstance(node.op, ast.Not):
                self._add(node, "drop `not`", bare)
            elif isinstance(node.op, ast.USub) and not isinstance(node.operand, ast.Constant):
                self._add(node, "drop unary `-`", bare)
        elif isinstance(node, ast.IfExp):
            self._condition(node, "test")
        elif isinstance(node, ast.Constant) and parent is not None and field_name is not None:
            self._constant(node, parent, field_name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in _ROUNDING and parent is not None and field_name is not None:
                # The decimal module's rounding modes are their own names as strings.
                self._add(
                    node,
                    f"{node.id} → {_ROUNDING[node.id]}",
                    _replace_in(parent, field_name, node, ast.Constant(_ROUNDING[node.id])),
                )
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in _SWAPPED_CALLS:
                self._add(
                    node,
                    f"`{function.id}` → `{_SWAPPED_CALLS[function.id]}`",
                    _set(function, "id", _SWAPPED_CALLS[function.id]),
                )
            if (
                isinstance(function, ast.Name)
                and function.id in ("Decimal", "D")
                and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                text = node.args[0].value
                bumped = _bump_digits(text)
                if bumped is not None:
                    self._add(
                        node,
                        f"Decimal({text!r}) → Decimal({bumped!r})",
                        _set(node.args[0], "value", bumped),
                    )
                    if "." in text and len(text.partition(".")[2]) > 1:
                        # One decimal fewer: what a figure used as a quantum rounds to.
                        self._add(
                            node,
                            f"Decimal({text!r}) → Decimal({text[:-1]!r})",
                            _set(node.args[0], "value", text[:-1]),
                        )

    def _constant(self, node: ast.Constant, parent: Any, field_name: str) -> None:
        value = node.value
        if isinstance(value, bool):
            self._add(
                node,
                f"{value} → {not value}",
                _replace_in(parent, field_name, node, ast.Constant(not value)),
            )
        elif isinstance(value, int):
            if isinstance(parent, ast.Call) and _called(parent) in ("Decimal", "D"):
                return  # Decimal(100): covered as a figure below
            self._add(
                node,
                f"{value} → {value + 1}",
                _replace_in(parent, field_name, node, ast.Constant(value + 1)),
            )


def _set(node: Any, name: str, value: Any) -> Callable[[], None]:
    def apply() -> None:
        setattr(node, name, value)

    return apply


def _set_op(node: ast.Compare, position: int, op: ast.cmpop) -> Callable[[], None]:
    def apply() -> None:
        node.ops[position] = op

    return apply


def _called(node: ast.Call) -> str | None:
    function = node.func
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _is_message(node: ast.Call) -> bool:
    return _called(node) in _MESSAGES


def _is_text(node: ast.BinOp) -> bool:
    """String concatenation or %-formatting: not arithmetic."""
    return any(
        isinstance(side, ast.JoinedStr)
        or (isinstance(side, ast.Constant) and isinstance(side.value, str))
        or (isinstance(side, ast.Call) and _is_message(side))
        for side in (node.left, node.right)
    )


def _negated_elsewhere(value: ast.expr) -> bool:
    """Whether another mutation already turns ``value`` into its negation."""
    if isinstance(value, ast.UnaryOp):
        return isinstance(value.op, ast.Not)
    return (
        isinstance(value, ast.Compare)
        and len(value.ops) == 1
        and isinstance(value.ops[0], ast.Eq | ast.NotEq | ast.In | ast.NotIn | ast.Is | ast.IsNot)
    )


def _is_internal(node: ast.Raise) -> bool:
    """``raise AssertionError``: an internal invariant, like ``assert``."""
    exc = node.exc
    if isinstance(exc, ast.Call):
        exc = exc.func
    return isinstance(exc, ast.Name) and exc.id == "AssertionError"


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def _bump_digits(text: str) -> str | None:
    """``"0.01"`` → ``"0.02"``, ``"100"`` → ``"101"``: the last digit plus one (9 → 8)."""
    stripped = text.strip()
    if not stripped or not stripped[-1].isdigit():
        return None
    try:
        float(stripped)
    except ValueError:
        return None
    last = int(stripped[-1])
    return stripped[:-1] + str(last + 1 if last < 9 else last - 1)


def _rebinding(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Callable[[ast.Assign], bool]:
    """Whether an assignment in ``function`` gives a name a new value (a parameter or a
    name assigned on an earlier line): dropping it leaves the old value in place."""
    arguments = function.args
    bound = {
        a.arg
        for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        if a.arg not in ("self", "cls")
    }
    first: dict[str, int] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            first[node.id] = min(first.get(node.id, node.lineno), node.lineno)

    def rebinds(statement: ast.Assign) -> bool:
        if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
            return False
        name = statement.targets[0].id
        return name in bound or first.get(name, statement.lineno) < statement.lineno

    return rebinds


def mutants(target: Target) -> tuple[str, list[Mutant]]:
    """The module's source and every mutant of it, in a fixed order."""
    source = target.path.read_text(encoding="utf-8")
    collector = _Collector(target.only)
    collector.module(ast.parse(source, str(target.path)))
    skipped = _pragma_lines(source)
    return source, [s.mutant for s in collector.sites if s.mutant.line not in skipped]


def _pragma_lines(source: str) -> set[int]:
    return {n for n, line in enumerate(source.splitlines(), 1) if "pragma: no mutate" in line}


def mutant_code(target: Target, index: int) -> CodeType:
    """The module compiled with mutant ``index`` applied."""
    source = target.path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(target.path))
    collector = _Collector(target.only)
    collector.module(tree)
    collector.sites[index].apply()
    ast.fix_missing_locations(tree)
    return compile(tree, str(target.path), "exec")


def keys(target: Target, found: Sequence[Mutant]) -> dict[int, str]:
    """Each mutant's name in the equivalents file."""
    seen: dict[tuple[str, str], int] = {}
    named = {}
    for mutant in found:
        count = seen.get((mutant.function, mutant.description), 0) + 1
        seen[(mutant.function, mutant.description)] = count
        named[mutant.number] = mutant.key(target.relative, count)
    return named


def known_equivalent(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """The equivalents file: ``path | function | mutation | why`` per line."""
    found: dict[str, str] = {}
    if not path.exists():
        return found
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(" | ")
        if len(parts) < 4:
            raise SystemExit(f"{path}: cannot read {line!r}: want path | function | mutation | why")
        found[" | ".join(parts[:-1])] = parts[-1]
    return found


# --- running the tests in a child process --------------------------------------------

#: Where the lines a module executes while tests are collected are filed.
COLLECTION = "<collection>"


def _child(
    module: str, index: int, trace_to: str | None, select: str | None, pytest_args: list[str]
) -> int:
    """In the child: load mutant ``index`` of ``module`` (none: -1) in place of the
    module, run pytest (only the tests listed in the file ``select``, if given) and,
    with ``trace_to``, note which lines of the module each test executes."""
    import importlib.abc
    import importlib.machinery
    import importlib.util
    from types import ModuleType

    import pytest

    target = next(t for t in TARGETS.values() if t.module == module)
    filename = str(target.path)
    if index >= 0:
        code = mutant_code(target, index)

        class Loader(importlib.abc.Loader):
            def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
                return None

            def exec_module(self, new: ModuleType) -> None:
                exec(code, new.__dict__)

        class Finder(importlib.abc.MetaPathFinder):
            def find_spec(
                self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
            ) -> importlib.machinery.ModuleSpec | None:
                if fullname != module:
                    return None
                spec = importlib.util.spec_from_loader(fullname, Loader(), origin=filename)
                assert spec is not None
                spec.has_location = True
                return spec

        sys.meta_path.insert(0, Finder())

    plugin = _Plugin(select)
    if trace_to is not None:
        lines = plugin.lines

        def local(frame: FrameType, event: str, arg: object) -> Any:
            if event == "line":
                lines.setdefault(plugin.current, set()).add(frame.f_lineno)
            return local

        def tracer(frame: FrameType, event: str, arg: object) -> Any:
            if frame.f_code.co_filename == filename:
                lines.setdefault(plugin.current, set()).add(frame.f_lineno)
                return local
            return None

        sys.settrace(tracer)
    status = int(pytest.main(pytest_args, plugins=[plugin]))
    if trace_to is not None:
        sys.settrace(None)
        by_test = {test: sorted(found) for test, found in plugin.lines.items()}
        Path(trace_to).write_text(json.dumps(by_test), encoding="utf-8")
    return status


class _Plugin:
    """Keeps only the selected tests, and says which test is running."""

    def __init__(self, select: str | None) -> None:
        self.current = COLLECTION
        self.lines: dict[str, set[int]] = {}
        self.selected: set[str] | None = None
        if select is not None:
            self.selected = set(Path(select).read_text(encoding="utf-8").splitlines())

    def pytest_collection_modifyitems(self, config: Any, items: list[Any]) -> None:
        if self.selected is None:
            return
        kept = [item for item in items if item.nodeid in self.selected]
        dropped = [item for item in items if item.nodeid not in self.selected]
        items[:] = kept
        config.hook.pytest_deselected(items=dropped)

    def pytest_runtest_setup(self, item: Any) -> None:
        self.current = item.nodeid
        self.lines.setdefault(item.nodeid, set())  # every test is listed, even one that
        # executes none of the module's lines


class Outcome(NamedTuple):
    status: str  # killed, survived, timeout, not run
    seconds: float


_PYTEST = ["-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--no-header"]


#: The children running now, so that an interrupted run leaves none behind.
_RUNNING: set[subprocess.Popen[bytes]] = set()
_STOPPING = threading.Event()


def _stop_children() -> None:
    for process in list(_RUNNING):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def _run(
    target: Target,
    index: int,
    timeout: float,
    scratch: Path,
    trace_to: str | None = None,
    select: Sequence[str] | None = None,
) -> tuple[int | None, float]:
    """Run the target's tests (only ``select``, if given) against mutant ``index``
    (-1: none); the exit status, or None on timeout, and the seconds it took."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", target.module, str(index)]
    if trace_to is not None:
        argv += ["--trace-to", trace_to]
    if select is not None:
        listed = scratch / "selected.txt"
        listed.write_text("\n".join(select), encoding="utf-8")
        argv += ["--select", str(listed)]
    files = target.tests
    if select is not None:  # only the files that hold a selected test are collected
        holding = {test.partition("::")[0] for test in select}
        files = tuple(file for file in target.tests if file in holding)
    argv += ["--", *_PYTEST, *files]
    env = {
        **os.environ,
        "HYPOTHESIS_STORAGE_DIRECTORY": str(scratch / "hypothesis"),
        "CREMA_BUDGET_CACHE": str(scratch / "cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
        # This checkout's package, whatever else is installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    start = time.perf_counter()
    if _STOPPING.is_set():
        return None, 0.0
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _RUNNING.add(process)
    try:
        status: int | None = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        status = None
    finally:
        _RUNNING.discard(process)
    return status, time.perf_counter() - start


@dataclass
class Report:
    target: Target
    found: list[Mutant]
    names: dict[int, str]
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes.values())

    def survivors(self, equivalent: dict[str, str]) -> Iterator[tuple[Mutant, str, str | None]]:
        for mutant in self.found:
            outcome = self.outcomes[mutant.number]
            if outcome.status in ("survived", "not run"):
                name = self.names[mutant.number]
                yield mutant, outcome.status, equivalent.get(name)

    def score(self, equivalent: dict[str, str]) -> float:
        known = sum(1 for _m, _s, why in self.survivors(equivalent) if why is not None)
        counted = len(self.found) - known
        noticed = self.count("killed") + self.count("timeout")
        return 100.0 if counted == 0 else 100.0 * noticed / counted


def run_target(target: Target, jobs: int, log: Callable[[str], None]) -> Report:
    """Every mutant of ``target`` against its tests.

    A mutant runs first against the tests that execute its line (in the first,
    unmutated run); one they do not kill runs against the rest of the target's
    tests before it is called a survivor, so the result is that of the whole set,
    only sooner.
    """
    for test in target.tests:
        if not (ROOT / test).is_file():
            raise SystemExit(f"{target.relative}: no test file {test}")
    _source, found = mutants(target)
    report = Report(target, found, keys(target, found))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crema-mutation-") as folder:
        scratch = Path(folder)
        trace = scratch / "lines.json"
        (scratch / "baseline").mkdir()
        status, baseline = _run(target, -1, 3600, scratch / "baseline", str(trace))
        if status != 0:
            raise SystemExit(f"{target.relative}: the tests fail without any mutant ({status})")
        by_test: dict[str, list[int]] = json.loads(trace.read_text(encoding="utf-8"))
        timeout = 2 * baseline + 15
        log(
            f"{target.relative}: {len(found)} mutants; its tests take {baseline:.1f} s "
            f"(traced), timeout {timeout:.0f} s"
        )
        every = [test for test in by_test if test != COLLECTION]
        plans: list[tuple[Mutant, list[str] | None]] = []
        for mutant in found:
            span = set(range(mutant.line, mutant.end_line + 1))
            reaching = [test for test, lines in by_test.items() if not span.isdisjoint(lines)]
            if not reaching:
                report.outcomes[mutant.number] = Outcome("not run", 0.0)
            elif COLLECTION in reaching:
                plans.append((mutant, None))  # run at import: any test may depend on it
            else:
                plans.append((mutant, [test for test in every if test in reaching]))

        def attempt(mutant: Mutant, select: list[str] | None) -> Outcome:
            with tempfile.TemporaryDirectory(dir=scratch) as own:
                code, seconds = _run(target, mutant.number, timeout, Path(own), select=select)
            if code is None:
                return Outcome("timeout", seconds)
            if code in (0, 5):  # 5: no test ran, which notices nothing either
                return Outcome("survived", seconds)
            return Outcome("killed", seconds)

        def one(plan: tuple[Mutant, list[str] | None]) -> tuple[int, Outcome]:
            mutant, select = plan
            outcome = attempt(mutant, select)
            if outcome.status == "survived" and select is not None:
                rest = [test for test in every if test not in select]
                if rest:
                    again = attempt(mutant, rest)
                    outcome = Outcome(again.status, outcome.seconds + again.seconds)
            return mutant.number, outcome

        pool = ThreadPoolExecutor(max_workers=jobs)
        try:
            for done, (index, outcome) in enumerate(pool.map(one, plans), 1):
                report.outcomes[index] = outcome
                if outcome.status == "survived":
                    mutant = found[index]
                    log(f"  survived: {target.relative}:{mutant.line}: {mutant.description}")
                if done % 50 == 0:
                    log(f"  {done}/{len(plans)} run")
        except BaseException:
            _STOPPING.set()
            pool.shutdown(wait=False, cancel_futures=True)
            _stop_children()
            raise
        pool.shutdown()
    report.seconds = time.perf_counter() - start
    return report


# --- the command line -------------------------------------------------------------


def _print_report(reports: Sequence[Report], equivalent: dict[str, str], seconds: float) -> None:
    print()
    header = (
        f"{'module':<28} {'mutants':>7} {'killed':>7} {'timeout':>7} {'survived':>8} "
        f"{'equiv.':>6} {'score':>7} {'time':>7}"
    )
    print(header)
    print("-" * len(header))
    for report in reports:
        survived = report.count("survived") + report.count("not run")
        known = sum(1 for _m, _s, why in report.survivors(equivalent) if why is not None)
        print(
            f"{report.target.relative:<28} {len(report.found):>7} {report.count('killed'):>7} "
            f"{report.count('timeout'):>7} {survived:>8} {known:>6} "
            f"{report.score(equivalent):>6.1f}% {report.seconds:>6.0f}s"
        )
    print(f"\nin {seconds:.0f} s")
    for report in reports:
        rows = list(report.survivors(equivalent))
        if not rows:
            continue
        print(f"\nSurvivors in {report.target.relative}:")
        for mutant, status, why in rows:
            where = f"{report.target.relative}:{mutant.line}"
            note = f"  [equivalent: {why}]" if why else ""
            never = " (line never executed by the tests)" if status == "not run" else ""
            print(f"  {where}: {mutant.function}: {mutant.description}{never}{note}")
            if why is None:
                print(f"      key: {report.names[mutant.number]}")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--child"]:
        split = args.index("--")
        flags = dict(zip(args[3:split:2], args[4:split:2], strict=True))
        return _child(
            args[1], int(args[2]), flags.get("--trace-to"), flags.get("--select"), args[split + 1 :]
        )
    parser = argparse.ArgumentParser(
        description="Mutation testing of crema-budget's core.",
        epilog="Modules: " + ", ".join(TARGETS),
    )
    parser.add_argument("modules", nargs="*", metavar="MODULE", help="default: all of them")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--min-score", type=float, default=90.0)
    options = parser.parse_args(args)
    unknown = [name for name in options.modules if name not in TARGETS]
    if unknown:
        parser.error(f"unknown module {unknown[0]}; choose from {', '.join(TARGETS)}")
    chosen = [TARGETS[name] for name in options.modules or TARGETS]
    if options.list:
        for target in chosen:
            _source, found = mutants(target)
            names = keys(target, found)
            for mutant in found:
                print(f"{target.relative}:{mutant.line}: {names[mutant.number]}")
        return 0
    equivalent = known_equivalent()
    start = time.perf_counter()
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    reports = [run_target(t, options.jobs, lambda text: print(text, flush=True)) for t in chosen]
    _print_report(reports, equivalent, time.perf_counter() - start)
    return 0 if all(r.score(equivalent) >= options.min_score for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
