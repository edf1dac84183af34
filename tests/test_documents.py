"""The word-processor formats, read back as an office opens them: OpenDocument text
through odfdo and python-docx's Word documents through python-docx, and both by
unzipping them and reading their XML with the standard library."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree import ElementTree

import docx
import odfdo
import pytest
from conftest import Invoke
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from test_formats import DOCUMENT_FIGURES
from test_spreadsheets import MARKUP, every_block

from crema_budget import i18n
from crema_budget.render import Format, Options, pages
from crema_budget.render import docx as docx_format
from crema_budget.render import odt as odt_format
from crema_budget.render import render as render_format
from crema_budget.view import Column, Kind, Row, RowKind, Section, Table, View

IT = Options("it")
NBSP = "\u00a0"
REGISTER = ("--registro", "examples/registro_2016.yaml", "--al", "2016-06-30")
EPOCH = {"SOURCE_DATE_EPOCH": "1467244800"}  # 30 June 2016, 00:00 UTC

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
}

#: The semester report's own chapters (with --registro): what needs attention, then
#: each ambito at the date (its titles as the data file gives them).
SEMESTER = [
    "Che cosa richiede attenzione",
    *(
        f"Ambito {n} al 30/06/2016 – {title}"
        for n, title in enumerate(
            (
                "Servizi per le famiglie con bambini nella fascia dell'infanzia",
                "Servizi per i minori nel pre e post scuola e nel periodo estivo",
                "Servizi di prossimità sociale e supporto al servizio sociale professionale",
                "Promozione dell'autonomia tramite il lavoro e l'housing sociale",
                "Interventi per il lavoro e l'integrazione socio-lavorativa",
            ),
            start=1,
        )
    ),
]
#: The report's chapters, as the Italian reader sees them in the navigator.
CHAPTERS = [
    *SEMESTER,
    "Sintesi",
    "Risorse per ambito",
    "Risorse aggiuntive del Consorzio",
    "Asilo nido: canone mensile per numero di bambini iscritti",
    "Monitoraggio al 30/06/2016",
    "Verifica delle cifre dichiarate",
]
TITLE = "Relazione semestrale sulla convenzione di coprogettazione 2016 al 30/06/2016"
#: Some of the headings inside them.
SUBHEADINGS = [
    "Sintesi per ambito",
    "Ambito 1 – Servizi per le famiglie con bambini nella fascia dell'infanzia",
    "Ambito 5 – risorse aggiuntive del Consorzio",
    "Voci di corrispettivo al 30/06/2016 (importi imponibili, IVA esclusa)",
    "Anomalie",
]
#: "€ 1.302.537,59" in Arial or Liberation Sans bold at 9 points: ten characters
#: 556/1000 em wide (€ and nine digits) and four 278/1000 wide (the no-break space,
#: two dots, the comma): 6.672 em × 9 pt = 60.05 pt = 2.118 cm; with the cell's
#: padding (2 × 0.1 cm), 2.318 cm.
WIDEST_TOTAL_CM = 2.318


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@contextmanager
def speaking(code: str) -> Iterator[None]:
    before = i18n.language()
    i18n.activate(code)
    try:
        yield
    finally:
        i18n.activate(before)


# --- reading the files back ----------------------------------------------------------


def odf_text(element: ElementTree.Element) -> str:
    """An ODF element's text as a reader sees it (spaces, tabs, line breaks, fields)."""
    out = [element.text or ""]
    for child in element:
        if child.tag == q("text:s"):
            out.append(" " * int(child.get(q("text:c"), "1")))
        elif child.tag == q("text:tab"):
            out.append("\t")
        elif child.tag == q("text:line-break"):
            out.append("\n")
        else:
            out.append(odf_text(child))
        out.append(child.tail or "")
    return "".join(out)


