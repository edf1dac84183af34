"""The command line: glue only. Reads the options, loads, computes, builds a view,
hands it to a format, and decides where the result goes.

This package is the only place that touches stdout, stderr and exit codes.
Help texts are English source strings marked with ``N_``; they are translated
when shown (:mod:`crema_budget.cli.usage`).
"""

# No `from __future__ import annotations` here: Typer reads these annotations when
# a command runs; real objects spare an eval() per annotation at every start-up.

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import typer
from typer.core import TyperGroup

from crema_budget import i18n
from crema_budget.cli import output
from crema_budget.cli.options import (
    DataOption,
    HelpOption,
    LocaleOption,
    NoCacheOption,
    VersionOption,
)
from crema_budget.errors import CremaBudgetError, DataError, ExitCode, UsageError
from crema_budget.i18n import N_, _, ngettext, whole
from crema_budget.render import Format, Options, fits, format_for

if TYPE_CHECKING:
    from crema_budget.agreement.model import Agreement
    from crema_budget.agreement.versions import Versione
    from crema_budget.view import View
    from crema_budget.year.records import Registro


#: What an Italian user may type for a command: the word of the office, not the
#: nearest spelling ("relazione" is the report, not "variazioni").
_ITALIAN_COMMANDS = {
    "totali": "totals",
    "sintesi": "totals",
    "verifica": "check",
    "controllo": "check",
    "relazione": "report",
    "rendiconto": "report",
    "rendicontazione": "report",
    "monitoraggio": "monitor",
    "andamento": "monitor",
    "fasce": "nido",
    "asilo": "nido",
    "fattura": "fatture",
    "variazione": "variazioni",
    "confronto": "diff",
    "confronta": "diff",
    "tempestività": "tempestivita",
    "indicatore": "tempestivita",
    "aiuto": "--help",
    "help": "--help",
}


