"""Write a synthetic agreement of any size, in the project's data format.

Every declared figure (each fee line, each ambito, the summary row, the
consortium's closing table and its percentage) is worked out here with the
same rule the program applies, so ``crema-budget --data FILE check`` passes:
VAT on a line's taxable total, rounded to the cent half up
(:func:`crema_budget.money.vat`); the percentage rounded half up to the two
decimals it is written with.

The output is deterministic for a given size and seed. The text is written
directly rather than through ``yaml.dump`` so that large files are quick to make.

Example: python benchmarks/generate.py --ambiti 2000 --servizi 10 --output big.yaml
         python benchmarks/generate.py --ambiti 10 --servizi 5 --registro 100000 -o reg.yaml
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from crema_budget.money import HUNDRED, ZERO, round_half_up, vat

DEFAULT_SEED = 2016

_WORDS = (
    "servizio",
    "sostegno",
    "educativo",
    "territoriale",
    "famiglie",
    "minori",
    "anziani",
    "accoglienza",
    "prossimità",
    "inclusione",
    "lavoro",
    "abitare",
    "comunità",
    "giovani",
    "formazione",
    "coordinamento",
    "assistenza",
    "domiciliare",
    "centro",
    "diurno",
    "rete",
    "progetto",
    "laboratorio",
    "sportello",
    "mediazione",
    "integrazione",
    "trasporto",
)
_MONTHS = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)
_RATES = (Decimal(4), Decimal(22))


def _cents(rng: random.Random, low: int, high: int) -> Decimal:
    """A random amount between ``low`` and ``high`` euros, with cents."""
    return Decimal(rng.randrange(low * 100, high * 100)).scaleb(-2)


def _label(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words))


@dataclass
class _Sums:
    """Running taxable, VAT and total sums."""

    imponibile: Decimal = ZERO
    iva: Decimal = ZERO
    totale: Decimal = ZERO

    def add(self, imponibile: Decimal, iva: Decimal) -> None:
        self.imponibile += imponibile
        self.iva += iva
        self.totale += imponibile + iva


@dataclass
class _Consorzio:
    """The consortium's closing table, filled in ambito by ambito."""

    per_ambito: list[tuple[int, Decimal]] = field(default_factory=list)
    quote: list[tuple[int, Decimal]] = field(default_factory=list)


def _dichiarato(out: list[str], indent: str, sums: _Sums) -> None:
    out.append(f"{indent}dichiarato:")
    out.append(f"{indent}  imponibile: {sums.imponibile}")
    out.append(f"{indent}  iva: {sums.iva}")
    out.append(f"{indent}  totale: {sums.totale}")


def _servizio(out: list[str], rng: random.Random, monthly: bool, codice: str) -> _Sums:
    rate = rng.choice(_RATES)
    out.append(f"      - codice: {codice}")
    out.append(f"        voce: {_label(rng, 3).capitalize()}")
    if monthly:
        canone = _cents(rng, 500, 30000)
        mesi = rng.randint(1, 12)
        imponibile = canone * mesi
        out.append(f"        canone_mensile: {canone}")
        out.append(f"        mensilita: {mesi}")
        out.append(f"        periodo: gennaio–{_MONTHS[mesi - 1]} 2016")
    else:
        imponibile = _cents(rng, 1000, 500000)
        out.append(f"        importo: {imponibile}")
        out.append("        periodo: anno 2016")
    out.append(f"        aliquota_iva: {rate}")
    line = _Sums()
    line.add(imponibile, vat(imponibile, rate))
    _dichiarato(out, "        ", line)
    return line


def codice(ambito: int, servizio: int) -> str:
    """The code of a generated fee line: ``a12-3`` is ambito 12's third line."""
    return f"a{ambito}-{servizio}"


def _ambito(
    out: list[str], rng: random.Random, numero: int, servizi: int, consorzio: _Consorzio
) -> _Sums:
    out.append(f"  - numero: {numero}")
    out.append(f"    titolo: Ambito {numero} {_label(rng, 4)}")
    out.append("    servizi:")
    sums = _Sums()
    for index in range(servizi):
        # The first line is monthly so that ambito 1 can carry the nursery tiers.
        monthly = index == 0 or rng.random() < 0.5
        line = _servizio(out, rng, monthly, codice(numero, index + 1))
        sums.add(line.imponibile, line.iva)
    if numero % 7 == 0:
        out.append("    da_definire:")
        out.append(f"      - voce: {_label(rng, 3).capitalize()}")
        out.append(f"        aliquota_iva: {rng.choice(_RATES)}")
    _dichiarato(out, "    ", sums)
    if numero % 5 != 0:  # most ambiti list the consortium's own resources
        voci = [
            (_label(rng, 4), Decimal(rng.randrange(2, 80) * 50)) for _ in range(rng.randint(2, 6))
        ]
        totale = sum((importo for _, importo in voci), ZERO)
        out.append("    risorse_consorzio:")
        out.append(f"      dichiarato_totale: {totale}")
        out.append("      voci:")
        out.extend(f"        - {{voce: {voce}, importo: {importo}}}" for voce, importo in voci)
        consorzio.per_ambito.append((numero, totale))
    if numero % 3 == 0:
        quota = _cents(rng, 100, 10000)
        out.append(f"    quota_1_percento: {quota}")
        consorzio.quote.append((numero, quota))
    return sums