class Odt(NamedTuple):
    package: zipfile.ZipFile
    content: ElementTree.Element
    styles: ElementTree.Element
    document: Any  # odfdo's Document

    def style(self, name: str) -> ElementTree.Element:
        """A paragraph, text or cell style by name, automatic or common."""
        for root in (self.content, self.styles):
            for element in root.iter(q("style:style")):
                if element.get(q("style:name")) == name:
                    return element
        raise KeyError(name)

    def property(self, style: str, kind: str, name: str) -> str | None:
        """A property of ``style`` or of the styles it inherits from."""
        while True:
            element = self.style(style)
            found = element.find(q(f"style:{kind}-properties"))
            if found is not None and found.get(q(name)) is not None:
                return found.get(q(name))
            parent = element.get(q("style:parent-style-name"))
            if parent is None:
                return None
            style = parent

    def tables(self) -> list[list[list[ElementTree.Element]]]:
        """Every table as rows of cells (``text:p`` of each cell), the header row first."""
        found = []
        for table in self.content.iter(q("table:table")):
            rows = []
            for row in table.iter(q("table:table-row")):
                rows.append([cell for cell in row if cell.tag == q("table:table-cell")])
            found.append(rows)
        return found

    def cell_texts(self) -> list[str]:
        return [
            "\n".join(odf_text(p) for p in cell.iter(q("text:p")))
            for table in self.tables()
            for row in table
            for cell in row
        ]


def read_odt(data: bytes) -> Odt:
    package = zipfile.ZipFile(io.BytesIO(data))
    return Odt(
        package,
        ElementTree.fromstring(package.read("content.xml")),
        ElementTree.fromstring(package.read("styles.xml")),
        odfdo.Document(io.BytesIO(data)),
    )


class Docx(NamedTuple):
    package: zipfile.ZipFile
    body: ElementTree.Element
    document: Any  # python-docx's Document

    def cell_texts(self) -> list[str]:
        return [cell.text for table in self.document.tables for cell in table._cells]


def read_docx(data: bytes) -> Docx:
    package = zipfile.ZipFile(io.BytesIO(data))
    body = ElementTree.fromstring(package.read("word/document.xml"))
    return Docx(package, body, docx.Document(io.BytesIO(data)))