class _Group(TyperGroup):
    """The top-level command: a mistyped command name is a usage error in the
    user's language, with the nearest command suggested."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in self.commands:
            close = _ITALIAN_COMMANDS.get(name.lower()) or i18n.closest(name, list(self.commands))
            if close:
                raise UsageError(
                    _("no such command {name}; did you mean {suggestion}?").format(
                        name=repr(name), suggestion=close
                    )
                )
            raise UsageError(
                _("no such command {name}; the commands are: {commands}").format(
                    name=repr(name), commands=", ".join(self.commands)
                )
            )
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_Group,
    name="crema-budget",
    help=N_(
        "Calculator and checker of the figures of the 2016 co-design agreement between "
        "the Comune di Crema and the Consorzio Sul Serio.\n\n"
        "Every command reads the embedded 2016 agreement unless --data names another file."
    ),
    add_completion=True,
    add_help_option=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    invoke_without_command=True,
)


class Settings(NamedTuple):
    """The options every command shares, given before or after its name."""

    data: str | None = None
    locale: str = i18n.DEFAULT_LANGUAGE
    cache: bool = True

    def load(self) -> "Loaded":
        """Read and validate the data file (or standard input, or the embedded one),
        through the cache of validated files unless --no-cache."""
        from crema_budget.reading import cache, source

        if self.data == "-":
            if sys.stdin is None:
                raise UsageError(_("--data -: standard input is closed"))
            name = "<stdin>"
            raw = source.read_stream(sys.stdin.buffer, name)
        else:
            path = source.default_data_path() if self.data is None else Path(self.data)
            name = str(path)
            raw = source.read_file(path)
        digest = source.sha256_hex(raw)
        from crema_budget.agreement.model import Agreement
        from crema_budget.cli.progress import working

        with working(_("reading {file}…").format(file=name)):
            agreement = cache.load(
                "agreement", Agreement, raw, digest, name, _parse_agreement, self.cache
            )
        return Loaded(agreement, name, digest)

    def agreement(self) -> "Agreement":
        return self.load().agreement

    def registro(self, path: Path) -> "Registro":
        """Read and validate a register of the year, through the cache."""
        from crema_budget.reading import cache, source

        raw = source.read_file(path)
        digest = source.sha256_hex(raw)
        from crema_budget.cli.progress import working
        from crema_budget.year.records import Registro

        with working(_("reading {file}…").format(file=path)):
            return cache.load(
                "registro", Registro, raw, digest, str(path), _parse_registro, self.cache
            )


def _parse_agreement(raw: bytes, name: str) -> "Agreement":
    # Imported only when a file is not in the cache: YAML and Pydantic are most of
    # the start-up of a run that needs them.
    from crema_budget.agreement.load import parse_agreement

    return parse_agreement(raw, name)


def _parse_registro(raw: bytes, name: str) -> "Registro":
    from crema_budget.year.register import parse_registro

    return parse_registro(raw, name)

    def agreement(self) -> "Agreement":
        return self.load().agreement


class Loaded(NamedTuple):
    """A validated agreement and where it came from."""

    agreement: "Agreement"
    source: str  # the file as messages name it
    sha256: str  # of its bytes, for the report's provenance


# --- options (declared in crema_budget.cli.options) --------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_ITALIAN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


def parse_date(text: str, option: str = "--al") -> date:
    """A date as people type it: ``2016-06-30`` or ``30/06/2016``."""
    value = text.strip()
    try:
        if match := _ISO.fullmatch(value):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _ITALIAN.fullmatch(value):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise UsageError(
        _("{option} {value} is not a date; write it as 2016-06-30 or 30/06/2016").format(
            option=option, value=repr(text)
        )
    )


def warn_outside_year(when: date | None, anno: int) -> None:
    """A date before or after the agreement's year is allowed (the year seen from
    outside it) but is most likely a typo: say so on standard error."""
    if when is None or when.year == anno:
        return
    shown = f"{when.day:02d}/{when.month:02d}/{when.year}"
    if when.year < anno:
        text = _("--al {date} is before the agreement's year ({anno}): nothing is due yet")
    else:
        text = _("--al {date} is after the agreement's year ({anno}): the year is shown as ended")
    output.write_stderr(
        "crema-budget: " + _("warning: {text}").format(text=text.format(date=shown, anno=anno))
    )


class AtDate(NamedTuple):
    """The agreement to show, what marks its amended lines, and warnings to put first."""

    agreement: "Agreement"
    versione: "Versione | None"  # None when nothing is amended
    avvisi: tuple[str, ...]


def amended_at(s: "Settings", al: str | None) -> AtDate:
    """The agreement as amended at ``--al`` (every amendment without it), and what
    the views need to mark amended lines; with the warnings of
    :func:`~crema_budget.views.agreement.figure_alerts`."""
    when = parse_date(al) if al is not None else None
    signed = s.agreement()
    from crema_budget.views.agreement import figure_alerts

    avvisi = figure_alerts(signed)
    if not signed.variazioni:
        return AtDate(signed, None, avvisi)
    from crema_budget.agreement.compute import risorse, totali
    from crema_budget.agreement.versions import Versione, amended

    variato = amended(signed, when)
    if not variato.applicate:
        return AtDate(variato.agreement, None, avvisi)
    municipali = totali(signed)
    versione = Versione(variato.applicate, municipali, risorse(signed, municipali), when)
    return AtDate(variato.agreement, versione, avvisi)


@app.callback()
def main_callback(
    ctx: typer.Context,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    version: VersionOption = False,
    help_: HelpOption = False,
) -> None:
    ctx.obj = Settings(data=data, locale=locale or i18n.language(), cache=not no_cache)
    if ctx.invoked_subcommand is None:
        raise UsageError(_("missing command"))


def settings(
    ctx: typer.Context, data: str | None, locale: str | None, no_cache: bool = False
) -> Settings:
    """The shared options: given after the command name, they win over before it."""
    found = ctx.find_object(Settings) or Settings(locale=i18n.language())
    return Settings(
        data=data if data is not None else found.data,
        locale=locale if locale is not None else found.locale,
        cache=found.cache and not no_cache,
    )


# --- where results go -------------------------------------------------------------


class Target(NamedTuple):
    fmt: Format
    path: Path | None  # None: standard output


def target(
    fmt_text: str | None,
    output_text: str | None,
    inputs: tuple[str | None, ...],
    default: Format = Format.TABLE,
) -> Target:
    """The format and the file the result goes to, or a usage error.

    ``--format`` when given, else the ``--output`` file's extension, else
    ``default``; a contradiction between the two is an error, and so is an
    output file that is one of the ``inputs``, or in a folder among them, by any
    name (never overwrite what is read; None is the embedded agreement).
    """
    path = None if output_text in (None, "-") else Path(output_text or "")
    fmt: Format | None = None
    if fmt_text is not None:
        try:
            fmt = Format(fmt_text.lower())
        except ValueError:
            raise UsageError(
                _("unknown format {given}; use one of: {formats}").format(
                    given=repr(fmt_text), formats=", ".join(f.value for f in Format)
                )
            ) from None
    if path is not None:
        implied = format_for(path.suffix)
        if fmt is None:
            if implied is None and path.is_dir():
                # A folder has no extension either, but that is not what is wrong.
                raise UsageError(
                    _("cannot write {path}: {reason}").format(path=path, reason=_("it is a folder"))
                )
            if implied is None:
                raise UsageError(
                    _(
                        "cannot tell the format from the name {path}; give --format, or a "
                        "name ending in {extensions}"
                    ).format(
                        path=path, extensions=".csv .json .md .xlsx .ods .html .pdf .odt .docx .txt"
                    )
                )
            # A .csv for an Italian is for a spreadsheet opened by double click:
            # semicolons and decimal commas, as Excel and LibreOffice read it in Italy.
            csv_it = implied is Format.CSV and i18n.language() == "it"
            fmt = Format.CSV_IT if csv_it else implied
        elif not fits(fmt, path.suffix):
            raise UsageError(
                _("--format {fmt} contradicts the file name {path}").format(
                    fmt=fmt.value, path=path
                )
            )
        from crema_budget.cli.inputs import refuse_to_overwrite

        refuse_to_overwrite(path, inputs)
    fmt = fmt or default
    if fmt is Format.JSON and path is None:
        from crema_budget.cli import progress

        progress.disable()  # a script reads standard output: no spinner beside it
    if path is None and fmt.binary and output.stdout_is_terminal():
        raise UsageError(
            _("{fmt} is a binary format: give --output FILE.{fmt}").format(fmt=fmt.value)
        )
    return Target(fmt, path)


def documents(concept: str) -> Any:
    """The JSON documents of one concept (:mod:`crema_budget.documents`'s module of that
    name), imported only when JSON is asked for."""
    import importlib

    return importlib.import_module(f"crema_budget.documents.{concept}")


def show(
    where: Target,
    locale: str,
    view: "Callable[[], View]",
    document: Callable[[], dict[str, Any]],
    avvisi: Sequence[str] = (),
) -> None:
    """Render the result in the target's format and deliver it. ``avvisi`` are in
    the view already; the formats for scripts, which have no place for them, get
    them on standard error."""
    from crema_budget.render import render

    if where.fmt in (Format.JSON, Format.CSV):
        for avviso in avvisi:
            output.write_stderr("crema-budget: " + _("warning: {text}").format(text=avviso))
    if where.fmt is Format.JSON:
        from crema_budget.documents.encode import pieces

        content: str | bytes | Iterator[str] = pieces(document())
    else:
        content = render(
            where.fmt,
            view(),
            Options(
                locale=locale, width=output.width(), color=where.path is None and output.color()
            ),
        )
    deliver(content, where.path)


def deliver(content: str | bytes | Iterator[str], path: Path | None) -> None:
    if path is None:
        output.write_stdout(content)
        return
    size = output.write_file(path, content)
    output.write_stderr(
        ngettext("wrote {path} ({size} byte)", "wrote {path} ({size} bytes)", size).format(
            path=path, size=whole(size)
        )
    )


def today() -> date:
    """The date of this run: ``SOURCE_DATE_EPOCH`` if set (reproducible builds
    of a report), else the clock's."""
    import os
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


# --- errors -----------------------------------------------------------------------


def fail(error: CremaBudgetError) -> NoReturn:
    """Report one of the tool's errors on stderr and exit with its code."""
    if isinstance(error, output.PipeClosed):
        raise typer.Exit(int(ExitCode.PIPE_CLOSED))
    if isinstance(error, DataError):
        count = error.total
        source = error.problems[0].source if error.problems else _("the data file")
        message = str(error)
        if error.incomplete:
            message += "\n" + _("more than {n} problems in {source}; nothing was computed").format(
                n=count, source=source
            )
        elif count > 1:
            message += "\n" + ngettext(
                "{n} problem in {source}; nothing was computed",
                "{n} problems in {source}; nothing was computed",
                count,
            ).format(n=count, source=source)
        output.write_stderr(f"crema-budget: {message}")
    else:
        output.write_stderr(f"crema-budget: {error}")
    raise typer.Exit(int(error.exit_code))
