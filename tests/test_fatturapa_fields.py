"""An e-invoice's fields one by one: values as the FatturaPA schema writes them (line
numbers and VAT due-date codes with the spaces XML leaves around them), what a message says
of a value that is refused (the value quoted without its spaces, the number it seems to
mean written as FatturaPA wants, and no suggestion the schema would refuse as well), the
elements a document, a line, a VAT summary and a fund contribution require and those they
may leave out, and how many problems of a file are listed.

The readers are called directly, the natural unit (test_fatturapa.py reads whole files
made by benchmarks/einvoice.py; the document here is written out in full); messages are
asserted in English, word for word as the catalog's source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crema_budget.year.fatturapa.files import read_einvoice
from crema_budget.year.fatturapa.records import Cassa, EInvoiceError, Riepilogo, RigaFattura
from crema_budget.year.fatturapa.values import (
    Read,
    as_amount2,
    as_amount8,
    as_day,
    as_esigibilita,
    as_line_number,
    as_quantity,
    as_rate,
    value_problem,
)

D = Decimal


#: Messages compared in the English they are written in (conftest.py).
pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (None, None),  # the element is absent
        ("3", 3),
        (" 3\n", 3),  # the spaces XML Schema collapses around a number
        ("0003", 3),
        ("9999", 9999),
        ("0", None),  # lines are numbered from 1
        ("10000", None),
        ("3.0", None),
    ],
)
def test_a_line_number(text: str | None, number: int | None) -> None:
    assert as_line_number(text) == number


@pytest.mark.parametrize(
    ("text", "code"),
    [(None, None), ("S", "S"), (" S\n", "S"), ("I", "I"), ("D", "D"), ("X", None), ("", None)],
)
def test_a_vat_due_date_code(text: str | None, code: str | None) -> None:
    assert as_esigibilita(text) == code


def test_a_refused_line_number_says_how_lines_are_numbered() -> None:
    assert value_problem(as_line_number, "0", "NumeroLinea") == (
        "'0' in NumeroLinea is not a line number: FatturaPA numbers lines from 1 to 9999"
    )


@pytest.mark.parametrize(
    ("read", "text", "message"),
    [
        # Italian figures, with the spaces around them left out of the quote.
        (as_amount2, "  12,50 ", "'12,50' in E is not an amount: FatturaPA writes 12.50"),
        (as_amount2, "1.234,50", "'1.234,50' in E is not an amount: FatturaPA writes 1234.50"),
        # Three decimals are not an Amount2DecimalType, nor is any way of writing them:
        # no suggestion, what the type takes.
        (
            as_amount2,
            "12,345",
            "'12,345' in E is not an amount: FatturaPA writes euros with a dot and two "
            "decimals, like 1234.50",
        ),
        (
            as_amount8,
            "abc",
            "'abc' in E is not an amount: FatturaPA writes euros with a dot and two to "
            "eight decimals, like 1234.50",
        ),
        # Leading zeros: a figure of 40 characters is still read for a suggestion…
        (as_amount2, "0" * 35 + "12,50", f"'{'0' * 35}12,50' in E is not an amount: "
         "FatturaPA writes 12.50"),
        # …one of 41 is not.
        (as_amount2, "0" * 36 + "12,50", f"'{'0' * 35}012,5…' in E is not an amount: "
         "FatturaPA writes euros with a dot and two decimals, like 1234.50"),
    ],
)  # fmt: skip
def test_what_a_refused_amount_is_told(read: Read, text: str, message: str) -> None:
    assert value_problem(read, text, "E") == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("22", "'22' in E is not a VAT rate: FatturaPA writes 22.00"),
        ("100", "'100' in E is not a VAT rate: FatturaPA writes 100.00"),  # the highest
        # 150.00 is written as a rate is, but no rate is over 100: no suggestion.
        (
            "150",
            "'150' in E is not a VAT rate: FatturaPA writes a percentage from 0.00 to "
            "100.00 with two decimals, like 22.00",
        ),
    ],
)
def test_what_a_refused_rate_is_told(text: str, message: str) -> None:
    assert value_problem(as_rate, text, "E") == message


# --- the elements a document requires ----------------------------------------------------------

#: Each block of the document with its elements, every optional one left out
#: (ImportoTotaleDocumento, Quantita, the period, Arrotondamento, EsigibilitaIVA).
BLOCKS = {
    "DatiGeneraliDocumento": [
        ("TipoDocumento", "TD01"),
        ("Divisa", "EUR"),
        ("Data", "2016-01-31"),
        ("Numero", "1/2016"),
    ],
    "DatiCassaPrevidenziale": [
        ("TipoCassa", "TC22"),
        ("AlCassa", "4.00"),
        ("ImportoContributoCassa", "0.42"),
        ("AliquotaIVA", "4.00"),
    ],
    "DettaglioLinee": [
        ("NumeroLinea", "1"),
        ("Descrizione", "Servizio"),
        ("PrezzoUnitario", "10.50"),
        ("PrezzoTotale", "10.50"),
        ("AliquotaIVA", "4.00"),
    ],
    "DatiRiepilogo": [
        ("AliquotaIVA", "4.00"),
        ("ImponibileImporto", "10.92"),
        ("Imposta", "0.44"),
    ],
}


def document(without: tuple[str, str] = ("", ""), lines: int = 1, totale: str = "10.50") -> bytes:
    """A FatturaPA 1.2 invoice, ``without`` one (block, element); ``lines`` lines of
    ``totale`` each."""

    def block(name: str, extra: list[tuple[str, str]] | None = None) -> str:
        fields = extra if extra is not None else BLOCKS[name]
        inner = "".join(
            f"<{tag}>{value}</{tag}>" for tag, value in fields if (name, tag) != without
        )
        return f"<{name}>{inner}</{name}>"

    party = (
        "<DatiAnagrafici><IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01555550191</IdCodice>"
        "</IdFiscaleIVA><Anagrafica><Denominazione>{}</Denominazione></Anagrafica>"
        "</DatiAnagrafici>"
    )
    righe = "".join(
        block(
            "DettaglioLinee",
            [(t, str(n) if t == "NumeroLinea" else totale if t == "PrezzoTotale" else v)
             for t, v in BLOCKS["DettaglioLinee"]],
        )
        for n in range(1, lines + 1)
    )  # fmt: skip
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<p:FatturaElettronica xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/'
        'fatture/v1.2" versione="FPA12">\n'
        "<FatturaElettronicaHeader>"
        f"<CedentePrestatore>{party.format('Consorzio')}</CedentePrestatore>"
        f"<CessionarioCommittente>{party.format('Comune')}</CessionarioCommittente>"
        "</FatturaElettronicaHeader>\n"
        "<FatturaElettronicaBody><DatiGenerali>"
        + block("DatiGeneraliDocumento").replace(
            "</DatiGeneraliDocumento>", block("DatiCassaPrevidenziale") + "</DatiGeneraliDocumento>"
        )
        + "</DatiGenerali>\n<DatiBeniServizi>\n"
        + righe.replace("</DettaglioLinee>", "</DettaglioLinee>\n")
        + block("DatiRiepilogo")
        + "</DatiBeniServizi></FatturaElettronicaBody>\n</p:FatturaElettronica>\n"
    ).encode()


def test_the_whole_document_is_read() -> None:
    """The document below, with every element it requires and none it may leave out, is
    read whole (the base of the tests after it)."""
    (invoice,) = read_einvoice(document(), "fattura.xml")
    assert (invoice.numero, invoice.tipo_documento, invoice.importo_totale) == (
        "1/2016",
        "TD01",
        None,
    )
    assert invoice.righe == (
        RigaFattura(1, "Servizio", None, None, None, D("10.50"), D("10.50"), D("4.00"), None),
    )
    assert invoice.riepiloghi == (Riepilogo(D("4.00"), D("10.92"), D("0.44"), None),)
    assert invoice.casse == (Cassa(D("4.00"), D("0.42")),)


#: Optional elements written as FatturaPA writes them, after the element they follow.
OPTIONAL = {
    "Quantita": (b"</Descrizione>", b"<Quantita>2.00</Quantita>"),
    "DataInizioPeriodo": (b"</Descrizione>", b"<DataInizioPeriodo>2016-01-01</DataInizioPeriodo>"),
    "DataFinePeriodo": (b"</Descrizione>", b"<DataFinePeriodo>2016-01-31</DataFinePeriodo>"),
    "EsigibilitaIVA": (b"</Imposta>", b"<EsigibilitaIVA>S</EsigibilitaIVA>"),
    "Arrotondamento": (b"<ImponibileImporto>", b"<Arrotondamento>0.42</Arrotondamento>"),
}


def with_optional(tag: str, value: bytes | None = None) -> bytes:
    after, element = OPTIONAL[tag]
    if value is not None:
        element = f"<{tag}>".encode() + value + f"</{tag}>".encode()
    if after.startswith(b"</"):
        return document().replace(after, after + element, 1)
    return document().replace(after, element + after, 1)


def test_the_optional_elements_are_read_when_written() -> None:
    """Each optional element, written as FatturaPA writes it, is read into the invoice."""
    read = {tag: read_einvoice(with_optional(tag), "f.xml")[0] for tag in OPTIONAL}
    assert read["Quantita"].righe[0].quantita == D("2.00")
    assert read["DataInizioPeriodo"].righe[0].data_inizio == date(2016, 1, 1)
    assert read["DataFinePeriodo"].righe[0].data_fine == date(2016, 1, 31)
    assert read["EsigibilitaIVA"].riepiloghi[0].esigibilita_iva == "S"
    assert read["Arrotondamento"].riepiloghi[0].arrotondamento == D("0.42")


@pytest.mark.parametrize(
    ("tag", "value", "message"),
    [
        ("Quantita", b"2", "'2' in Quantita (line 1) is not a quantity: FatturaPA writes 2.00"),
        ("Quantita", b"due",
         "'due' in Quantita (line 1) is not a quantity: FatturaPA writes a number with a dot "
         "and two to eight decimals, like 1.00"),
        ("DataInizioPeriodo", b"01/01/2016",
         "'01/01/2016' in DataInizioPeriodo (line 1) is not a date: FatturaPA writes 2016-01-01"),
        ("DataFinePeriodo", b"31/01/2016",
         "'31/01/2016' in DataFinePeriodo (line 1) is not a date: FatturaPA writes 2016-01-31"),
        ("EsigibilitaIVA", b"X",
         "'X' in EsigibilitaIVA (summary 1) is not a VAT due-date code: FatturaPA writes I "
         "(immediate), D (deferred) or S (split payment)"),
        ("Arrotondamento", b"0,42",
         "'0,42' in Arrotondamento (summary 1) is not an amount: FatturaPA writes 0.42"),
    ],
)  # fmt: skip
def test_an_optional_element_written_wrong_is_said(tag: str, value: bytes, message: str) -> None:
    """An element that may be left out must still be read when it is there."""
    assert problems(with_optional(tag, value)) == [message]


def problems(data: bytes) -> list[str]:
    with pytest.raises(EInvoiceError) as caught:
        read_einvoice(data, "fattura.xml")
    return [problem.message for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("block", "tag", "where"),
    [
        ("DatiGeneraliDocumento", "TipoDocumento", "DatiGeneraliDocumento"),
        ("DatiGeneraliDocumento", "Data", "DatiGeneraliDocumento"),
        ("DatiGeneraliDocumento", "Numero", "DatiGeneraliDocumento"),
        ("DettaglioLinee", "NumeroLinea", "DettaglioLinee (line 1)"),
        ("DettaglioLinee", "Descrizione", "DettaglioLinee (line 1)"),
        ("DettaglioLinee", "PrezzoUnitario", "DettaglioLinee (line 1)"),
        ("DettaglioLinee", "PrezzoTotale", "DettaglioLinee (line 1)"),
        ("DettaglioLinee", "AliquotaIVA", "DettaglioLinee (line 1)"),
        ("DatiRiepilogo", "AliquotaIVA", "DatiRiepilogo (summary 1)"),
        ("DatiRiepilogo", "ImponibileImporto", "DatiRiepilogo (summary 1)"),
        ("DatiRiepilogo", "Imposta", "DatiRiepilogo (summary 1)"),
        ("DatiCassaPrevidenziale", "AliquotaIVA", "DatiCassaPrevidenziale (fund contribution 1)"),
        ("DatiCassaPrevidenziale", "ImportoContributoCassa",
         "DatiCassaPrevidenziale (fund contribution 1)"),
    ],
)  # fmt: skip
def test_a_required_element_missing_is_the_one_problem(block: str, tag: str, where: str) -> None:
    """Each element a block requires, left out, is said; and only it: the elements the
    block may leave out (none of them is there) are not asked for."""
    assert problems(document((block, tag))) == [f"missing <{tag}> in {where}"]


@pytest.mark.parametrize(
    ("count", "listed"),
    [
        # 20 problems are all listed…
        (20, [f"'10,50' in PrezzoTotale (line {n}) is not an amount: FatturaPA writes 10.50"
              for n in range(1, 21)]),
        # …of 21, the first 20 and a count of the one left.
        (21, [f"'10,50' in PrezzoTotale (line {n}) is not an amount: FatturaPA writes 10.50"
              for n in range(1, 21)] + ["… and 1 more problem in this file"]),
    ],
)  # fmt: skip
def test_twenty_problems_are_listed_and_the_others_counted(count: int, listed: list[str]) -> None:
    """A file lists its first 20 problems, and counts the others on a closing line."""
    assert problems(document(lines=count, totale="10,50")) == listed


# --- the blocks a document requires ------------------------------------------------------------

BODY = "<FatturaElettronicaBody>"


def without_block(data: bytes, tag: str) -> bytes:
    """``data`` without the first element ``tag`` (it holds no other of its name)."""
    text = data.decode()
    start = text.index(f"<{tag}>")
    end = text.index(f"</{tag}>") + len(f"</{tag}>")
    return (text[:start] + text[end:]).encode()


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("FatturaElettronicaHeader", "missing <FatturaElettronicaHeader> in FatturaElettronica"),
        ("FatturaElettronicaBody", "missing <FatturaElettronicaBody> in FatturaElettronica"),
        ("CedentePrestatore", "missing <CedentePrestatore> in FatturaElettronicaHeader"),
        ("DatiAnagrafici", "missing <DatiAnagrafici> in CedentePrestatore"),
        ("Anagrafica", "missing <Anagrafica> in CedentePrestatore/DatiAnagrafici"),
        ("DatiGenerali", "missing <DatiGenerali> in FatturaElettronicaBody"),
        ("DatiGeneraliDocumento", "missing <DatiGeneraliDocumento> in DatiGenerali"),
        ("DatiBeniServizi", "missing <DatiBeniServizi> in FatturaElettronicaBody"),
    ],
)
def test_a_required_block_missing_is_the_one_problem(tag: str, message: str) -> None:
    """Each block the document requires, left out, is said, and the reading goes on
    without it (no other problem follows from it)."""
    assert problems(without_block(document(), tag)) == [message]


def test_a_supplier_needs_a_name_or_both_nome_and_cognome() -> None:
    """A person's Nome without Cognome is no name."""
    data = document().replace(b"<Denominazione>Consorzio</Denominazione>", b"<Nome>Mario</Nome>", 1)
    assert problems(data) == [
        "missing <Denominazione>, or <Nome> and <Cognome>, in "
        "CedentePrestatore/DatiAnagrafici/Anagrafica"
    ]


