"""DOCX: any view as a Word document, built with python-docx.

The document is the one :mod:`crema_budget.render.pages` plans; this module
says it in Office Open XML: Word's own styles (*Title*, *Heading 1*,
*Heading 2*) so that the navigation pane and the outline list the headings,
a few named styles of its own (*Table Contents*, *Table Heading*, *Note*,
*Alert*) that an office restyles in one place, tables whose column titles are
a header row repeated on every page (``w:tblHeader``), rows that never split
across pages, and one section per run of pages of one orientation, each with
the same footer: the document's name and "page N of M" as ``PAGE`` and
``NUMPAGES`` fields.

Where python-docx has no call for something (repeated header rows, fields,
cell borders and shading, the default language), the element is written
with its ``oxml`` helpers. No clock is read: the core properties carry no
date and every part of the zip one fixed date, so the same view always gives
the same bytes. python-docx is imported only when this format is asked for.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from crema_budget.render.pages import (
    ALERT,
    BODY_SIZE,
    CELL_PADDING,
    FONT_DOCX,
    FOOTER_SIZE,
    GOOD,
    HEADER_FILL,
    HEADING_SIZES,
    INK,
    MARGIN,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MUTED,
    NOTE_SIZE,
    PAGE_LONG,
    PAGE_SHORT,
    RULE_LIGHT,
    TABLE_SIZE,
    TITLE_SIZE,
    Entry,
    FactList,
    Grid,
    Heading,
    Line,
    Part,
    Rule,
    Words,
    page_words,
    plan,
    repack,
)
from crema_budget.view import Style, View

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.text.paragraph import Paragraph

    from crema_budget.render import Options

#: Word's footer sits in the bottom margin: the margin makes room for its lines.
FOOTER_DISTANCE = 0.7
FOOTER_ROOM = 1.1
_TWIPS_PER_CM = 1440 / 2.54
#: The paragraph styles this module adds to the template's (their ids: without spaces).
_OWN_STYLES = ("Table Contents", "Table Heading", "Note", "Good", "Alert", "Fact")
#: Border widths in eighths of a point.
_RULES = {Rule.LIGHT: ("4", RULE_LIGHT), Rule.STRONG: ("6", INK)}
_PARAGRAPH_STYLES = {
    Style.NORMAL: "Normal",
    Style.NOTE: "Note",
    Style.GOOD: "Good",
    Style.ALERT: "Alert",
}


def render(view: View, options: Options) -> bytes:
    """``view`` as a Word document."""
    document = plan(view, options.locale)
    docx = new_document()
    _styles(docx, document.language)
    _properties(docx, view, document.language)
    ids = _style_ids(docx)
    body = docx.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):  # the template's empty paragraph
        body.remove(paragraph)
    for number, part in enumerate(document.parts):
        if number == 0:
            section = docx.sections[0]
            _footer(section, document.footer)
        elif part.new_page:
            section = docx.add_section(WD_SECTION.NEW_PAGE)
        else:  # on the title's page, which has this orientation too
            section = docx.sections[-1]
        _page(section, part)
        if number == 0:
            _styled(docx.add_paragraph(document.title), ids["Title"])
            if document.subtitle:
                _styled(docx.add_paragraph(document.subtitle), ids["Subtitle"])
            for alert in document.alerts:
                _styled(docx.add_paragraph(alert), ids["Alert"])
        for item in part.items:
            if isinstance(item, Heading):
                _styled(docx.add_paragraph(item.text), ids[f"Heading {min(item.level, 9)}"])
            elif isinstance(item, Words):
                _styled(docx.add_paragraph(item.text), ids[_PARAGRAPH_STYLES[item.style]])
            elif isinstance(item, FactList):
                _facts(docx, item, ids)
            else:
                _table(docx, item, part, ids)
    buffer = io.BytesIO()
    docx.save(buffer)
    return repack(buffer.getvalue())


# --- pages -----------------------------------------------------------------------


def _page(section: Section, part: Part) -> None:
    """A4 in the part's orientation, with the plan's margins."""
    landscape = part.landscape
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Cm(PAGE_LONG if landscape else PAGE_SHORT)
    section.page_height = Cm(PAGE_SHORT if landscape else PAGE_LONG)
    section.left_margin = section.right_margin = Cm(MARGIN)
    section.top_margin = Cm(MARGIN_TOP)
    section.bottom_margin = Cm(MARGIN_BOTTOM + FOOTER_ROOM)
    section.header_distance = Cm(MARGIN_TOP / 2)
    section.footer_distance = Cm(FOOTER_DISTANCE)


def _footer(section: Section, line: str) -> None:
    """The document's name, then "page N of M" with fields; later sections inherit it."""
    footer = section.footer
    footer.is_linked_to_previous = False
    name = footer.paragraphs[0]
    name.style = "Footer"
    name.add_run(line)
    pages = footer.add_paragraph(style="Footer")
    pages.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for part in page_words():
        if isinstance(part, str):
            pages.add_run(part)
        else:
            _field(pages, "PAGE" if part == 0 else "NUMPAGES")


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word computes when it lays the page out (``1`` until it does)."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None)):
        run = paragraph.add_run()
        if kind is not None:
            run._r.append(_element("w:fldChar", {"w:fldCharType": kind}))
        else:
            instr = _element("w:instrText", {"xml:space": "preserve"})
            instr.text = text
            run._r.append(instr)
    paragraph.add_run("1")
    paragraph.add_run()._r.append(_element("w:fldChar", {"w:fldCharType": "end"}))


