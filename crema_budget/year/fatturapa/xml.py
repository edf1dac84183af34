"""An e-invoice's XML, parsed safely: a document with a DTD refused before it is parsed,
XML that expat cannot read said in words, the root checked to be a FatturaPA 1.1 or 1.2
invoice, and the line where each element starts, for messages.
"""

import contextlib
import os
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence

from crema_budget.i18n import _
from crema_budget.year.fatturapa.records import Refused

#: The namespace of FatturaPA 1.2 (formats FPA12 and FPR12, schema versions 1.2 to 1.2.2).
NAMESPACE = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"

#: The namespace of FatturaPA 1.1 (format SDI11), what the Sistema di Interscambio took
#: until the end of 2016.
NAMESPACE_1_1 = "http://www.fatturapa.gov.it/sdi/fatturapa/v1.1"

#: The version of the format each namespace read stands for.
VERSIONS = {NAMESPACE_1_1: "1.1", NAMESPACE: "1.2"}

ROOTS = {f"{{{namespace}}}FatturaElettronica": namespace for namespace in VERSIONS}

_SDI_MESSAGES = "http://www.fatturapa.gov.it/sdi/messaggi/"

# "<!DOCTYPE" in ASCII, UTF-16-LE and UTF-16-BE (spelled out: no codec to import). The only
# XML the parser accepts that is not ASCII-compatible is UTF-16 (expat refuses every other
# encoding that would spell "<!DOCTYPE" differently), so these are all the spellings there are.
_DOCTYPE = (
    b"<!DOCTYPE",
    b"<\0!\0D\0O\0C\0T\0Y\0P\0E\0",
    b"\0<\0!\0D\0O\0C\0T\0Y\0P\0E",
)


def parse_xml(xml: bytes) -> ElementTree.Element:
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
    if _has_doctype(xml):
        raise Refused(*_dtd_problem(xml))
    try:
        return ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        problem = Refused(_malformed(exc), exc.position[0])
    except (LookupError, ValueError) as exc:  # an encoding Python has but expat cannot use
        problem = Refused(
            _(
                "the XML declares a character encoding that cannot be read ({reason}); "
                "FatturaPA files are written in UTF-8"
            ).format(reason=exc)
        )
    try:
        raise problem
    finally:
        # The frame the traceback keeps must not keep the exception (a cycle only the
        # collector frees, which is paused while a folder is read): nor then the bytes.
        del problem


# An optional UTF-8 byte order mark and an optional XML declaration of version 1.0 in UTF-8
# (or naming no encoding, which means UTF-8): what parse_together's document starts with, in
# effect. Every declaration this matches is one expat accepts; any other (another encoding,
# another version) leaves the file to be parsed alone.
_UTF8_START = re.compile(
    rb"""(?:\xef\xbb\xbf)?
    (?:<\?xml [ \t\r\n]+ version [ \t\r\n]*=[ \t\r\n]* (?:"1\.0"|'1\.0')
       (?:[ \t\r\n]+ encoding [ \t\r\n]*=[ \t\r\n]* (?:"[Uu][Tt][Ff]-8"|'[Uu][Tt][Ff]-8'))?
       (?:[ \t\r\n]+ standalone [ \t\r\n]*=[ \t\r\n]* (?:"(?:yes|no)"|'(?:yes|no)'))?
       [ \t\r\n]* \?>)?""",
    re.VERBOSE,
)
_USUAL_START = b'<?xml version="1.0" encoding="UTF-8"?>'
_SPACE = re.compile(rb"[ \t\r\n]*")
_DECLARATION = re.compile(rb"<\?[Xx][Mm][Ll](?:[ \t\r\n?]|$)")
# A start tag's name (as far as it goes: expat judges whether it is one).
_START_TAG = re.compile(rb"<([^ \t\r\n/>!?]+)")
_XML_SPACE_BYTES = b" \t\r\n"
_XML_SPACE = " \t\r\n"

#: A batch is parsed once it holds BATCH_FILES files, or BATCH_BYTES or more (so at most
#: twice that); a file larger than BATCH_BYTES is parsed alone.
BATCH_FILES = 16
BATCH_BYTES = 1024 * 1024


def batch_item(xml: bytes) -> bytes | None:
    """The part of ``xml`` that :func:`parse_together` takes, or None for a document that
    is parsed alone.

    A document is taken when it is in UTF-8 (declared so, or declaring no encoding) and
    holds nothing but blanks, comments and processing instructions (a style sheet's)
    before its root element, and nothing but blanks after the root's end tag; its part is
    what follows the declaration, up to that end tag. The comments and instructions are
    only skipped here, each to the first ``-->`` or ``?>`` as expat reads them; expat
    reads them again in the batch, and judges them.
    """
    if len(xml) > BATCH_BYTES or b"\0" in xml or _has_doctype(xml):
        return None
    if xml.startswith(_USUAL_START):  # what most programs write: no pattern to match
        begin = position = len(_USUAL_START)
    else:
        begin = position = _UTF8_START.match(xml).end()  # type: ignore[union-attr]  # may be empty
    while True:
        position = _SPACE.match(xml, position).end()  # type: ignore[union-attr]
        if xml.startswith(b"<?", position):
            if _DECLARATION.match(xml, position):  # one _UTF8_START did not take
                return None
            closing, after = xml.find(b"?>", position + 2), 2
        elif xml.startswith(b"<!--", position):
            closing, after = xml.find(b"-->", position + 4), 3
        else:
            break
        if closing < 0:  # never closed
            return None
        position = closing + after
    root = _START_TAG.match(xml, position)
    if root is None:
        return None
    end = xml.rstrip(_XML_SPACE_BYTES)
    # The root's end tag last: "</", its name, blanks maybe, and ">".
    closing = end.rfind(b"</")
    if closing < 0 or not end.endswith(b">"):
        return None
    if end[closing + 2 : -1].rstrip(_XML_SPACE_BYTES) != root[1]:
        return None
    return end[begin:]


