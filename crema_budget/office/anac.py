"""The dataset of art. 1, comma 32 of Law 190/2012 that the Comune published by 31
January for the year before and announced to ANAC: one ``lotto`` per contract (CIG,
proposing body, object, procedure, participants, awardee, amount awarded, dates, sums
paid), in the XML of ANAC's technical specification in force for that year.

Each version of the schema (``datasetAppaltiL190.xsd`` and ``TypesL190.xsd``) names
its elements and its procedures (``sceltaContraente``) its own way: version 1.0 (the
years to 2018) writes ``dataPubbicazioneDataset``, as its schema spells it, and its
labels of procedures differ from those of 1.2 (2019 and 2020) and 1.3 (2021–2023). From
2024 the obligation is gone: art. 28, comma 3 of the procurement code (d.lgs. 36/2023)
repealed it, and the data go to ANAC's national database instead.

The XML is written with the standard library, and every text is escaped by it.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.money import ZERO
from crema_budget.office.invoices import documents
from crema_budget.year.records import Affidamento, Registro

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica

NAMESPACE = "legge190_1_0"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: The first year for which no dataset is due (d.lgs. 36/2023, art. 28, comma 3).
LAST_YEAR = 2023
#: The largest amount the schema's ImportoType allows.
MAX_AMOUNT = Decimal("999999999999.99")

_COMMON = {
    "01": "PROCEDURA APERTA",
    "02": "PROCEDURA RISTRETTA",
    "05": "DIALOGO COMPETITIVO",
    "07": "SISTEMA DINAMICO DI ACQUISIZIONE",
    "08": "AFFIDAMENTO IN ECONOMIA - COTTIMO FIDUCIARIO",
    "14": "PROCEDURA SELETTIVA EX ART 238 C.7, D.LGS. 163/2006",
    "21": "PROCEDURA RISTRETTA DERIVANTE DA AVVISI CON CUI SI INDICE LA GARA",
    "24": "AFFIDAMENTO DIRETTO A SOCIETA' IN HOUSE",
    "26": "AFFIDAMENTO DIRETTO IN ADESIONE AD ACCORDO QUADRO/CONVENZIONE",
    "27": "CONFRONTO COMPETITIVO IN ADESIONE AD ACCORDO QUADRO/CONVENZIONE",
    "28": "PROCEDURA AI SENSI DEI REGOLAMENTI DEGLI ORGANI COSTITUZIONALI",
}
_V10 = {
    **_COMMON,
    "03": "PROCEDURA NEGOZIATA PREVIA PUBBLICAZIONE DEL BANDO",
    "04": "PROCEDURA NEGOZIATA SENZA PREVIA PUBBLICAZIONE DEL BANDO",
    # Two spaces before GARA, as the schema of 2016 writes it.
    "06": "PROCEDURA NEGOZIATA SENZA PREVIA INDIZIONE DI  GARA ART. 221 D.LGS. 163/2006",
    "17": "AFFIDAMENTO DIRETTO EX ART. 5 DELLA LEGGE N.381/91",
    "22": "PROCEDURA NEGOZIATA DERIVANTE DA AVVISI CON CUI SI INDICE LA GARA",
    "23": "AFFIDAMENTO IN ECONOMIA - AFFIDAMENTO DIRETTO",
    "25": "AFFIDAMENTO DIRETTO A SOCIETA' RAGGRUPPATE/CONSORZIATE O CONTROLLATE NELLE "
    "CONCESSIONI DI LL.PP",
}
_V12 = {
    **_COMMON,
    "03": "PROCEDURA NEGOZIATA PREVIA PUBBLICAZIONE",
    "04": "PROCEDURA NEGOZIATA SENZA PREVIA PUBBLICAZIONE",
    "06": "PROCEDURA NEGOZIATA SENZA PREVIA INDIZIONE DI GARA (SETTORI SPECIALI)",
    "17": "AFFIDAMENTO DIRETTO EX ART. 5 DELLA LEGGE 381/91",
    "22": "PROCEDURA NEGOZIATA CON PREVIA INDIZIONE DI GARA (SETTORI SPECIALI)",
    "23": "AFFIDAMENTO DIRETTO",
    "25": "AFFIDAMENTO DIRETTO A SOCIETA' RAGGRUPPATE/CONSORZIATE O CONTROLLATE NELLE "
    "CONCESSIONI E NEI PARTENARIATI",
    "29": "PROCEDURA RISTRETTA SEMPLIFICATA",
    "30": "PROCEDURA DERIVANTE DA LEGGE REGIONALE",
    "31": "AFFIDAMENTO DIRETTO PER VARIANTE SUPERIORE AL 20% DELL'IMPORTO CONTRATTUALE",
    "32": "AFFIDAMENTO RISERVATO",
    "33": "PROCEDURA NEGOZIATA PER AFFIDAMENTI SOTTO SOGLIA",
    "34": "PROCEDURA ART.16 COMMA 2-BIS DPR 380/2001 PER OPERE URBANIZZAZIONE A SCOMPUTO "
    "PRIMARIE SOTTO SOGLIA COMUNITARIA",
    "35": "PARTERNARIATO PER L\u2019INNOVAZIONE",  # sic, with a typographic apostrophe
    "36": "AFFIDAMENTO DIRETTO PER LAVORI, SERVIZI O FORNITURE SUPPLEMENTARI",
    "37": "PROCEDURA COMPETITIVA CON NEGOZIAZIONE",
    "38": "PROCEDURA DISCIPLINATA DA REGOLAMENTO INTERNO PER SETTORI SPECIALI",
}
_V13 = {
    **_V12,
    "39": "AFFIDAMENTO DIRETTO PER MODIFICHE CONTRATTUALI O VARIANTI PER LE QUALI \u00c8 "
    "NECESSARIA UNA NUOVA PROCEDURA DI AFFIDAMENTO",
}


class Versione(NamedTuple):
    """One version of ANAC's schema: what changes between them."""

    numero: str
    #: The metadata's publication date, as the version's schema spells it.
    data_pubblicazione: str
    procedure: dict[str, str]