@pytest.mark.parametrize("qualified_header_too", [False, True])
def test_a_body_in_the_namespace_beside_a_plain_header_is_not_read(
    qualified_header_too: bool,
) -> None:
    """The schema's elements are unqualified; a document wholly in the namespace is read
    (test_fatturapa.py), but a body in it beside a plain header is not a body, whatever
    else the document holds."""
    extra = b"<p:FatturaElettronicaHeader/>" if qualified_header_too else b""
    data = (
        document()
        .replace(BODY.encode(), extra + b"<p:FatturaElettronicaBody>")
        .replace(b"</FatturaElettronicaBody>", b"</p:FatturaElettronicaBody>")
    )
    assert problems(data) == ["missing <FatturaElettronicaBody> in FatturaElettronica"]


def test_an_unreadable_optional_element_is_said() -> None:
    """ImportoTotaleDocumento may be left out, but when it is there it must be read."""
    data = document().replace(
        b"<Numero>1/2016</Numero>",
        b"<Numero>1/2016</Numero><ImportoTotaleDocumento>10,92</ImportoTotaleDocumento>",
    )
    assert problems(data) == [
        "'10,92' in ImportoTotaleDocumento is not an amount: FatturaPA writes 10.92"
    ]


def test_a_line_whose_number_is_unreadable_is_named_by_its_place() -> None:
    """A line with a NumeroLinea that cannot be read is named by its place among the
    document's lines (the first)."""
    data = document().replace(b"<NumeroLinea>1</NumeroLinea>", b"<NumeroLinea>abc</NumeroLinea>")
    assert problems(data) == [
        "'abc' in NumeroLinea (line 1) is not a line number: FatturaPA numbers lines from 1 to 9999"
    ]


