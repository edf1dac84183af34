"""Italian e-invoices (FatturaPA 1.1 and 1.2): plain ``.xml`` and signed ``.xml.p7m`` files
into records.

Pure: bytes in, records or an :class:`EInvoiceError` out; nothing here prints or exits.
:func:`read_einvoice` reads one file's bytes, :func:`read_einvoices` reads files and
folders and keeps going past the files that fail.

What is read, and how strictly:

- A signed file (CAdES, ``.p7m``) is a CMS SignedData whose encapsulated content is the
  invoice's XML; it may be DER, BER with indefinite lengths and a chunked (constructed)
  OCTET STRING as signing tools write it, or either in base64 text. Only the path
  ContentInfo → SignedData → encapContentInfo → eContent is read, by the small reader
  below: it is smaller and faster to load than a general ASN.1 library. **The signature
  is never verified**: that needs the national lists of trusted certificates, which are not
  available offline, so :attr:`FatturaElettronica.firmata` only says that the invoice came
  in a signed envelope. A detached signature (an envelope without content) is refused.
- The XML is parsed without a DTD: any ``<!DOCTYPE`` is refused before parsing, so no
  entity is ever declared, expanded or fetched, and nothing is read from the network
  (see :func:`_parse_xml` for why this is complete and why it is not ``defusedxml``).
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

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

import contextlib
import os
import re
import stat
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from crema_budget.errors import reason
from crema_budget.i18n import _, ngettext
from crema_budget.money import HUNDRED, ZERO

#: The namespace of FatturaPA 1.2 (formats FPA12 and FPR12, schema versions 1.2 to 1.2.2).
NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
#: The namespace of FatturaPA 1.1 (format SDI11), what the Sistema di Interscambio took
#: until the end of 2016.
NAMESPACE_1_1 = "http://www.fatturapa.gov.it/sdi/fatturapa/v1.1"
#: The version of the format each namespace read stands for.
VERSIONS = {NAMESPACE_1_1: "1.1", NAMESPACE: "1.2"}

#: Largest file read, in bytes. The Sistema di Interscambio accepts files of at most 5 MB;
#: the same envelope in base64 text is a third larger (6.7 MB), so 8 MiB admits every
#: file SdI can deliver and refuses anything larger before it is read.
MAX_FILE_BYTES = 8 * 1024 * 1024

#: What a folder is expanded to: its files with these suffixes, in any case
#: (``*.xml``, ``*.XML``, ``*.p7m``, ``*.P7M``), sorted by name, not recursively.
SUFFIXES = (".xml", ".p7m")

#: Most problems listed for one file; a closing line counts the others.
MAX_PROBLEMS = 20

# Signed files signed again (.xml.p7m.p7m) are unwrapped up to this many times.
_MAX_ENVELOPES = 3
# Deepest nesting of BER elements followed (constructed OCTET STRINGs in chunks).
_MAX_DER_DEPTH = 16
# Longest value quoted back in a message.
_MAX_QUOTE = 40

_ROOTS = {f"{{{namespace}}}FatturaElettronica": namespace for namespace in VERSIONS}
_SDI_MESSAGES = "http://www.fatturapa.gov.it/sdi/messaggi/"
# The blocks of DatiGenerali that may carry a CodiceCIG.
_CIG_BLOCKS = frozenset(
    {
        "DatiOrdineAcquisto",
        "DatiContratto",
        "DatiConvenzione",
        "DatiRicezione",
        "DatiFattureCollegate",
    }
)
_ESIGIBILITA = frozenset({"I", "D", "S"})

# XML Schema collapses these around numbers and dates (and only these).
_XML_SPACE = " \t\r\n"
_XML_SPACE_BYTES = b" \t\r\n"
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# "<!DOCTYPE" in ASCII, UTF-16-LE and UTF-16-BE (spelled out: no codec to import). The only
# XML the parser accepts that is not ASCII-compatible is UTF-16 (expat refuses every other
# encoding that would spell "<!DOCTYPE" differently), so these are all the spellings there are.
_DOCTYPE = (
    b"<!DOCTYPE",
    b"<\0!\0D\0O\0C\0T\0Y\0P\0E\0",
    b"\0<\0!\0D\0O\0C\0T\0Y\0P\0E",
)

# The schema's lexical forms (Amount2DecimalType, Amount8DecimalType, RateType, QuantitaType,
# NumeroLineaType, xs:date). re.ASCII: \d would accept other digits. An xs:date may carry a
# time zone (2014-12-18+01:00, 2014-12-18Z): the day is the one written, whatever the zone.
_AMOUNT2 = re.compile(r"-?[0-9]{1,11}\.[0-9]{2}", re.ASCII)
_AMOUNT8 = re.compile(r"-?[0-9]{1,11}\.[0-9]{2,8}", re.ASCII)
_RATE = re.compile(r"[0-9]{1,3}\.[0-9]{2}", re.ASCII)
_QUANTITY = re.compile(r"[0-9]{1,12}\.[0-9]{2,8}", re.ASCII)
_LINE_NUMBER = re.compile(r"[0-9]{1,4}", re.ASCII)
_DATE = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?", re.ASCII
)
_BASE64 = re.compile(rb"[A-Za-z0-9+/]*={0,2}")

# 1.2.840.113549.1.7.2, id-signedData, as its DER contents.
_OID_SIGNED_DATA = bytes.fromhex("2a864886f70d010702")
# The tags on the path read.
_SEQUENCE = 0x30
_SET = 0x31
_INTEGER = 0x02
_OID = 0x06
_OCTETS = 0x04
_OCTETS_CHUNKED = 0x24  # constructed: the OCTET STRING in pieces (BER)
_EXPLICIT_0 = 0xA0  # [0] EXPLICIT


class RigaFattura(NamedTuple):
    """One line of an invoice (DettaglioLinee)."""

    numero_linea: int
    descrizione: str
    #: DataInizioPeriodo and DataFinePeriodo: the period a service line covers.
    data_inizio: date | None
    data_fine: date | None
    quantita: Decimal | None
    prezzo_unitario: Decimal
    #: The line's taxable amount (PrezzoTotale), as written.
    prezzo_totale: Decimal
    #: Percent, as written: ``Decimal("4.00")``.
    aliquota_iva: Decimal
    #: Why a line at 0% bears no VAT (N1 … N7), if it says.
    natura: str | None


class Riepilogo(NamedTuple):
    """The VAT summary for one rate (DatiRiepilogo)."""

    aliquota_iva: Decimal
    #: ImponibileImporto: the taxable total at this rate.
    imponibile: Decimal
    imposta: Decimal
    #: I (immediate), D (deferred) or S (scissione dei pagamenti: split payment, the
    #: public body pays the VAT to the State instead of to the supplier).
    esigibilita_iva: str | None
    #: Why the rate is 0% (N1 … N7), if it says.
    natura: str | None = None
    #: Arrotondamento: a rounding the supplier declares, part of ImponibileImporto.
    arrotondamento: Decimal | None = None


class Cassa(NamedTuple):
    """A professional fund's contribution (DatiCassaPrevidenziale): taxable at its rate,
    and so part of that rate's ImponibileImporto."""

    aliquota_iva: Decimal
    importo: Decimal


