"""ODT: any view as an OpenDocument text for word processors, built with odfdo.

The document is the one :mod:`crema_budget.render.pages` plans; this module
says it in OpenDocument: LibreOffice's own paragraph styles (*Heading 1*,
*Heading 2*, *Table Contents*, *Table Heading*, *Footer*) so that the
navigator lists the headings and an office restyles the whole document in
one place, tables whose column titles are ``table:table-header-rows``
(repeated on every page), and two page styles, portrait and landscape, with
the page number and count as fields in their footers. A paragraph that
opens a part names its page style, which starts a new page.

The package is odfdo's: the ``mimetype`` first and stored, then the
manifest and every part it lists. No clock is read: the metadata carry no
date, and every part of the zip one fixed date, so the same view always
gives the same bytes. odfdo is imported only when this format is asked for.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from odfdo import (
    Cell,
    Column,
    Document,
    Element,
    Header,
    HeaderRows,
    LineBreak,
    Paragraph,
    Row,
    Span,
    Tab,
    Table,
)

from crema_budget import __version__
from crema_budget.render.pages import (
    ALERT,
    BODY_SIZE,
    CELL_PADDING,
    FONT_ODT,
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
    Rule,
    Words,
    page_words,
    plan,
    repack,
)
from crema_budget.view import Style, View

if TYPE_CHECKING:
    from crema_budget.render import Options

#: The page styles (master pages) and their layouts.
PORTRAIT = "Standard"
LANDSCAPE = "Landscape"
_LAYOUTS = {PORTRAIT: ("Mpm1", False), LANDSCAPE: ("Mpm2", True)}
#: What the template brings that a generated document has no use for.
_TEMPLATE_LEFTOVERS = ("Thumbnails/", "Configurations2/")
_FONT = f'style:font-name="{FONT_ODT}"'
_RULES = {
    Rule.NONE: "",
    Rule.LIGHT: f"0.5pt solid #{RULE_LIGHT}",
    Rule.STRONG: f"0.75pt solid #{INK}",
}


def render(view: View, options: Options) -> bytes:
    """``view`` as an OpenDocument text."""
    document = plan(view, options.locale)
    odt = Document("text")
    _clean_template(odt)
    _common_styles(odt)
    _pages(odt, document.footer)
    odt.set_language(document.language)
    _meta(odt, view)
    body = odt.body
    body.clear()
    styles = _Styles(odt)
    first = True
    for part in document.parts:
        master = LANDSCAPE if part.landscape else PORTRAIT
        # The first paragraph of the document, and of a part on a new page, names its page style.
        opens = master if first or part.new_page else None
        if first:
            body.append(Paragraph(document.title, style=styles.paragraph("Title", opens)))
            opens = None
            if document.subtitle:
                body.append(Paragraph(document.subtitle, style="Subtitle"))
            for alert in document.alerts:
                body.append(Paragraph(alert, style=styles.words(Style.ALERT)))
            first = False
        for item in part.items:
            if opens is not None and not isinstance(item, Heading):
                # Only a paragraph turns the page: an empty one, before what cannot.
                body.append(Paragraph("", style=styles.paragraph("Standard", opens)))
                opens = None
            if isinstance(item, Grid):
                _table(body, item, styles, part.width)
            else:
                body.extend(_item(item, styles, opens))
            opens = None
        if opens is not None:  # a part with nothing in it still turns the page
            body.append(Paragraph("", style=styles.paragraph("Standard", opens)))
    buffer = io.BytesIO()
    odt.save(buffer)
    return repack(buffer.getvalue())


def _item(item: Heading | Words | FactList, styles: _Styles, opens: str | None) -> list[Element]:
    if isinstance(item, Heading):
        heading = Header(item.level, item.text)
        heading.style = styles.paragraph(f"Heading_20_{min(item.level, 10)}", opens)
        return [heading]
    if isinstance(item, Words):
        return [Paragraph(item.text, style=styles.words(item.style))]
    return _facts(item, styles)


def _facts(facts: FactList, styles: _Styles) -> list[Element]:
    """Each fact a paragraph: its label, a tab (a line break after a label too long for
    its column), its value from ``indent`` on (a hanging indent, so that a value that
    folds stays in its column)."""
    paragraphs: list[Element] = []
    for line in facts.lines:
        paragraph = Paragraph(style=styles.fact(facts.indent))
        paragraph.append(Span(line.label, style=styles.span(muted=True)))
        paragraph.append(LineBreak() if line.wrap else Tab())
        paragraph.append(Span(line.value, style=styles.span(bold=line.strong)))
        paragraphs.append(paragraph)
    return paragraphs


def _table(body: Element, grid: Grid, styles: _Styles, width: float) -> None:
    """The table at the end of ``body``, its notes after it. Its rows go in once the
    table is in the document: a table built apart costs a second per thousand rows
    more to move in, and odfdo's row by row append recounts the table each time."""
    styles.tables += 1
    table = Table(f"Table{styles.tables}", style=styles.table(width))
    for column_width in grid.widths:
        table.append(Column(style=styles.column(column_width)))
    header = HeaderRows()
    header.append(_row(Line(grid.header), styles, header=True))
    table.append(header)
    body.append(table)
    table.extend([_row(line, styles) for line in grid.lines])
    body.extend([Paragraph(note, style=styles.words(Style.NOTE)) for note in grid.notes])


