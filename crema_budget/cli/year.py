"""Commands about the agreement's year: monitor (due, invoiced, paid, anomalies) and
fatture (the e-invoices read)."""

# No `from __future__ import annotations` here: Typer reads these annotations.

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from crema_budget.cli.app import (
    Settings,
    app,
    documents,
    fail,
    parse_date,
    settings,
    show,
    target,
    today,
    warn_outside_year,
)
from crema_budget.cli.options import (
    AlOption,
    DataOption,
    FormatOption,
    HelpOption,
    LocaleOption,
    NoCacheOption,
    OutputOption,
    RegistroOption,
)
from crema_budget.errors import CremaBudgetError, ExitCode, UsageError
from crema_budget.i18n import N_, _

if TYPE_CHECKING:
    from crema_budget.agreement.model import Agreement
    from crema_budget.errors import DataError
    from crema_budget.office.commitments import Impegni
    from crema_budget.office.timeliness import Tempestivita
    from crema_budget.view import View
    from crema_budget.year.fatturapa.records import FatturaElettronica
    from crema_budget.year.monitor import Monitoraggio
    from crema_budget.year.records import Abbinamento, Registro


class Year(NamedTuple):
    """What the year's commands read: the agreement, the register and its e-invoices."""

    agreement: "Agreement"
    registro: "Registro"
    invoices: "list[FatturaElettronica]"
    errors: list[tuple[str, str]]
    data: str | None  # the agreement's file (None: the embedded one)
    #: Files and folders read, which an output must never overwrite (None: the
    #: embedded agreement).
    inputs: tuple[str | None, ...]


def load_year(s: Settings, registro_path: str) -> Year:
    """The register, the agreement it names (unless --data names one) and its e-invoices."""
    path = Path(registro_path)
    registro = s.registro(path)
    data = s.data
    if data is None and registro.accordo is not None:
        data = _agreement_named(path, registro.accordo)
        agreement = _load_named(s._replace(data=data), path, registro.accordo)
    else:
        agreement = s._replace(data=data).agreement()
    _check_codes(path, registro, agreement)
    invoices: list[FatturaElettronica] = []
    errors: list[tuple[str, str]] = []
    inputs: tuple[str | None, ...] = (str(path), data)
    if registro.fatture_elettroniche is not None:
        folder = path.parent / registro.fatture_elettroniche
        invoices, errors = read_einvoices([folder])
        inputs += (str(folder),)
    return Year(agreement, registro, invoices, errors, data, inputs)


def _agreement_named(register: Path, accordo: str) -> str:
    """The file a register's ``accordo:`` names (relative to the register), if it is a
    regular file; else a problem of the register, at that line."""
    import os
    import stat

    named = os.path.join(register.parent, accordo)
    if named == "-":  # a file named "-", never standard input
        named = os.path.join(".", named)
    try:
        mode = os.stat(named).st_mode
    except FileNotFoundError:
        raise _accordo_problem(register, _("{path}: no such file").format(path=accordo)) from None
    except OSError as exc:
        from crema_budget.errors import reason

        raise _accordo_problem(
            register,
            _("{path}: cannot be read: {reason}").format(path=accordo, reason=reason(exc)),
        ) from None
    if stat.S_ISDIR(mode):
        raise _accordo_problem(
            register,
            _("{path} is a folder; name the agreement's data file").format(path=accordo),
        )
    if not stat.S_ISREG(mode):
        from crema_budget.reading.source import file_kind

        raise _accordo_problem(
            register,
            _("{path} is not a regular file ({kind}); name the agreement's data file").format(
                path=accordo, kind=file_kind(mode)
            ),
        )
    return named


def _load_named(s: Settings, register: Path, accordo: str) -> "Agreement":
    """The agreement a register names. Its problems are shown as any data file's, with
    its lines, if it is an agreement at all; a file that cannot be read, or that is
    no agreement (a file of settings, a key), is a problem of the register's
    ``accordo:`` line, and nothing of its content is shown."""
    from crema_budget.errors import DataError

    try:
        return s.agreement()
    except DataError as error:
        if all(problem.line == 0 for problem in error.problems):  # the file, not its text
            reason = error.problems[0].message if error.problems else ""
            raise _accordo_problem(
                register, _("{path}: {problem}").format(path=accordo, problem=reason)
            ) from None
        if not _an_agreement(Path(s.data or "")):
            raise _accordo_problem(
                register,
                _(
                    "{path} is not an agreement's data file (no line starts with documento: "
                    "or ambiti:); its content is not shown"
                ).format(path=accordo),
            ) from None
        raise


def _an_agreement(path: Path) -> bool:
    """Whether a file is meant as an agreement: a line of it starts with one of the
    format's first keys. Only then are lines of it shown under its problems."""
    import re

    from crema_budget.errors import DataError
    from crema_budget.reading.source import read_file

    try:
        raw = read_file(path)
    except DataError:
        return False
    return re.search(rb"^(documento|ambiti)[ \t]*:", raw, re.MULTILINE) is not None


