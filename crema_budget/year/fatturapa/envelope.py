"""The signed envelope of an e-invoice (CAdES, ``.p7m``): the invoice's XML taken out of a
CMS SignedData (RFC 5652), in DER or in BER with indefinite lengths and a chunked
(constructed) OCTET STRING as signing tools write it, or either in base64 text. Only the path
ContentInfo → SignedData → encapContentInfo → eContent is read, by the small reader below:
it is smaller and faster to load than a general ASN.1 library. **The signature is never
verified.**

ContentInfo ::= SEQUENCE { contentType OID (signedData), content [0] EXPLICIT SignedData }
SignedData ::= SEQUENCE { version INTEGER, digestAlgorithms SET,
encapContentInfo SEQUENCE { eContentType OID, eContent [0] EXPLICIT OCTET STRING OPTIONAL },
... certificates, CRLs and signer infos: not read }
"""

import re
from collections.abc import Iterator

from crema_budget.i18n import _
from crema_budget.year.fatturapa.records import Refused

# Signed files signed again (.xml.p7m.p7m) are unwrapped up to this many times.
_MAX_ENVELOPES = 3

# Deepest nesting of BER elements followed (constructed OCTET STRINGs in chunks).
_MAX_DER_DEPTH = 16

# What may come before an XML file's first "<" (as XML Schema collapses blanks), and its
# byte order marks: a file so starting is plain XML, not an envelope.
_XML_SPACE_BYTES = b" \t\r\n"
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

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


def unwrap(data: bytes) -> tuple[bytes, bool]:
    """The XML in ``data`` and whether it came out of a signed envelope."""
    firmata = False
    for _envelope in range(_MAX_ENVELOPES + 1):
        if data[:1] in (b" ", b"\t", b"\r", b"\n"):
            data = data.lstrip(_XML_SPACE_BYTES)
        if not data:
            if firmata:
                raise Refused(_("the .p7m envelope holds an empty file instead of an invoice"))
            raise Refused(_("the file is empty"))
        if data[:1] == b"<" or data.startswith(_BYTE_ORDER_MARKS):
            return data, firmata
        if data[0] == _SEQUENCE:
            data = _signed_content(data)
        elif data.startswith((b"MI", b"-----BEGIN")):
            data = _signed_content(_from_base64(data))
        elif firmata:
            raise Refused(_("the .p7m envelope holds a file that is not XML, so not an invoice"))
        else:
            raise Refused(
                _("this is not an XML file, nor an XML file signed as .p7m: it is not an e-invoice")
            )
        firmata = True
    raise Refused(
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
    raise Refused(
        _("the file looks like a .p7m envelope in base64 text, but it is not valid base64")
    )


def _signed_content(data: bytes) -> bytes:
    """The encapsulated content of a CMS SignedData; never verifies the signature."""
    end = len(data)
    tag, start, stop = _der_header(data, 0, end)
    if tag != _SEQUENCE:
        raise Refused(_not_signed_data())
    info = _der_elements(data, start, stop, end, 1)  # ContentInfo
    start, stop = _der_take(info, _OID)
    if data[start:stop] != _OID_SIGNED_DATA:
        raise Refused(_not_signed_data())
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
        raise Refused(
            _(
                "the .p7m signature is detached: the envelope holds no invoice, "
                "which travels in a separate file"
            )
        )
    if explicit[0] != _EXPLICIT_0:
        raise Refused(_der_damaged(explicit[1]))
    octets = next(_der_elements(data, explicit[1], explicit[2], end, 5), None)
    if octets is None:
        raise Refused(_der_damaged(explicit[1]))
    return _der_octets(data, octets, end, 6)


def _der_take(elements: Iterator[tuple[int, int, int]], tag: int) -> tuple[int, int]:
    """The span of the contents of the next element, which must have ``tag``."""
    found = next(elements, None)
    if found is None or found[0] != tag:
        raise Refused(_not_signed_data())
    return found[1], found[2]


def _der_header(data: bytes, position: int, end: int) -> tuple[int, int, int]:
    """Tag, start and stop of the contents of the element at ``position``.

    ``stop`` is -1 for a BER indefinite length (the contents end at two zero bytes).
    """
    if position + 2 > end:
        raise Refused(_der_truncated())
    tag = data[position]
    if tag & 0x1F == 0x1F:  # high tag numbers do not occur on the path read
        raise Refused(_der_damaged(position))
    first = data[position + 1]
    start = position + 2
    if first < 0x80:
        length = first
    elif first == 0x80:
        if not tag & 0x20:  # only constructed elements may have an indefinite length
            raise Refused(_der_damaged(position))
        return tag, start, -1
    else:
        count = first & 0x7F
        if count > 4:
            raise Refused(_der_damaged(position))
        if start + count > end:
            raise Refused(_der_truncated())
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    if start + length > end:
        raise Refused(_der_truncated())
    return tag, start, start + length


def _der_elements(
    data: bytes, start: int, stop: int, end: int, depth: int
) -> Iterator[tuple[int, int, int]]:
    """Tag, start and stop of each element inside the contents from ``start`` to ``stop``
    (-1: up to the end-of-contents octets)."""
    if depth > _MAX_DER_DEPTH:
        raise Refused(_der_damaged(start))
    limit = end if stop < 0 else stop
    position = start
    while position < limit:
        if stop < 0 and position + 2 <= limit and data[position : position + 2] == b"\0\0":
            return
        tag, inner_start, inner_stop = _der_header(data, position, limit)
        yield tag, inner_start, inner_stop
        position = _der_end(data, inner_start, inner_stop, limit, depth + 1)
    if stop < 0:
        raise Refused(_der_truncated())


def _der_end(data: bytes, start: int, stop: int, end: int, depth: int) -> int:
    """Where the element whose contents are from ``start`` to ``stop`` ends."""
    if stop >= 0:
        return stop
    if depth > _MAX_DER_DEPTH:
        raise Refused(_der_damaged(start))
    position = start
    while True:
        if position + 2 > end:
            raise Refused(_der_truncated())
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
        raise Refused(_der_damaged(start))
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
