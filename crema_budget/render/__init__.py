"""Output formats: any :class:`~crema_budget.view.View` to text or bytes.

One module per format, named for it unless :data:`_MODULES` says otherwise,
each with a ``render(view, options)`` function and imported only when its
format is asked for, so the spreadsheet and word-processor writers and the
template engine cost nothing to ``totals``. Renderers only *return* what
they make; the CLI decides where it goes.

JSON is not here: it is a versioned document shaped like the domain
(:mod:`crema_budget.documents.encode`), an interface for scripts rather than a
view for people.
"""

from __future__ import annotations

import importlib
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from crema_budget.view import View


class Format(str, Enum):
    """The output formats; every command that shows results takes each of them."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    CSV_IT = "csv-it"
    MARKDOWN = "markdown"
    XLSX = "xlsx"
    ODS = "ods"
    HTML = "html"
    PDF = "pdf"
    ODT = "odt"
    DOCX = "docx"

    @property
    def binary(self) -> bool:
        """Bytes that a terminal cannot show: they need ``--output``."""
        return self in (Format.XLSX, Format.ODS, Format.PDF, Format.ODT, Format.DOCX)


#: Where a format's ``render`` lives, if not in the module named for it.
_MODULES = {Format.TABLE: "terminal", Format.CSV_IT: "csv"}

#: The format a file extension asks for, when ``--format`` is not given.
EXTENSIONS = {
    ".txt": Format.TABLE,
    ".json": Format.JSON,
    ".csv": Format.CSV,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".xlsx": Format.XLSX,
    ".ods": Format.ODS,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".pdf": Format.PDF,
    ".odt": Format.ODT,
    ".docx": Format.DOCX,
}


def format_for(extension: str) -> Format | None:
    """The format a file name's extension implies (``.xlsx`` → xlsx), if any."""
    return EXTENSIONS.get(extension.lower())


def fits(fmt: Format, extension: str) -> bool:
    """Whether a file with ``extension`` can hold ``fmt`` (csv-it goes in a .csv)."""
    implied = format_for(extension)
    if implied is None:
        return True
    if fmt is Format.CSV_IT:
        return implied is Format.CSV
    return implied is fmt


class Options(NamedTuple):
    """How to render: the language of figures and, for terminal tables, the width."""

    locale: str
    width: int = 80
    color: bool = False
    csv_italian: bool = False  # csv: the Italian spreadsheet dialect (csv-it)


def render(fmt: Format, view: View, options: Options) -> str | bytes:
    """``view`` in ``fmt``; imports the format's module only now."""
    if fmt is Format.JSON:  # rendered from results: crema_budget.documents.encode
        raise ValueError("JSON is rendered from results, not from a view")
    module = importlib.import_module(f"crema_budget.render.{_MODULES.get(fmt, fmt.value)}")
    if fmt is Format.CSV_IT:
        options = options._replace(csv_italian=True)
    output: str | bytes = module.render(view, options)
    return output
