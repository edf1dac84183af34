"""A folder's e-invoices are parsed sixteen at a time in one XML document (a quarter of a
small invoice's parse is the parser's set-up); what a folder gives must be exactly what its
files give read one by one: the same records, the same errors with the same lines, in the
same order, whatever the files hold, hostile or broken ones included.

The documents are written out in full here; messages are compared between the two ways of
reading, not with fixed texts (test_fatturapa.py holds those)."""

from __future__ import annotations

import gc
import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crema_budget.year.fatturapa import files as files_module
from crema_budget.year.fatturapa.files import read_einvoice, read_einvoices
from crema_budget.year.fatturapa.records import EInvoiceError, FatturaElettronica, Refused
from crema_budget.year.fatturapa.xml import (
    BATCH_BYTES,
    BATCH_FILES,
    batch_item,
    parse_together,
    parse_xml,
)

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
STYLESHEET = b'<?xml-stylesheet type="text/xsl" href="fatturaPA_v1.2.1.xsl"?>\n'


def fattura(numero: str = "1/2016", prezzo: str = "100.00", descrizione: str = "Nido") -> bytes:
    """A FatturaPA 1.2 invoice of one line, as an XML element (no declaration)."""
    return f"""<p:FatturaElettronica versione="FPA12"
    xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
<FatturaElettronicaHeader>
<CedentePrestatore><DatiAnagrafici>
<IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01555550191</IdCodice></IdFiscaleIVA>
<Anagrafica><Denominazione>Consorzio "Sul Serio"</Denominazione></Anagrafica>
</DatiAnagrafici></CedentePrestatore>
<CessionarioCommittente><DatiAnagrafici>
<Anagrafica><Denominazione>Comune di Crema</Denominazione></Anagrafica>
</DatiAnagrafici></CessionarioCommittente>
</FatturaElettronicaHeader>
<FatturaElettronicaBody>
<DatiGenerali><DatiGeneraliDocumento>
<TipoDocumento>TD01</TipoDocumento><Data>2016-01-31</Data><Numero>{numero}</Numero>
</DatiGeneraliDocumento></DatiGenerali>
<DatiBeniServizi>
<DettaglioLinee>
<NumeroLinea>1</NumeroLinea><Descrizione>{descrizione}</Descrizione>
<PrezzoUnitario>{prezzo}</PrezzoUnitario><PrezzoTotale>{prezzo}</PrezzoTotale>
<AliquotaIVA>4.00</AliquotaIVA>
</DettaglioLinee>
<DatiRiepilogo><AliquotaIVA>4.00</AliquotaIVA><ImponibileImporto>{prezzo}</ImponibileImporto>
<Imposta>4.00</Imposta></DatiRiepilogo>
</DatiBeniServizi>
</FatturaElettronicaBody>
</p:FatturaElettronica>""".encode()


GOOD = DECLARATION + fattura()