@pytest.fixture(scope="module")
def relazione(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The semester report with the example register, at 30 June, in both formats,
    written through the CLI."""
    from crema_budget.cli import run

    folder = tmp_path_factory.mktemp("relazione")
    written = {}
    for fmt in ("odt", "docx"):
        target = folder / f"relazione.{fmt}"
        with pytest.MonkeyPatch.context() as patch:
            cache = str(folder / "cache")
            settings = {**EPOCH, "LANG": "it_IT.UTF-8", "CREMA_BUDGET_CACHE": cache}
            for name, value in settings.items():
                patch.setenv(name, value)
            patch.delenv("LC_ALL", raising=False)
            assert run(["report", *REGISTER, "-o", str(target)]) == 0
        written[fmt] = target.read_bytes()
    return written


@pytest.fixture(scope="module")
def odt(relazione: dict[str, bytes]) -> Odt:
    return read_odt(relazione["odt"])


@pytest.fixture(scope="module")
def word(relazione: dict[str, bytes]) -> Docx:
    return read_docx(relazione["docx"])


# --- through the CLI --------------------------------------------------------------


@pytest.mark.parametrize("extension", ["odt", "docx"])
def test_the_report_is_written_as_a_document(
    invoke: Invoke, tmp_path: Path, extension: str
) -> None:
    """`report -o relazione.odt` (or .docx) writes the document the extension names and
    says so on standard error; without a file, a terminal gets a usage error."""
    target = tmp_path / f"relazione.{extension}"
    result = invoke("report", *REGISTER, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert f"scritto {target}" in result.stderr
    assert zipfile.is_zipfile(target)
    names = zipfile.ZipFile(target).namelist()
    assert ("content.xml" if extension == "odt" else "word/document.xml") in names


def test_totals_as_word(invoke: Invoke, tmp_path: Path) -> None:
    """`totals -o t.docx`: the economic summary, every line and total of the document."""
    target = tmp_path / "t.docx"
    assert invoke("totals", "-o", str(target)).exit_code == 0
    texts = read_docx(target.read_bytes()).cell_texts()
    for figure in DOCUMENT_FIGURES:
        assert f"€{NBSP}{figure}" in texts, figure


# --- the package ------------------------------------------------------------------


def test_odt_is_a_well_formed_opendocument_package(relazione: dict[str, bytes]) -> None:
    """The `mimetype` first and stored, so that the type reads from byte 38; every part
    listed in the manifest and present in the zip; every XML part well formed; dates
    fixed, nothing left over from odfdo's template (its thumbnail of an empty page)."""
    data = relazione["odt"]
    assert data[30:38] == b"mimetype"
    assert data[38:77] == b"application/vnd.oasis.opendocument.text"
    package = zipfile.ZipFile(io.BytesIO(data))
    infos = package.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert {info.date_time for info in infos} == {pages.ZIP_DATE}
    manifest = ElementTree.fromstring(package.read("META-INF/manifest.xml"))
    entries = {
        entry.get(q("manifest:full-path")): entry.get(q("manifest:media-type"))
        for entry in manifest.iter(q("manifest:file-entry"))
    }
    assert entries.pop("/") == "application/vnd.oasis.opendocument.text"
    files = {info.filename for info in infos} - {"mimetype", "META-INF/manifest.xml"}
    assert set(entries) == files
    assert {"content.xml", "styles.xml", "meta.xml", "settings.xml"} <= files
    assert not any(name.startswith(("Thumbnails", "Configurations2")) for name in files)
    for name in files:
        if name.endswith(".xml"):
            ElementTree.fromstring(package.read(name))


def test_docx_package(relazione: dict[str, bytes]) -> None:
    """A Word package: its content types first, fixed dates, no template thumbnail."""
    package = zipfile.ZipFile(io.BytesIO(relazione["docx"]))
    infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {pages.ZIP_DATE}
    assert not any("thumbnail" in info.filename for info in infos)
    for info in infos:
        if info.filename.endswith(".xml"):
            ElementTree.fromstring(package.read(info.filename))


@pytest.mark.parametrize("module", [odt_format, docx_format], ids=["odt", "docx"])
def test_same_view_same_bytes(module: Any) -> None:
    """Two renders of the same view are the same file, byte for byte."""
    with speaking("it"):
        assert module.render(every_block(), IT) == module.render(every_block(), IT)


def test_registered_formats(tmp_path: Path) -> None:
    """`--format odt` and `--format docx` reach these writers; both are binary."""
    for fmt in (Format.ODT, Format.DOCX):
        assert fmt.binary
        data = render_format(fmt, every_block(), IT)
        assert isinstance(data, bytes)
        assert zipfile.is_zipfile(io.BytesIO(data))


# --- headings, tables, figures -------------------------------------------------------


def _summary(titles: list[list[str]]) -> int:
    """The index of the summary table (the first table of the report without the
    semester's parts), from each table's column titles."""
    return next(i for i, row in enumerate(titles) if row[:2] == ["Ambito", "Titolo dell'ambito"])


def _odt_summary(odt: Odt) -> int:
    return _summary(
        [
            ["".join(odf_text(p) for p in cell.iter(q("text:p"))) for cell in t[0]]
            for t in odt.tables()
        ]
    )


def _docx_summary(word: Docx) -> int:
    return _summary([[cell.text for cell in t.rows[0].cells] for t in word.document.tables])


def test_odt_headings_are_headings(odt: Odt) -> None:
    """Chapters are level-1 headings in the Heading 1 style, tables' titles level 2 in
    Heading 2: the navigator lists them. The title is no heading, and nothing is numbered."""
    headers = odt.document.body.get_headers()
    by_level: dict[int, list[str]] = {1: [], 2: []}
    for header in headers:
        by_level[int(header.level)].append(str(header).strip())
        family = header.style
        while family.startswith("P"):  # an automatic style that turns the page
            family = odt.style(family).get(q("style:parent-style-name"), "")
        assert family == f"Heading_20_{header.level}"
    assert by_level[1] == CHAPTERS
    assert set(SUBHEADINGS) <= set(by_level[2])
    assert TITLE not in by_level[1]
    for level in odt.styles.iter(q("text:outline-level-style")):
        assert level.get(q("style:num-format")) == ""


def test_docx_headings_are_headings(word: Docx) -> None:
    """Chapters in Word's Heading 1, tables' titles in Heading 2, the title in Title."""
    styled: dict[str, list[str]] = {}
    for paragraph in word.document.paragraphs:
        styled.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert styled["Title"] == [TITLE]
    assert styled["Heading 1"] == CHAPTERS
    assert set(SUBHEADINGS) <= set(styled["Heading 2"])
    outline = {
        name: word.document.styles[name].element.find(f"{q('w:pPr')}/{q('w:outlineLvl')}")
        for name in ("Heading 1", "Heading 2")
    }
    assert [level.get(q("w:val")) for level in outline.values()] == ["0", "1"]


def test_odt_tables_have_header_rows(odt: Odt) -> None:
    """Each table's column titles are its header row, repeated on every page; rows are
    never split across pages."""
    tables = list(odt.content.iter(q("table:table")))
    assert len(tables) >= 20
    for table in tables:
        header = table.find(q("table:table-header-rows"))
        assert header is not None
        assert len(header.findall(q("table:table-row"))) == 1
        for row in table.iter(q("table:table-row")):
            style = row.get(q("table:style-name"), "")
            assert odt.property(style, "table-row", "fo:keep-together") == "always"
    first = odt.tables()[_odt_summary(odt)]
    titles = ["".join(odf_text(p) for p in cell.iter(q("text:p"))) for cell in first[0]]
    assert titles == [
        "Ambito",
        "Titolo dell'ambito",
        "Imponibile",
        "IVA",
        "Totale IVA inclusa",
        "Risorse del Consorzio",
        "Quota parte dell'1%",
    ]


def test_docx_tables_have_header_rows(word: Docx) -> None:
    """Every table's first row is a header row (w:tblHeader); no row splits across pages."""
    tables = list(word.body.iter(q("w:tbl")))
    assert len(tables) >= 20
    for table in tables:
        rows = table.findall(q("w:tr"))
        assert rows[0].find(f"{q('w:trPr')}/{q('w:tblHeader')}") is not None
        assert all(row.find(f"{q('w:trPr')}/{q('w:tblHeader')}") is None for row in rows[1:])
        assert all(row.find(f"{q('w:trPr')}/{q('w:cantSplit')}") is not None for row in rows)
    first = word.document.tables[_docx_summary(word)]
    assert [cell.text for cell in first.rows[0].cells][2:5] == [
        "Imponibile",
        "IVA",
        "Totale IVA inclusa",
    ]


@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_every_figure_in_italian(relazione: dict[str, bytes], fmt: str) -> None:
    """Every figure the document states is in a table cell, as the HTML report writes it:
    `€ 1.302.537,59`, the sign bound to the figure by a no-break space."""
    texts = (read_odt if fmt == "odt" else read_docx)(relazione[fmt]).cell_texts()
    for figure in DOCUMENT_FIGURES:
        assert f"€{NBSP}{figure}" in texts, figure
    assert not any(text.startswith("€ ") for text in texts)  # never a breakable space


def _paragraph(cell: ElementTree.Element) -> ElementTree.Element:
    paragraph = cell.find(q("text:p"))
    assert paragraph is not None
    return paragraph


def test_odt_figures_right_aligned_totals_bold(odt: Odt) -> None:
    """In the summary, figures sit right and the totals row is bold; labels sit left."""
    _header, *rows = odt.tables()[_odt_summary(odt)]
    total = next(row for row in rows if odf_text(_paragraph(row[1])) == "Totale")
    item = rows[0]
    for cell in (*total[2:], *item[2:]):
        style = _paragraph(cell).get(q("text:style-name"), "")
        assert odt.property(style, "paragraph", "fo:text-align") == "end"
    bold = [
        odt.property(_paragraph(cell).get(q("text:style-name"), ""), "text", "fo:font-weight")
        for cell in total[1:]
    ]
    assert bold == ["bold"] * 6
    label = _paragraph(item[1]).get(q("text:style-name"), "")
    assert odt.property(label, "paragraph", "fo:text-align") in (None, "start")
    assert odt.property(label, "text", "fo:font-weight") is None


def test_docx_figures_right_aligned_totals_bold(word: Docx) -> None:
    table = word.document.tables[_docx_summary(word)]
    total = next(row for row in table.rows if row.cells[1].text == "Totale")
    for cell in total.cells[2:]:
        paragraph = cell.paragraphs[0]
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert all(run.bold for run in paragraph.runs)
    label = table.rows[1].cells[1].paragraphs[0]
    assert label.alignment is None
    assert not any(run.bold for run in label.runs)


def test_figures_fit_their_columns(odt: Odt, word: Docx) -> None:
    """The widest total, `€ 1.302.537,59` in bold, fits its column on one line in both
    formats (hand-measured: see WIDEST_TOTAL_CM), and each table spans the 17 cm
    between a portrait page's margins."""
    summary = list(odt.content.iter(q("table:table")))[_odt_summary(odt)]
    columns = summary.findall(q("table:table-column"))
    widths = [
        float(
            (
                odt.property(c.get(q("table:style-name"), ""), "table-column", "style:column-width")
                or "0cm"
            )[:-2]
        )
        for c in columns
    ]
    assert widths[4] >= WIDEST_TOTAL_CM
    assert sum(widths) == pytest.approx(17.0, abs=0.01)
    grids = list(word.body.iter(q("w:tblGrid")))
    grid = [int(c.get(q("w:w"), "0")) for c in grids[_docx_summary(word)]]
    twips_per_cm = 1440 / 2.54
    assert grid[4] / twips_per_cm >= WIDEST_TOTAL_CM
    assert sum(grid) / twips_per_cm == pytest.approx(17.0, abs=0.01)


def test_note_rows_span_from_the_label(invoke: Invoke, tmp_path: Path) -> None:
    """A line's note (how it is computed) spans from the label column to the last one."""
    NOTE = f"11 × €{NBSP}26.736,87"  # the nursery's line: 11 monthly fees
    for extension in ("odt", "docx"):
        target = tmp_path / f"t.{extension}"
        assert invoke("totals", "-o", str(target)).exit_code == 0
        data = target.read_bytes()
        if extension == "odt":
            content = read_odt(data).content
            spans = [
                cell.get(q("table:number-columns-spanned"))
                for cell in content.iter(q("table:table-cell"))
                if NOTE in "".join(cell.itertext())
            ]
        else:
            body = read_docx(data).body
            spans = [
                cell.find(f"{q('w:tcPr')}/{q('w:gridSpan')}").get(q("w:val"))  # type: ignore[union-attr]
                for cell in body.iter(q("w:tc"))
                if NOTE in "".join(cell.itertext())
            ]
        assert spans == ["5"], extension  # Voce, Imponibile, Aliquota IVA, IVA, Totale


def test_the_chart_is_a_table_of_its_data(word: Docx) -> None:
    """The HTML page's bar chart by ambito is a table here, its figures exact; its
    label column is titled "Ambito", not with the heading above it once more."""
    chart = next(
        table
        for table in word.document.tables
        if [cell.text for cell in table.rows[0].cells] == ["Ambito", "Totale IVA inclusa"]
    )
    assert [[cell.text for cell in row.cells] for row in chart.rows[1:]] == [
        ["Ambito 1", f"€{NBSP}305.869,79"],
        ["Ambito 2", f"€{NBSP}87.040,82"],
        ["Ambito 3", f"€{NBSP}119.595,84"],
        ["Ambito 4", f"€{NBSP}44.179,13"],
        ["Ambito 5", f"€{NBSP}745.852,01"],
    ]


# --- pages ------------------------------------------------------------------------


def test_odt_pages_footer_and_orientation(odt: Odt) -> None:
    """A4 portrait and landscape page styles, each with "Pagina N di M" as fields and
    the provenance; the monitoring chapter (nine columns) opens a landscape page."""
    layouts = {
        layout.get(q("style:name")): layout.find(q("style:page-layout-properties"))
        for layout in odt.styles.iter(q("style:page-layout"))
    }
    masters = {m.get(q("style:name")): m for m in odt.styles.iter(q("style:master-page"))}
    assert set(masters) == {"Standard", "Landscape"}
    sizes = {}
    for name, master in masters.items():
        page = layouts[master.get(q("style:page-layout-name"))]
        assert page is not None
        sizes[name] = (page.get(q("fo:page-width")), page.get(q("fo:page-height")))
        footer = master.find(q("style:footer"))
        assert footer is not None
        assert footer.find(f".//{q('text:page-number')}") is not None
        assert footer.find(f".//{q('text:page-count')}") is not None
        lines = [odf_text(p) for p in footer.iter(q("text:p"))]
        assert "ambiti_2016.yaml" in lines[0]
        assert re.fullmatch(r"Pagina 1 di 1", lines[1])
    assert sizes == {"Standard": ("21.0cm", "29.7cm"), "Landscape": ("29.7cm", "21.0cm")}
    turns = {
        str(header).strip(): odt.style(header.style).get(q("style:master-page-name"))
        for header in odt.document.body.get_headers()
        if header.style.startswith("P")
    }
    assert turns["Monitoraggio al 30/06/2016"] == "Landscape"
    assert turns["Verifica delle cifre dichiarate"] == "Standard"


def test_docx_pages_footer_and_orientation(word: Docx) -> None:
    """One section per run of pages: A4 portrait, the monitoring landscape; the footer
    (inherited by every section) has PAGE and NUMPAGES fields."""
    sections = word.document.sections
    orientations = [section.orientation for section in sections]
    assert WD_ORIENT.LANDSCAPE in orientations
    assert orientations[0] == orientations[-1] == WD_ORIENT.PORTRAIT
    for section in sections:
        wide = section.orientation == WD_ORIENT.LANDSCAPE
        size = (round(section.page_width.cm, 1), round(section.page_height.cm, 1))
        assert size == ((29.7, 21.0) if wide else (21.0, 29.7))
    footer = sections[0].footer
    xml = footer._element.xml
    assert re.findall(r"<w:instrText[^>]*> (\w+) </w:instrText>", xml) == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[-1].text == "Pagina 1 di 1"
    assert "ambiti_2016.yaml" in footer.paragraphs[0].text
    assert all(section.footer.is_linked_to_previous for section in sections[1:])


@pytest.mark.parametrize(("columns", "landscape"), [(7, False), (8, True)])
def test_landscape_only_for_more_than_seven_columns(columns: int, landscape: bool) -> None:
    """A table of seven columns is printed portrait, one of eight landscape."""
    table = Table(
        "Wide",
        tuple(Column(f"c{i}", f"C{i}", Kind.MONEY) for i in range(columns)),
        (Row(tuple(Decimal("1302537.59") for _ in range(columns))),),
    )
    view = View("T", (table,))
    assert [part.landscape for part in pages.plan(view, "it").parts] == [landscape]
    word = read_docx(docx_format.render(view, IT)).document
    expected = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    assert [section.orientation for section in word.sections] == [expected]


def test_provenance_leads_the_first_page(odt: Odt, word: Docx) -> None:
    """Where the figures come from is under the title, before the first chapter."""
    paragraphs = [p.text for p in word.document.paragraphs]
    first_chapter = paragraphs.index(CHAPTERS[0])
    opening = "\n".join(paragraphs[:first_chapter])
    assert "File di dati\tambiti_2016.yaml" in opening
    assert "Registro dell'anno\tregistro_2016.yaml" in opening
    assert "Data di elaborazione\t30/06/2016" in opening
    assert "Monitoraggio al 30/06/2016: 3 anomalie nelle fatture." in opening
    text = [odf_text(p) for p in odt.content.iter(q("text:p"))]
    assert "File di dati\tambiti_2016.yaml" in text


# --- language and metadata ---------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "language", "page"),
    [(("--locale", "it"), "it-IT", "Pagina"), (("--locale", "en"), "en-GB", "Page"),
     (("--locale", "it_CH"), "it-CH", "Pagina")],
)  # fmt: skip
def test_language_and_metadata(
    invoke: Invoke, tmp_path: Path, arguments: tuple[str, ...], language: str, page: str
) -> None:
    """Title and language in the metadata and for spelling, the footer's words in the
    run's language; no date the clock would have given."""
    odt_file, docx_file = tmp_path / "t.odt", tmp_path / "t.docx"
    for target in (odt_file, docx_file):
        assert invoke(*arguments, "totals", "-o", str(target)).exit_code == 0
    title = "Economic summary 2016" if language == "en-GB" else "Scheda economica di sintesi 2016"
    opened = read_odt(odt_file.read_bytes())
    meta = ElementTree.fromstring(opened.package.read("meta.xml"))
    assert meta.findtext(f".//{q('dc:title')}") == title
    assert meta.findtext(f".//{q('dc:language')}") == language
    assert meta.findtext(f".//{q('meta:generator')}", "").startswith("crema-budget ")
    assert meta.find(f".//{q('meta:creation-date')}") is None
    default = next(
        s for s in opened.styles.iter(q("style:default-style"))
        if s.get(q("style:family")) == "paragraph"
    )  # fmt: skip
    properties = default.find(q("style:text-properties"))
    assert properties is not None
    assert f"{properties.get(q('fo:language'))}-{properties.get(q('fo:country'))}" == language
    footer = "".join(odf_text(p) for p in opened.styles.iter(q("text:p")))
    assert page in footer
    word = read_docx(docx_file.read_bytes())
    core = word.document.core_properties
    assert (core.title, core.language, core.created) == (title, language, None)
    defaults = ElementTree.fromstring(word.package.read("word/styles.xml"))
    assert {lang.get(q("w:val")) for lang in defaults.iter(q("w:lang"))} == {language}
    assert word.document.sections[0].footer.paragraphs[-1].text.startswith(page)


