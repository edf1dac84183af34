"""Write FatturaPA e-invoices to a public body, plain or signed: version 1.2 (format FPA12,
from 2017) or version 1.1 (format SDI11, what 2015 and 2016 had).

For tests, examples and the benchmark of :mod:`crema_budget.year.fatturapa.reader`. What
:func:`fattura_xml` writes is valid against the official FatturaPA schema of its version
(1.1; or 1.2, 1.2.1 and 1.2.2): DatiTrasmissione with a 6-character CodiceDestinatario, the
two parties,
DatiGeneraliDocumento (TD01, EUR, Data, Numero, ImportoTotaleDocumento), the CIG in
DatiContratto, one DettaglioLinee per line and one DatiRiepilogo per VAT rate, whose VAT is
the rate times the taxable total rounded half up to the cent
(:func:`crema_budget.money.vat`). The identifiers are invented but well formed (the
partite IVA have the right check digit). The text is built directly, with XML escaping,
so that thousands of files are quick to make, and is the same for the same arguments.

:func:`firma_p7m` wraps an invoice in a real CMS SignedData (CAdES ``.p7m``) signed by a
throw-away self-signed certificate, in DER or in BER as signing tools write it;
:func:`as_base64` gives the base64 text form. They need ``cryptography`` (a test extra).

Example: python benchmarks/einvoice.py --count 10000 --output /tmp/fatture
         python benchmarks/einvoice.py --count 10000 --output /tmp/fatture --measure
         python benchmarks/einvoice.py --esempi examples/fatture
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.money import CENT, HUNDRED, ZERO, vat

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec

NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
NAMESPACE_1_1 = "http://www.fatturapa.gov.it/sdi/fatturapa/v1.1"
#: Each version: its namespace, the root's ``versione`` and the FormatoTrasmissione.
VERSIONI = {
    "1.1": (NAMESPACE_1_1, "1.1", "SDI11"),
    "1.2": (NAMESPACE, "FPA12", "FPA12"),
}

#: The supplier, as the agreement names it, and its invented partita IVA (office 019, Cremona).
CEDENTE = 'Consorzio "Sul Serio" Crema'
CEDENTE_PARTITA_IVA = "01555550191"
#: The customer and its invented codice fiscale.
CESSIONARIO = "Comune di Crema"
CESSIONARIO_CODICE_FISCALE = "91000000199"
#: An invented Codice Univoco Ufficio: the office of the public body the invoice goes to.
CODICE_DESTINATARIO = "UFE2CR"
#: The IdDocumento of DatiContratto, which carries the CIG.
CONTRATTO = "Convenzione 2016"

_ESIGIBILITA = frozenset({"I", "D", "S"})
#: The Natura codes of each version's schema: 1.1 has N1 to N6; 1.2 adds N7, and 1.2.1 the
#: codes with a decimal (N2.1 … N6.9).
_NATURE = {
    "1.1": frozenset({"N1", "N2", "N3", "N4", "N5", "N6"}),
    "1.2": frozenset(
        {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N2.1", "N2.2"}
        | {f"N3.{n}" for n in range(1, 7)}
        | {f"N6.{n}" for n in range(1, 10)}
    ),
}
#: The ASCII control characters XML 1.0 refuses (tab, line feed and carriage return are fine).
_CONTROL = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}


class Linea(NamedTuple):
    """One line of an invoice: a service, its taxable amount, its VAT rate (percent) and
    the period it covers; a line at 0% says why with a Natura code (N1 … N7)."""

    descrizione: str
    imponibile: Decimal
    aliquota_iva: Decimal
    inizio: date | None = None
    fine: date | None = None
    natura: str | None = None


class Documento(NamedTuple):
    """One more invoice (FatturaElettronicaBody) in the same file, for a batch (lotto)."""

    numero: str
    data: date
    linee: Sequence[Linea]
    cig: str | None = None


def fattura_xml(
    numero: str,
    data: date,
    linee: Sequence[Linea],
    *,
    cig: str | None = None,
    esigibilita: str = "S",
    cedente: str = CEDENTE,
    cedente_partita_iva: str = CEDENTE_PARTITA_IVA,
    cessionario: str = CESSIONARIO,
    cessionario_codice_fiscale: str = CESSIONARIO_CODICE_FISCALE,
    codice_destinatario: str = CODICE_DESTINATARIO,
    altri: Sequence[Documento] = (),
    versione: str = "1.2",
    progressivo: str | None = None,
) -> bytes:
    """A valid FatturaPA file holding invoice ``numero`` of ``data``, then the invoices in
    ``altri`` (several bodies, one header), as UTF-8 bytes: version 1.2 (FPA12) by default,
    or ``versione="1.1"`` (SDI11), the format of 2016.

    ``esigibilita`` is every summary's EsigibilitaIVA: S (split payment, the default for a
    public body), I or D. ``progressivo`` is the ProgressivoInvio (by default, made from the
    number). Every element is on a line of its own. Raises ValueError for what the schema
    would refuse (a description outside Latin-1, an amount with fractions of a cent, a 0%
    line without Natura, …).
    """
    _check(versione in VERSIONI, f"versione must be 1.1 or 1.2, not {versione!r}")
    namespace, attribute, formato = VERSIONI[versione]
    _check(esigibilita in _ESIGIBILITA, f"EsigibilitaIVA must be I, D or S, not {esigibilita!r}")
    _check(
        len(codice_destinatario) == 6 and codice_destinatario.isascii(),
        "a public body's CodiceDestinatario has 6 characters",
    )
    _check(
        codice_destinatario.isalnum() and codice_destinatario.upper() == codice_destinatario,
        "CodiceDestinatario is capital letters and digits",
    )
    _check(
        _is_partita_iva(cedente_partita_iva),
        "a partita IVA is 11 digits, the last a check digit",
    )
    _check(
        len(cessionario_codice_fiscale) in (11, 16) and cessionario_codice_fiscale.isalnum(),
        "a codice fiscale has 11 or 16 characters",
    )
    if progressivo is None:
        progressivo = "".join(ch for ch in numero if ch.isascii() and ch.isalnum())[-10:] or "1"
    _check(
        0 < len(progressivo) <= 10 and progressivo.isascii() and progressivo.isalnum(),
        "ProgressivoInvio is 1 to 10 letters and digits",
    )
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<p:FatturaElettronica xmlns:p="{namespace}" versione="{attribute}">\n',
        "<FatturaElettronicaHeader>\n<DatiTrasmissione>\n<IdTrasmittente>\n",
        f"<IdPaese>IT</IdPaese>\n<IdCodice>{cedente_partita_iva}</IdCodice>\n",
        "</IdTrasmittente>\n",
        f"<ProgressivoInvio>{progressivo}</ProgressivoInvio>\n",
        f"<FormatoTrasmissione>{formato}</FormatoTrasmissione>\n",
        f"<CodiceDestinatario>{codice_destinatario}</CodiceDestinatario>\n",
        "</DatiTrasmissione>\n<CedentePrestatore>\n<DatiAnagrafici>\n<IdFiscaleIVA>\n",
        f"<IdPaese>IT</IdPaese>\n<IdCodice>{cedente_partita_iva}</IdCodice>\n</IdFiscaleIVA>\n",
        f"<CodiceFiscale>{cedente_partita_iva}</CodiceFiscale>\n",
        f"<Anagrafica>\n<Denominazione>{_latin(cedente, 80, 'cedente')}</Denominazione>\n",
        "</Anagrafica>\n<RegimeFiscale>RF01</RegimeFiscale>\n</DatiAnagrafici>\n",
        _sede("Via Roma 1"),
        "</CedentePrestatore>\n<CessionarioCommittente>\n<DatiAnagrafici>\n",
        f"<CodiceFiscale>{cessionario_codice_fiscale}</CodiceFiscale>\n",
        f"<Anagrafica>\n<Denominazione>{_latin(cessionario, 80, 'cessionario')}</Denominazione>\n",
        "</Anagrafica>\n</DatiAnagrafici>\n",
        _sede("Piazza Duomo 1"),
        "</CessionarioCommittente>\n</FatturaElettronicaHeader>\n",
    ]
    for documento in (Documento(numero, data, linee, cig), *altri):
        _body(out, documento, esigibilita, versione)
    out.append("</p:FatturaElettronica>\n")
    return "".join(out).encode("utf-8")


def _sede(indirizzo: str) -> str:
    return (
        f"<Sede>\n<Indirizzo>{indirizzo}</Indirizzo>\n<CAP>26013</CAP>\n<Comune>Crema</Comune>\n"
        "<Provincia>CR</Provincia>\n<Nazione>IT</Nazione>\n</Sede>\n"
    )


def _body(out: list[str], documento: Documento, esigibilita: str, versione: str) -> None:
    """Append one FatturaElettronicaBody to ``out``."""
    numero, data, linee, cig = documento
    _check(bool(linee), "an invoice needs at least one line")
    _check(data >= date(1970, 1, 1), "the schema takes invoices dated from 1970")
    _check(
        0 < len(numero) <= 20 and numero.isascii() and numero.isprintable(),
        f"Numero must be 1 to 20 ASCII characters, not {numero!r}",
    )
    _check(
        cig is None or (0 < len(cig) <= 15 and cig.isascii() and cig.isprintable()),
        f"a CIG has at most 15 ASCII characters, not {cig!r}",
    )
    summaries: dict[tuple[Decimal, str | None], Decimal] = {}
    for linea in linee:
        _check_linea(linea, versione)
        key = (linea.aliquota_iva, linea.natura)
        summaries[key] = summaries.get(key, ZERO) + linea.imponibile
    taxes = {key: ZERO if key[1] else vat(total, key[0]) for key, total in summaries.items()}
    total = sum(summaries.values(), ZERO) + sum(taxes.values(), ZERO)
    for figure in (total, *summaries.values(), *taxes.values()):
        _check(abs(figure) < 10**11, f"{figure} has more than 11 digits before the point")
    out += [
        "<FatturaElettronicaBody>\n<DatiGenerali>\n<DatiGeneraliDocumento>\n",
        "<TipoDocumento>TD01</TipoDocumento>\n<Divisa>EUR</Divisa>\n",
        f"<Data>{data.isoformat()}</Data>\n<Numero>{_escape(numero)}</Numero>\n",
        f"<ImportoTotaleDocumento>{total:.2f}</ImportoTotaleDocumento>\n",
        "</DatiGeneraliDocumento>\n",
    ]
    if cig is not None:
        out += [
            f"<DatiContratto>\n<IdDocumento>{CONTRATTO}</IdDocumento>\n",
            f"<CodiceCIG>{_escape(cig)}</CodiceCIG>\n</DatiContratto>\n",
        ]
    out.append("</DatiGenerali>\n<DatiBeniServizi>\n")
    for numero_linea, linea in enumerate(linee, start=1):
        amount = f"{linea.imponibile:.2f}"
        out += [
            f"<DettaglioLinee>\n<NumeroLinea>{numero_linea}</NumeroLinea>\n",
            f"<Descrizione>{_latin(linea.descrizione, 1000, 'descrizione')}</Descrizione>\n",
        ]
        if linea.inizio is not None:
            out.append(f"<DataInizioPeriodo>{linea.inizio.isoformat()}</DataInizioPeriodo>\n")
        if linea.fine is not None:
            out.append(f"<DataFinePeriodo>{linea.fine.isoformat()}</DataFinePeriodo>\n")
        out += [
            f"<PrezzoUnitario>{amount}</PrezzoUnitario>\n<PrezzoTotale>{amount}</PrezzoTotale>\n",
            f"<AliquotaIVA>{linea.aliquota_iva:.2f}</AliquotaIVA>\n",
        ]
        if linea.natura is not None:
            out.append(f"<Natura>{linea.natura}</Natura>\n")
        out.append("</DettaglioLinee>\n")
    for (aliquota, natura), imponibile in summaries.items():
        out.append(f"<DatiRiepilogo>\n<AliquotaIVA>{aliquota:.2f}</AliquotaIVA>\n")
        if natura is not None:
            out.append(f"<Natura>{natura}</Natura>\n")
        out += [
            f"<ImponibileImporto>{imponibile:.2f}</ImponibileImporto>\n",
            f"<Imposta>{taxes[aliquota, natura]:.2f}</Imposta>\n",
            f"<EsigibilitaIVA>{esigibilita}</EsigibilitaIVA>\n</DatiRiepilogo>\n",
        ]
    out.append("</DatiBeniServizi>\n</FatturaElettronicaBody>\n")


def _check_linea(linea: Linea, versione: str) -> None:
    """Refuse a line the schema, or the Sistema di Interscambio, would refuse."""
    _check(
        linea.imponibile == linea.imponibile.quantize(CENT) and abs(linea.imponibile) < 10**11,
        f"the taxable amount {linea.imponibile} must be in euros and cents",
    )
    rate = linea.aliquota_iva
    _check(
        ZERO <= rate <= HUNDRED and rate == rate.quantize(CENT),
        f"a VAT rate is a percentage with at most two decimals, not {rate}",
    )
    if rate == ZERO:
        _check(
            linea.natura in _NATURE[versione],
            "a line at 0% needs a Natura code saying why (N1 … N7)",
        )
    else:
        _check(linea.natura is None, "only a line at 0% has a Natura code")
    _check(
        linea.inizio is None or linea.fine is None or linea.inizio <= linea.fine,
        "the period of a line must not end before it starts",
    )


def _latin(text: str, length: int, field: str) -> str:
    """``text`` escaped for XML, if the schema's Latin-1 string of ``length`` takes it."""
    _check(0 < len(text) <= length, f"{field} must be 1 to {length} characters long")
    _check(
        not any(ch in _CONTROL for ch in text) and text.strip() == text,
        f"{field} must have no control characters and no spaces around it: {text!r}",
    )
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"{field} must be Latin-1 text (FatturaPA's alphabet): {text!r}") from None
    return _escape(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _is_partita_iva(code: str) -> bool:
    """Eleven digits whose last is the check digit (the Luhn-like rule of the partita IVA)."""
    if len(code) != 11 or not code.isascii() or not code.isdigit():
        return False
    total = 0
    for position, digit in enumerate(int(ch) for ch in code[:10]):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10 == int(code[10])


# Signed envelopes ----------------------------------------------------------------------------


def firma_p7m(xml: bytes, *, ber: bool = False, detached: bool = False) -> bytes:
    """``xml`` signed as CAdES ``.p7m``: a CMS SignedData with the content attached, by a
    throw-away self-signed certificate (made once per process).

    DER by default. ``ber=True`` re-encodes the envelope as many signing tools write it:
    BER indefinite lengths, with the content as a constructed OCTET STRING of 1000-byte
    chunks (the signature stays valid: it covers the content's bytes, not their framing).
    ``detached=True`` leaves the content out (a detached signature, which travels
    beside the file it signs). Signatures are randomised (ECDSA): the bytes differ from
    call to call.
    """
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    key, certificate = _signer()
    options = [pkcs7.PKCS7Options.Binary]  # the XML's bytes as they are, no MIME line ends
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    der = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(xml)
        .add_signer(certificate, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, options)
    )
    return _as_ber(der) if ber and not detached else der


