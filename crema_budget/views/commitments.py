"""The view of the commitments (impegni): per commitment its amount, invoiced, paid and
residual, VAT included as a commitment is; for ``monitor`` and the report."""

from __future__ import annotations

from crema_budget.i18n import _
from crema_budget.money import ZERO
from crema_budget.office.commitments import Impegni
from crema_budget.office.timeliness import Tempestivita
from crema_budget.view import Block, Column, Kind, Row, RowKind, Table
from crema_budget.views.timeliness import timeliness_facts


def commitments_table(impegni: Impegni) -> Table:
    columns = (
        Column("numero", _("Commitment")),
        Column("capitolo", _("Chapter")),
        Column("servizi", _("Fee lines")),
        Column("importo", _("Amount"), Kind.MONEY, sums=True),
        Column("fatturato", _("Invoiced"), Kind.MONEY, sums=True),
        Column("pagato", _("Paid"), Kind.MONEY, sums=True),
        Column("residuo", _("Residual"), Kind.MONEY, sums=True),
    )
    rows = [
        Row(
            (
                r.impegno.numero,
                r.impegno.capitolo,
                ", ".join(r.impegno.servizi),
                r.impegno.importo,
                r.fatturato,
                r.pagato,
                r.residuo,
            )
        )
        for r in impegni.righe
    ]
    rows.append(
        Row(
            (
                _("Total"),
                "",
                "",
                sum((r.impegno.importo for r in impegni.righe), start=ZERO),
                sum((r.fatturato for r in impegni.righe), start=ZERO),
                sum((r.pagato for r in impegni.righe), start=ZERO),
                sum((r.residuo for r in impegni.righe), start=ZERO),
            ),
            RowKind.TOTAL,
        )
    )
    return Table(
        _("Commitments (VAT included)"),
        columns,
        tuple(rows),
        notes=(
            _(
                "Invoiced: the invoices of the commitment's fee lines to the date, VAT "
                "included; a negative residual is an amount beyond the commitment."
            ),
        ),
        sheet=_("Commitments"),
    )


def office_blocks(impegni: Impegni, tempestivita: Tempestivita, locale: str) -> list[Block]:
    """The office's duties under the monitoring: the commitments (if the register lists
    any) and the payment-timeliness indicator of the year to the date."""
    blocks: list[Block] = []
    if impegni.righe:
        blocks.append(commitments_table(impegni))
    blocks.append(timeliness_facts(tempestivita, locale))
    return blocks