# --- anything a view holds ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_every_block_and_hostile_labels(fmt: str) -> None:
    """Every kind of block and cell, labels with markup, formula-like text and
    characters XML cannot hold: all arrive, as text, none breaks the file."""
    view = every_block()
    broken = view._replace(
        blocks=(
            *view.blocks,
            Table(
                "Controls",
                (Column("voce", "Item"),),
                (Row(("bell\x07 and null\x00",), RowKind.ITEM),),
            ),
        )
    )
    with speaking("en"):
        data = (odt_format if fmt == "odt" else docx_format).render(broken, IT)
    opened = read_odt(data) if fmt == "odt" else read_docx(data)
    texts = opened.cell_texts()
    assert MARKUP in [text.replace(NBSP, " ") for text in texts]
    assert '=HYPERLINK("http://x","y")' in texts
    assert "bell\ufffd and null\ufffd" in texts
    assert f"€{NBSP}17,00" in texts
    assert "to be defined" in texts


def test_formats_name_no_domain_concept() -> None:
    """The writers know typography, not the agreement: no domain word in them."""
    words = re.compile(
        r"\b(ambit[oi]|imponibile|iva|canone|nido|consorzio|comune|risorse)\b", re.IGNORECASE
    )
    for module in (pages, odt_format, docx_format):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert not words.findall(source), module.__name__