#: Files named for what they hold: each is read in a folder and alone, and must give the same.
VARIANTS: dict[str, bytes] = {
    "plain": GOOD,
    "no-declaration": fattura(),
    "single-quotes": b"<?xml version='1.0' encoding='utf-8' standalone='yes'?>" + fattura(),
    "byte-order-mark": b"\xef\xbb\xbf" + GOOD,
    "style-sheet": DECLARATION + STYLESHEET + fattura(),
    "comment-first": b"<!-- fatturaPA -->\n" + fattura(),
    "comments-around": DECLARATION + b"<!-- a -->\n<?pi x?>\n" + fattura() + b"\n\n",
    "windows-lines": GOOD.replace(b"\n", b"\r\n"),
    "latin-1": b'<?xml version="1.0" encoding="ISO-8859-1"?>'
    + fattura(descrizione="Caff\xe8").replace("Caff\xe8".encode(), b"Caff\xe8"),
    "version-1.1": b'<?xml version="1.1" encoding="UTF-8"?>' + fattura(),
    "utf-16": '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16")
    + fattura().decode().encode("utf-16-le"),
    "doctype": b'<!DOCTYPE x [<!ENTITY a "b">]>' + fattura(),
    "doctype-in-cdata": fattura(descrizione="<![CDATA[<!DOCTYPE x>]]>"),
    "cdata-before-root": b"<![CDATA[]]>" + fattura(),
    "empty-cdata-after-root": fattura() + b"<![CDATA[]]>",
    "reference-before-root": b"&#32;" + fattura(),
    "text-before-root": b"x" + fattura(),
    "text-after-root": fattura() + b"x",
    "two-roots": fattura() + fattura("2/2016"),
    "declaration-misplaced": b"<!-- a -->" + GOOD,
    "comment-unclosed": b"<!-- a " + fattura(),
    "comment-with-dashes": b"<!-- a -- b -->" + fattura(),
    "opens": fattura().replace(b"</p:FatturaElettronica>", b""),
    "closes": b"</p:FatturaElettronica>",
    "closes-a-wrapper": fattura().replace(b"</p:FatturaElettronica>", b"</b></b><b>")
    + b"</p:FatturaElettronica>",
    "bad-amount": DECLARATION + fattura(prezzo="1.234,50"),
    "bad-number": DECLARATION + fattura(numero=""),
    "truncated": GOOD[:700],
    "wrong-root": b"<FatturaElettronica/>",
    "message": b'<ns:RicevutaConsegna xmlns:ns="http://www.fatturapa.gov.it/sdi/messaggi/v1.0">'
    b"</ns:RicevutaConsegna>",
    "empty": b"",
    "blank": b" \n",
    "not-xml": b"%PDF-1.4",
    "large": fattura(descrizione="x" * BATCH_BYTES),
    "escaped": DECLARATION + fattura(descrizione="Pre &amp; post &#233; &lt;scuola&gt;"),
}


#: Messages compared in the English they are written in (conftest.py).
pytestmark = pytest.mark.usefixtures("english")


def one_by_one(paths: list[Path]) -> tuple[list[FatturaElettronica], list[EInvoiceError]]:
    """What the files give read one at a time, each parsed alone."""
    invoices: list[FatturaElettronica] = []
    errors: list[EInvoiceError] = []
    for path in paths:
        try:
            invoices.extend(read_einvoice(path.read_bytes(), str(path)))
        except EInvoiceError as error:
            errors.append(error)
    return invoices, errors


def assert_same(
    got: tuple[list[FatturaElettronica], list[EInvoiceError]],
    expected: tuple[list[FatturaElettronica], list[EInvoiceError]],
) -> None:
    assert got[0] == expected[0]
    assert [(e.file, e.problems) for e in got[1]] == [(e.file, e.problems) for e in expected[1]]


