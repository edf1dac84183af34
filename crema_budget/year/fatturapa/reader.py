"""One parsed FatturaPA document into records: the parties, each body's document data,
CIG codes, lines, VAT summaries and professional funds' contributions, collecting every
problem with the element it is about, and then the line of the file it is on."""

import xml.etree.ElementTree as ElementTree
from datetime import date

from crema_budget.i18n import _, ngettext
from crema_budget.money import ZERO
from crema_budget.year.fatturapa.records import (
    Cassa,
    EInvoiceProblem,
    FatturaElettronica,
    Refused,
    Riepilogo,
    RigaFattura,
)
from crema_budget.year.fatturapa.values import (
    Read,
    as_amount2,
    as_amount8,
    as_day,
    as_esigibilita,
    as_line_number,
    as_quantity,
    as_rate,
    as_text,
    as_words,
    value_problem,
)
from crema_budget.year.fatturapa.xml import (
    ROOTS,
    VERSIONS,
    local,
    source_lines,
    unqualify,
    wrong_root,
)

#: Most problems listed for one file; a closing line counts the others.
MAX_PROBLEMS = 20

# The blocks of DatiGenerali that may carry a CodiceCIG.
_CIG_BLOCKS = frozenset(
    {
        "DatiOrdineAcquisto",
        "DatiContratto",
        "DatiConvenzione",
        "DatiRicezione",
        "DatiFattureCollegate",
    }
)

# The fields of a block the fast path reads: tag, reader, whether required.
_Fields = tuple[tuple[str, Read, bool], ...]
_DOCUMENT_FIELDS: _Fields = (
    ("TipoDocumento", as_text, True),
    ("Data", as_day, True),
    ("Numero", as_text, True),
    ("ImportoTotaleDocumento", as_amount2, False),
)
_LINE_FIELDS: _Fields = (
    ("NumeroLinea", as_line_number, True),
    ("Descrizione", as_words, True),
    ("Quantita", as_quantity, False),
    ("DataInizioPeriodo", as_day, False),
    ("DataFinePeriodo", as_day, False),
    ("PrezzoUnitario", as_amount8, True),
    ("PrezzoTotale", as_amount8, True),
    ("AliquotaIVA", as_rate, True),
)
_SUMMARY_FIELDS: _Fields = (
    ("AliquotaIVA", as_rate, True),
    ("Arrotondamento", as_amount8, False),
    ("ImponibileImporto", as_amount2, True),
    ("Imposta", as_amount2, True),
    ("EsigibilitaIVA", as_esigibilita, False),
)
_FUND_FIELDS: _Fields = (
    ("AliquotaIVA", as_rate, True),
    ("ImportoContributoCassa", as_amount2, True),
)

# Where a value is, for messages: nothing more than its element, or an invoice line or
# a VAT summary with its number.
_Where = tuple[str, int]
_DOCUMENT: _Where = ("", 0)
_LINE = "line"
_SUMMARY = "summary"
_FUND = "fund"
# Stand for what could not be read; never returned (the file is refused).
_UNREAD_DATE = date(1970, 1, 1)
_UNREAD_LINE = RigaFattura(0, "", None, None, None, ZERO, ZERO, ZERO, None)
_UNREAD_SUMMARY = Riepilogo(ZERO, ZERO, ZERO, None)


#: A record made from a tuple of its fields: what calling the NamedTuple does, without the
#: keyword handling its generated ``__new__`` goes through (the reader makes hundreds of
#: thousands of them for a year's folder).
_new = tuple.__new__


def _label(element: str, where: _Where) -> str:
    """How a message names an element: ``PrezzoTotale (line 3)``."""
    kind, number = where
    if kind == _LINE:
        return _("{element} (line {number})").format(element=element, number=number)
    if kind == _SUMMARY:
        return _("{element} (summary {number})").format(element=element, number=number)
    if kind == _FUND:
        return _("{element} (fund contribution {number})").format(element=element, number=number)
    return element