def _accordo_problem(register: Path, message: str) -> "DataError":
    """A problem of the register's ``accordo:`` line."""
    from crema_budget.reading import loader, source
    from crema_budget.year import register as format_of_the_register

    text = source.decode(source.read_file(register), str(register))
    return loader.problems_at(
        text, str(register), format_of_the_register.Registro, [(("accordo",), message)]
    )


def _check_codes(path: Path, registro: "Registro", agreement: "Agreement") -> None:
    """What the register names or dates that its agreement does not have (a code, a month
    of another year, a calendar for a line that keeps its own) is a problem of the
    register, at its line, and nothing is computed (see
    :func:`crema_budget.year.register_agreement.problems`)."""
    from crema_budget.year.records import Mese
    from crema_budget.year.register_agreement import problems

    found = problems(registro, agreement)
    if not found:
        return
    from crema_budget.reading import loader, source
    from crema_budget.year import register as format_of_the_register

    text = source.decode(source.read_file(path), str(path))
    written: dict[Mese, str] = {}
    if any(isinstance(part, Mese) for where, _message in found for part in where):
        # A month is named as the file writes it ("2015-12", or "2015-12 " quoted).
        raw = loader.validate_yaml(text, str(path), format_of_the_register.Registro, _nothing)
        written = {format_of_the_register.parse_month(key): key for key in raw.iscritti_nido}
    located: list[tuple[tuple[str | int, ...], str]] = [
        (tuple(written[part] if isinstance(part, Mese) else part for part in where), message)
        for where, message in found
    ]
    raise loader.problems_at(text, str(path), format_of_the_register.Registro, located)


def _nothing(_registro: object) -> list[tuple[tuple[str | int, ...], str]]:
    return []


def read_einvoices(paths: list[Path]) -> "tuple[list[FatturaElettronica], list[tuple[str, str]]]":
    from crema_budget.year.fatturapa.files import read_einvoices as read

    invoices, errors = read(paths)
    return list(invoices), [(error.file, str(error)) for error in errors]


@app.command(
    add_help_option=False,
    help=N_(
        "The agreement's year at a date: for every fee line, ambito and in total the "
        "budget, what is due to date, invoiced, paid, the difference and the year-end "
        "forecast; the nursery month by month; every invoice checked against the "
        "agreement; the split-payment schedule. 30 June and 31 December are the "
        "document's checkpoints. Exit code 1 when there is an anomaly.\n\n"
        "Example: crema-budget monitor --registro examples/registro_2016.yaml --al 2016-06-30"
    ),
)
def monitor(
    ctx: typer.Context,
    registro: RegistroOption = None,
    al: AlOption = None,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.agreement.versions import amended
    from crema_budget.money import ZERO
    from crema_budget.views.agreement import figure_alerts
    from crema_budget.views.commitments import office_blocks
    from crema_budget.views.monitor import monitor_view
    from crema_budget.views.resources import delivered_alerts, delivered_blocks
    from crema_budget.year import monitor as monitoring
    from crema_budget.year.resources import delivered

    try:
        s = settings(ctx, data, locale, no_cache)
        if registro is None:
            raise UsageError(_("give --registro FILE: the register of the year"))
        when = parse_date(al) if al is not None else None
        year = load_year(s, registro)
        where = target(format, output_, year.inputs)
        warn_outside_year(when, year.agreement.documento.anno)
        at = when or monitoring.default_date(year.agreement, today())
        version = amended(year.agreement, at).agreement
        result = monitoring.monitor(version, year.registro, at, year.invoices, year.errors)
        consegne = delivered(
            version, year.registro, at, sum((x.fatturato for x in result.linee), ZERO)
        )
        result, impegni, tempestivita = office_duties(year, result)
        avvisi = figure_alerts(year.agreement)

        def view() -> "View":
            shown = monitor_view(result, year.agreement.documento, s.locale, avvisi)
            return shown._replace(
                alerts=shown.alerts + delivered_alerts(consegne, s.locale),
                blocks=shown.blocks
                + tuple(delivered_blocks(consegne, s.locale))
                + tuple(office_blocks(impegni, tempestivita, s.locale)),
            )

        show(
            where,
            s.locale,
            view,
            lambda: {
                **with_office(documents("monitor").monitor(result), impegni, tempestivita),
                "risorse_consorzio": documents("resources").delivered(consegne),
            },
            avvisi,
        )
    except CremaBudgetError as error:
        fail(error)
    if not result.ok or (consegne is not None and consegne.anomalie):
        raise typer.Exit(int(ExitCode.FIGURES_DIFFER))


def office_duties(
    year: Year, result: "Monitoraggio"
) -> "tuple[Monitoraggio, Impegni, Tempestivita]":
    """The office's duties at the monitoring's date: the commitments (their anomalies
    join the monitoring's) and the payment-timeliness indicator of the year to the date."""
    from crema_budget.office.commitments import impegni
    from crema_budget.office.timeliness import tempestivita

    duties = impegni(year.registro, year.invoices, result.al)
    timely = tempestivita(
        year.registro,
        year.invoices,
        result.anno,
        agreement_term=year.agreement.documento.termine_pagamento,
        al=result.al,
    )
    return result._replace(anomalie=result.anomalie + duties.anomalie), duties, timely


def with_office(
    monitor: dict[str, Any], impegni: "Impegni", tempestivita: "Tempestivita"
) -> dict[str, Any]:
    """The monitoring's JSON with the commitments and the year's indicator to its date."""
    return {
        **monitor,
        "impegni": documents("commitments").impegni(impegni),
        "tempestivita": documents("timeliness").tempestivita(tempestivita),
    }


@app.command(
    add_help_option=False,
    help=N_(
        "Read FatturaPA e-invoices (.xml, and signed .xml.p7m, whose signature is not "
        "verified) and list every line with the fee line it is assigned to by the "
        "register's abbinamenti. A folder is read file by file; a file that cannot be read "
        "is reported and the others are still read. Exit code 1 when a file cannot be read "
        "or a line matches no fee line, or more than one.\n\n"
        "Example: crema-budget fatture examples/fatture --registro examples/registro_2016.yaml"
    ),
)
def fatture(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar=N_("PATH"),
            show_default=False,
            help=N_("E-invoice files or folders of them."),
        ),
    ],
    registro: RegistroOption = None,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.views.fatturapa import fatture_problems, fatture_view
    from crema_budget.year.assign import assign

    try:
        s = settings(ctx, data, locale, no_cache)
        for given in paths:
            if not Path(given).exists():
                raise UsageError(_("{path}: no such file or folder").format(path=given))
        rules: tuple[Abbinamento, ...] = ()
        inputs: tuple[str | None, ...] = tuple(paths)
        if registro is not None:
            rules = s.registro(Path(registro)).abbinamenti
            inputs += (registro,)
        where = target(format, output_, inputs)
        invoices, errors = read_einvoices([Path(p) for p in paths])
        letture = assign(invoices, rules, ())
        problems = fatture_problems(letture.problems, bool(rules))
        show(
            where,
            s.locale,
            lambda: fatture_view(invoices, errors, rules, s.locale, letture),
            lambda: documents("fatturapa").fatture(
                invoices, errors, letture, problems, bool(rules)
            ),
        )
    except CremaBudgetError as error:
        fail(error)
    if errors or problems:
        raise typer.Exit(int(ExitCode.FIGURES_DIFFER))


