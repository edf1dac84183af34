"""Rendering: results → text or bytes, one module per output format.

Renderers only *return* what they make; the CLI decides where it goes. Each
format's module is imported only when that format is asked for, so the
spreadsheet writer and the template engine cost nothing to ``totals``.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Protocol, Union

if TYPE_CHECKING:
    from rich.console import RenderableType

    from crema_budget.checks import Check
    from crema_budget.compute import Preventivo, Risorse, TariffaFascia, Totali

#: What a renderer returns: text, bytes (xlsx) or a Rich renderable (tables).
Output = Union[str, bytes, "RenderableType"]


class Format(str, Enum):
    """The output formats of the reporting commands."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    XLSX = "xlsx"

    @property
    def binary(self) -> bool:
        return self is Format.XLSX


class Renderer(Protocol):
    """One output format: a method per reporting command."""

    def totals(self, totali: Totali, risorse: Risorse) -> Output: ...

    def nido(self, preventivo: Preventivo) -> Output: ...

    def fasce(self, tariffe: tuple[TariffaFascia, ...]) -> Output: ...

    def risorse(self, risorse: Risorse, itemised: bool) -> Output: ...

    def check(self, checks: list[Check]) -> Output: ...


def renderer(fmt: Format, locale: str) -> Renderer:
    """The renderer for ``fmt``, importing its module only now."""
    if fmt is Format.TABLE:
        from crema_budget.render.table import TableRenderer

        return TableRenderer(locale)
    if fmt is Format.JSON:
        from crema_budget.render.json import JsonRenderer

        return JsonRenderer()
    if fmt is Format.CSV:
        from crema_budget.render.csv import CsvRenderer

        return CsvRenderer()
    if fmt is Format.MARKDOWN:
        from crema_budget.render.markdown import MarkdownRenderer

        return MarkdownRenderer(locale)
    if fmt is Format.XLSX:
        from crema_budget.render.xlsx import XlsxRenderer

        return XlsxRenderer()
    raise AssertionError(f"unhandled format {fmt}")  # pragma: no cover