VERSIONS = (
    Versione("1.0", "dataPubbicazioneDataset", _V10),
    Versione("1.2", "dataPubblicazioneDataset", _V12),
    Versione("1.3", "dataPubblicazioneDataset", _V13),
)


def version_for(anno: int) -> Versione:
    """The schema in force for the dataset of ``anno`` (no dataset after 2023)."""
    if anno > LAST_YEAR:
        raise ValueError(anno)
    if anno <= 2018:
        return VERSIONS[0]
    return VERSIONS[1] if anno <= 2020 else VERSIONS[2]


class Lotto(NamedTuple):
    """One contract of the dataset, with its amounts to the cent."""

    affidamento: Affidamento
    procedura: str  # the code and label, as the version lists it: "23-AFFIDAMENTO DIRETTO"
    importo_aggiudicazione: Decimal  # taxable, as amended at the year's end
    importo_liquidato: Decimal  # paid in the year, VAT excluded


class Dataset(NamedTuple):
    anno: int
    versione: Versione
    lotti: tuple[Lotto, ...]
    #: The dataset's first publication (``dataPubblicazioneDataset``).
    pubblicato: date
    url: str
    #: Its last update (``dataUltimoAggiornamentoDataset``): the publication's own day
    #: unless the office republishes the year's dataset corrected.
    aggiornato: date | None = None


def sums_paid(registro: Registro, letti: "Sequence[FatturaElettronica]", anno: int) -> Decimal:
    """What the invoices paid in ``anno`` add up to, VAT excluded."""
    return sum(
        (
            d.imponibile
            for d in documents(registro, letti)
            if d.pagata is not None and d.pagata.year == anno
        ),
        ZERO,
    )


def dataset(
    affidamento: Affidamento,
    anno: int,
    aggiudicato: Decimal,
    liquidato: Decimal,
    pubblicato: date,
    url: str,
    aggiornato: date | None = None,
) -> Dataset:
    """The dataset of ``anno`` for one contract. Raises KeyError when the procedure's
    code is not in the year's list (the caller says so, at the register's line)."""
    versione = version_for(anno)
    code = affidamento.scelta_contraente
    label = f"{code}-{versione.procedure[code]}"
    return Dataset(
        anno,
        versione,
        (Lotto(affidamento, label, aggiudicato, liquidato),),
        pubblicato,
        url,
        aggiornato,
    )


def xml(d: Dataset) -> bytes:
    """The ``legge190:pubblicazione`` document, UTF-8, with its declaration."""
    import xml.etree.ElementTree as ET

    root = ET.Element(
        f"{{{NAMESPACE}}}pubblicazione",
        {f"{{{_XSI}}}schemaLocation": f"{NAMESPACE} datasetAppaltiL190.xsd"},
    )

    def add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
        child = ET.SubElement(parent, tag)
        if text is not None:
            child.text = text
        return child

    ente = d.lotti[0].affidamento.ente
    metadata = add(root, "metadata")
    add(metadata, "titolo", f"Pubblicazione 1 legge 190 anno {d.anno}")
    add(metadata, "abstract", f"Dati dei contratti dell'anno {d.anno} - {ente.denominazione}")
    add(metadata, d.versione.data_pubblicazione, d.pubblicato.isoformat())
    add(metadata, "entePubblicatore", ente.denominazione)
    add(metadata, "dataUltimoAggiornamentoDataset", (d.aggiornato or d.pubblicato).isoformat())
    add(metadata, "annoRiferimento", str(d.anno))
    add(metadata, "urlFile", d.url)
    add(metadata, "licenza", "IODL")
    data = add(root, "data")
    for lotto in d.lotti:
        a = lotto.affidamento
        element = add(data, "lotto")
        add(element, "cig", a.cig)
        proponente = add(element, "strutturaProponente")
        add(proponente, "codiceFiscaleProp", a.ente.codice_fiscale)
        add(proponente, "denominazione", a.ente.denominazione)
        add(element, "oggetto", a.oggetto)
        add(element, "sceltaContraente", lotto.procedura)
        for group, tag in (("partecipanti", "partecipante"), ("aggiudicatari", "aggiudicatario")):
            party = add(add(element, group), tag)
            add(party, "codiceFiscale", a.aggiudicatario.codice_fiscale)
            add(party, "ragioneSociale", a.aggiudicatario.denominazione)
        add(element, "importoAggiudicazione", _amount(lotto.importo_aggiudicazione))
        times = add(element, "tempiCompletamento")
        add(times, "dataInizio", a.inizio.isoformat())
        add(times, "dataUltimazione", a.fine.isoformat())
        add(element, "importoSommeLiquidate", _amount(lotto.importo_liquidato))
    ET.register_namespace("legge190", NAMESPACE)
    ET.register_namespace("xsi", _XSI)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _amount(value: Decimal) -> str:
    """Two decimals and a dot, as the schema's ImportoType writes an amount."""
    return f"{value:.2f}"