def _row(line: Line, styles: _Styles, header: bool = False) -> Row:
    row = Row(style=styles.row())
    cells: list[Element] = []
    for entry in line.entries:
        cell = Cell(style=styles.cell(line.rule, header))
        if entry.span > 1:
            cell.set_attribute("table:number-columns-spanned", str(entry.span))
        cell.append(Paragraph(entry.text, style=styles.cell_paragraph(entry, header)))
        cells.append(cell)
        cells.extend(Element.from_tag("<table:covered-table-cell/>") for _ in range(entry.span - 1))
    row.extend(cells)
    return row


# --- styles --------------------------------------------------------------------------


class _Styles:
    """Automatic styles of ``content.xml``, each made when first used."""

    def __init__(self, odt: Document) -> None:
        self._odt = odt
        self._made: dict[Hashable, str] = {}
        self.tables = 0

    def _style(self, key: Hashable, prefix: str, xml: Callable[[str], str]) -> str:
        if key not in self._made:
            name = f"{prefix}{len(self._made) + 1}"
            self._odt.insert_style(xml(name), automatic=True)
            self._made[key] = name
        return self._made[key]

    def paragraph(self, parent: str, master: str | None) -> str:
        """``parent``, or a paragraph of it that starts a page of style ``master``."""
        if master is None:
            return parent
        return self._style(
            ("paragraph", parent, master),
            "P",
            lambda name: (
                f'<style:style style:name="{name}" style:family="paragraph" '
                f'style:parent-style-name="{parent}" style:master-page-name="{master}"/>'
            ),
        )

    def words(self, style: Style) -> str:
        """A paragraph of running text in ``style``."""
        text = {
            Style.NORMAL: "",
            Style.NOTE: f'fo:color="#{MUTED}" fo:font-style="italic" fo:font-size="{NOTE_SIZE}pt"',
            Style.GOOD: f'fo:color="#{GOOD}" fo:font-weight="bold"',
            Style.ALERT: f'fo:color="#{ALERT}" fo:font-weight="bold"',
        }[style]
        if not text:
            return "Text_20_body"
        box = ""
        if style is Style.ALERT:
            box = (
                f'<style:paragraph-properties fo:border="1.5pt solid #{ALERT}" '
                'fo:padding="0.15cm" fo:margin-top="0.2cm" fo:margin-bottom="0.2cm"/>'
            )
        return self._style(
            ("words", style),
            "P",
            lambda name: (
                f'<style:style style:name="{name}" style:family="paragraph" '
                f'style:parent-style-name="Text_20_body">{box}'
                f"<style:text-properties {text}/></style:style>"
            ),
        )

    def fact(self, indent: float) -> str:
        return self._style(
            ("fact", indent),
            "P",
            lambda name: (
                f'<style:style style:name="{name}" style:family="paragraph" '
                'style:parent-style-name="Standard"><style:paragraph-properties '
                f'fo:margin-left="{indent}cm" fo:text-indent="-{indent}cm" '
                'fo:margin-top="0cm" fo:margin-bottom="0.05cm"><style:tab-stops>'
                '<style:tab-stop style:position="0cm"/></style:tab-stops>'
                "</style:paragraph-properties></style:style>"
            ),
        )

    def span(self, bold: bool = False, muted: bool = False) -> str:
        text = ' fo:font-weight="bold"' if bold else ""
        text += f' fo:color="#{MUTED}"' if muted else ""
        return self._style(
            ("span", bold, muted),
            "T",
            lambda name: (
                f'<style:style style:name="{name}" style:family="text">'
                f"<style:text-properties{text}/></style:style>"
            ),
        )

    def cell_paragraph(self, entry: Entry, header: bool) -> str:
        look = (entry.right, entry.bold and not header, entry.italic, entry.muted, entry.small)
        parent = "Table_20_Heading" if header else "Table_20_Contents"
        if not any(look):
            return parent
        align = f'<style:paragraph-properties fo:text-align="{"end" if entry.right else "start"}"/>'
        text = "".join(
            attribute
            for condition, attribute in (
                (entry.bold and not header, ' fo:font-weight="bold"'),
                (entry.italic, ' fo:font-style="italic"'),
                (entry.muted, f' fo:color="#{MUTED}"'),
                (entry.small, f' fo:font-size="{NOTE_SIZE}pt"'),
            )
            if condition
        )
        return self._style(
            ("cell-paragraph", parent, *look),
            "P",
            lambda name: (
                f'<style:style style:name="{name}" style:family="paragraph" '
                f'style:parent-style-name="{parent}">{align}'
                f"<style:text-properties{text}/></style:style>"
            ),
        )

    def table(self, width: float) -> str:
        return self._style(
            ("table", width),
            "Table",
            lambda name: (
                f'<style:style style:name="{name}" style:family="table">'
                f'<style:table-properties style:width="{width:.3f}cm" table:align="margins" '
                'fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/></style:style>'
            ),
        )

    def column(self, width: float) -> str:
        return self._style(
            ("column", width),
            "Column",
            lambda name: (
                f'<style:style style:name="{name}" style:family="table-column">'
                f'<style:table-column-properties style:column-width="{width:.3f}cm" '
                f'style:rel-column-width="{round(width * 1000)}*"/></style:style>'
            ),
        )

    def row(self) -> str:
        """Rows are never split across two pages."""
        return self._style(
            "row",
            "Row",
            lambda name: (
                f'<style:style style:name="{name}" style:family="table-row">'
                '<style:table-row-properties fo:keep-together="always"/></style:style>'
            ),
        )

    def cell(self, rule: Rule, header: bool) -> str:
        def xml(name: str) -> str:
            borders = f'fo:padding-left="{CELL_PADDING}cm" fo:padding-right="{CELL_PADDING}cm" '
            borders += 'fo:padding-top="0.04cm" fo:padding-bottom="0.04cm" fo:border="none"'
            if rule is not Rule.NONE:
                borders += f' fo:border-top="{_RULES[rule]}"'
            if header:
                borders += f' fo:border-bottom="0.75pt solid #{INK}"'
                borders += f' fo:background-color="#{HEADER_FILL}" style:vertical-align="bottom"'
            return (
                f'<style:style style:name="{name}" style:family="table-cell">'
                f"<style:table-cell-properties {borders}/></style:style>"
            )

        return self._style(("cell", rule, header), "Cell", xml)