def write_folder(folder: Path, documents: list[bytes]) -> list[Path]:
    folder.mkdir()
    paths = []
    for number, data in enumerate(documents):
        path = folder / f"{number:03d}.xml"
        path.write_bytes(data)
        paths.append(path)
    return paths


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every batch parsed together, and whether it parsed (negative if not)."""
    sizes: list[int] = []

    def spy(roots: list[bytes]) -> list[ElementTree.Element] | None:
        parsed = parse_together(roots)
        sizes.append(len(roots) if parsed is not None else -len(roots))
        return parsed

    monkeypatch.setattr(files_module, "parse_together", spy)
    return sizes


def test_a_folder_gives_what_its_files_give_one_by_one(tmp_path: Path, batches: list[int]) -> None:
    """Every variant between good invoices and alone: the same records and errors."""
    documents = []
    for number, data in enumerate(VARIANTS.values()):
        documents += [DECLARATION + fattura(f"{number}/2016"), data]
    paths = write_folder(tmp_path / "fatture", documents)
    got = read_einvoices([tmp_path / "fatture"])
    assert_same(got, one_by_one(paths))
    assert len(got[0]) >= len(VARIANTS) + 10  # the good ones, and the variants read
    assert any(size > 1 for size in batches)  # batches were parsed together


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_each_variant_among_fifteen_good_invoices(
    tmp_path: Path, batches: list[int], name: str
) -> None:
    """The variant inside a batch of sixteen: read as alone, and the others with it."""
    documents = [DECLARATION + fattura(f"{n}/2016", f"{n}.00") for n in range(1, 16)]
    documents.insert(7, VARIANTS[name])
    paths = write_folder(tmp_path / "fatture", documents)
    assert_same(read_einvoices([tmp_path / "fatture"]), one_by_one(paths))


def test_good_files_are_parsed_together(tmp_path: Path, batches: list[int]) -> None:
    """Thirty-four good invoices, with style sheets, comments and byte order marks: three
    batches, the last of two."""
    prologs = [DECLARATION, b"", DECLARATION + STYLESHEET, b"\xef\xbb\xbf<!-- x -->"]
    documents = [prologs[n % 4] + fattura(f"{n}/2016") for n in range(34)]
    write_folder(tmp_path / "fatture", documents)
    invoices, errors = read_einvoices([tmp_path / "fatture"])
    assert [f.numero for f in invoices] == [f"{n}/2016" for n in range(34)]
    assert not errors
    assert batches == [16, 16, 2]


def test_a_batch_holds_at_most_a_mebibyte(tmp_path: Path, batches: list[int]) -> None:
    """Nine invoices of 300 kB: four make a batch of more than 1 MiB, so 4, 4 and one
    alone."""
    documents = [fattura(f"{n}/2016", descrizione="x" * 300_000) for n in range(9)]
    write_folder(tmp_path / "fatture", documents)
    invoices, errors = read_einvoices([tmp_path / "fatture"])
    assert len(invoices) == 9
    assert not errors
    assert batches == [4, 4]


@pytest.mark.parametrize(
    "spanning",
    [
        [b"<a><!--</a>", b"<a>--></a>", b"<a></a>"],  # a comment hides a boundary
        [b"<a><?x </a>", b"<a>?></a>", b"<a></a>"],  # so does an instruction
        [b"<a><![CDATA[</a>", b"<a>]]></a>", b"<a></a>"],  # and a CDATA section
    ],
)
def test_a_boundary_hidden_in_what_one_file_leaves_open_keeps_each_file_alone(
    tmp_path: Path, batches: list[int], spanning: list[bytes]
) -> None:
    """Well-formed together, with one element fewer than files: each is read alone, and the
    first is refused for what it leaves open (found by a review of the batches)."""
    paths = write_folder(tmp_path / "fatture", spanning)
    assert [batch_item(document) for document in spanning] == spanning
    got = read_einvoices([tmp_path / "fatture"])
    assert batches == [-3]
    assert_same(got, one_by_one(paths))
    assert Path(got[1][0].file).name == "000.xml"


def test_two_files_that_are_well_formed_only_together_are_both_refused(
    tmp_path: Path, batches: list[int]
) -> None:
    """One opens the root, the next closes it: alone each is broken, and so in a folder."""
    paths = write_folder(tmp_path / "fatture", [VARIANTS["opens"], VARIANTS["closes"]])
    invoices, errors = read_einvoices([tmp_path / "fatture"])
    assert invoices == []
    assert [e.file for e in errors] == [str(p) for p in paths]
    assert_same((invoices, errors), one_by_one(paths))


def test_a_file_that_breaks_its_batch_leaves_the_others_read(
    tmp_path: Path, batches: list[int]
) -> None:
    documents = [GOOD.replace(b"1/2016", f"{n}/2016".encode()) for n in range(16)]
    documents[5] = VARIANTS["two-roots"]  # taken into the batch, which it breaks
    write_folder(tmp_path / "fatture", documents)
    invoices, errors = read_einvoices([tmp_path / "fatture"])
    assert len(invoices) == 15
    assert [Path(e.file).name for e in errors] == ["005.xml"]
    assert batches == [-16]  # tried together, then each alone


def line_of(document: bytes, marker: bytes) -> int:
    return document[: document.index(marker)].count(b"\n") + 1


def test_problems_keep_their_lines_in_a_batch(tmp_path: Path) -> None:
    wrong = DECLARATION + STYLESHEET + fattura(prezzo="12,50")
    paths = write_folder(tmp_path / "fatture", [GOOD] * 3 + [wrong] + [GOOD] * 3)
    invoices, errors = read_einvoices([tmp_path / "fatture"])
    (error,) = errors
    assert error.file == str(paths[3])
    prices, summary = line_of(wrong, b"<PrezzoUnitario>"), line_of(wrong, b"<ImponibileImporto>")
    assert [p.line for p in error.problems] == [prices, prices, summary]
    assert (prices, summary) == (21, 24)  # as a text editor numbers them
    assert_same((invoices, errors), one_by_one(paths))


def test_errors_keep_the_files_order_past_a_file_that_cannot_be_opened(tmp_path: Path) -> None:
    """A file refused before it is parsed comes after the batch's files before it."""
    folder = tmp_path / "fatture"
    folder.mkdir()
    (folder / "a.xml").write_bytes(VARIANTS["bad-amount"])
    os.mkfifo(folder / "b.xml")
    (folder / "c.xml").write_bytes(GOOD)
    (folder / "d.xml").write_bytes(VARIANTS["truncated"])
    invoices, errors = read_einvoices([folder])
    assert [Path(e.file).name for e in errors] == ["a.xml", "b.xml", "d.xml"]
    assert [Path(f.file).name for f in invoices] == ["c.xml"]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cyclic_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    write_folder(tmp_path / "fatture", [GOOD, VARIANTS["truncated"], GOOD])
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        read_einvoices([tmp_path / "fatture"])
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_only_names_with_an_e_invoice_suffix_are_read(tmp_path: Path) -> None:
    """As before batches: .xml and .p7m in any case; a name that is only a suffix is not."""
    names = ["a.xml", "b.XmL", ".c.xml", ".xml", "..xml", "d.xml.txt", "e.p7m.bak", "xml"]
    write_folder(tmp_path / "fatture", [])
    for name in names:
        (tmp_path / "fatture" / name).write_bytes(GOOD)
    invoices, errors = read_einvoices([tmp_path / "fatture"])
    assert [Path(f.file).name for f in invoices] == [".c.xml", "a.xml", "b.XmL"]
    assert not errors


