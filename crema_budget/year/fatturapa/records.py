"""An e-invoice as records: its lines, VAT summaries and professional funds' contributions,
the invoice itself; and the error that lists every problem of a file that cannot be read.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from crema_budget.money import ZERO


class RigaFattura(NamedTuple):
    """One line of an invoice (DettaglioLinee)."""

    numero_linea: int
    descrizione: str
    #: DataInizioPeriodo and DataFinePeriodo: the period a service line covers.
    data_inizio: date | None
    data_fine: date | None
    quantita: Decimal | None
    prezzo_unitario: Decimal
    #: The line's taxable amount (PrezzoTotale), as written.
    prezzo_totale: Decimal
    #: Percent, as written: ``Decimal("4.00")``.
    aliquota_iva: Decimal
    #: Why a line at 0% bears no VAT (N1 … N7), if it says.
    natura: str | None


class Riepilogo(NamedTuple):
    """The VAT summary for one rate (DatiRiepilogo)."""

    aliquota_iva: Decimal
    #: ImponibileImporto: the taxable total at this rate.
    imponibile: Decimal
    imposta: Decimal
    #: I (immediate), D (deferred) or S (scissione dei pagamenti: split payment, the
    #: public body pays the VAT to the State instead of to the supplier).
    esigibilita_iva: str | None
    #: Why the rate is 0% (N1 … N7), if it says.
    natura: str | None = None
    #: Arrotondamento: a rounding the supplier declares, part of ImponibileImporto.
    arrotondamento: Decimal | None = None


class Cassa(NamedTuple):
    """A professional fund's contribution (DatiCassaPrevidenziale): taxable at its rate,
    and so part of that rate's ImponibileImporto."""

    aliquota_iva: Decimal
    importo: Decimal


class FatturaElettronica(NamedTuple):
    """One invoice: one FatturaElettronicaBody of a FatturaPA file, with its header's parties."""

    #: The path or name the file was given as.
    file: str
    #: Which body of the file, from 1: one file may hold several invoices.
    indice: int
    #: TD01 (invoice), TD04 (credit note), … as written.
    tipo_documento: str
    numero: str
    data: date
    #: The supplier (CedentePrestatore): Denominazione, or Nome and Cognome.
    cedente: str
    #: The supplier's IdFiscaleIVA/IdCodice: for an Italian supplier the 11-digit
    #: partita IVA, without the country code.
    cedente_partita_iva: str | None
    #: The customer (CessionarioCommittente): Denominazione, or Nome and Cognome.
    cessionario: str
    #: Every CodiceCIG (tender code) in DatiOrdineAcquisto, DatiContratto, DatiConvenzione,
    #: DatiRicezione and DatiFattureCollegate, in document order, each once.
    cig: tuple[str, ...]
    righe: tuple[RigaFattura, ...]
    riepiloghi: tuple[Riepilogo, ...]
    #: ImportoTotaleDocumento, if the invoice states it (taxable amount plus VAT).
    importo_totale: Decimal | None
    #: True when the file was a signed .p7m envelope. The signature is **not verified**
    #: (the lists of trusted certificates are not available offline): this says only
    #: how the invoice arrived, not that the signature is valid.
    firmata: bool
    #: The version of the format: "1.1" or "1.2", from the file's namespace.
    versione: str = "1.2"
    #: The professional funds' contributions (DatiCassaPrevidenziale), if any.
    casse: tuple[Cassa, ...] = ()

    @property
    def imponibile(self) -> Decimal:
        """The taxable total: the sum of the summaries' ImponibileImporto."""
        return sum((riepilogo.imponibile for riepilogo in self.riepiloghi), ZERO)

    @property
    def iva(self) -> Decimal:
        """The VAT: the sum of the summaries' Imposta."""
        return sum((riepilogo.imposta for riepilogo in self.riepiloghi), ZERO)

    @property
    def split_payment(self) -> bool:
        """Whether any VAT is under split payment (EsigibilitaIVA S)."""
        return any(riepilogo.esigibilita_iva == "S" for riepilogo in self.riepiloghi)


class EInvoiceProblem(NamedTuple):
    """One thing wrong in an e-invoice file."""

    #: The line of the file (from 1) where it is; 0 when it is about the file as a whole.
    line: int
    message: str


class EInvoiceError(Exception):
    """A file that cannot be read as a FatturaPA invoice, with every problem found in it.

    ``str(error)`` is one line per problem, ``FILE:LINE: message`` (``FILE: message`` when
    the problem is about the whole file).
    """

    def __init__(self, file: str, problems: Sequence[EInvoiceProblem]) -> None:
        super().__init__(file, tuple(problems))
        self.file = file
        self.problems = tuple(problems)

    @property
    def message(self) -> str:
        """What is wrong, for a person: the problems' messages, one per line."""
        return "\n".join(problem.message for problem in self.problems)

    def __str__(self) -> str:
        return "\n".join(
            f"{self.file}:{problem.line}: {problem.message}"
            if problem.line
            else f"{self.file}: {problem.message}"
            for problem in self.problems
        )


class Refused(Exception):
    """A problem that ends the reading of a file; becomes an EInvoiceError with its name."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message, line)
        self.message = message
        self.line = line
