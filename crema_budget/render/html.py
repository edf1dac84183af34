"""HTML: one self-contained page for the accountability meeting.

Everything the page needs is inside it: styles inline, the chart as inline
SVG, no fonts, scripts or images fetched from anywhere, so it opens offline
and prints to PDF from any browser. The page is a Jinja2 template
(``templates/report.html.j2``) filled with computed results; figures are
formatted through :mod:`crema_budget.fmt` in the chosen locale.

Jinja2 is imported here only, so commands other than ``report`` never load it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import jinja2

from crema_budget import __version__, fmt
from crema_budget.checks import Check
from crema_budget.compute import Risorse, TariffaFascia, Totali
from crema_budget.model import Documento
from crema_budget.money import ZERO, decimal_places

#: Chart geometry, in SVG user units (the chart scales to the page width).
CHART_WIDTH = 720
_LABEL_WIDTH = 90  # "Ambito 5" left of the bars
_VALUE_WIDTH = 150  # room right of the longest bar for its figure
_BAR_HEIGHT = 26
_BAR_GAP = 14
_PAD = 8
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Bar:
    """One bar of the chart: an ambito's total with VAT, placed and labelled."""

    numero: int
    titolo: str
    figure: str  # the total, formatted for the reader
    y: int
    width: Decimal  # bar length; the largest total spans the whole bar area

    @property
    def label_y(self) -> int:
        return self.y + _BAR_HEIGHT // 2

    @property
    def value_x(self) -> Decimal:
        return _LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: the budget (total with VAT) of each ambito."""

    bars: tuple[Bar, ...]
    width: int = CHART_WIDTH
    label_width: int = _LABEL_WIDTH
    bar_height: int = _BAR_HEIGHT

    @property
    def height(self) -> int:
        return 2 * _PAD + len(self.bars) * (_BAR_HEIGHT + _BAR_GAP) - _BAR_GAP


def budget_chart(totali: Totali, locale: str) -> Chart:
    """Lay out one bar per ambito, lengths proportional to the total with VAT."""
    area = Decimal(CHART_WIDTH - _LABEL_WIDTH - _VALUE_WIDTH)
    largest = max((a.totale for a in totali.ambiti), default=Decimal(0))
    bars = []
    for index, ambito in enumerate(totali.ambiti):
        # Pixel lengths, not money: a tenth of a unit is finer than any screen.
        width = (ambito.totale * area / largest) if largest else Decimal(0)
        bars.append(
            Bar(
                numero=ambito.numero,
                titolo=ambito.titolo,
                figure=fmt.euro(ambito.totale, locale),
                y=_PAD + index * (_BAR_HEIGHT + _BAR_GAP),
                width=width.quantize(_TENTH, rounding=ROUND_HALF_UP),
            )
        )
    return Chart(tuple(bars))


@dataclass(frozen=True)
class CheckRow:
    """A check with its figures formatted for the page."""

    check: Check
    dichiarato: str
    calcolato: str
    differenza: str


class HtmlReport:
    """Renders the accountability report as one HTML page (text)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._env = jinja2.Environment(
            loader=jinja2.PackageLoader("crema_budget.render", "templates"),
            # The template is named .html.j2, which select_autoescape would not
            # recognise: escaping is switched on outright.
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._env.filters.update(
            euro=lambda value: fmt.euro(value, locale),
            rate=lambda value: fmt.rate(value, locale),
            percent=lambda value: fmt.percent(value, locale),
            fascia=lambda f: fmt.fascia(f.iscritti_min, f.iscritti_max),
        )

    def _check_row(self, c: Check) -> CheckRow:
        if c.percentuale:
            declared = fmt.percent(c.dichiarato, self.locale, decimal_places(c.dichiarato))
            return CheckRow(c, declared, fmt.percent(c.calcolato, self.locale), "")
        difference = fmt.euro(c.differenza, self.locale) if c.differenza else ""
        return CheckRow(
            c, fmt.euro(c.dichiarato, self.locale), fmt.euro(c.calcolato, self.locale), difference
        )

    def render(
        self,
        documento: Documento,
        totali: Totali,
        risorse: Risorse,
        tariffe: tuple[TariffaFascia, ...],
        checks: list[Check],
    ) -> str:
        """The page: summary with chart, each ambito, the consortium's resources,
        the nursery tiers (``tariffe`` may be empty) and the checks."""
        template = self._env.get_template("report.html.j2")
        return template.render(
            documento=documento,
            totali=totali,
            risorse=risorse,
            risorse_per_ambito={a.numero: a for a in risorse.ambiti},
            consorzio_totale={
                a.numero: a.totale + (a.quota_1_percento or ZERO) for a in risorse.ambiti
            },
            tariffe=tariffe,
            mensilita=next((t.preventivo.mensilita for t in tariffe if t.preventivo), None),
            checks=[self._check_row(c) for c in checks],
            differenze=sum(not c.ok for c in checks),
            chart=budget_chart(totali, self.locale),
            version=__version__,
        )
