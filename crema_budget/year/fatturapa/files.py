"""Italian e-invoices (FatturaPA 1.1 and 1.2): plain ``.xml`` and signed ``.xml.p7m`` files
into records.

Pure: bytes in, records or an :class:`~crema_budget.year.fatturapa.records.EInvoiceError`
out; nothing here prints or exits. :func:`read_einvoice` reads one file's bytes,
:func:`read_einvoices` reads files and folders and keeps going past the files that fail.

What is read, and how strictly:

- A signed file (CAdES, ``.p7m``) is a CMS SignedData whose encapsulated content is the
  invoice's XML; it may be DER, BER with indefinite lengths and a chunked (constructed)
  OCTET STRING as signing tools write it, or either in base64 text. Only the path
  ContentInfo → SignedData → encapContentInfo → eContent is read
  (:mod:`crema_budget.year.fatturapa.envelope`): it is smaller and faster to load than a
  general ASN.1 library. **The signature is never verified**: that needs the national lists
  of trusted certificates, which are not available offline, so
  :attr:`~crema_budget.year.fatturapa.records.FatturaElettronica.firmata` only says that the
  invoice came in a signed envelope. A detached signature (an envelope without content) is refused.
- The XML is parsed without a DTD: any ``<!DOCTYPE`` is refused before parsing, so no
  entity is ever declared, expanded or fetched, and nothing is read from the network
  (see :func:`crema_budget.year.fatturapa.xml.parse_xml` for why this is complete and why
  it is not ``defusedxml``).
- Amounts, rates and quantities must be written as the FatturaPA schema writes them
  (``1234.50``, ``-12.00``, ``22.00``, ``1.50``: a dot, two to eight decimals) and become
  :class:`~decimal.Decimal` exactly as written; dates are ``YYYY-MM-DD``. Anything else is
  refused with a message naming the element, the invoice line and the line of the file,
  and what to write instead. Every problem in a file is reported, not only the first.
- Only the root element is namespaced (FatturaPA's children are unqualified); files whose
  children are qualified too, which some programs write, are read as well.
- Both versions a Comune could receive are read alike: FatturaPA 1.1 (the format of 2015 and
  2016: namespace ``http://www.fatturapa.gov.it/sdi/fatturapa/v1.1``, ``versione="1.1"``,
  FormatoTrasmissione SDI11), and 1.2 (from January 2017: formats FPA12 and FPR12). On the
  path read (the parties, DatiGeneraliDocumento, the CIG blocks, DettaglioLinee,
  DatiRiepilogo, DatiCassaPrevidenziale) the two schemas name, order and type every element
  alike; 1.2 only adds codes (document types, Natura) that 1.1 did not have.

Messages are English source strings translated with :func:`crema_budget.i18n._`.
"""

import os
import stat
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from pathlib import Path

from crema_budget.errors import reason
from crema_budget.i18n import _
from crema_budget.reading.collector import collector_paused
from crema_budget.year.fatturapa.envelope import unwrap
from crema_budget.year.fatturapa.reader import Reader
from crema_budget.year.fatturapa.records import (
    EInvoiceError,
    EInvoiceProblem,
    FatturaElettronica,
    Refused,
)
from crema_budget.year.fatturapa.xml import (
    BATCH_BYTES,
    BATCH_FILES,
    batch_item,
    parse_together,
    parse_xml,
)

#: Largest file read, in bytes. The Sistema di Interscambio accepts files of at most 5 MB;
#: the same envelope in base64 text is a third larger (6.7 MB), so 8 MiB admits every
#: file SdI can deliver and refuses anything larger before it is read.
MAX_FILE_BYTES = 8 * 1024 * 1024

#: What a folder is expanded to: its files with these suffixes, in any case
#: (``*.xml``, ``*.XML``, ``*.p7m``, ``*.P7M``), sorted by name, not recursively.
SUFFIXES = (".xml", ".p7m")