# What batch_item takes, and that a batch parses exactly when each of its files would --------

# Pieces of documents, most of them what a batch takes, some what breaks a document or a batch.
WELL_FORMED_ITEMS = st.sampled_from(
    [b"", b"\n", b"  \r\n", b"<!-- c -->", b"<?pi?>", b"<?pi x ?>", STYLESHEET, b"<!---->"]
)
BROKEN_ITEMS = st.sampled_from(
    [
        b"<!-- -- -->",
        b"<?xml version='1.0'?>",
        b"&#32;",
        b"x",
        b"<![CDATA[]]>",
        b"<?xml?>",
        b"<!-- unclosed",
        b"<? ?>",
        b"<a/>",
        b"</a>",
        b"\xff",
        b"<?XML x?>",
    ]
)
PROLOG_ITEMS = st.one_of(WELL_FORMED_ITEMS, WELL_FORMED_ITEMS, WELL_FORMED_ITEMS, BROKEN_ITEMS)
DECLARATIONS = st.sampled_from(
    [
        b"",
        DECLARATION,
        b"<?xml version='1.0'?>",
        b'<?xml version="1.0" encoding="utf-8" ?>',
        b"\xef\xbb\xbf",
        b'<?xml version="1.0" standalone="no"?>',
        b"<?xml version='1.0'  ?>",
    ]
)
WELL_FORMED_ROOTS = st.sampled_from(
    [fattura(), b"<a></a>", b"<a>x</a >", b"<p:a xmlns:p='u'></p:a>", b"<a>]]&gt;</a>"]
)
BROKEN_ROOTS = st.sampled_from(
    [
        b"<a/>",
        b"<a><b></a>",
        b"<a>",
        b"</a>",
        b"<a></a><a></a>",
        b"<a>&bad;</a>",
        b"<a>\xc3\x28</a>",
        b"<p:a></p:a>",
        b"<a><!DOCTYPE x></a>",
        b"<a></b></a>",
        b"<a x='1' x='2'></a>",
        b"<a>]]></a>",
        b"<a><![CDATA[</a>",
    ]
)
BLANKS = st.sampled_from([b"", b"\n", b" \r\n"])
ROOTS = st.one_of(WELL_FORMED_ROOTS, WELL_FORMED_ROOTS, WELL_FORMED_ROOTS, BROKEN_ROOTS)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    declaration = draw(DECLARATIONS)
    prolog = b"".join(draw(st.lists(PROLOG_ITEMS, max_size=2)))
    epilog = draw(st.one_of(BLANKS, BLANKS, BLANKS, PROLOG_ITEMS))
    return declaration + prolog + draw(ROOTS) + epilog