def _common_styles(odt: Document) -> None:
    """The named styles an office sees and may change: the default font and language,
    the title, table contents and headings, the footer."""
    odt.insert_style(
        '<style:default-style style:family="paragraph"><style:paragraph-properties '
        'style:tab-stop-distance="1.25cm" style:writing-mode="page"/>'
        f'<style:text-properties {_FONT} fo:font-size="{BODY_SIZE}pt" '
        f'fo:color="#{INK}" fo:hyphenate="false"/></style:default-style>',
        default=True,
    )
    odt.insert_style(
        '<style:style style:name="Text_20_body" style:display-name="Text Body" '
        'style:family="paragraph" style:parent-style-name="Standard" style:class="text">'
        '<style:paragraph-properties fo:margin-top="0.1cm" fo:margin-bottom="0.15cm"/>'
        "</style:style>"
    )
    odt.insert_style(
        '<style:style style:name="Heading" style:family="paragraph" '
        'style:parent-style-name="Standard" style:next-style-name="Text_20_body" '
        'style:class="chapter"><style:paragraph-properties fo:margin-top="0.45cm" '
        'fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>'
        f'<style:text-properties {_FONT} fo:font-size="14pt"/></style:style>'
    )
    for level, size in enumerate(HEADING_SIZES, start=1):
        odt.insert_style(
            f'<style:style style:name="Heading_20_{level}" style:display-name="Heading {level}" '
            'style:family="paragraph" style:parent-style-name="Heading" '
            f'style:next-style-name="Text_20_body" style:default-outline-level="{level}" '
            'style:class="chapter"><style:text-properties '
            f'fo:font-size="{size}pt" fo:font-weight="bold" fo:font-style="normal"/></style:style>'
        )
    odt.insert_style(
        '<style:style style:name="Title" style:family="paragraph" '
        'style:parent-style-name="Heading" style:next-style-name="Subtitle" '
        'style:class="chapter"><style:paragraph-properties fo:margin-top="0cm" '
        'fo:margin-bottom="0.15cm"/><style:text-properties '
        f'fo:font-size="{TITLE_SIZE}pt" fo:font-weight="bold"/></style:style>'
    )
    odt.insert_style(
        '<style:style style:name="Subtitle" style:family="paragraph" '
        'style:parent-style-name="Standard" style:next-style-name="Text_20_body" '
        'style:class="chapter"><style:paragraph-properties fo:margin-bottom="0.3cm" '
        f'fo:padding-bottom="0.1cm" fo:border-bottom="1pt solid #{INK}"/>'
        f'<style:text-properties fo:color="#{MUTED}" fo:font-size="11pt"/></style:style>'
    )
    odt.insert_style(
        '<style:style style:name="Table_20_Contents" style:display-name="Table Contents" '
        'style:family="paragraph" style:parent-style-name="Standard" style:class="extra">'
        '<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm"/>'
        f'<style:text-properties fo:font-size="{TABLE_SIZE}pt"/></style:style>'
    )
    odt.insert_style(
        '<style:style style:name="Table_20_Heading" style:display-name="Table Heading" '
        'style:family="paragraph" style:parent-style-name="Table_20_Contents" '
        'style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>'
    )
    odt.insert_style(
        '<style:style style:name="Footer" style:family="paragraph" '
        'style:parent-style-name="Standard" style:class="extra">'
        f'<style:text-properties fo:font-size="{FOOTER_SIZE}pt" fo:color="#{MUTED}"/>'
        "</style:style>"
    )
    odt.insert_style(
        '<style:style style:name="Footer_20_right" style:display-name="Footer right" '
        'style:family="paragraph" style:parent-style-name="Footer" style:class="extra">'
        '<style:paragraph-properties fo:text-align="end"/></style:style>'
    )