def read_einvoices(
    paths: Iterable[Path],
) -> tuple[list[FatturaElettronica], list[EInvoiceError]]:
    """Read e-invoice files, and the ``*.xml`` and ``*.p7m`` files of folders.

    Returns the invoices read (one per body, in the order of the files) and an error for
    each file that could not be read; one file's error never stops the others. A file
    larger than :data:`MAX_FILE_BYTES`, or that is not a regular file (a FIFO, a device),
    is refused before it is read; one that is not a regular file is never even opened.
    Signatures are not verified (see :class:`FatturaElettronica`).
    """
    invoices: list[FatturaElettronica] = []
    errors: list[EInvoiceError] = []
    with collector_paused():
        for path in paths:
            _read_files(_expand(os.fspath(path), errors), invoices, errors)
    return invoices, errors


#: A file waiting for its batch: its name, its XML, whether it was signed, its batch item.
_Waiting = tuple[str, bytes, bool, bytes]


def _read_files(
    files: list[tuple[str, bool]], invoices: list[FatturaElettronica], errors: list[EInvoiceError]
) -> None:
    """Read ``files`` into ``invoices`` and ``errors``, in the files' order. Those that
    :func:`~crema_budget.year.fatturapa.xml.batch_item` takes wait to be parsed together,
    BATCH_FILES of them or BATCH_BYTES at a time; any other is read alone, after those
    waiting."""
    waiting: list[_Waiting] = []
    size = 0
    for name, regular in files:
        try:
            xml, firmata = unwrap(_read_file(name, regular))
        except Refused as refused:
            _read_together(waiting, invoices, errors)
            waiting, size = [], 0
            errors.append(EInvoiceError(name, [EInvoiceProblem(refused.line, refused.message)]))
            continue
        item = batch_item(xml)
        if item is None:
            _read_together(waiting, invoices, errors)
            waiting, size = [], 0
            _read_parsed(xml, None, name, firmata, invoices, errors)
            continue
        waiting.append((name, xml, firmata, item))
        size += len(item)
        if len(waiting) >= BATCH_FILES or size >= BATCH_BYTES:
            _read_together(waiting, invoices, errors)
            waiting, size = [], 0
    _read_together(waiting, invoices, errors)


def _read_together(
    waiting: list[_Waiting], invoices: list[FatturaElettronica], errors: list[EInvoiceError]
) -> None:
    """Read the files waiting: parsed together when they can be, each alone otherwise."""
    roots = parse_together([entry[3] for entry in waiting]) if len(waiting) > 1 else None
    for index, (name, xml, firmata, _item) in enumerate(waiting):
        root = None if roots is None else roots[index]
        _read_parsed(xml, root, name, firmata, invoices, errors)


def _expand(path: str, errors: list[EInvoiceError]) -> list[tuple[str, bool]]:
    """The files ``path`` stands for (itself, or the e-invoices of the folder it names),
    each with whether it is known to be a regular file."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return [(path, False)]  # reading it says why it cannot be read
    if not stat.S_ISDIR(mode):
        return [(path, stat.S_ISREG(mode))]
    try:
        with os.scandir(path) as entries:
            found = sorted(
                (entry.name, entry.path, _is_file(entry))
                for entry in entries
                if entry.name.lower().endswith(SUFFIXES) and entry.name[:-4].strip(".")
            )
    except OSError as exc:
        message = _("cannot list the folder: {reason}").format(reason=reason(exc))
        errors.append(EInvoiceError(path, [EInvoiceProblem(0, message)]))
        return []
    return [(file, regular) for _name, file, regular in found]


def _is_file(entry: "os.DirEntry[str]") -> bool:
    """Whether a folder's entry is a regular file, mostly known without a system call."""
    try:
        return entry.is_file()
    except OSError:
        return False  # reading it says why it cannot be read