def as_base64(p7m: bytes) -> bytes:
    """An envelope as base64 text in lines of 76 characters, as some portals save .p7m files."""
    import base64

    text = base64.b64encode(p7m)
    return b"".join(text[at : at + 76] + b"\r\n" for at in range(0, len(text), 76))


@cache
def _signer() -> tuple["ec.EllipticCurvePrivateKey", "x509.Certificate"]:
    """A key and a self-signed certificate for it, valid 2016 to 2046 (never checked)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Consorzio Sul Serio (test signer)"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(2016)
        .not_valid_before(datetime(2016, 1, 1, tzinfo=timezone.utc))
        .not_valid_after(datetime(2046, 1, 1, tzinfo=timezone.utc))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _as_ber(der: bytes) -> bytes:
    """A DER SignedData re-encoded with indefinite lengths down to a chunked eContent."""
    ((_tag, info),) = _der_children(der)  # ContentInfo
    content_type, (_tag, explicit) = _der_children(info)
    ((_tag, signed),) = _der_children(explicit)
    version, algorithms, (_tag, encapsulated), *rest = _der_children(signed)
    content_oid, (_tag, econtent) = _der_children(encapsulated)
    ((_tag, octets),) = _der_children(econtent)
    chunks = b"".join(
        b"\x04" + _der_length(len(octets[at : at + 1000])) + octets[at : at + 1000]
        for at in range(0, len(octets), 1000)
    )
    end = b"\0\0"
    encapsulated_ber = (
        b"\x30\x80" + _der_encode(*content_oid) + b"\xa0\x80\x24\x80" + chunks + end * 3
    )
    signed_ber = (
        b"\x30\x80"
        + _der_encode(*version)
        + _der_encode(*algorithms)
        + encapsulated_ber
        + b"".join(_der_encode(*element) for element in rest)
        + end
    )
    return b"\x30\x80" + _der_encode(*content_type) + b"\xa0\x80" + signed_ber + end * 2


def _der_children(data: bytes) -> list[tuple[int, bytes]]:
    """The (tag, contents) of each DER element in ``data`` (definite lengths only)."""
    children = []
    position = 0
    while position < len(data):
        tag, length = data[position], data[position + 1]
        position += 2
        if length & 0x80:
            count = length & 0x7F
            length = int.from_bytes(data[position : position + count], "big")
            position += count
        children.append((tag, data[position : position + length]))
        position += length
    return children


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(encoded)]) + encoded


def _der_encode(tag: int, contents: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(contents)) + contents


# The examples --------------------------------------------------------------------------------

#: The e-invoices of the invented example register (examples/registro_2016.yaml), in FatturaPA
#: 1.1 as the Consorzio would have sent them in 2016: file name, signed or not, the invoice.
ESEMPI: tuple[tuple[str, bool, Documento], ...] = (
    (
        f"IT{CEDENTE_PARTITA_IVA}_00040.xml",
        False,
        Documento(
            "FPA 40/2016",
            date(2016, 6, 20),
            (
                Linea(
                    "Servizio di facchinaggio gennaio-giugno 2016",
                    Decimal("8275.00"),
                    Decimal(22),
                    date(2016, 1, 1),
                    date(2016, 6, 30),
                ),
                Linea(
                    "Spese di trasporto materiali",
                    Decimal("120.00"),
                    Decimal(22),
                    date(2016, 6, 1),
                    date(2016, 6, 30),
                ),
            ),
        ),
    ),
    (
        f"IT{CEDENTE_PARTITA_IVA}_00045.xml",
        False,
        Documento(
            "FPA 45/2016",
            date(2016, 6, 25),
            (
                Linea(
                    "Manutenzione aree verdi marzo-giugno 2016",
                    Decimal("55987.37"),
                    Decimal(22),
                    date(2016, 3, 1),
                    date(2016, 6, 30),
                ),
            ),
            "6543210ABC",
        ),
    ),
    (
        f"IT{CEDENTE_PARTITA_IVA}_00061.xml.p7m",
        True,
        Documento(
            "FPA 61/2016",
            date(2016, 7, 5),
            (
                Linea(
                    "Asilo nido Via Dante/Pesadori - corrispettivo giugno 2016",
                    Decimal("22909.58"),
                    Decimal(4),
                    date(2016, 6, 1),
                    date(2016, 6, 30),
                ),
                Linea(
                    "Pre e post scuola - corrispettivo giugno 2016",
                    Decimal("3568.85"),
                    Decimal(4),
                    date(2016, 6, 1),
                    date(2016, 6, 30),
                ),
            ),
        ),
    ),
)


def esempio_xml(documento: Documento) -> bytes:
    """One example invoice: FatturaPA 1.1, its ProgressivoInvio the number's digits."""
    digits = "".join(ch for ch in documento.numero.partition("/")[0] if ch.isdigit())
    xml: bytes = fattura_xml(
        documento.numero,
        documento.data,
        documento.linee,
        cig=documento.cig,
        versione="1.1",
        progressivo=digits.zfill(5),
    )
    return xml