class Reader:
    """Turns one parsed FatturaPA document into records, collecting every problem."""

    def __init__(self, xml: bytes, root: ElementTree.Element, file: str, firmata: bool) -> None:
        self.xml = xml
        self.root = root
        self.file = file
        self.firmata = firmata
        self.versione = ""
        #: Each problem with the element it is about, for its line in the file.
        self.problems: list[tuple[ElementTree.Element, str]] = []

    def read(self) -> tuple[FatturaElettronica, ...]:
        """One record per body; problems go to ``self.problems``."""
        root = self.root
        namespace = ROOTS.get(root.tag)
        if namespace is None:
            raise Refused(wrong_root(root))
        self.versione = VERSIONS[namespace]
        header = root.find("FatturaElettronicaHeader")
        if header is None and root.find(f"{{{namespace}}}FatturaElettronicaHeader") is not None:
            unqualify(root)
            header = root.find("FatturaElettronicaHeader")
        bodies = root.findall("FatturaElettronicaBody")
        if header is None:
            self.missing(root, "FatturaElettronicaHeader", "FatturaElettronica")
        if not bodies:
            self.missing(root, "FatturaElettronicaBody", "FatturaElettronica")
        if header is None:
            return ()
        cedente, partita_iva = self.party(header, "CedentePrestatore")
        cessionario, _unused = self.party(header, "CessionarioCommittente")
        return tuple(
            [
                self.body(body, indice, cedente, partita_iva, cessionario)
                for indice, body in enumerate(bodies, start=1)
            ]
        )

    def party(self, header: ElementTree.Element, tag: str) -> tuple[str, str | None]:
        """The name and VAT number of CedentePrestatore or CessionarioCommittente."""
        party = self.child(header, tag, "FatturaElettronicaHeader")
        if party is None:
            return "", None
        anagrafici = self.child(party, "DatiAnagrafici", tag)
        if anagrafici is None:
            return "", None
        fiscale = anagrafici.find("IdFiscaleIVA")
        codice = as_text(fiscale.findtext("IdCodice")) if fiscale is not None else None
        anagrafica = anagrafici.find("Anagrafica")
        if anagrafica is None:
            self.missing(anagrafici, "Anagrafica", f"{tag}/DatiAnagrafici")
            return "", codice
        name = as_text(anagrafica.findtext("Denominazione"))
        if name is None:
            nome = as_text(anagrafica.findtext("Nome"))
            cognome = as_text(anagrafica.findtext("Cognome"))
            if nome and cognome:
                return f"{nome} {cognome}", codice
            self.problem(
                anagrafica,
                _("missing <Denominazione>, or <Nome> and <Cognome>, in {parent}").format(
                    parent=f"{tag}/DatiAnagrafici/Anagrafica"
                ),
            )
        return name or "", codice

    def body(
        self,
        body: ElementTree.Element,
        indice: int,
        cedente: str,
        partita_iva: str | None,
        cessionario: str,
    ) -> FatturaElettronica:
        """The invoice in one FatturaElettronicaBody."""
        tipo = numero = None
        data = totale = None
        cig: tuple[str, ...] = ()
        casse: tuple[Cassa, ...] = ()
        generali = self.child(body, "DatiGenerali", "FatturaElettronicaBody")
        if generali is not None:
            cig = self.cig(generali)
            documento = self.child(generali, "DatiGeneraliDocumento", "DatiGenerali")
            if documento is not None:
                find = documento.findtext
                tipo = as_text(find("TipoDocumento"))
                data = as_day(find("Data"))
                numero = as_text(find("Numero"))
                totale_text = find("ImportoTotaleDocumento")
                totale = as_amount2(totale_text)
                if None in (tipo, data, numero) or (totale is None and totale_text is not None):
                    self.diagnose(documento, _DOCUMENT_FIELDS, _DOCUMENT)
                funds = documento.findall("DatiCassaPrevidenziale")
                if funds:
                    casse = tuple(
                        [self.cassa(fund, position) for position, fund in enumerate(funds, start=1)]
                    )
        righe: tuple[RigaFattura, ...] = ()
        riepiloghi: tuple[Riepilogo, ...] = ()
        beni = self.child(body, "DatiBeniServizi", "FatturaElettronicaBody")
        if beni is not None:
            riga, riepilogo = self.riga, self.riepilogo
            righe = tuple(
                [
                    riga(line, position)
                    for position, line in enumerate(beni.findall("DettaglioLinee"), start=1)
                ]
            )
            riepiloghi = tuple(
                [
                    riepilogo(summary, position)
                    for position, summary in enumerate(beni.findall("DatiRiepilogo"), start=1)
                ]
            )
        return _new(
            FatturaElettronica,
            (
                self.file,
                indice,
                tipo or "",
                numero or "",
                data or _UNREAD_DATE,
                cedente,
                partita_iva,
                cessionario,
                cig,
                righe,
                riepiloghi,
                totale,
                self.firmata,
                self.versione,
                casse,
            ),
        )

    def cig(self, generali: ElementTree.Element) -> tuple[str, ...]:
        """Every CodiceCIG of the blocks that may have one, each once, in document order."""
        codes: list[str] = []
        for block in generali:
            if block.tag in _CIG_BLOCKS:
                code = as_text(block.findtext("CodiceCIG"))
                if code and code not in codes:
                    codes.append(code)
        return tuple(codes)

    def riga(self, line: ElementTree.Element, position: int) -> RigaFattura:
        """One DettaglioLinee; ``position`` names it when its NumeroLinea is unreadable."""
        find = line.findtext
        numero = as_line_number(find("NumeroLinea"))
        descrizione = as_words(find("Descrizione"))
        quantita_text = find("Quantita")
        inizio_text = find("DataInizioPeriodo")
        fine_text = find("DataFinePeriodo")
        quantita = as_quantity(quantita_text)
        inizio = as_day(inizio_text)
        fine = as_day(fine_text)
        unitario = as_amount8(find("PrezzoUnitario"))
        totale = as_amount8(find("PrezzoTotale"))
        aliquota = as_rate(find("AliquotaIVA"))
        if (
            numero is None
            or descrizione is None
            or unitario is None
            or totale is None
            or aliquota is None
            or (quantita is None and quantita_text is not None)
            or (inizio is None and inizio_text is not None)
            or (fine is None and fine_text is not None)
        ):
            self.diagnose(line, _LINE_FIELDS, (_LINE, numero or position))
            return _UNREAD_LINE
        natura = as_text(find("Natura"))
        return _new(
            RigaFattura,
            (numero, descrizione, inizio, fine, quantita, unitario, totale, aliquota, natura),
        )

    def cassa(self, fund: ElementTree.Element, position: int) -> Cassa:
        """One DatiCassaPrevidenziale: its rate and contribution."""
        aliquota = as_rate(fund.findtext("AliquotaIVA"))
        importo = as_amount2(fund.findtext("ImportoContributoCassa"))
        if aliquota is None or importo is None:
            self.diagnose(fund, _FUND_FIELDS, (_FUND, position))
            return Cassa(ZERO, ZERO)
        return Cassa(aliquota, importo)

    def riepilogo(self, summary: ElementTree.Element, position: int) -> Riepilogo:
        """One DatiRiepilogo."""
        find = summary.findtext
        aliquota = as_rate(find("AliquotaIVA"))
        imponibile = as_amount2(find("ImponibileImporto"))
        imposta = as_amount2(find("Imposta"))
        esigibilita_text = find("EsigibilitaIVA")
        esigibilita = as_esigibilita(esigibilita_text)
        rounding_text = find("Arrotondamento")
        rounding = as_amount8(rounding_text)
        if (
            aliquota is None
            or imponibile is None
            or imposta is None
            or (esigibilita is None and esigibilita_text is not None)
            or (rounding is None and rounding_text is not None)
        ):
            self.diagnose(summary, _SUMMARY_FIELDS, (_SUMMARY, position))
            return _UNREAD_SUMMARY
        natura = as_text(find("Natura"))
        return _new(Riepilogo, (aliquota, imponibile, imposta, esigibilita, natura, rounding))

    # Problems ------------------------------------------------------------------------------

    def child(
        self, parent: ElementTree.Element, tag: str, parent_label: str
    ) -> ElementTree.Element | None:
        """The required child ``tag`` of ``parent``, or None and a problem."""
        found = parent.find(tag)
        if found is None:
            self.missing(parent, tag, parent_label)
        return found

    def diagnose(self, block: ElementTree.Element, fields: _Fields, where: _Where) -> None:
        """Say what is wrong with each field of ``block`` that the fast path could not read."""
        for tag, read, required in fields:
            element = block.find(tag)
            if element is None:
                if required:
                    self.missing(block, tag, _label(local(block.tag), where))
                continue
            text = element.text or ""
            if read(text) is not None:
                continue
            if read in (as_text, as_words):
                message = _("<{element}> in {parent} is empty").format(
                    element=tag, parent=_label(local(block.tag), where)
                )
            else:
                message = value_problem(read, text, _label(tag, where))
            self.problem(element, message)

    def problem(self, element: ElementTree.Element, message: str) -> None:
        self.problems.append((element, message))

    def missing(self, parent: ElementTree.Element, tag: str, parent_label: str) -> None:
        self.problem(
            parent, _("missing <{element}> in {parent}").format(element=tag, parent=parent_label)
        )

    def located_problems(self) -> list[EInvoiceProblem]:
        """The first MAX_PROBLEMS problems (they are found in the file's order) with the
        lines they are on, and a closing count of the others."""
        shown = self.problems[:MAX_PROBLEMS]
        lines = source_lines(self.xml, self.root, [element for element, _m in shown])
        located = [EInvoiceProblem(lines.get(id(element), 0), m) for element, m in shown]
        located.sort(key=lambda problem: problem.line)
        others = len(self.problems) - len(shown)
        if others:
            message = ngettext(
                "… and {count} more problem in this file",
                "… and {count} more problems in this file",
                others,
            )
            located.append(EInvoiceProblem(0, message.format(count=others)))
        return located