# O_NONBLOCK: should a checked file be swapped for a FIFO before it is opened, opening it
# does not wait for a writer (fstat then refuses it); regular files read as usual.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_file(path: str, regular: bool) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, or Refused.

    Anything not ``regular`` already is looked at with stat first, so a FIFO or a device
    is refused without being opened.
    """
    try:
        if not regular:
            status = os.stat(path)
            _check_file(status.st_mode, status.st_size)
        fd = os.open(path, _OPEN_FLAGS)
        try:
            status = os.fstat(fd)
            size = status.st_size
            if size > MAX_FILE_BYTES or not stat.S_ISREG(status.st_mode):
                _check_file(status.st_mode, size)
            data = os.read(fd, size + 1)  # a regular file reads short only at its end
            if len(data) > size:  # it grew since fstat
                data = _read_on(fd, data, MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise Refused(_("cannot read the file: {reason}").format(reason=reason(exc))) from None
    except ValueError:  # what the system is asked for a name holding a NUL
        raise Refused(_("cannot read the file: its name holds a NUL character")) from None
    if len(data) > MAX_FILE_BYTES:  # it grew since fstat
        _check_file(stat.S_IFREG, len(data))
    return data


def _read_on(fd: int, start: bytes, limit: int) -> bytes:
    """``start`` and what follows it in the file, up to ``limit`` bytes in all."""
    chunks = [start]
    total = len(start)
    while total < limit:
        chunk = os.read(fd, min(1024 * 1024, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _check_file(mode: int, size: int) -> None:
    """Refuse what is not a regular file, or is larger than MAX_FILE_BYTES."""
    if stat.S_ISREG(mode):
        if size > MAX_FILE_BYTES:
            raise Refused(
                _(
                    "the file has {size} bytes, more than the {limit} accepted for an "
                    "e-invoice: it is not read"
                ).format(size=size, limit=MAX_FILE_BYTES)
            )
    elif stat.S_ISFIFO(mode):
        raise Refused(_("this is a named pipe (FIFO), not a regular file: it is not read"))
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise Refused(_("this is a device, not a regular file: it is not read"))
    elif stat.S_ISSOCK(mode):
        raise Refused(_("this is a socket, not a regular file: it is not read"))
    elif stat.S_ISDIR(mode):
        raise Refused(_("this is a folder inside the folder given: it is not read"))
    else:
        raise Refused(_("this is not a regular file: it is not read"))


def read_einvoice(data: bytes, file: str) -> tuple[FatturaElettronica, ...]:
    """The invoices in one FatturaPA file's bytes: plain XML, or a signed .p7m envelope
    (DER, BER or base64) around it; one record per FatturaElettronicaBody.

    ``file`` names the file in the records and in the error. Raises :class:`EInvoiceError`,
    and nothing else, whatever the bytes. The signature of a .p7m is not verified.
    """
    try:
        if len(data) > MAX_FILE_BYTES:
            _check_file(stat.S_IFREG, len(data))
        xml, firmata = unwrap(data)
    except Refused as refused:
        problem = EInvoiceProblem(refused.line, refused.message)
    else:
        invoices: list[FatturaElettronica] = []
        errors: list[EInvoiceError] = []
        _read_parsed(xml, None, file, firmata, invoices, errors)
        if not errors:
            return tuple(invoices)
        raise errors[0]
    # Raised outside the handler, so that the error keeps no chain of exceptions (and
    # through their frames, the file's bytes) alive.
    raise EInvoiceError(file, [problem])


def _read_parsed(
    xml: bytes,
    root: ElementTree.Element | None,
    file: str,
    firmata: bool,
    invoices: list[FatturaElettronica],
    errors: list[EInvoiceError],
) -> None:
    """The invoices in a FatturaPA document into ``invoices``, or its error into
    ``errors``: ``xml``, already parsed into ``root`` unless that is None."""
    try:
        reader = Reader(xml, parse_xml(xml) if root is None else root, file, firmata)
        found = reader.read()
    except Refused as refused:
        errors.append(EInvoiceError(file, [EInvoiceProblem(refused.line, refused.message)]))
        return
    if reader.problems:
        errors.append(EInvoiceError(file, reader.located_problems()))
    else:
        invoices.extend(found)