@app.command(
    add_help_option=False,
    help=N_(
        "The work plan of each ambito (2. Tempi – Sviluppo e innovazione): every activity "
        "with the document's words and timing. With --registro and --al, each activity's "
        "state at the end of that day, from the register's attivita: entries: da_avviare, "
        "in_corso, svolta, in_ritardo, rinviata, annullata. The rules: a start (inizio, "
        "'dal mese di gennaio') needs an avviata or svolta entry by the end of its month; a "
        "deadline (scadenza, 'entro aprile', the end of 'Febbraio/Marzo'), every occurrence "
        "(mesi, 'giugno e dicembre', 'mensilmente da aprile') and every checkpoint "
        "(verifiche, 'con verifica a settembre') needs a svolta entry of its own by the end "
        "of its month; 'in corso' is under way from the start; rinviata moves what is due "
        "to its nuova_scadenza; annullata ends it. A register without attivita: leaves the "
        "plan unmonitored. Exit code 1 when an activity is late.\n\n"
        "Example: crema-budget piano --registro examples/registro_2016.yaml --al 2016-06-30"
    ),
)
def piano(
    ctx: typer.Context,
    registro: RegistroOption = None,
    al: AlOption = None,
    format: FormatOption = None,
    output_: OutputOption = None,
    data: DataOption = None,
    locale: LocaleOption = None,
    no_cache: NoCacheOption = False,
    help_: HelpOption = False,
) -> None:
    from crema_budget.views.agreement import figure_alerts
    from crema_budget.views.workplan import workplan_view
    from crema_budget.year import monitor as monitoring
    from crema_budget.year.workplan import piano as plan_at

    try:
        s = settings(ctx, data, locale, no_cache)
        when = parse_date(al) if al is not None else None
        if registro is None and when is not None:
            raise UsageError(
                _("--al needs --registro FILE: the state of each activity comes from the register")
            )
        if registro is not None:
            year = load_year(s, registro)
            agreement, register, inputs = year.agreement, year.registro, year.inputs
        else:
            agreement, register, inputs = s.agreement(), None, (s.data,)
        where = target(format, output_, inputs)
        at = when
        if register is not None and at is None:
            at = monitoring.default_date(agreement, today())
        result = plan_at(agreement, register, at)
        avvisi = figure_alerts(agreement)
        show(
            where,
            s.locale,
            lambda: workplan_view(agreement, result, s.locale, register is not None, avvisi),
            lambda: documents("workplan").piano(result),
            avvisi,
        )
    except CremaBudgetError as error:
        fail(error)
    if not result.ok:
        raise typer.Exit(int(ExitCode.FIGURES_DIFFER))