class FatturaElettronica(NamedTuple):
    """One invoice: one FatturaElettronicaBody of a FatturaPA file, with its header's parties."""

    #: The path or name the file was given as.
    file: str
    #: Which body of the file, from 1: one file may hold several invoices.
    indice: int
    #: TD01 (invoice), TD04 (credit note), … as written.
    tipo_documento: str
    numero: str
    data: date
    #: The supplier (CedentePrestatore): Denominazione, or Nome and Cognome.
    cedente: str
    #: The supplier's IdFiscaleIVA/IdCodice: for an Italian supplier the 11-digit
    #: partita IVA, without the country code.
    cedente_partita_iva: str | None
    #: The customer (CessionarioCommittente): Denominazione, or Nome and Cognome.
    cessionario: str
    #: Every CodiceCIG (tender code) in DatiOrdineAcquisto, DatiContratto, DatiConvenzione,
    #: DatiRicezione and DatiFattureCollegate, in document order, each once.
    cig: tuple[str, ...]
    righe: tuple[RigaFattura, ...]
    riepiloghi: tuple[Riepilogo, ...]
    #: ImportoTotaleDocumento, if the invoice states it (taxable amount plus VAT).
    importo_totale: Decimal | None
    #: True when the file was a signed .p7m envelope. The signature is **not verified**
    #: (the lists of trusted certificates are not available offline): this says only
    #: how the invoice arrived, not that the signature is valid.
    firmata: bool
    #: The version of the format: "1.1" or "1.2", from the file's namespace.
    versione: str = "1.2"
    #: The professional funds' contributions (DatiCassaPrevidenziale), if any.
    casse: tuple[Cassa, ...] = ()

    @property
    def imponibile(self) -> Decimal:
        """The taxable total: the sum of the summaries' ImponibileImporto."""
        return sum((riepilogo.imponibile for riepilogo in self.riepiloghi), ZERO)

    @property
    def iva(self) -> Decimal:
        """The VAT: the sum of the summaries' Imposta."""
        return sum((riepilogo.imposta for riepilogo in self.riepiloghi), ZERO)

    @property
    def split_payment(self) -> bool:
        """Whether any VAT is under split payment (EsigibilitaIVA S)."""
        return any(riepilogo.esigibilita_iva == "S" for riepilogo in self.riepiloghi)


class EInvoiceProblem(NamedTuple):
    """One thing wrong in an e-invoice file."""

    #: The line of the file (from 1) where it is; 0 when it is about the file as a whole.
    line: int
    message: str


class EInvoiceError(Exception):
    """A file that cannot be read as a FatturaPA invoice, with every problem found in it.

    ``str(error)`` is one line per problem, ``FILE:LINE: message`` (``FILE: message`` when
    the problem is about the whole file).
    """

    def __init__(self, file: str, problems: Sequence[EInvoiceProblem]) -> None:
        super().__init__(file, tuple(problems))
        self.file = file
        self.problems = tuple(problems)

    @property
    def message(self) -> str:
        """What is wrong, for a person: the problems' messages, one per line."""
        return "\n".join(problem.message for problem in self.problems)

    def __str__(self) -> str:
        return "\n".join(
            f"{self.file}:{problem.line}: {problem.message}"
            if problem.line
            else f"{self.file}: {problem.message}"
            for problem in self.problems
        )


