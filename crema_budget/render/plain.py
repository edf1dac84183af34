"""Figures as plain machine text, shared by the JSON and CSV formats.

A dot before exactly two decimals for amounts (``"1302537.59"``), no grouping,
never a float: any program reads them the same way whatever its language.
"""

from __future__ import annotations

from decimal import Decimal

from crema_budget.compute import Preventivo
from crema_budget.money import CENT


def amount(value: Decimal) -> str:
    """``Decimal("5540")`` → ``"5540.00"``."""
    return str(value.quantize(CENT))


def rate(value: Decimal) -> str:
    """A VAT rate or percentage as written: ``4``, ``22``, ``7.5`` (never ``2E+1``)."""
    return format(value.normalize(), "f")


def preventivo(p: Preventivo) -> dict[str, str | int]:
    """A nursery quote's figures, monthly and over the months."""
    return {
        "canone_mensile": amount(p.canone_mensile),
        "aliquota_iva": rate(p.aliquota_iva),
        "iva_mensile": amount(p.iva_mensile),
        "totale_mensile": amount(p.totale_mensile),
        "mensilita": p.mensilita,
        "imponibile": amount(p.imponibile),
        "iva": amount(p.iva),
        "totale": amount(p.totale),
    }
