"""`crema-budget report`: one self-contained HTML page, read back with html.parser."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget import fmt
from crema_budget.checks import run_checks
from crema_budget.compute import risorse, tariffe_nido, totali
from crema_budget.model import Agreement
from crema_budget.render.html import CHART_WIDTH, HtmlReport, budget_chart

#: Attributes through which a page can make a browser fetch something.
_FETCHING = {"src", "href", "srcset", "action", "data", "poster", "xlink:href", "formaction"}


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
        """All visible text with whitespace collapsed."""
        return " ".join(" ".join(self.text).split())

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]


@pytest.fixture(scope="module")
def page_html(agreement: Agreement) -> str:
    """The report of the shipped agreement, in Italian."""
    municipali = totali(agreement)
    return HtmlReport("it").render(
        agreement.documento,
        municipali,
        risorse(agreement, municipali),
        tariffe_nido(agreement),
        run_checks(agreement),
    )


@pytest.fixture(scope="module")
def page(page_html: str) -> Page:
    return Page(page_html)


def test_report_writes_the_page(invoke: Invoke, tmp_path: Path, page_html: str) -> None:
    """`report -o FILE` writes the page and says so on stderr."""
    target = tmp_path / "report.html"
    result = invoke("report", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == page_html
    assert f"wrote {target}" in result.stderr
    assert result.stdout == ""


def test_report_to_stdout_with_dash(invoke: Invoke, page_html: str) -> None:
    """`report -o -` prints the page instead."""
    result = invoke("report", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout == page_html


def test_report_needs_an_output(invoke: Invoke) -> None:
    """Without --output the command stops with a usage error (exit 2)."""
    result = invoke("report")
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_report_is_one_html_document(page_html: str, page: Page) -> None:
    """A complete HTML5 document in Italian, with its styles inline."""
    assert page_html.startswith("<!doctype html>")
    assert page.tags("html") == [{"lang": "it"}]
    assert page.tags("meta")[0] == {"charset": "utf-8"}
    assert len(page.tags("style")) == 1


@pytest.mark.parametrize(
    "figure",
    [
        "€ 1.302.537,59",  # grand total with VAT
        "€ 1.146.628,71",  # taxable grand total
        "€ 155.908,88",  # VAT
        "€ 745.852,01",  # ambito 5
        "€ 86.670,49",  # the consortium's extra resources
        "€ 10.550,49",  # the 1 % shares
        "7,56 %",  # their ratio to the municipal resources
        "€ 3.240,00",  # a consortium item
        "€ 22.909,58",  # the nursery fee for 21–26 children
        "rimodulazione",  # below 20 children
        "da definire",  # the electoral service
    ],
)
def test_report_shows_the_figures(page: Page, figure: str) -> None:
    """The document's figures appear in the page, written the Italian way."""
    assert figure in page.words


def test_report_itemises_every_consortium_resource(page: Page, agreement: Agreement) -> None:
    """Every item of the consortium's resources is listed by name."""
    for ambito in risorse(agreement).ambiti:
        for voce, _ in ambito.voci:
            assert " ".join(voce.split()) in page.words


def test_report_shows_the_check_results(page: Page, agreement: Agreement) -> None:
    """The checks are all there, with the verdict and the truncated ratio."""
    checks = run_checks(agreement)
    assert f"{len(checks)} cifre controllate: tutte concordano" in page.words
    outcome_cells = [a for t, a in page.elements if t == "td" and "esito" in (a.get("class") or "")]
    assert len(outcome_cells) == len(checks)
    assert "troncato" in page.words


def test_report_has_a_bar_per_ambito(page: Page, agreement: Agreement) -> None:
    """The inline SVG chart has one bar per ambito, labelled with its total."""
    assert len(page.tags("svg")) == 1
    bars = [a for a in page.tags("rect") if a.get("class") == "bar"]
    assert len(bars) == len(agreement.ambiti)
    groups = [a["data-ambito"] for a in page.tags("g") if "data-ambito" in a]
    assert groups == [str(a.numero) for a in agreement.ambiti]
    for ambito in totali(agreement).ambiti:
        assert f"Ambito {ambito.numero}" in page.words


def test_chart_bars_are_proportional(agreement: Agreement) -> None:
    """Bar lengths follow the totals: the largest fills the area, the rest in ratio."""
    municipali = totali(agreement)
    chart = budget_chart(municipali, "it")
    largest = max(a.totale for a in municipali.ambiti)
    longest = max(bar.width for bar in chart.bars)
    assert longest < CHART_WIDTH
    for bar, ambito in zip(chart.bars, municipali.ambiti, strict=True):
        assert abs(bar.width - longest * ambito.totale / largest) <= Decimal("0.05")
        assert bar.figure == fmt.euro(ambito.totale)


def test_report_fetches_nothing(page_html: str, page: Page) -> None:
    """No URL, script, stylesheet link, font or image from elsewhere: it works offline."""
    assert "http://" not in page_html
    assert "https://" not in page_html
    for _tag, attrs in page.elements:
        for name, value in attrs.items():
            if name in _FETCHING:
                pytest.fail(f"{name}={value!r} would fetch something")
            assert not (value or "").startswith("//")
    assert not page.tags("script")
    assert not page.tags("link")
    assert not page.tags("img")
    assert "url(" not in page.style
    assert "@import" not in page.style
    assert "@font-face" not in page.style


def test_report_prints_cleanly(page: Page) -> None:
    """Print CSS: an A4 page, sections on new sheets, table heads repeated."""
    assert "@media print" in page.style
    assert "@page" in page.style
    assert "break-before: page" in page.style
    assert "table-header-group" in page.style


def test_report_follows_the_locale(invoke: Invoke) -> None:
    """With --locale en the figures are written the English way."""
    result = invoke("--locale", "en", "report", "-o", "-")
    assert result.exit_code == 0
    assert "€1,302,537.59" in Page(result.stdout).words


def test_report_unknown_locale(invoke: Invoke) -> None:
    """An unknown locale stops the report with exit 2 and a clear message."""
    result = invoke("--locale", "xx", "report", "-o", "-")
    assert result.exit_code == 2
    assert "unknown locale 'xx'" in result.stderr


def test_report_escapes_labels(
    invoke: Invoke, data_text: str, write_data: Callable[[str], Path]
) -> None:
    """Markup in a label is shown as text, never run as HTML."""
    text = data_text.replace("voce: Facchinaggio", 'voce: "Facchinaggio <script>x()</script>"')
    result = invoke("--data", str(write_data(text)), "report", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "<script>" not in result.stdout
    assert "Facchinaggio &lt;script&gt;x()&lt;/script&gt;" in result.stdout


def test_report_without_nursery_tiers(
    invoke: Invoke, data_text: str, write_data: Callable[[str], Path]
) -> None:
    """A data file without `nido:` still gets a report, without the tier section."""
    start = data_text.index("\nnido:")
    end = data_text.index("\n# Scheda economica di sintesi")
    result = invoke(
        "--data", str(write_data(data_text[:start] + data_text[end:])), "report", "-o", "-"
    )
    assert result.exit_code == 0, result.output
    page = Page(result.stdout)
    assert not [a for a in page.tags("section") if a.get("id") == "nido"]
    assert "€ 1.302.537,59" in page.words


def test_other_commands_do_not_load_the_report_libraries() -> None:
    """Jinja2 and XlsxWriter are imported only by the formats that need them."""
    code = (
        "import sys\n"
        "from crema_budget.cli import app\n"
        "try:\n"
        "    app(['totals', '--format', 'csv'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('jinja2' in sys.modules, 'xlsxwriter' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stderr.strip() == "False False"