def test_a_line_is_named_by_its_number() -> None:
    """A line numbered 5 is named line 5 in a message, whatever its place."""
    data = (
        document()
        .replace(b"<NumeroLinea>1</NumeroLinea>", b"<NumeroLinea>5</NumeroLinea>")
        .replace(b"<PrezzoTotale>10.50</PrezzoTotale>", b"<PrezzoTotale>10,50</PrezzoTotale>")
    )
    assert problems(data) == [
        "'10,50' in PrezzoTotale (line 5) is not an amount: FatturaPA writes 10.50"
    ]


def test_an_unreadable_fund_contribution_is_said() -> None:
    data = document().replace(b"<ImportoContributoCassa>0.42<", b"<ImportoContributoCassa>0,42<")
    assert problems(data) == [
        "'0,42' in ImportoContributoCassa (fund contribution 1) is not an amount: FatturaPA "
        "writes 0.42"
    ]


def test_values_read_again_are_the_same_and_the_tables_stay_bounded() -> None:
    """Values read once are remembered by their text (a year's invoices repeat them); more
    distinct texts than a table holds empty it and fill it again, and every value is still
    the one written, every refusal still a refusal, and an absent element still no value."""
    from crema_budget.year.fatturapa import values

    assert values._REMEMBERED == 4096  # the bound the README states
    count = 3 * 4096 + 7  # more than the table holds, three times over
    for cents in range(count):
        text = f"{cents // 100}.{cents % 100:02d}"  # 0.00, 0.01, … 122.95
        assert str(as_amount2(text)) == text  # exactly as written: 0.50, not 0.5
        assert str(as_amount2(text)) == text  # the remembered value
        assert as_amount2(f"{text}0") is None  # three decimals: not an Amount2
        assert len(values._AMOUNTS2) <= 4096
    assert as_amount2(None) is None  # after the table was emptied, more than once
    assert as_amount2("1.234,56") is None
    assert as_amount2("1.234,56") is None  # a refusal remembered is still a refusal
    assert as_rate("101.00") is None
    assert as_rate("101.00") is None
    assert as_rate(" 22.00\n") == D("22.00")  # XML's spaces around, remembered as written
    assert as_line_number(" 7 ") == 7
    assert as_line_number("0") is None


