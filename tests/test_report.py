"""`crema-budget report`: one self-contained page for the accountability meeting,
read back with html.parser, with where its figures come from on the first page."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget import __version__
from crema_budget.reading.source import default_data_path

#: Attributes through which a page can make a browser fetch something.
_FETCHING = {"src", "href", "srcset", "action", "data", "poster", "xlink:href", "formaction"}
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EPOCH = {"SOURCE_DATE_EPOCH": "1467244800"}  # 30 June 2016, 00:00 UTC

WriteData = Callable[..., Path]


class Page(HTMLParser):
    """The parts of a page the tests look at: text, elements and their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    @property
    def words(self) -> str:
        """All visible text with whitespace collapsed (no-break spaces as spaces)."""
        return " ".join(" ".join(self.text).replace("\u00a0", " ").split())

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def first_page(self) -> str:
        """The text before the first section: what the first printed sheet opens with."""
        words = self.words
        return words[: words.index("Sintesi")] if "Sintesi" in words else words


@pytest.fixture
def page(invoke: Invoke) -> Page:
    result = invoke("report", "-o", "-", "-f", "html", env=EPOCH)
    assert result.exit_code == 0, result.stderr
    return Page(result.stdout)


def test_report_writes_the_page(invoke: Invoke, tmp_path: Path) -> None:
    """`report -o report.html` writes the page and says so on stderr."""
    target = tmp_path / "report.html"
    result = invoke("report", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert str(target) in result.stderr


def test_report_needs_an_output(invoke: Invoke) -> None:
    """Without -o the report says what to give, exit 2."""
    result = invoke("report")
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_provenance_on_the_first_page(page: Page) -> None:
    """The first page says which file (and its SHA-256), which year, which version
    and when: a reader can tell exactly where every figure comes from."""
    first = page.first_page()
    digest = hashlib.sha256(default_data_path().read_bytes()).hexdigest()
    assert "ambiti_2016.yaml" in first
    assert digest in first
    assert "2016" in first
    assert f"crema-budget {__version__}" in first
    assert "30/06/2016" in first


def test_provenance_in_the_page_margin(page: Page) -> None:
    """Printed, every page carries the file's fingerprint (its first 12 digits, so
    that the page number keeps its room) and its page number."""
    digest = hashlib.sha256(default_data_path().read_bytes()).hexdigest()
    assert "@bottom-left" in page.style
    assert f"{digest[:12]}…" in page.style
    assert "counter(page)" in page.style


def test_same_data_same_date_same_page(invoke: Invoke) -> None:
    """With SOURCE_DATE_EPOCH the report is rebuilt byte for byte."""
    first = invoke("report", "-o", "-", "-f", "html", env=EPOCH).stdout
    second = invoke("report", "-o", "-", "-f", "html", env=EPOCH).stdout
    assert first == second


def test_a_differing_figure_is_on_the_first_page(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """When a declared figure differs, the first page says so, before anything else."""
    broken = data_text.replace("totale: 1302537.59", "totale: 1302537.95")
    result = invoke("--data", str(write_data(broken)), "report", "-o", "-", "-f", "html")
    assert result.exit_code == 0
    page = Page(result.stdout)
    alerts = [attrs for attrs in page.tags("p") if attrs.get("role") == "alert"]
    assert len(alerts) == 1
    assert "1 cifra dichiarata non concorda" in page.first_page()


def test_a_draft_says_so_on_the_first_page(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """`stato: bozza` puts a prominent draft notice on the first page."""
    draft = data_text.replace("stato: firmato", "stato: bozza")
    result = invoke("--data", str(write_data(draft)), "report", "-o", "-", "-f", "html")
    page = Page(result.stdout)
    assert "BOZZA" in page.first_page()
    assert [attrs for attrs in page.tags("p") if attrs.get("role") == "alert"]


@pytest.mark.parametrize(
    "figure",
    ["€ 1.302.537,59", "€ 1.146.628,71", "€ 155.908,88", "€ 86.670,49", "7,56 %", "€ 19.304,08"],
)
def test_report_shows_the_figures(page: Page, figure: str) -> None:
    assert figure in page.words


class Tables(HTMLParser):
    """Every table of a page: its header rows and body rows, as (text, colspan) cells."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: list[tuple[list[list[tuple[str, int]]], list[list[tuple[str, int]]]]] = []
        self._head = False
        self._row: list[tuple[str, int]] | None = None
        self._cell: list[str] | None = None
        self._span = 1
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag in ("thead", "tbody", "tfoot"):
            self._head = tag == "thead"
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
            self._span = int(dict(attrs).get("colspan") or 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append((" ".join("".join(self._cell).split()), self._span))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            head, body = self.tables[-1]
            (head if self._head else body).append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


_FEE_LINES = ["Ambito", "Voce", "Imponibile", "Aliquota IVA", "IVA", "Totale IVA inclusa"]
_ITEMS = ["Ambito", "Voce", "Risorse del Consorzio", "Quota parte dell'1%", "Totale"]
#: The column titles of every table of the report, in order.
REPORT_HEADERS = [
    [
        "Ambito",
        "Titolo dell'ambito",
        "Imponibile",
        "IVA",
        "Totale IVA inclusa",
        "Risorse del Consorzio",
        "Quota parte dell'1%",
    ],
    *[_FEE_LINES, _ITEMS] * 5,  # each ambito: its fee lines, then the consortium's items
    ["Ambito", "Titolo dell'ambito", "Risorse del Consorzio", "Quota parte dell'1%", "Totale"],
    [
        "Bambini iscritti",
        "Canone mensile",
        "IVA",
        "Totale mensile",
        "Totale annuo IVA inclusa (11 mensilità)",
    ],
    ["Riferimento", "Cifra", "Dichiarato", "Calcolato", "Esito"],
    ["Riferimento", "Cifra", "Calcolato"],
]


def test_every_column_is_labelled(invoke: Invoke) -> None:
    """Every table of the report has one header row that titles each of its columns,
    as many titles as its rows have cells, and the titles are the ones a reader
    expects (the summary labels the consortium's resources and the 1% shares apart)."""
    result = invoke("report", "-o", "-", "-f", "html", env=EPOCH)
    tables = Tables(result.stdout).tables
    assert [[text for text, _span in head[0]] for head, _body in tables] == REPORT_HEADERS
    for head, body in tables:
        assert len(head) == 1
        assert all(text and span == 1 for text, span in head[0])
        assert body
        assert {sum(span for _text, span in row) for row in body} == {len(head[0])}


def test_report_has_a_bar_per_ambito(page: Page) -> None:
    bars = [attrs for attrs in page.tags("g") if attrs.get("class") == "chart-bar"]
    assert len(bars) == 5


def test_report_fetches_nothing(page: Page) -> None:
    """No script, stylesheet, image, font or link to anywhere: it works offline."""
    for _tag, attrs in page.elements:
        for name, value in attrs.items():
            if name in _FETCHING:
                assert not (value or "").startswith(("http", "//"))
    assert not page.tags("script")
    assert not page.tags("link")
    assert not page.tags("img")
    assert "url(" not in page.style
    assert "@import" not in page.style


def test_report_prints_cleanly(page: Page) -> None:
    """Print CSS: sections on new sheets, table heads repeated, page numbers, and
    nothing after the last section (no page holding only a footer)."""
    assert "@media print" in page.style
    assert "break-before: page" in page.style
    assert "table-header-group" in page.style
    assert not page.tags("footer")


def test_report_follows_the_locale(invoke: Invoke) -> None:
    """With --locale en the figures and the words are English."""
    result = invoke("--locale", "en", "report", "-o", "-", "-f", "html")
    assert result.exit_code == 0
    words = Page(result.stdout).words
    assert "€1,302,537.59" in words
    assert "Summary" in words
    assert "Sintesi" not in words


def test_report_escapes_labels(invoke: Invoke, data_text: str, write_data: WriteData) -> None:
    """Markup in a label is shown as text, never run as HTML."""
    text = data_text.replace("voce: Facchinaggio", 'voce: "Facchinaggio <script>x()</script>"')
    result = invoke("--data", str(write_data(text)), "report", "-o", "-", "-f", "html")
    assert result.exit_code == 0, result.output
    assert "<script>" not in result.stdout
    assert "Facchinaggio &lt;script&gt;x()&lt;/script&gt;" in result.stdout


def test_report_without_nursery_tiers(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """A data file without `nido:` still gets a report, without the tier section."""
    start = data_text.index("\n# Ambito 1, 3. Risorse: the nursery")
    end = data_text.index("\n# Scheda economica di sintesi")
    path = write_data(data_text[:start] + data_text[end:])
    result = invoke("--data", str(path), "report", "-o", "-", "-f", "html")
    assert result.exit_code == 0, result.output
    page = Page(result.stdout)
    assert not [a for a in page.tags("section") if a.get("id") == "nido"]
    assert "€ 1.302.537,59" in page.words


def test_chart_labels_stay_inside_the_chart(invoke: Invoke) -> None:
    """Each bar's figures (budget and invoiced, in the monitoring chart) start after the
    bar and end before the chart's right edge, at about 0.55 em a character."""
    from crema_budget.render.html import CHART_WIDTH

    result = invoke(
        "report",
        "-f",
        "html",
        "--registro",
        str(EXAMPLES / "registro_2016.yaml"),
        "--al",
        "2016-06-30",
    )
    assert result.exit_code == 0, result.stderr
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+">(€[^<]*)</text>', result.stdout)
    assert any(" / " in text for _x, text in labels)  # the monitoring chart is there
    for x, text in labels:
        assert float(x) + len(text) * 13 * 0.55 <= CHART_WIDTH, text