def parsed_alone(document: bytes) -> ElementTree.Element | None:
    try:
        return parse_xml(document)
    except Refused:
        return None


@settings(max_examples=400, deadline=None)
@given(st.lists(documents(), min_size=3, max_size=6))
def test_a_batch_parses_if_and_only_if_each_document_parses_alone(batch: list[bytes]) -> None:
    items = [batch_item(document) for document in batch]
    taken = [document for document, item in zip(batch, items, strict=True) if item is not None]
    assume(len(taken) >= 2)
    together = parse_together([item for item in items if item is not None])
    alone = [parsed_alone(document) for document in taken]
    if None in alone:
        assert together is None
    else:
        assert together is not None
        assert [ElementTree.tostring(root) for root in together] == [
            ElementTree.tostring(root) for root in alone if root is not None
        ]


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        ("plain", True),
        ("no-declaration", True),
        ("single-quotes", True),
        ("byte-order-mark", True),
        ("style-sheet", True),
        ("comment-first", True),
        ("comments-around", True),
        ("windows-lines", True),
        ("escaped", True),
        ("latin-1", False),  # another encoding
        ("version-1.1", False),
        ("utf-16", False),
        ("doctype", False),
        ("doctype-in-cdata", False),  # refused alone, for its <!DOCTYPE
        ("text-before-root", False),
        ("text-after-root", False),
        ("cdata-before-root", False),
        ("large", False),  # more than BATCH_BYTES
        ("wrong-root", False),  # an empty element has no end tag
        ("empty", False),
    ],
)
def test_what_is_taken_into_a_batch(name: str, taken: bool) -> None:
    assert (batch_item(VARIANTS[name]) is not None) is taken


def test_a_batch_is_what_comes_after_the_declaration() -> None:
    assert batch_item(GOOD) == b"\n" + fattura()
    document = DECLARATION + STYLESHEET + fattura() + b"\n \n"
    assert batch_item(document) == b"\n" + STYLESHEET + fattura()


def test_the_bounds_the_readme_states() -> None:
    assert (BATCH_FILES, BATCH_BYTES) == (16, 1024 * 1024)
    assert files_module.MAX_FILE_BYTES == 8 * 1024 * 1024


def test_a_document_of_the_batch_bound_is_taken_and_one_byte_more_is_not() -> None:
    padding = BATCH_BYTES - len(fattura(descrizione=""))
    assert batch_item(fattura(descrizione="x" * padding)) is not None
    assert batch_item(fattura(descrizione="x" * (padding + 1))) is None


@pytest.mark.parametrize(
    "prolog", [b"<!---->", b"<!-- -->", b"<?a?>", b"<?a ?>", b"<!--a-->\n<?b c?>\n"]
)
def test_the_shortest_comments_and_instructions_are_taken(prolog: bytes) -> None:
    assert batch_item(prolog + fattura()) == prolog + fattura()


@pytest.mark.parametrize("prolog", [b"<!-- ", b"<!--->", b"<?a", b"<?a ?", b"<!-- -> <?a?>"])
def test_an_unclosed_comment_or_instruction_is_parsed_alone(prolog: bytes) -> None:
    assert batch_item(prolog + fattura()) is None
    with pytest.raises(Refused):
        parse_xml(prolog + fattura())


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-8"])
@pytest.mark.parametrize("line", [1, 3])
def test_a_dtd_is_refused_on_its_line_in_every_encoding(codec: str, line: int) -> None:
    """The line of a <!DOCTYPE> is counted in the file's own encoding (two bytes a
    character in UTF-16, whichever byte comes first), from the file's very first byte."""
    before = '<?xml version="1.0"?>\n\n' if line == 3 else ""
    text = before + '<!DOCTYPE x [<!ENTITY a "b">]>\n' + fattura().decode()
    data = text.encode(codec)
    with pytest.raises(Refused) as caught:
        parse_xml(data)
    assert caught.value.line == line
    assert "entity-expansion" in caught.value.message
    assert batch_item(data) is None