def write_examples(folder: Path) -> list[Path]:
    """Write the example register's e-invoices into ``folder`` (the signed one, DER, is
    signed afresh: its bytes differ from run to run, its invoice does not)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, signed, documento in ESEMPI:
        xml = esempio_xml(documento)
        path = folder / name
        path.write_bytes(firma_p7m(xml) if signed else xml)
        paths.append(path)
    return paths


# Many files, and the benchmark ---------------------------------------------------------------

_SERVIZI = (
    "Servizio di assistenza domiciliare minori",
    "Centro diurno disabili",
    "Sportello di mediazione familiare",
    "Coordinamento dell'ambito territoriale",
    "Tirocini lavorativi e inclusione",
    "Laboratorio educativo per adolescenti",
)


def write_invoices(
    folder: Path, count: int, *, signed: bool = False, seed: int = 2016
) -> list[Path]:
    """Write ``count`` one-invoice files of three monthly service lines into ``folder``
    (``.xml``, or ``.xml.p7m`` in DER when ``signed``); the same files for the same seed,
    except for the signatures."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        month = (number - 1) % 12 + 1
        start = date(2016, month, 1)
        end = (start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
        linee = [
            Linea(
                f"{rng.choice(_SERVIZI)}, {start:%m/%Y}",
                Decimal(rng.randrange(10_000, 5_000_000)).scaleb(-2),
                Decimal(rng.choice((4, 4, 22))),
                start,
                end,
            )
            for _line in range(3)
        ]
        xml = fattura_xml(f"{number}/2016", end, linee, cig="Z1A0B2C3D4")
        path = folder / f"IT{CEDENTE_PARTITA_IVA}_{number:05d}.xml"
        if signed:
            path = path.with_name(path.name + ".p7m")
            path.write_bytes(firma_p7m(xml))
        else:
            path.write_bytes(xml)
        paths.append(path)
    return paths


def measure(folder: Path, rounds: int = 5) -> tuple[float, float]:
    """Median seconds to read every invoice of ``folder`` with :func:`read_einvoices`, and
    to parse the same files with bare ``xml.etree.ElementTree.parse``; alternated rounds."""
    import xml.etree.ElementTree as ElementTree

    from crema_budget.year.fatturapa.files import read_einvoices

    paths = sorted(folder.iterdir())
    bare: list[float] = []
    ours: list[float] = []
    for _round in range(rounds):
        started = time.perf_counter()
        for path in paths:
            ElementTree.parse(path)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        invoices, errors = read_einvoices([folder])
        ours.append(time.perf_counter() - started)
        if errors or len(invoices) != len(paths):
            raise SystemExit(f"{len(errors)} files could not be read: {errors[:1]}")
        # Freed here, not when the next round's records replace them: freeing a round's
        # records is not part of reading the next.
        del invoices, errors
    return statistics.median(ours), statistics.median(bare)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="how many files (default 1000)")
    parser.add_argument("--output", type=Path, help="the folder to write into")
    parser.add_argument(
        "--esempi",
        type=Path,
        metavar="FOLDER",
        help="write the example register's e-invoices (FatturaPA 1.1) into FOLDER, and stop",
    )
    parser.add_argument("--signed", action="store_true", help="write .xml.p7m files (DER)")
    parser.add_argument(
        "--measure", action="store_true", help="then time reading them against a bare parse"
    )
    args = parser.parse_args(argv)
    if args.esempi is not None:
        for path in write_examples(args.esempi):
            print(f"wrote {path}")
        return 0
    if args.output is None:
        parser.error("give --output FOLDER (or --esempi FOLDER)")
    if args.count < 1:
        parser.error("--count must be at least 1")
    if args.measure and args.signed:
        parser.error("--measure compares with a bare XML parse: it needs plain .xml files")
    write_invoices(args.output, args.count, signed=args.signed)
    print(f"wrote {args.count} files to {args.output}")
    if args.measure:
        ours, bare = measure(args.output)
        print(f"read_einvoices: {ours:.3f} s, bare ElementTree.parse: {bare:.3f} s")
        print(f"ratio: {ours / bare:.2f} (target: at most 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
