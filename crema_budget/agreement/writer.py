"""An agreement written back as a data file, laid out as people edit it.

Used by ``bozza`` to start next year's draft: the same layout as
``data/ambiti_2016.yaml`` (items on one line each, declared figures under
``dichiarato``; the records keep no comments, so the draft has a header of its
own instead), every label quoted only where YAML needs it, every figure written
out as text the loader reads exactly.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from crema_budget.agreement import compute
from crema_budget.agreement.model import Agreement, Ambito, Dichiarato, Servizio
from crema_budget.i18n import _, ngettext
from crema_budget.money import CENT, HUNDRED, round_half_up

#: A label that YAML reads back as the same text when written plain.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*", re.UNICODE)
_SPECIAL_WORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "<<"}


def text(value: str, flow: bool = False) -> str:
    """``value`` as a YAML scalar: plain where that reads back the same, else quoted."""
    plain = (
        _PLAIN.fullmatch(value)
        and value == value.strip()
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and value.lower() not in _SPECIAL_WORDS
        and not re.fullmatch(r"[-+.\d][\d._eE+-]*", value)
        and not (flow and any(c in value for c in ",[]{}:"))  # libyaml: no ':' in a flow
        and value.isprintable()
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def amount(value: Decimal) -> str:
    return format(value.quantize(CENT), "f")


def rate(value: Decimal) -> str:
    return format(value.normalize(), "f")


COMPUTED = "calcolato, non firmato"


def draft(agreement: Agreement, year: int, declared: bool, source: str, folded: int) -> str:
    """Next year's draft of ``agreement``: ``year``, ``stato: bozza``, amendments
    already folded in (``folded`` of them), the declared figures removed or, with
    ``declared``, filled with the computed ones and marked so."""
    municipali = compute.totali(agreement)
    consorzio = compute.risorse(agreement, municipali)
    mark = f"  # {COMPUTED}" if declared else ""
    out: list[str] = [
        "# yaml-language-server: $schema=ambiti.schema.json",
        "#",
        "# "
        + _("DRAFT of the co-design agreement for {year}, started from {source}.").format(
            year=year, source=source
        ),
    ]
    if folded:
        out.append(
            "# "
            + ngettext(
                "The {n} amendment of the previous year is folded into the figures.",
                "The {n} amendments of the previous year are folded into the figures.",
                folded,
            ).format(n=folded)
        )
    out.append(
        "# "
        + (
            _("Declared figures: computed from the inputs, not signed (see the comments).")
            if declared
            else _("Declared figures: removed; `check` will ask for the grand totals.")
        )
    )
    out.append("# " + _("To review: every periodo still names the previous year's dates."))
    if any(ambito.piano for ambito in agreement.ambiti):
        out.append(
            "# "
            + _(
                "To write: each ambito's work plan (2. Tempi). The draft carries none: the "
                "activities and their months belong to the year signed."
            )
        )
    d = agreement.documento
    out += [
        "",
        "documento:",
        f"  titolo: {text(d.titolo)}",
        f"  comune: {text(d.comune)}",
        f"  consorzio: {text(d.consorzio)}",
        f"  anno: {year}",
        "  stato: bozza",
    ]
    if d.termine_pagamento is not None:
        out.append(f"  termine_pagamento: {d.termine_pagamento}")
    out += ["", "ambiti:"]
    for ambito, result in zip(agreement.ambiti, municipali.ambiti, strict=True):
        out += _ambito(ambito, result, declared, mark, year)
        if ambito.piano:
            out.append(
                "    # "
                + _(
                    "piano_di_lavoro: to be written for {year}; {first}–{last} were {old}'s"
                ).format(
                    year=year,
                    first=ambito.piano[0].codice,
                    last=ambito.piano[-1].codice,
                    old=d.anno,
                )
            )
    if agreement.nido is not None:
        out += ["", "nido:"]
        nursery = compute.nido_servizio(agreement)
        if nursery.codice:
            out.append(f"  servizio: {nursery.codice}")
        else:
            out += [f"  ambito: {agreement.nido.ambito}", f"  servizio: {agreement.nido.servizio}"]
        out.append("  fasce:")
        for fascia in agreement.nido.fasce:
            fields = [f"iscritti_min: {fascia.iscritti_min}"]
            if fascia.iscritti_max is not None:
                fields.append(f"iscritti_max: {fascia.iscritti_max}")
            if fascia.canone_mensile is None:
                fields.append("rimodulazione: true")
            else:
                fields.append(f"canone_mensile: {amount(fascia.canone_mensile)}")
            out.append("    - {" + ", ".join(fields) + "}")
    if declared:
        out += [
            "",
            "sintesi:",
            f"  dichiarato:{mark}",
            f"    imponibile: {amount(municipali.imponibile)}",
            f"    iva: {amount(municipali.iva)}",
            f"    totale: {amount(municipali.totale)}",
            "",
            "risorse_consorzio:",
            f"  dichiarato:{mark}",
        ]
        per_ambito = ", ".join(
            f"{a.numero}: {amount(a.totale)}" for a in consorzio.ambiti if a.voci
        )
        shares = ", ".join(
            f"{a.numero}: {amount(a.quota_1_percento)}"
            for a in consorzio.ambiti
            if a.quota_1_percento is not None
        )
        if per_ambito:
            out.append(f"    per_ambito: {{{per_ambito}}}")
        if shares:
            out.append(f"    quote_1_percento: {{{shares}}}")
        out += [
            f"    totale_risorse: {amount(consorzio.totale_risorse)}",
            f"    totale_quote: {amount(consorzio.totale_quote)}",
            f"    totale: {amount(consorzio.totale)}",
        ]
        percentuale = round_half_up(consorzio.percentuale, 2) if consorzio.base else None
        if percentuale is not None and percentuale <= HUNDRED:  # the format's limit
            out.append(f"    percentuale: {rate(percentuale)}")
    return "\n".join(out) + "\n"


def _dichiarato(
    indent: str, figures: Dichiarato | tuple[Decimal, Decimal, Decimal], mark: str
) -> list[str]:
    imponibile, iva, totale = figures
    lines = [f"{indent}dichiarato:{mark}"]
    for key, value in (("imponibile", imponibile), ("iva", iva), ("totale", totale)):
        if value is not None:
            lines.append(f"{indent}  {key}: {amount(value)}")
    return lines


def _servizio(
    s: Servizio, figures: compute.Riga, declared: bool, mark: str, year: int
) -> list[str]:
    out = []
    first = "      - "
    if s.codice:
        out.append(f"{first}codice: {s.codice}")
        out.append(f"        voce: {text(s.voce)}")
    else:
        out.append(f"{first}voce: {text(s.voce)}")
    if s.canone_mensile is not None and s.mensilita is not None:
        out += [
            f"        canone_mensile: {amount(s.canone_mensile)}",
            f"        mensilita: {s.mensilita}",
        ]
    elif s.importo is not None:
        out.append(f"        importo: {amount(s.importo)}")
    if s.periodo:
        out.append(f"        periodo: {text(s.periodo)}")
    if s.giorno is not None and s.giorno.year == year:  # a day of another year is gone
        out.append(f"        giorno: {s.giorno.isoformat()}")
    if s.mesi is not None and not (s.mensilita == 12 and len(s.mesi) == 12):
        out.append(f"        mesi: [{', '.join(str(m) for m in s.mesi)}]")
    if s.rate:
        out.append("        rate:")
        out += [f"          - {{mese: {r.mese}, importo: {amount(r.importo)}}}" for r in s.rate]
    out.append(f"        aliquota_iva: {rate(s.aliquota_iva)}")
    if s.tipo:
        out.append(f"        tipo: {s.tipo}")
    if declared:
        out += _dichiarato("        ", (figures.imponibile, figures.iva, figures.totale), mark)
    return out


def _ambito(
    ambito: Ambito, result: compute.TotaleAmbito, declared: bool, mark: str, year: int
) -> list[str]:
    out = ["", f"  - numero: {ambito.numero}", f"    titolo: {text(ambito.titolo)}"]
    if ambito.servizi:
        out.append("    servizi:")
        for servizio, figures in zip(ambito.servizi, result.righe, strict=True):
            out += _servizio(servizio, figures, declared, mark, year)
    if ambito.da_definire:
        out.append("    da_definire:")
        for item in ambito.da_definire:
            out.append(f"      - {'codice: ' + item.codice if item.codice else ''}".rstrip())
            head = "        " if item.codice else "      - "
            if item.codice:
                out.append(f"{head}voce: {text(item.voce)}")
            else:
                out[-1] = f"      - voce: {text(item.voce)}"
            if item.aliquota_iva is not None:
                out.append(f"        aliquota_iva: {rate(item.aliquota_iva)}")
            if item.tipo:
                out.append(f"        tipo: {item.tipo}")
    if declared and len(ambito.servizi) > 1:
        out += _dichiarato("    ", (result.imponibile, result.iva, result.totale), mark)
    if ambito.risorse_consorzio is not None:
        out.append("    risorse_consorzio:")
        if declared:
            voci_total = sum((v.importo for v in ambito.risorse_consorzio.voci), Decimal("0.00"))
            out.append(f"      dichiarato_totale: {amount(voci_total)}{mark}")
        out.append("      voci:")
        for voce in ambito.risorse_consorzio.voci:
            out.append(
                f"        - {{voce: {text(voce.voce, flow=True)}, importo: {amount(voce.importo)}}}"
            )
    if ambito.quota_1_percento is not None:
        out.append(f"    quota_1_percento: {amount(ambito.quota_1_percento)}")
    return out