def test_xml_that_is_not_well_formed_is_refused_on_its_line() -> None:
    broken = GOOD.replace(b"<Imposta>", b"<Imposta x>")
    with pytest.raises(Refused) as caught:
        parse_xml(broken)
    line = line_of(broken, b"<Imposta x>")
    assert caught.value.line == line
    column = broken.split(b"\n")[line - 1].index(b"x>") + 2  # at the ">", counted from 1
    assert caught.value.message.endswith(f"(column {column})")


def test_a_dtd_spelt_one_byte_off_in_utf_16_is_still_refused() -> None:
    """Only a misaligned spelling (no character starts on it): refused all the same."""
    with pytest.raises(Refused) as caught:
        parse_xml(b"x" + "<!DOCTYPE x>".encode("utf-16-le") + fattura())
    assert "(<!DOCTYPE>) is not allowed" in caught.value.message


# Reading the files: the bound, a file that grows, nothing left open -------------------------


def test_a_file_of_exactly_the_bound_is_read(tmp_path: Path) -> None:
    """A file of 8 MiB is read (test_fatturapa.py refuses one a byte larger)."""
    path = tmp_path / "al-limite.xml"
    path.write_bytes(fattura().ljust(files_module.MAX_FILE_BYTES, b" "))
    invoices, errors = read_einvoices([path])
    assert [f.numero for f in invoices] == ["1/2016"]
    assert not errors
    (fattura_letta,) = read_einvoice(path.read_bytes(), "al-limite.xml")
    assert fattura_letta.numero == "1/2016"


def test_a_file_that_grew_since_its_size_was_taken_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size fstat gave is only where reading starts: what was written since is read too,
    up to the bound, and a file grown past the bound is refused."""
    whole = DECLARATION + fattura(descrizione="x" * 5000)
    path = tmp_path / "cresciuta.xml"
    path.write_bytes(whole)
    real_fstat = os.fstat

    def fstat_before_it_grew(fd: int) -> os.stat_result:
        status = real_fstat(fd)
        fields = list(status)
        fields[6] = 100  # st_size, as if the rest were written after the fstat
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat_before_it_grew)
    invoices, errors = read_einvoices([path])
    assert not errors
    assert invoices[0].righe[0].descrizione == "x" * 5000
    monkeypatch.setattr(files_module, "MAX_FILE_BYTES", 4000)
    invoices, errors = read_einvoices([path])
    assert invoices == []
    assert "more than the 4000 accepted" in errors[0].message


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="open files listed in /proc")
def test_every_file_read_is_closed(tmp_path: Path) -> None:
    documents = [GOOD] * 20 + [VARIANTS["truncated"], VARIANTS["large"], b""]
    write_folder(tmp_path / "fatture", documents)
    before = len(os.listdir("/proc/self/fd"))
    read_einvoices([tmp_path / "fatture"])
    assert len(os.listdir("/proc/self/fd")) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_file_swapped_for_a_fifo_after_its_check_is_refused_once_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listed as a regular file, a FIFO by the time it is opened: what the open file is
    decides (opening does not wait for a writer), so it is refused, not read."""
    os.mkfifo(tmp_path / "scambiata.xml")
    monkeypatch.setattr(files_module, "_is_file", lambda entry: True)
    invoices, errors = read_einvoices([tmp_path])
    assert invoices == []
    assert "named pipe (FIFO)" in errors[0].message


def test_a_folder_of_broken_files_is_not_kept_in_memory_while_it_is_read(tmp_path: Path) -> None:
    """A file that is not well-formed leaves nothing alive once its error is made: with the
    collector paused for the folder, a cycle would keep every one of them to the end."""
    import tracemalloc

    broken = (DECLARATION + fattura(descrizione="x" * 400_000))[:-40]  # truncated
    write_folder(tmp_path / "fatture", [broken] * 40)
    tracemalloc.start()
    try:
        invoices, errors = read_einvoices([tmp_path / "fatture"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (len(invoices), len(errors)) == (0, 40)
    assert peak < 4 * len(broken)  # a few files' bytes at a time, not the folder's 16 MB


def test_a_name_holding_a_nul_is_refused_by_name(tmp_path: Path) -> None:
    """A register may name any text as an e-invoice: a NUL in it is refused, not a crash."""
    invoices, errors = read_einvoices([Path("fattura\0.xml"), tmp_path])
    assert invoices == []
    assert [e.message for e in errors] == ["cannot read the file: its name holds a NUL character"]