#: The order in which ECMA-376 (part 1, 17.4 and 17.3.1) lets these properties appear;
#: Word calls a file with any other order damaged.
SCHEMA_ORDER = {
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "w:tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
    "w:pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc",
    "w:rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz",
}


def test_docx_properties_in_the_schemas_order(word: Docx) -> None:
    """Table, cell, paragraph and run properties come in the order the standard sets."""
    for parent, order in SCHEMA_ORDER.items():
        ranks = {name: rank for rank, name in enumerate(order.split())}
        found = list(word.body.iter(q(parent)))
        assert found, parent
        for element in found:
            children = [child.tag.rpartition("}")[2] for child in element]
            known = [ranks[name] for name in children if name in ranks]
            assert known == sorted(known), (parent, children)


@pytest.mark.parametrize("fmt", ["odt", "docx"])
def test_views_with_nothing_in_them(fmt: str) -> None:
    """A view without blocks, a table without rows, an empty section: each still gives a
    document that opens; a table without columns is left out, title and all."""
    module = odt_format if fmt == "odt" else docx_format
    views = {
        "nothing": View("", ()),
        "no rows": View("", (Table("", (Column("voce", "Item"),), ()),), alerts=("Draft",)),
        "empty section": View("T", (Section("S", ()),)),
        "no columns": View("T", (Table("Columnless", (), ()),)),
    }
    for name, view in views.items():
        data = module.render(view, IT)
        if fmt == "odt":
            opened = read_odt(data)
            tables = len(opened.tables())
            text = "".join(opened.content.itertext())
        else:
            word = read_docx(data)
            tables = len(word.document.tables)
            text = "".join(p.text for p in word.document.paragraphs)
        assert tables == (1 if name == "no rows" else 0), name
        assert "Columnless" not in text