class _Refused(Exception):
    """A problem that ends the reading of a file; becomes an EInvoiceError with its name."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message, line)
        self.message = message
        self.line = line


# Reading files and folders ---------------------------------------------------------------


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
    for path in paths:
        for name, regular in _expand(os.fspath(path), errors):
            try:
                invoices.extend(read_einvoice(_read_file(name, regular), name))
            except _Refused as refused:
                errors.append(EInvoiceError(name, [EInvoiceProblem(0, refused.message)]))
            except EInvoiceError as error:
                errors.append(error.with_traceback(None))  # its frames hold the file's bytes
    return invoices, errors


def _expand(path: str, errors: list[EInvoiceError]) -> list[tuple[str, bool]]:
    """The files ``path`` stands for (itself, or the e-invoices of the folder it names),
    each with whether it is known to be a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return [(path, False)]  # reading it says why it cannot be read
    if not stat.S_ISDIR(mode):
        return [(path, stat.S_ISREG(mode))]
    try:
        with os.scandir(path) as entries:
            found = sorted(
                (entry.name, entry.path, _is_file(entry))
                for entry in entries
                if os.path.splitext(entry.name)[1].lower() in SUFFIXES
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
    """The bytes of a regular file of at most MAX_FILE_BYTES, or _Refused.

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
            _check_file(status.st_mode, status.st_size)
            data = _read_at_most(fd, status.st_size, MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _Refused(_("cannot read the file: {reason}").format(reason=reason(exc))) from None
    if len(data) > MAX_FILE_BYTES:  # it grew since fstat
        _check_file(stat.S_IFREG, len(data))
    return data


def _read_at_most(fd: int, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of a regular file of ``size`` bytes: usually one read."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        asked = min(size + 1, limit - total)
        chunk = os.read(fd, asked)
        chunks.append(chunk)
        total += len(chunk)
        if len(chunk) < asked:  # a regular file reads short only at its end
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _check_file(mode: int, size: int) -> None:
    """Refuse what is not a regular file, or is larger than MAX_FILE_BYTES."""
    if stat.S_ISREG(mode):
        if size > MAX_FILE_BYTES:
            raise _Refused(
                _(
                    "the file has {size} bytes, more than the {limit} accepted for an "
                    "e-invoice: it is not read"
                ).format(size=size, limit=MAX_FILE_BYTES)
            )
    elif stat.S_ISFIFO(mode):
        raise _Refused(_("this is a named pipe (FIFO), not a regular file: it is not read"))
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise _Refused(_("this is a device, not a regular file: it is not read"))
    elif stat.S_ISSOCK(mode):
        raise _Refused(_("this is a socket, not a regular file: it is not read"))
    elif stat.S_ISDIR(mode):
        raise _Refused(_("this is a folder inside the folder given: it is not read"))
    else:
        raise _Refused(_("this is not a regular file: it is not read"))


# One file's bytes ------------------------------------------------------------------------


def read_einvoice(data: bytes, file: str) -> tuple[FatturaElettronica, ...]:
    """The invoices in one FatturaPA file's bytes: plain XML, or a signed .p7m envelope
    (DER, BER or base64) around it; one record per FatturaElettronicaBody.

    ``file`` names the file in the records and in the error. Raises :class:`EInvoiceError`,
    and nothing else, whatever the bytes. The signature of a .p7m is not verified.
    """
    try:
        if len(data) > MAX_FILE_BYTES:
            _check_file(stat.S_IFREG, len(data))
        xml, firmata = _unwrap(data)
        reader = _Reader(xml, _parse_xml(xml), file, firmata)
        invoices = reader.read()
    except _Refused as refused:
        problems = [EInvoiceProblem(refused.line, refused.message)]
    else:
        if not reader.problems:
            return invoices
        problems = reader.located_problems()
    # Raised outside the handler, so that the error keeps no chain of exceptions (and
    # through their frames, the file's bytes) alive.
    raise EInvoiceError(file, problems)


def _unwrap(data: bytes) -> tuple[bytes, bool]:
    """The XML in ``data`` and whether it came out of a signed envelope."""
    firmata = False
    for _envelope in range(_MAX_ENVELOPES + 1):
        if data[:1] in (b" ", b"\t", b"\r", b"\n"):
            data = data.lstrip(_XML_SPACE_BYTES)
        if not data:
            if firmata:
                raise _Refused(_("the .p7m envelope holds an empty file instead of an invoice"))
            raise _Refused(_("the file is empty"))
        if data[:1] == b"<" or data.startswith(_BYTE_ORDER_MARKS):
            return data, firmata
        if data[0] == _SEQUENCE:
            data = _signed_content(data)
        elif data.startswith((b"MI", b"-----BEGIN")):
            data = _signed_content(_from_base64(data))
        elif firmata:
            raise _Refused(_("the .p7m envelope holds a file that is not XML, so not an invoice"))
        else:
            raise _Refused(
                _("this is not an XML file, nor an XML file signed as .p7m: it is not an e-invoice")
            )
        firmata = True
    raise _Refused(
        _("the file is signed more than {count} times over: it is not read").format(
            count=_MAX_ENVELOPES
        )
    )


def _from_base64(text: bytes) -> bytes:
    """The bytes of a base64 envelope, with or without PEM ``-----BEGIN …-----`` lines."""
    if text.startswith(b"-----BEGIN"):
        text = b"".join(line for line in text.splitlines() if not line.startswith(b"-----"))
    compact = text.translate(None, b" \t\r\n")
    if len(compact) % 4 == 0 and _BASE64.fullmatch(compact):
        # binascii, not base64: a tenth of the import time for the one function needed.
        import binascii

        try:
            return binascii.a2b_base64(compact)
        except binascii.Error:
            pass
    raise _Refused(
        _("the file looks like a .p7m envelope in base64 text, but it is not valid base64")
    )


# The signed envelope: CMS SignedData (RFC 5652) in DER or BER ----------------------------
#
# ContentInfo ::= SEQUENCE { contentType OID (signedData), content [0] EXPLICIT SignedData }
# SignedData ::= SEQUENCE { version INTEGER, digestAlgorithms SET,
#     encapContentInfo SEQUENCE { eContentType OID, eContent [0] EXPLICIT OCTET STRING OPTIONAL },
#     ... certificates, CRLs and signer infos: not read }


def _signed_content(data: bytes) -> bytes:
    """The encapsulated content of a CMS SignedData; never verifies the signature."""
    end = len(data)
    tag, start, stop = _der_header(data, 0, end)
    if tag != _SEQUENCE:
        raise _Refused(_not_signed_data())
    info = _der_elements(data, start, stop, end, 1)  # ContentInfo
    start, stop = _der_take(info, _OID)
    if data[start:stop] != _OID_SIGNED_DATA:
        raise _Refused(_not_signed_data())
    start, stop = _der_take(info, _EXPLICIT_0)
    start, stop = _der_take(_der_elements(data, start, stop, end, 2), _SEQUENCE)
    fields = _der_elements(data, start, stop, end, 3)  # SignedData
    _der_take(fields, _INTEGER)  # version
    _der_take(fields, _SET)  # digestAlgorithms
    start, stop = _der_take(fields, _SEQUENCE)
    encapsulated = _der_elements(data, start, stop, end, 4)  # encapContentInfo
    _der_take(encapsulated, _OID)  # eContentType
    explicit = next(encapsulated, None)
    if explicit is None:
        raise _Refused(
            _(
                "the .p7m signature is detached: the envelope holds no invoice, "
                "which travels in a separate file"
            )
        )
    if explicit[0] != _EXPLICIT_0:
        raise _Refused(_der_damaged(explicit[1]))
    octets = next(_der_elements(data, explicit[1], explicit[2], end, 5), None)
    if octets is None:
        raise _Refused(_der_damaged(explicit[1]))
    return _der_octets(data, octets, end, 6)


def _der_take(elements: Iterator[tuple[int, int, int]], tag: int) -> tuple[int, int]:
    """The span of the contents of the next element, which must have ``tag``."""
    found = next(elements, None)
    if found is None or found[0] != tag:
        raise _Refused(_not_signed_data())
    return found[1], found[2]


def _der_header(data: bytes, position: int, end: int) -> tuple[int, int, int]:
    """Tag, start and stop of the contents of the element at ``position``.

    ``stop`` is -1 for a BER indefinite length (the contents end at two zero bytes).
    """
    if position + 2 > end:
        raise _Refused(_der_truncated())
    tag = data[position]
    if tag & 0x1F == 0x1F:  # high tag numbers do not occur on the path read
        raise _Refused(_der_damaged(position))
    first = data[position + 1]
    start = position + 2
    if first < 0x80:
        length = first
    elif first == 0x80:
        if not tag & 0x20:  # only constructed elements may have an indefinite length
            raise _Refused(_der_damaged(position))
        return tag, start, -1
    else:
        count = first & 0x7F
        if count > 4:
            raise _Refused(_der_damaged(position))
        if start + count > end:
            raise _Refused(_der_truncated())
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    if start + length > end:
        raise _Refused(_der_truncated())
    return tag, start, start + length


def _der_elements(
    data: bytes, start: int, stop: int, end: int, depth: int
) -> Iterator[tuple[int, int, int]]:
    """Tag, start and stop of each element inside the contents from ``start`` to ``stop``
    (-1: up to the end-of-contents octets)."""
    if depth > _MAX_DER_DEPTH:
        raise _Refused(_der_damaged(start))
    limit = end if stop < 0 else stop
    position = start
    while position < limit:
        if stop < 0 and position + 2 <= limit and data[position : position + 2] == b"\0\0":
            return
        tag, inner_start, inner_stop = _der_header(data, position, limit)
        yield tag, inner_start, inner_stop
        position = _der_end(data, inner_start, inner_stop, limit, depth + 1)
    if stop < 0:
        raise _Refused(_der_truncated())


def _der_end(data: bytes, start: int, stop: int, end: int, depth: int) -> int:
    """Where the element whose contents are from ``start`` to ``stop`` ends."""
    if stop >= 0:
        return stop
    if depth > _MAX_DER_DEPTH:
        raise _Refused(_der_damaged(start))
    position = start
    while True:
        if position + 2 > end:
            raise _Refused(_der_truncated())
        if data[position : position + 2] == b"\0\0":
            return position + 2
        _tag, inner_start, inner_stop = _der_header(data, position, end)
        position = _der_end(data, inner_start, inner_stop, end, depth + 1)


def _der_octets(data: bytes, element: tuple[int, int, int], end: int, depth: int) -> bytes:
    """The bytes of an OCTET STRING, primitive or constructed from chunks (BER)."""
    tag, start, stop = element
    if tag == _OCTETS:
        return data[start:stop]
    if tag != _OCTETS_CHUNKED:
        raise _Refused(_der_damaged(start))
    return b"".join(
        _der_octets(data, chunk, end, depth + 1)
        for chunk in _der_elements(data, start, stop, end, depth)
    )


def _not_signed_data() -> str:
    return _("the .p7m envelope is not a CMS SignedData structure, so it holds no signed invoice")


def _der_truncated() -> str:
    return _("the .p7m envelope ends before its declared length: the file is probably truncated")


def _der_damaged(offset: int) -> str:
    return _("the .p7m envelope is damaged at byte {offset}: it is not valid DER or BER").format(
        offset=offset
    )


# The XML -----------------------------------------------------------------------------------


def _parse_xml(xml: bytes) -> ElementTree.Element:
    """The root element of ``xml``, parsed without any DTD.

    Entities can only be declared in a DTD, and a DTD only comes with a ``<!DOCTYPE``
    declaration, which FatturaPA never has: refusing every document that contains
    ``<!DOCTYPE`` before parsing removes entity expansion ("billion laughs"), external
    entities and external DTDs altogether. The scan is complete because expat reads only
    ASCII-compatible encodings (it refuses any encoding that spells ASCII characters
    differently) and UTF-16, so ``_DOCTYPE`` holds every spelling there is. ElementTree
    never fetches anything from the network, and expat ≥ 2.4 caps entity amplification, as
    further lines of defence. The only false alarm is the text "<!DOCTYPE" in a CDATA section.

    Why not ``defusedxml``: to hook expat's DTD handlers it swaps ElementTree's C parser for
    the pure-Python one, which parses a typical invoice 2.7 times slower than the C parser
    (97 µs against 36 µs): that alone would spend the reader's whole time budget.
    """
    for mark in _DOCTYPE if b"\0" in xml else _DOCTYPE[:1]:  # UTF-16 has zero bytes
        position = xml.find(mark)
        if position >= 0:
            raise _Refused(*_dtd_problem(xml, position, mark))
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        problem = _Refused(_malformed(exc), exc.position[0])
    except (LookupError, ValueError) as exc:  # an encoding Python has but expat cannot use
        problem = _Refused(
            _(
                "the XML declares a character encoding that cannot be read ({reason}); "
                "FatturaPA files are written in UTF-8"
            ).format(reason=exc)
        )
    raise problem


def _dtd_problem(xml: bytes, position: int, mark: bytes) -> tuple[str, int]:
    """What to say of a document with a DTD, and on which line."""
    codec = (
        "latin-1" if mark == _DOCTYPE[0] else "utf-16-le" if mark == _DOCTYPE[1] else "utf-16-be"
    )
    if codec != "latin-1":
        position -= position % 2
    text = xml[position:].decode(codec, "replace")
    line = xml[:position].decode(codec, "replace").count("\n") + 1
    declaration = re.search(r"<!ENTITY\b[^>]*", text)
    if declaration is None:
        return _(
            "a document type declaration (<!DOCTYPE>) is not allowed in a FatturaPA file"
        ), line
    if re.search(r"\s(?:SYSTEM|PUBLIC)\s", declaration.group()):
        message = _(
            "XML external entities are not allowed "
            "(possible attempt to read other files or addresses)"
        )
    else:
        message = _("XML entities are not allowed (possible entity-expansion attack)")
    return message, line


def _malformed(error: ElementTree.ParseError) -> str:
    """What to say of XML that expat could not read."""
    from xml.parsers import expat

    truncated = {
        expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
        expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
    }
    if error.code in truncated:
        return _("the XML ends before the document is complete: the file is probably truncated")
    return _("the file is not well-formed XML: {reason} (column {column})").format(
        reason=expat.ErrorString(error.code), column=error.position[1] + 1
    )


def _unqualify(root: ElementTree.Element) -> None:
    """Drop the namespace from the root's descendants, for files that qualify them all."""
    for element in root.iter():
        if element is not root and element.tag[:1] == "{":
            element.tag = element.tag.partition("}")[2]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _wrong_root(root: ElementTree.Element) -> str:
    """What to say of an XML document that is not a FatturaPA 1.1 or 1.2 invoice."""
    tag = root.tag
    namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    element = _local(tag)
    if namespace.startswith(_SDI_MESSAGES):
        return _(
            "this is a message of the Sistema di Interscambio (<{element}>), not an invoice"
        ).format(element=element)
    if element == "FatturaElettronica" and not namespace:
        return _(
            "this FatturaElettronica has no namespace, so it is not a FatturaPA invoice "
            "(whose namespace is '{v11}' in version 1.1, '{v12}' in version 1.2)"
        ).format(v11=NAMESPACE_1_1, v12=NAMESPACE)
    if element == "FatturaElettronica":
        return _(
            "this FatturaElettronica is in the namespace '{namespace}', neither the one of "
            "FatturaPA 1.1 ('{v11}') nor the one of 1.2 ('{v12}'): it is not read"
        ).format(namespace=namespace, v11=NAMESPACE_1_1, v12=NAMESPACE)
    return _(
        "this XML file is not a FatturaPA invoice: its root element is <{element}>, "
        "not <FatturaElettronica>"
    ).format(element=element)


# Values: each reader takes an element's text (None when the element is absent) and gives
# the value, or None when the text is not written as FatturaPA writes it. They are the
# fast path; _Reader.diagnose says what is wrong, only for files that have something wrong.


def _text(text: str | None) -> str | None:
    """Text without surrounding spaces; None when blank."""
    if text is None:
        return None
    return text.strip() or None


def _words(text: str | None) -> str | None:
    """A Latin text (String1000LatinType, as Descrizione is): any text of at least one
    character, blanks included (the schema takes them), without surrounding spaces; None
    when the element is absent or empty."""
    if not text:
        return None
    return text.strip()


def _decimal(text: str | None, pattern: "re.Pattern[str]") -> Decimal | None:
    if text is None:
        return None
    text = text.strip(_XML_SPACE)
    return Decimal(text) if pattern.fullmatch(text) else None


def _amount2(text: str | None) -> Decimal | None:
    """An Amount2DecimalType: ``-1234.50``."""
    return _decimal(text, _AMOUNT2)


def _amount8(text: str | None) -> Decimal | None:
    """An Amount8DecimalType: ``-1234.50`` to ``-1234.12345678``."""
    return _decimal(text, _AMOUNT8)


def _quantity(text: str | None) -> Decimal | None:
    """A QuantitaType: ``1.00`` to ``1.12345678``."""
    return _decimal(text, _QUANTITY)


def _rate(text: str | None) -> Decimal | None:
    """A RateType: a percentage from ``0.00`` to ``100.00``."""
    rate = _decimal(text, _RATE)
    return rate if rate is None or rate <= HUNDRED else None


def _day(text: str | None) -> date | None:
    """An xs:date: ``2016-03-31``, or with a time zone, ``2016-03-31+01:00``."""
    if text is None:
        return None
    match = _DATE.fullmatch(text.strip(_XML_SPACE))
    if match is None:
        return None
    try:
        return date.fromisoformat(match[1])
    except ValueError:  # 2016-02-30
        return None


def _line_number(text: str | None) -> int | None:
    """A NumeroLineaType: 1 to 9999."""
    if text is None:
        return None
    text = text.strip(_XML_SPACE)
    return int(text) if _LINE_NUMBER.fullmatch(text) and text.strip("0") else None


def _esigibilita(text: str | None) -> str | None:
    """I, D or S."""
    text = _text(text)
    return text if text in _ESIGIBILITA else None


_Read = Callable[[str | None], object]
# The fields of a block the fast path reads: tag, reader, whether required.
_Fields = tuple[tuple[str, _Read, bool], ...]
_DOCUMENT_FIELDS: _Fields = (
    ("TipoDocumento", _text, True),
    ("Data", _day, True),
    ("Numero", _text, True),
    ("ImportoTotaleDocumento", _amount2, False),
)
_LINE_FIELDS: _Fields = (
    ("NumeroLinea", _line_number, True),
    ("Descrizione", _words, True),
    ("Quantita", _quantity, False),
    ("DataInizioPeriodo", _day, False),
    ("DataFinePeriodo", _day, False),
    ("PrezzoUnitario", _amount8, True),
    ("PrezzoTotale", _amount8, True),
    ("AliquotaIVA", _rate, True),
)
_SUMMARY_FIELDS: _Fields = (
    ("AliquotaIVA", _rate, True),
    ("Arrotondamento", _amount8, False),
    ("ImponibileImporto", _amount2, True),
    ("Imposta", _amount2, True),
    ("EsigibilitaIVA", _esigibilita, False),
)
_FUND_FIELDS: _Fields = (
    ("AliquotaIVA", _rate, True),
    ("ImportoContributoCassa", _amount2, True),
)
_PATTERNS: "dict[_Read, re.Pattern[str]]" = {
    _amount2: _AMOUNT2,
    _amount8: _AMOUNT8,
    _quantity: _QUANTITY,
    _rate: _RATE,
}

# Where a value is, for messages: nothing more than its element, or an invoice line or
# a VAT summary with its number.
_Where = tuple[str, int]
_DOCUMENT: _Where = ("", 0)
_LINE = "line"
_SUMMARY = "summary"
_FUND = "fund"
# Stand for what could not be read; never returned (the file is refused).
_UNREAD_DATE = date(1970, 1, 1)
_UNREAD_LINE = RigaFattura(0, "", None, None, None, ZERO, ZERO, ZERO, None)
_UNREAD_SUMMARY = Riepilogo(ZERO, ZERO, ZERO, None)


def _label(element: str, where: _Where) -> str:
    """How a message names an element: ``PrezzoTotale (line 3)``."""
    kind, number = where
    if kind == _LINE:
        return _("{element} (line {number})").format(element=element, number=number)
    if kind == _SUMMARY:
        return _("{element} (summary {number})").format(element=element, number=number)
    if kind == _FUND:
        return _("{element} (fund contribution {number})").format(element=element, number=number)
    return element


class _Reader:
    """Turns one parsed FatturaPA document into records, collecting every problem."""

    def __init__(self, xml: bytes, root: ElementTree.Element, file: str, firmata: bool) -> None:
        self.xml = xml
        self.root = root
        self.file = file
        self.firmata = firmata
        self.versione = ""
        #: Each problem with the element it is about, for its line in the file.
        self.problems: list[tuple[ElementTree.Element, str]] = []

    def read(self) -> tuple[FatturaElettronica, ...]:
        """One record per body; problems go to ``self.problems``."""
        root = self.root
        namespace = _ROOTS.get(root.tag)
        if namespace is None:
            raise _Refused(_wrong_root(root))
        self.versione = VERSIONS[namespace]
        header = root.find("FatturaElettronicaHeader")
        if header is None and root.find(f"{{{namespace}}}FatturaElettronicaHeader") is not None:
            _unqualify(root)
            header = root.find("FatturaElettronicaHeader")
        bodies = root.findall("FatturaElettronicaBody")
        if header is None:
            self.missing(root, "FatturaElettronicaHeader", "FatturaElettronica")
        if not bodies:
            self.missing(root, "FatturaElettronicaBody", "FatturaElettronica")
        if header is None:
            return ()
        cedente, partita_iva = self.party(header, "CedentePrestatore")
        cessionario, _unused = self.party(header, "CessionarioCommittente")
        return tuple(
            self.body(body, indice, cedente, partita_iva, cessionario)
            for indice, body in enumerate(bodies, start=1)
        )

    def party(self, header: ElementTree.Element, tag: str) -> tuple[str, str | None]:
        """The name and VAT number of CedentePrestatore or CessionarioCommittente."""
        party = self.child(header, tag, "FatturaElettronicaHeader")
        if party is None:
            return "", None
        where = f"{tag}/DatiAnagrafici"
        anagrafici = self.child(party, "DatiAnagrafici", tag)
        if anagrafici is None:
            return "", None
        fiscale = anagrafici.find("IdFiscaleIVA")
        codice = _text(fiscale.findtext("IdCodice")) if fiscale is not None else None
        anagrafica = self.child(anagrafici, "Anagrafica", where)
        if anagrafica is None:
            return "", codice
        name = _text(anagrafica.findtext("Denominazione"))
        if name is None:
            nome = _text(anagrafica.findtext("Nome"))
            cognome = _text(anagrafica.findtext("Cognome"))
            if nome and cognome:
                return f"{nome} {cognome}", codice
            self.problem(
                anagrafica,
                _("missing <Denominazione>, or <Nome> and <Cognome>, in {parent}").format(
                    parent=f"{where}/Anagrafica"
                ),
            )
        return name or "", codice

    def body(
        self,
        body: ElementTree.Element,
        indice: int,
        cedente: str,
        partita_iva: str | None,
        cessionario: str,
    ) -> FatturaElettronica:
        """The invoice in one FatturaElettronicaBody."""
        tipo = numero = None
        data = totale = None
        cig: tuple[str, ...] = ()
        casse: tuple[Cassa, ...] = ()
        generali = self.child(body, "DatiGenerali", "FatturaElettronicaBody")
        if generali is not None:
            cig = self.cig(generali)
            documento = self.child(generali, "DatiGeneraliDocumento", "DatiGenerali")
            if documento is not None:
                find = documento.findtext
                tipo = _text(find("TipoDocumento"))
                data = _day(find("Data"))
                numero = _text(find("Numero"))
                totale_text = find("ImportoTotaleDocumento")
                totale = _amount2(totale_text)
                if None in (tipo, data, numero) or (totale is None and totale_text is not None):
                    self.diagnose(documento, _DOCUMENT_FIELDS, _DOCUMENT)
                casse = tuple(
                    self.cassa(fund, position)
                    for position, fund in enumerate(
                        documento.findall("DatiCassaPrevidenziale"), start=1
                    )
                )
        righe: tuple[RigaFattura, ...] = ()
        riepiloghi: tuple[Riepilogo, ...] = ()
        beni = self.child(body, "DatiBeniServizi", "FatturaElettronicaBody")
        if beni is not None:
            righe = tuple(
                self.riga(line, position)
                for position, line in enumerate(beni.findall("DettaglioLinee"), start=1)
            )
            riepiloghi = tuple(
                self.riepilogo(summary, position)
                for position, summary in enumerate(beni.findall("DatiRiepilogo"), start=1)
            )
        return FatturaElettronica(
            self.file,
            indice,
            tipo or "",
            numero or "",
            data or _UNREAD_DATE,
            cedente,
            partita_iva,
            cessionario,
            cig,
            righe,
            riepiloghi,
            totale,
            self.firmata,
            self.versione,
            casse,
        )

    def cig(self, generali: ElementTree.Element) -> tuple[str, ...]:
        """Every CodiceCIG of the blocks that may have one, each once, in document order."""
        codes: list[str] = []
        for block in generali:
            if block.tag in _CIG_BLOCKS:
                code = _text(block.findtext("CodiceCIG"))
                if code and code not in codes:
                    codes.append(code)
        return tuple(codes)

    def riga(self, line: ElementTree.Element, position: int) -> RigaFattura:
        """One DettaglioLinee; ``position`` names it when its NumeroLinea is unreadable."""
        find = line.findtext
        numero = _line_number(find("NumeroLinea"))
        descrizione = _words(find("Descrizione"))
        quantita_text = find("Quantita")
        inizio_text = find("DataInizioPeriodo")
        fine_text = find("DataFinePeriodo")
        quantita = _quantity(quantita_text)
        inizio = _day(inizio_text)
        fine = _day(fine_text)
        unitario = _amount8(find("PrezzoUnitario"))
        totale = _amount8(find("PrezzoTotale"))
        aliquota = _rate(find("AliquotaIVA"))
        if (
            numero is None
            or descrizione is None
            or unitario is None
            or totale is None
            or aliquota is None
            or (quantita is None and quantita_text is not None)
            or (inizio is None and inizio_text is not None)
            or (fine is None and fine_text is not None)
        ):
            self.diagnose(line, _LINE_FIELDS, (_LINE, numero or position))
            return _UNREAD_LINE
        natura = _text(find("Natura"))
        return RigaFattura(
            numero, descrizione, inizio, fine, quantita, unitario, totale, aliquota, natura
        )

    def cassa(self, fund: ElementTree.Element, position: int) -> Cassa:
        """One DatiCassaPrevidenziale: its rate and contribution."""
        aliquota = _rate(fund.findtext("AliquotaIVA"))
        importo = _amount2(fund.findtext("ImportoContributoCassa"))
        if aliquota is None or importo is None:
            self.diagnose(fund, _FUND_FIELDS, (_FUND, position))
            return Cassa(ZERO, ZERO)
        return Cassa(aliquota, importo)

    def riepilogo(self, summary: ElementTree.Element, position: int) -> Riepilogo:
        """One DatiRiepilogo."""
        find = summary.findtext
        aliquota = _rate(find("AliquotaIVA"))
        imponibile = _amount2(find("ImponibileImporto"))
        imposta = _amount2(find("Imposta"))
        esigibilita_text = find("EsigibilitaIVA")
        esigibilita = _esigibilita(esigibilita_text)
        rounding_text = find("Arrotondamento")
        rounding = _amount8(rounding_text)
        if (
            aliquota is None
            or imponibile is None
            or imposta is None
            or (esigibilita is None and esigibilita_text is not None)
            or (rounding is None and rounding_text is not None)
        ):
            self.diagnose(summary, _SUMMARY_FIELDS, (_SUMMARY, position))
            return _UNREAD_SUMMARY
        natura = _text(find("Natura"))
        return Riepilogo(aliquota, imponibile, imposta, esigibilita, natura, rounding)

    # Problems ------------------------------------------------------------------------------

    def child(
        self, parent: ElementTree.Element, tag: str, parent_label: str
    ) -> ElementTree.Element | None:
        """The required child ``tag`` of ``parent``, or None and a problem."""
        found = parent.find(tag)
        if found is None:
            self.missing(parent, tag, parent_label)
        return found

    def diagnose(self, block: ElementTree.Element, fields: _Fields, where: _Where) -> None:
        """Say what is wrong with each field of ``block`` that the fast path could not read."""
        for tag, read, required in fields:
            element = block.find(tag)
            if element is None:
                if required:
                    self.missing(block, tag, _label(_local(block.tag), where))
                continue
            text = element.text or ""
            if read(text) is not None:
                continue
            if read in (_text, _words):
                message = _("<{element}> in {parent} is empty").format(
                    element=tag, parent=_label(_local(block.tag), where)
                )
            else:
                message = _value_problem(read, text, _label(tag, where))
            self.problem(element, message)

    def problem(self, element: ElementTree.Element, message: str) -> None:
        self.problems.append((element, message))

    def missing(self, parent: ElementTree.Element, tag: str, parent_label: str) -> None:
        self.problem(
            parent, _("missing <{element}> in {parent}").format(element=tag, parent=parent_label)
        )

    def located_problems(self) -> list[EInvoiceProblem]:
        """The first MAX_PROBLEMS problems (they are found in the file's order) with the
        lines they are on, and a closing count of the others."""
        shown = self.problems[:MAX_PROBLEMS]
        lines = _source_lines(self.xml, self.root, [element for element, _m in shown])
        located = [EInvoiceProblem(lines.get(id(element), 0), m) for element, m in shown]
        located.sort(key=lambda problem: problem.line)
        others = len(self.problems) - len(shown)
        if others:
            message = ngettext(
                "… and {count} more problem in this file",
                "… and {count} more problems in this file",
                others,
            )
            located.append(EInvoiceProblem(0, message.format(count=others)))
        return located


def _value_problem(read: _Read, text: str, element: str) -> str:
    """What to say of ``text``, which ``read`` refused, in ``element``."""
    value = _quote(text)
    if read is _day:
        stripped = text.strip(_XML_SPACE)
        suggestion = _suggest_date(stripped)
        if _DATE.fullmatch(stripped):
            message = _("'{value}' in {element} is not a date that exists")
        elif suggestion:
            message = _("'{value}' in {element} is not a date: FatturaPA writes {suggestion}")
        else:
            message = _(
                "'{value}' in {element} is not a date: FatturaPA writes dates as YYYY-MM-DD, "
                "like 2016-03-31"
            )
        return message.format(value=value, element=element, suggestion=suggestion)
    elif read is _line_number:
        message = _(
            "'{value}' in {element} is not a line number: FatturaPA numbers lines from 1 to 9999"
        )
    elif read is _esigibilita:
        message = _(
            "'{value}' in {element} is not a VAT due-date code: FatturaPA writes I "
            "(immediate), D (deferred) or S (split payment)"
        )
    else:
        return _number_problem(text, element, _PATTERNS[read])
    return message.format(value=value, element=element)


def _quote(text: str) -> str:
    """A value as a message quotes it: without surrounding spaces, and cut if long."""
    text = text.strip()
    return text if len(text) <= _MAX_QUOTE else text[:_MAX_QUOTE] + "…"


def _number_problem(text: str, element: str, pattern: "re.Pattern[str]") -> str:
    """What to say of a number that is not written as FatturaPA writes it."""
    value = _quote(text)
    suggestion = _suggest(text.strip(), pattern)
    if pattern is _RATE:
        if suggestion:
            message = _("'{value}' in {element} is not a VAT rate: FatturaPA writes {suggestion}")
        else:
            message = _(
                "'{value}' in {element} is not a VAT rate: FatturaPA writes a percentage "
                "from 0.00 to 100.00 with two decimals, like 22.00"
            )
    elif pattern is _QUANTITY:
        if suggestion:
            message = _("'{value}' in {element} is not a quantity: FatturaPA writes {suggestion}")
        else:
            message = _(
                "'{value}' in {element} is not a quantity: FatturaPA writes a number with a "
                "dot and two to eight decimals, like 1.00"
            )
    elif suggestion:
        message = _("'{value}' in {element} is not an amount: FatturaPA writes {suggestion}")
    elif pattern is _AMOUNT2:
        message = _(
            "'{value}' in {element} is not an amount: FatturaPA writes euros with a dot and "
            "two decimals, like 1234.50"
        )
    else:
        message = _(
            "'{value}' in {element} is not an amount: FatturaPA writes euros with a dot and "
            "two to eight decimals, like 1234.50"
        )
    return message.format(value=value, element=element, suggestion=suggestion)


def _suggest(text: str, pattern: "re.Pattern[str]") -> str | None:
    """The number ``text`` seems to mean, written as ``pattern`` wants, if there is one."""
    plain = text.replace("€", "").replace("EUR", "").replace("%", "").replace(" ", "")
    if re.fullmatch(r"-?[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+", plain):  # 1.234,50
        plain = plain.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?[0-9]+,[0-9]+", plain):  # 12,50
        plain = plain.replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", plain) or len(plain) > _MAX_QUOTE:
        return None
    decimals = max(2, len(plain.partition(".")[2]))
    suggestion = f"{Decimal(plain):.{decimals}f}"
    if suggestion == text or not pattern.fullmatch(suggestion):
        return None
    if pattern is _RATE and Decimal(suggestion) > HUNDRED:
        return None
    return suggestion


def _suggest_date(text: str) -> str | None:
    """``31/03/2016`` (day first, as Italians write dates) as FatturaPA writes it."""
    match = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _source_lines(
    xml: bytes, root: ElementTree.Element, elements: Sequence[ElementTree.Element]
) -> dict[int, int]:
    """The line of the file each element starts on, by ``id``; only run for problems.

    ElementTree keeps no positions, so the file is read again with expat, counting
    start tags (the n-th start tag is the n-th element of ``root.iter()``), up to the
    last element wanted.
    """
    from xml.parsers import expat

    wanted = {id(element) for element in elements}
    by_index: dict[int, int] = {}
    for index, element in enumerate(root.iter()):
        if id(element) in wanted:
            by_index[index] = id(element)
            if len(by_index) == len(wanted):
                break
    lines: dict[int, int] = {}
    parser = expat.ParserCreate()
    count = 0

    class AllFound(Exception):
        pass

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal count
        key = by_index.get(count)
        if key is not None:
            lines[key] = parser.CurrentLineNumber
            if len(lines) == len(by_index):
                raise AllFound
        count += 1

    parser.StartElementHandler = start
    with contextlib.suppress(AllFound, expat.ExpatError, LookupError, ValueError):
        parser.Parse(xml, True)
    return lines