def _pages(odt: Document, footer: str) -> None:
    """A4 portrait and landscape page styles, each with the footer: the document's
    name, then "page N of M" with fields for the number and the count."""
    words = "".join(
        f"<text:span>{_escape(part)}</text:span>"
        if isinstance(part, str)
        else (
            '<text:page-number text:select-page="current">1</text:page-number>'
            if part == 0
            else "<text:page-count>1</text:page-count>"
        )
        for part in page_words()
    )
    for master, (layout, landscape) in _LAYOUTS.items():
        width, height = (PAGE_LONG, PAGE_SHORT) if landscape else (PAGE_SHORT, PAGE_LONG)
        odt.insert_style(
            f'<style:page-layout style:name="{layout}"><style:page-layout-properties '
            f'fo:page-width="{width}cm" fo:page-height="{height}cm" style:num-format="1" '
            f'style:print-orientation="{"landscape" if landscape else "portrait"}" '
            f'fo:margin-top="{MARGIN_TOP}cm" fo:margin-bottom="{MARGIN_BOTTOM}cm" '
            f'fo:margin-left="{MARGIN}cm" fo:margin-right="{MARGIN}cm" '
            'style:writing-mode="lr-tb"/><style:header-style/><style:footer-style>'
            '<style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/>'
            "</style:footer-style></style:page-layout>"
        )
        odt.insert_style(
            f'<style:master-page style:name="{master}" style:page-layout-name="{layout}">'
            f'<style:footer><text:p text:style-name="Footer">{_escape(footer)}</text:p>'
            f'<text:p text:style-name="Footer_20_right">{words}</text:p></style:footer>'
            "</style:master-page>"
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clean_template(odt: Document) -> None:
    """Without the template's thumbnail (a picture of an empty page) and its editor
    settings, in the package and in the manifest, nor its numbering of headings
    (the view's titles are complete as they are)."""
    for level in odt.styles.get_elements("//text:outline-level-style"):
        for attribute in ("style:num-suffix", "loext:num-list-format", "text:display-levels"):
            if level.get_attribute(attribute) is not None:
                level.del_attribute(attribute)
        level.set_attribute("style:num-format", "")
    for path in odt.get_parts():
        if path.startswith(_TEMPLATE_LEFTOVERS):
            odt.del_part(path)
    for path in odt.manifest.get_paths():
        if path.startswith(_TEMPLATE_LEFTOVERS):
            odt.manifest.del_full_path(path)


def _meta(odt: Document, view: View) -> None:
    """Title, subject, language and generator; no dates, since none is known but the
    clock's, and no statistics, which only a word processor can count."""
    meta = odt.meta
    for tag in (
        "meta:creation-date",
        "meta:editing-duration",
        "meta:editing-cycles",
        "meta:document-statistic",
        "meta:initial-creator",
        "dc:date",
    ):
        for element in meta.get_elements(f"//{tag}"):
            element.delete()
    meta.set_title(" ".join(view.title.split()))
    if view.subtitle:
        meta.set_subject(" ".join(view.subtitle.split()))
    meta.set_generator(f"crema-budget {__version__}")
