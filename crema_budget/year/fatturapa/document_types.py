"""FatturaPA's document types (TipoDocumento): which count as invoiced, and what a person
calls each.

FatturaPA 1.1 knows TD01 to TD06; version 1.2 added the integration and self-billing
documents (TD16 to TD28). The names follow the codes' descriptions in the Agenzia delle
Entrate's specification, shortened.
"""

from __future__ import annotations

from crema_budget.i18n import N_, _

#: FatturaPA document types counted as invoiced: invoices, advance and deferred
#: invoices, fee notes and debit notes. Any other (TD04, a credit note, which
#: would lower what is invoiced; self-billing and integration documents) is an
#: anomaly, and its lines are counted nowhere rather than added.
INVOICE_TYPES = frozenset({"TD01", "TD02", "TD03", "TD05", "TD06", "TD24", "TD25"})

NOMI = {
    "TD01": N_("an invoice"),
    "TD02": N_("an advance on an invoice"),
    "TD03": N_("an advance on a fee note"),
    "TD04": N_("a credit note"),
    "TD05": N_("a debit note"),
    "TD06": N_("a fee note (parcella)"),
    "TD16": N_("a reverse-charge integration of an invoice"),
    "TD17": N_("an integration or self-invoice for services bought abroad"),
    "TD18": N_("an integration for goods bought in another EU country"),
    "TD19": N_("an integration or self-invoice for goods under art. 17 c. 2 DPR 633/72"),
    "TD20": N_("a self-invoice to regularise or integrate an invoice"),
    "TD21": N_("a self-invoice for exceeding the export allowance (splafonamento)"),
    "TD22": N_("goods taken out of a VAT warehouse"),
    "TD23": N_("goods taken out of a VAT warehouse, with the VAT paid"),
    "TD24": N_("a deferred invoice (art. 21 c. 4 a DPR 633/72)"),
    "TD25": N_("a deferred invoice (art. 21 c. 4, third sentence, b DPR 633/72)"),
    "TD26": N_("a sale of depreciable goods or an internal transfer"),
    "TD27": N_("an invoice for own consumption or free supplies without recharge"),
    "TD28": N_("a purchase from San Marino with VAT"),
}


def nome(codice: str) -> str:
    """What the document of type ``codice`` is, in the user's language."""
    found = NOMI.get(codice)
    return _(found) if found else _("a type FatturaPA does not define")