def parse_together(items: Sequence[bytes]) -> list[ElementTree.Element] | None:
    """The root elements of the documents whose parts :func:`batch_item` gave, parsed in
    one pass; or None, and then each is to be parsed alone.

    Parsing many small documents in one parser spares each the parser's set-up and its
    first sight of every element name (about a quarter of a FatturaPA invoice's parse).
    Each part goes inside an element whose name is drawn at random for the call, so no
    file can name it. A file can still hide the boundary between two of those elements:
    a comment, instruction or CDATA section it leaves open runs into the next file, and
    the two become one element (``<a><!--</a>`` then ``<a>--></a>``). So the batch is kept
    only when the wrapper holds one element of that name per part; as no file can add
    one, each then holds exactly one part, parsed as the part alone would be. Each must
    also hold one element and no text but blanks, which with :func:`batch_item`'s start
    and end makes it the document's root: a batch is kept if and only if every document
    in it parses alone, and its roots are the elements each would give. When it is not (a
    file that is not well-formed, say), the caller parses each alone, for its own message.
    """
    name = b"b" + os.urandom(16).hex().encode()  # 128 bits: no file can know it
    opening, closing = b"<" + name + b">", b"</" + name + b">"
    document = opening + closing.join(opening + item for item in items) + closing + closing
    try:
        wrapper = ElementTree.fromstring(document)
    except (ElementTree.ParseError, LookupError, ValueError):
        return None
    if len(wrapper) != len(items):  # a boundary hidden in a comment, instruction or CDATA
        return None
    tag = name.decode()
    roots: list[ElementTree.Element] = []
    for element in wrapper:
        if element.tag != tag or len(element) != 1 or element.tail is not None:
            return None
        if element.text is not None and element.text.strip(_XML_SPACE):
            return None
        root = element[0]
        if root.tail is not None:
            return None
        roots.append(root)
    return roots


def _has_doctype(xml: bytes) -> bool:
    """Whether ``xml`` holds "<!DOCTYPE" in any encoding expat reads. An invoice seldom
    holds a "!" at all, and looking for one byte is much faster than for nine."""
    if b"!" not in xml:
        return False
    # UTF-16, the only encoding that spells it otherwise, has zero bytes
    return any(mark in xml for mark in (_DOCTYPE if b"\0" in xml else _DOCTYPE[:1]))


def _doctype_at(xml: bytes) -> tuple[str, int]:
    """The encoding "<!DOCTYPE" is spelt in and where it starts; ``_has_doctype`` found it.

    In UTF-16 a character starts on an even byte: the other byte order's spelling also
    appears one byte off the true one (``\0<\0!…E\0`` holds ``<\0!\0…E\0``), and is not it.
    """
    for mark, codec in zip(_DOCTYPE, ("latin-1", "utf-16-le", "utf-16-be"), strict=True):
        position = xml.find(mark)
        while codec != "latin-1" and position > 0 and position % 2:
            position = xml.find(mark, position + 1)
        if position >= 0:
            return codec, position
    return "latin-1", xml.find(b"!")  # only one byte off: read as bytes, from the "!"


def _dtd_problem(xml: bytes) -> tuple[str, int]:
    """What to say of a document with a DTD, and on which line."""
    codec, position = _doctype_at(xml)
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


def unqualify(root: ElementTree.Element) -> None:
    """Drop the namespace from the root's descendants, for files that qualify them all."""
    for element in root.iter():
        if element is not root and element.tag[:1] == "{":
            element.tag = element.tag.partition("}")[2]


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def wrong_root(root: ElementTree.Element) -> str:
    """What to say of an XML document that is not a FatturaPA 1.1 or 1.2 invoice."""
    tag = root.tag
    namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    element = local(tag)
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


def source_lines(
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

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal count
        key = by_index.get(count)
        if key is not None:
            lines[key] = parser.CurrentLineNumber
            if len(lines) == len(by_index):
                raise _AllFound
        count += 1

    parser.StartElementHandler = start
    with contextlib.suppress(_AllFound, expat.ExpatError, LookupError, ValueError):
        parser.Parse(xml, True)
    parser.StartElementHandler = None  # the handler refers to the parser: no cycle left
    return lines


class _AllFound(Exception):
    """Every line wanted is known: source_lines stops expat."""