@pytest.mark.parametrize(
    "table",
    [
        "_AMOUNTS2",
        "_AMOUNTS8",
        "_QUANTITIES",
        "_RATES",
        "_DAYS",
        "_LINE_NUMBERS",
        "_TEXTS",
        "_ESIGIBILITA_CODES",
    ],
)
def test_every_table_of_values_holds_at_most_4096_texts(table: str) -> None:
    """Each kind of value, read or refused, fills its table up to the bound and no further."""
    from crema_budget.year.fatturapa import values

    remembered = getattr(values, table)
    sizes = []
    for number in range(2 * 4096 + 10):
        remembered[f" {number}.00 "]  # distinct texts, whatever they read as
        sizes.append(len(remembered))
    assert max(sizes) == 4096
    assert remembered[None] is None


@pytest.mark.parametrize(
    ("read", "text"),
    [
        (as_amount2, "26736.87"),
        (as_amount8, "2430.62636364"),
        (as_quantity, "1.00"),
        (as_rate, "22.00"),
        (as_day, "2016-06-30"),
        (as_line_number, "1234"),  # not one of the small ints Python keeps once
    ],
)
def test_a_value_read_again_is_the_one_remembered(read: Read, text: str) -> None:
    """The second read of a text gives the very value the first one made (what makes a
    year's folder quick to read), and it is the value written."""
    first = read(text)
    assert first is not None
    assert read(text) is first