# --- blocks ----------------------------------------------------------------------


def _style_ids(docx: Document) -> dict[str, str]:
    """The identifiers of the styles the plan uses, by name, looked up once: python-docx
    looks a name up among all the styles each time one is set by name."""
    names = ("Normal", "Title", "Subtitle", *(f"Heading {level}" for level in range(1, 10)))
    ids = {name: docx.styles[name].style_id for name in names}
    return ids | {name: name.replace(" ", "") for name in _OWN_STYLES}


def _styled(paragraph: Paragraph, style_id: str, *extra: Any) -> Paragraph:
    """``paragraph``, new and empty of properties, in the style ``style_id`` with
    ``extra`` paragraph properties (in schema order), written at once."""
    properties = _element("w:pPr")
    properties.append(_element("w:pStyle", {"w:val": style_id}))
    properties.extend(extra)
    paragraph._p.insert(0, properties)
    return paragraph


def _facts(docx: Document, facts: FactList, ids: dict[str, str]) -> None:
    """Each fact a paragraph: its label, a tab (a line break after a label too long for
    its column), its value from ``indent`` on (a hanging indent, so that a value that
    folds stays in its column)."""
    for line in facts.lines:
        paragraph = _styled(docx.add_paragraph(), ids["Fact"])
        layout = paragraph.paragraph_format
        layout.left_indent = Cm(facts.indent)
        layout.first_line_indent = Cm(-facts.indent)
        layout.tab_stops.add_tab_stop(Cm(facts.indent))
        label = paragraph.add_run(line.label)
        label.font.color.rgb = RGBColor.from_string(MUTED)
        paragraph.add_run("\n" if line.wrap else "\t")
        value = paragraph.add_run(line.value)
        value.bold = line.strong or None