def _nido(out: list[str], first_line: str) -> None:
    """The nursery tiers on ambito 1's first (monthly) line, full fee at the top."""
    canone = Decimal(first_line.split(": ", 1)[1])
    ridotto = round_half_up(canone * Decimal("0.85"), 2)
    minimo = round_half_up(canone * Decimal("0.72"), 2)
    out.extend(
        [
            "nido:",
            "  ambito: 1",
            "  servizio: 1",
            "  fasce:",
            f"    - {{iscritti_min: 27, canone_mensile: {canone}}}",
            f"    - {{iscritti_min: 21, iscritti_max: 26, canone_mensile: {ridotto}}}",
            f"    - {{iscritti_min: 20, iscritti_max: 20, canone_mensile: {minimo}}}",
            "    - {iscritti_min: 0, iscritti_max: 19, rimodulazione: true}",
            "",
        ]
    )


def generate(ambiti: int, servizi: int, seed: int = DEFAULT_SEED) -> str:
    """The YAML text of an agreement with ``ambiti`` ambiti of ``servizi`` fee lines each."""
    if ambiti < 1 or servizi < 1:
        raise ValueError("an agreement needs at least one ambito with one fee line")
    rng = random.Random(seed)
    out = [
        f"# Synthetic agreement: {ambiti} ambiti × {servizi} fee lines, seed {seed}.",
        "# Written by benchmarks/generate.py; every declared figure is consistent.",
        "",
        "documento:",
        f"  titolo: Scheda di negoziazione sintetica ({ambiti} ambiti)",
        "  comune: Comune di Prova",
        "  consorzio: Consorzio di Prova",
        "  anno: 2016",
        "",
        "ambiti:",
    ]
    grand = _Sums()
    consorzio = _Consorzio()
    first_canone = ""
    for numero in range(1, ambiti + 1):
        start = len(out)
        sums = _ambito(out, rng, numero, servizi, consorzio)
        grand.add(sums.imponibile, sums.iva)
        if numero == 1:
            first_canone = next(line for line in out[start:] if "canone_mensile:" in line)
    out.append("")
    _nido(out, first_canone)

    totale_risorse = sum((importo for _, importo in consorzio.per_ambito), ZERO)
    totale_quote = sum((quota for _, quota in consorzio.quote), ZERO)
    totale = totale_risorse + totale_quote
    percentuale = round_half_up(totale * HUNDRED / grand.imponibile, 2)
    out.extend(
        [
            "sintesi:",
            "  dichiarato:",
            f"    imponibile: {grand.imponibile}",
            f"    iva: {grand.iva}",
            f"    totale: {grand.totale}",
            "",
            "risorse_consorzio:",
            "  dichiarato:",
        ]
    )
    out.append("    per_ambito:" if consorzio.per_ambito else "    per_ambito: {}")
    out.extend(f"      {numero}: {importo}" for numero, importo in consorzio.per_ambito)
    out.append("    quote_1_percento:" if consorzio.quote else "    quote_1_percento: {}")
    out.extend(f"      {numero}: {quota}" for numero, quota in consorzio.quote)
    out.extend(
        [
            f"    totale_risorse: {totale_risorse}",
            f"    totale_quote: {totale_quote}",
            f"    totale: {totale}",
            f"    percentuale: {percentuale}",
            "",
        ]
    )
    return "\n".join(out)


def registro(ambiti: int, servizi: int, fatture: int, seed: int = DEFAULT_SEED) -> str:
    """A register of ``fatture`` invoices for the agreement :func:`generate` writes with
    the same ``ambiti`` and ``servizi``: invoices spread over its fee lines and months,
    most of them paid, and the nursery's enrolment for every month. Figures are
    plausible, not checked: a monitoring of it finds anomalies, as real ones do."""
    if fatture < 1:
        raise ValueError("a register needs at least one invoice")
    rng = random.Random(seed)
    out = [
        f"# Synthetic register: {fatture} invoices over {ambiti} ambiti × {servizi} fee lines.",
        "# Written by benchmarks/generate.py.",
        "",
        "iscritti_nido:",
        *(f"  2016-{month:02d}: {rng.randint(18, 30)}" for month in range(1, 13)),
        "",
        "fatture:",
    ]
    for number in range(1, fatture + 1):
        month = rng.randint(1, 12)
        rate = rng.choice(_RATES)
        imponibile = _cents(rng, 100, 30000)
        issued = f"2016-{month:02d}-{rng.randint(1, 28):02d}"
        line = (
            f"  - {{numero: FT {number}/2016, data: {issued}, servizio: "
            f"{codice(rng.randint(1, ambiti), rng.randint(1, servizi))}, "
            f"competenza: 2016-{month:02d}, imponibile: {imponibile}, "
            f"aliquota_iva: {rate}, iva: {vat(imponibile, rate)}"
        )
        if rng.random() < 0.8:
            line += f", pagata: 2016-{month:02d}-28"
        out.append(line + "}")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic agreement whose declared figures all check.",
        epilog="Example: python benchmarks/generate.py --ambiti 2000 --servizi 10 -o big.yaml",
    )
    parser.add_argument(
        "--ambiti", type=int, required=True, metavar="N", help="number of ambiti (service areas)"
    )
    parser.add_argument(
        "--servizi", type=int, required=True, metavar="M", help="fee lines per ambito"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--output", "-o", type=Path, metavar="PATH", help="file to write (default: standard output)"
    )
    parser.add_argument(
        "--registro",
        type=int,
        metavar="N",
        help="write a register of N invoices for that agreement instead",
    )
    args = parser.parse_args(argv)
    if args.ambiti < 1 or args.servizi < 1:
        parser.error("--ambiti and --servizi must be at least 1")
    if args.registro is not None and args.registro < 1:
        parser.error("--registro must be at least 1")
    if args.registro is not None:
        text = registro(args.ambiti, args.servizi, args.registro, args.seed)
    else:
        text = generate(args.ambiti, args.servizi, args.seed)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