def _table(docx: Document, grid: Grid, part: Part, ids: dict[str, str]) -> None:
    table = docx.add_table(rows=0, cols=len(grid.widths))
    # The table's properties in the schema's order (Word refuses others): its width
    # across the text, columns fixed as planned, the cells' padding, then the template's look.
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    for child in list(properties):
        if child.tag != qn("w:tblStyle"):
            properties.remove(child)
    properties.append(_element("w:tblW", {"w:w": str(_twips(part.width)), "w:type": "dxa"}))
    properties.append(_element("w:tblLayout", {"w:type": "fixed"}))
    margins = _element("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(_element(f"w:{side}", {"w:w": str(_twips(CELL_PADDING)), "w:type": "dxa"}))
    properties.append(margins)
    if look is not None:
        properties.append(look)
    for column, column_width in zip(table.columns, grid.widths, strict=True):
        column.width = Cm(column_width)
    widths = [_twips(width) for width in grid.widths]
    rows = table._tbl
    rows.append(_row(Line(grid.header), widths, ids, header=True))
    lines = grid.lines
    for index, line in enumerate(lines):
        # An item stays on the page of the note under it (Word keeps such rows together).
        keep = index + 1 < len(lines) and lines[index + 1].note
        rows.append(_row(line, widths, ids, keep=keep))
    for note in grid.notes:
        _styled(docx.add_paragraph(note), ids["Note"])
    # A paragraph after each table, so that two tables never merge into one.
    spacer = docx.add_paragraph()
    spacer.paragraph_format.space_after = Pt(2)


def _row(
    line: Line, widths: list[int], ids: dict[str, str], header: bool = False, keep: bool = False
) -> Any:
    """A ``w:tr``, written here: python-docx's rows and merged cells look a row's
    place up among all the table's rows, which makes a long table take minutes."""
    row = _element("w:tr")
    properties = _element("w:trPr")
    properties.append(_element("w:cantSplit"))
    if header:  # repeated at the top of every page the table runs onto
        properties.append(_element("w:tblHeader"))
    row.append(properties)
    style_id = ids["Table Heading" if header else "Table Contents"]
    column = 0
    for entry in line.entries:
        width = sum(widths[column : column + entry.span])
        row.append(_cell(entry, width, line.rule, header, style_id, keep))
        column += entry.span
    return row


def _cell(entry: Entry, width: int, rule: Rule, header: bool, style_id: str, keep: bool) -> Any:
    """A ``w:tc`` ``width`` twips wide, spanning ``entry.span`` columns."""
    cell = _element("w:tc")
    properties = _element("w:tcPr")
    properties.append(_element("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if entry.span > 1:
        properties.append(_element("w:gridSpan", {"w:val": str(entry.span)}))
    borders = _element("w:tcBorders")
    if rule is not Rule.NONE:
        size, colour = _RULES[rule]
        borders.append(
            _element("w:top", {"w:val": "single", "w:sz": size, "w:color": colour, "w:space": "0"})
        )
    if header:
        borders.append(
            _element("w:bottom", {"w:val": "single", "w:sz": "6", "w:color": INK, "w:space": "0"})
        )
    if len(borders):
        properties.append(borders)
    if header:
        shading = {"w:val": "clear", "w:color": "auto", "w:fill": HEADER_FILL}
        properties.append(_element("w:shd", shading))
        properties.append(_element("w:vAlign", {"w:val": "bottom"}))
    cell.append(properties)
    paragraph = _element("w:p")
    paragraph_properties = _element("w:pPr")
    paragraph_properties.append(_element("w:pStyle", {"w:val": style_id}))
    if keep:
        paragraph_properties.append(_element("w:keepNext"))
    if entry.right:
        paragraph_properties.append(_element("w:jc", {"w:val": "right"}))
    paragraph.append(paragraph_properties)
    cell.append(paragraph)
    if not entry.text:
        return cell
    run = _element("w:r")
    looks = _element("w:rPr")
    for wanted, tag, value in (
        (entry.bold and not header, "w:b", None),
        (entry.italic, "w:i", None),
        (entry.muted, "w:color", MUTED),
        (entry.small, "w:sz", str(round(NOTE_SIZE * 2))),  # in half points
    ):
        if wanted:
            looks.append(_element(tag, {"w:val": value} if value else None))
    if len(looks):
        run.append(looks)
    run.text = entry.text  # python-docx's run: tabs and line breaks become w:tab and w:br
    paragraph.append(run)
    return cell


# --- styles and properties -------------------------------------------------------


def _styles(docx: Document, language: str) -> None:
    """One font for everything (the one the plan measures), ink instead of the
    template's blue, the document's language for spelling, and the named styles
    the plan uses."""
    styles = docx.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), language)
    normal = styles["Normal"]
    _font(normal, BODY_SIZE)
    normal.paragraph_format.space_after = Pt(3)
    _font(styles["Title"], TITLE_SIZE, bold=True)
    title = styles["Title"].element
    for border in title.iter(qn("w:bottom")):
        border.set(qn("w:color"), INK)
        border.attrib.pop(qn("w:themeColor"), None)
    subtitle = styles["Subtitle"]
    _font(subtitle, 11.0, colour=MUTED)
    for odd in (*subtitle.element.iter(qn("w:numPr")), *subtitle.element.iter(qn("w:spacing"))):
        odd.getparent().remove(odd)  # the template numbers it as a list and spaces its letters
    for level, size in enumerate(HEADING_SIZES, start=1):
        heading = styles[f"Heading {level}"]
        _font(heading, size, bold=True)
        heading.paragraph_format.space_before = Pt(size)
        heading.paragraph_format.space_after = Pt(size / 3)
    contents = _new_style(docx, "Table Contents", "Normal", TABLE_SIZE)  # see _OWN_STYLES
    contents.paragraph_format.space_after = Pt(0)
    _new_style(docx, "Table Heading", "Table Contents", TABLE_SIZE, bold=True)
    _new_style(docx, "Note", "Normal", NOTE_SIZE, italic=True, colour=MUTED)
    _new_style(docx, "Good", "Normal", BODY_SIZE, bold=True, colour=GOOD)
    alert = _new_style(docx, "Alert", "Normal", BODY_SIZE, bold=True, colour=ALERT)
    box = _element("w:pBdr")
    line = {"w:val": "single", "w:sz": "12", "w:space": "4", "w:color": ALERT}
    for side in ("top", "left", "bottom", "right"):
        box.append(_element(f"w:{side}", line))
    alert.element.get_or_add_pPr().append(box)
    alert.paragraph_format.space_before = Pt(6)
    alert.paragraph_format.space_after = Pt(6)
    fact = _new_style(docx, "Fact", "Normal", BODY_SIZE)
    fact.paragraph_format.space_after = Pt(1)
    footer = styles["Footer"]
    _font(footer, FOOTER_SIZE, colour=MUTED)
    tabs = footer.element.find(qn("w:pPr"))
    if tabs is not None:  # the template's tab stops are for a Letter page
        for stops in tabs.findall(qn("w:tabs")):
            tabs.remove(stops)


def _new_style(docx: Document, name: str, base: str, size: float, **look: Any) -> Any:
    style = docx.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = docx.styles[base]
    style.quick_style = True
    _font(style, size, **look)
    return style


def _font(
    style: Any, size: float, bold: bool = False, italic: bool = False, colour: str = INK
) -> None:
    """``style`` in :data:`FONT_DOCX` (not the theme's font) at ``size``, in ``colour``."""
    font = style.font
    font.name = FONT_DOCX
    fonts = style.element.rPr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:cs"), FONT_DOCX)
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = RGBColor.from_string(colour)


def _properties(docx: Document, view: View, language: str) -> None:
    """Title, subject and language; no author, dates or template thumbnail."""
    core = docx.core_properties
    core.title = " ".join(view.title.split())
    core.subject = " ".join(view.subtitle.split())
    core.language = language
    core.author = ""
    core.comments = ""
    core.last_modified_by = ""
    element = core._element
    for tag in ("dcterms:created", "dcterms:modified"):
        for dated in element.findall(qn(tag)):
            element.remove(dated)
    package = docx.part.package
    for r_id, relationship in list(package.rels.items()):
        if relationship.reltype.endswith("/thumbnail"):
            package.rels.pop(r_id)


def _element(tag: str, attributes: dict[str, str] | None = None) -> Any:
    element = OxmlElement(tag)
    for name, value in (attributes or {}).items():
        element.set(qn(name), value)
    return element


def _twips(cm: float) -> int:
    return round(cm * _TWIPS_PER_CM)
