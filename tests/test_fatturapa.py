"""FatturaPA e-invoices read back: what a person checks on an invoice survives the XML and
the signed .p7m envelope, and every hostile or broken file ends in a clean EInvoiceError
that names it: never a traceback, never a hang.

The invoices are written by ``benchmarks/einvoice.py`` with the agreement's figures: Ambito
1's nursery and Ambito 2's pre- and post-school monthly fees at 4%, Ambito 5's porterage at
22%; in both versions of the format, FatturaPA 1.1 (what 2016 had) and 1.2. What it writes
follows the published schema of each version (element names, their order, their types);
``test_written_invoices_follow_the_official_schemas`` checks that against the schema files
themselves when they are at hand (they are not part of the repository).
"""

import importlib.util
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from conftest import Invoke
from hypothesis import given, settings
from hypothesis import strategies as st

from crema_budget.year.fatturapa.files import MAX_FILE_BYTES, read_einvoice, read_einvoices
from crema_budget.year.fatturapa.records import (
    Cassa,
    EInvoiceError,
    FatturaElettronica,
    Riepilogo,
    RigaFattura,
)

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    """A script in benchmarks/, imported from its path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import einvoice
else:
    einvoice = _load("einvoice")

#: A bad file is refused this fast, whatever it holds.
TIME_LIMIT = 1.0

CIG = "Z1A0B2C3D4"
NIDO = einvoice.Linea(
    "Asilo nido Via Dante/Pesadori e Centro prima infanzia, gennaio 2016",
    Decimal("26736.87"),
    Decimal(4),
    date(2016, 1, 1),
    date(2016, 1, 31),
)
PRE_POST = einvoice.Linea(
    "Pre e post scuola (Via Braguti, Via Borgo San Pietro), gennaio 2016",
    Decimal("3568.85"),
    Decimal(4),
    date(2016, 1, 1),
    date(2016, 1, 31),
)
FACCHINAGGIO = einvoice.Linea(
    "Facchinaggio, anno 2016",
    Decimal("16550.00"),
    Decimal(22),
    date(2016, 1, 1),
    date(2016, 12, 31),
)
LINEE = (NIDO, PRE_POST, FACCHINAGGIO)


#: The versions of FatturaPA read: 1.1 (format SDI11, 2015–2016) and 1.2 (FPA12, from 2017).
VERSIONI = ["1.1", "1.2"]


def gennaio(numero: str = "1/2016", versione: str = "1.2") -> bytes:
    """The Consorzio's invoice for January 2016: the three lines above, with the CIG."""
    xml: bytes = einvoice.fattura_xml(numero, date(2016, 1, 31), LINEE, cig=CIG, versione=versione)
    return xml


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def line_of(text: bytes, marker: bytes) -> int:
    """The number (from 1) of the line of ``text`` where ``marker`` first is."""
    return text[: text.index(marker)].count(b"\n") + 1


def refused(data: bytes, file: str = "fattura.xml") -> EInvoiceError:
    """The error reading ``data`` ends in, checked to name the file and to come quickly."""
    started = time.perf_counter()
    with pytest.raises(EInvoiceError) as caught:
        read_einvoice(data, file)
    assert time.perf_counter() - started < TIME_LIMIT
    error = caught.value
    assert error.file == file
    assert str(error).startswith(f"{file}:")
    assert error.problems
    return error


#: Messages compared in the English they are written in (conftest.py).
pytestmark = pytest.mark.usefixtures("english")


# What a person checks -----------------------------------------------------------------------


@pytest.mark.parametrize("versione", VERSIONI)
def test_plain_invoice_gives_its_number_date_parties_and_cig(tmp_path: Path, versione: str) -> None:
    """A plain .xml invoice reads back with its number, date, parties and CIG, unsigned,
    and the version of the format it is written in."""
    path = write(tmp_path, "IT01555550191_00001.xml", gennaio(versione=versione))
    invoices, errors = read_einvoices([path])
    assert errors == []
    (fattura,) = invoices
    assert fattura.versione == versione
    assert fattura.file == str(path)
    assert (fattura.indice, fattura.tipo_documento) == (1, "TD01")
    assert (fattura.numero, fattura.data) == ("1/2016", date(2016, 1, 31))
    assert fattura.cedente == 'Consorzio "Sul Serio" Crema'
    assert fattura.cedente_partita_iva == "01555550191"
    assert fattura.cessionario == "Comune di Crema"
    assert fattura.cig == (CIG,)
    assert fattura.firmata is False


@pytest.mark.parametrize("versione", VERSIONI)
@pytest.mark.parametrize(("numero", "linea"), list(enumerate(LINEE, start=1)))
def test_each_line_keeps_its_description_period_amount_and_rate(
    numero: int, linea: "einvoice.Linea", versione: str
) -> None:
    """Each DettaglioLinee reads back as written: description, period, taxable amount, rate."""
    (fattura,) = read_einvoice(gennaio(versione=versione), "gennaio.xml")
    assert fattura.righe[numero - 1] == RigaFattura(
        numero_linea=numero,
        descrizione=linea.descrizione,
        data_inizio=linea.inizio,
        data_fine=linea.fine,
        quantita=None,
        prezzo_unitario=linea.imponibile,
        prezzo_totale=linea.imponibile,
        aliquota_iva=linea.aliquota_iva,
        natura=None,
    )
    assert str(fattura.righe[numero - 1].aliquota_iva) == f"{linea.aliquota_iva}.00"


@pytest.mark.parametrize(
    ("aliquota", "imponibile", "imposta"),
    [
        # VAT on the summary's taxable total, 30305.72 × 4% = 1212.2288: one cent more
        # than the lines' VAT added up (1069.47 + 142.75).
        ("4.00", "30305.72", "1212.23"),
        ("22.00", "16550.00", "3641.00"),  # as the agreement states for Ambito 5
    ],
)
@pytest.mark.parametrize("versione", VERSIONI)
def test_each_vat_summary_gives_its_vat_under_split_payment(
    aliquota: str, imponibile: str, imposta: str, versione: str
) -> None:
    """Each DatiRiepilogo gives its rate, taxable total, VAT and EsigibilitaIVA S (split
    payment, which FatturaPA 1.1 has had since 2015)."""
    (fattura,) = read_einvoice(gennaio(versione=versione), "gennaio.xml")
    expected = Riepilogo(Decimal(aliquota), Decimal(imponibile), Decimal(imposta), "S")
    assert expected in fattura.riepiloghi


def test_invoice_totals_add_up_to_the_stated_total() -> None:
    """Taxable amount plus VAT is ImportoTotaleDocumento, and the VAT is split payment."""
    (fattura,) = read_einvoice(gennaio(), "gennaio.xml")
    assert fattura.imponibile == Decimal("46855.72")
    assert fattura.iva == Decimal("4853.23")
    assert fattura.importo_totale == Decimal("51708.95") == fattura.imponibile + fattura.iva
    assert fattura.split_payment is True


def test_vat_is_rounded_half_up_to_the_cent() -> None:
    """0.75 at 22% is 0.165 of VAT: the invoice says 0.17 (half up), not 0.16 (half even)."""
    linea = einvoice.Linea("Fotocopie", Decimal("0.75"), Decimal(22))
    xml = einvoice.fattura_xml("9/2016", date(2016, 2, 29), [linea], esigibilita="I")
    (fattura,) = read_einvoice(xml, "fotocopie.xml")
    assert fattura.riepiloghi == (
        Riepilogo(Decimal("22.00"), Decimal("0.75"), Decimal("0.17"), "I"),
    )
    assert fattura.split_payment is False
    assert fattura.cig == ()


def test_several_bodies_in_one_file_are_several_invoices() -> None:
    """A file with three FatturaElettronicaBody gives three invoices, numbered 1 to 3."""
    altri = [
        einvoice.Documento("2/2016", date(2016, 2, 29), [NIDO._replace(imponibile=Decimal(1))]),
        einvoice.Documento("3/2016", date(2016, 3, 31), [PRE_POST], "ZAB1234567"),
    ]
    xml = einvoice.fattura_xml("1/2016", date(2016, 1, 31), LINEE, cig=CIG, altri=altri)
    invoices = read_einvoice(xml, "lotto.xml")
    assert [(f.indice, f.numero, f.data, f.cig) for f in invoices] == [
        (1, "1/2016", date(2016, 1, 31), (CIG,)),
        (2, "2/2016", date(2016, 2, 29), ()),
        (3, "3/2016", date(2016, 3, 31), ("ZAB1234567",)),
    ]
    assert [len(f.righe) for f in invoices] == [3, 1, 1]
    assert {f.cedente for f in invoices} == {'Consorzio "Sul Serio" Crema'}


def test_every_cig_is_gathered_once_in_document_order() -> None:
    """CIGs in DatiOrdineAcquisto, DatiContratto and DatiConvenzione are all kept, each once."""
    order = (
        b"<DatiOrdineAcquisto><IdDocumento>OA-7</IdDocumento>"
        b"<CodiceCIG>ZZZ9876543</CodiceCIG></DatiOrdineAcquisto>\n<DatiContratto>"
    )
    agreement = (
        b"</DatiContratto>\n<DatiConvenzione><IdDocumento>C-1</IdDocumento>"
        b"<CodiceCIG>" + CIG.encode() + b"</CodiceCIG></DatiConvenzione>"
    )
    xml = gennaio().replace(b"<DatiContratto>", order).replace(b"</DatiContratto>", agreement)
    (fattura,) = read_einvoice(xml, "cig.xml")
    assert fattura.cig == ("ZZZ9876543", CIG)


def test_a_supplier_named_by_nome_and_cognome() -> None:
    """A supplier without Denominazione is named by Nome and Cognome."""
    name = b'<Denominazione>Consorzio "Sul Serio" Crema</Denominazione>'
    xml = gennaio().replace(name, b"<Nome>Maria</Nome><Cognome>Bianchi</Cognome>")
    (fattura,) = read_einvoice(xml, "professionista.xml")
    assert fattura.cedente == "Maria Bianchi"


def test_spaces_around_numbers_and_dates_are_allowed() -> None:
    """Spaces and line breaks around an amount or a date are read, as the schema allows."""
    xml = (
        gennaio()
        .replace(b"<PrezzoTotale>26736.87<", b"<PrezzoTotale>\n    26736.87\n<")
        .replace(b"<Data>2016-01-31<", b"<Data> 2016-01-31\t<")
    )
    (fattura,) = read_einvoice(xml, "spazi.xml")
    assert fattura.righe[0].prezzo_totale == Decimal("26736.87")
    assert fattura.data == date(2016, 1, 31)


def test_elements_all_in_the_namespace_are_read_too() -> None:
    """A file that puts every element in the FatturaPA namespace reads as the usual one."""
    xml = (
        gennaio()
        .replace(b"<p:FatturaElettronica xmlns:p=", b"<FatturaElettronica xmlns=")
        .replace(b"</p:FatturaElettronica>", b"</FatturaElettronica>")
    )
    assert read_einvoice(xml, "f.xml") == read_einvoice(gennaio(), "f.xml")


@pytest.mark.parametrize("versione", VERSIONI)
@pytest.mark.parametrize("zone", ["+01:00", "+02:00", "Z", "-05:00", "+14:00", "-13:59"])
def test_a_date_with_a_time_zone_is_the_day_written(versione: str, zone: str) -> None:
    """xs:date takes a time zone (2014-12-18+01:00): the invoice's date and the line's
    period are the days written, whatever the zone."""
    xml = (
        gennaio(versione=versione)
        .replace(b"<Data>2016-01-31<", f"<Data>2016-01-31{zone}<".encode())
        .replace(
            b"<DataInizioPeriodo>2016-01-01<", f"<DataInizioPeriodo>2016-01-01{zone}<".encode()
        )
    )
    (fattura,) = read_einvoice(xml, "fuso.xml")
    assert fattura.data == date(2016, 1, 31)
    assert fattura.righe[0].data_inizio == date(2016, 1, 1)


@pytest.mark.parametrize("written", ["2016-01-31+15:00", "2016-01-31+1:00", "2016-01-31 Z"])
def test_a_time_zone_the_schema_refuses_is_refused(written: str) -> None:
    """Zones run from -14:00 to +14:00, written ±hh:mm or Z, right after the day."""
    xml = gennaio().replace(b"<Data>2016-01-31<", f"<Data>{written}<".encode())
    assert f"'{written}' in Data is not a date" in refused(xml).message


@pytest.mark.parametrize("versione", VERSIONI)
def test_a_description_of_blanks_is_read(versione: str) -> None:
    """Descrizione is one to a thousand Latin characters, blanks too: a line described
    only by spaces is a valid line, read with an empty description."""
    xml = gennaio(versione=versione).replace(
        b"<Descrizione>Facchinaggio, anno 2016<", b"<Descrizione>   <"
    )
    (fattura,) = read_einvoice(xml, "spazi.xml")
    assert fattura.righe[2].descrizione == ""
    assert fattura.righe[2].prezzo_totale == Decimal("16550.00")


def test_an_empty_description_is_refused() -> None:
    """An empty Descrizione (no character at all) is not valid: it is said so, on its line."""
    xml = gennaio().replace(b"<Descrizione>Facchinaggio, anno 2016<", b"<Descrizione><")
    assert "<Descrizione> in DettaglioLinee (line 3) is empty" in refused(xml).message


def test_a_summarys_rounding_and_a_funds_contribution_are_read() -> None:
    """Arrotondamento (in DatiRiepilogo) and DatiCassaPrevidenziale are part of the taxable
    total the summary states, so they are read: the lines are checked against it."""
    fund = (
        b"<DatiCassaPrevidenziale><TipoCassa>TC22</TipoCassa><AlCassa>4.00</AlCassa>"
        b"<ImportoContributoCassa>12.50</ImportoContributoCassa>"
        b"<AliquotaIVA>22.00</AliquotaIVA></DatiCassaPrevidenziale>\n"
    )
    xml = (
        gennaio()
        .replace(b"<ImportoTotaleDocumento>", fund + b"<ImportoTotaleDocumento>")
        .replace(
            b"<AliquotaIVA>22.00</AliquotaIVA>\n<ImponibileImporto>",
            b"<AliquotaIVA>22.00</AliquotaIVA>\n<Arrotondamento>-0.00500000</Arrotondamento>\n"
            b"<ImponibileImporto>",
        )
    )
    (fattura,) = read_einvoice(xml, "cassa.xml")
    assert fattura.casse == (Cassa(Decimal("22.00"), Decimal("12.50")),)
    assert fattura.riepiloghi[1].arrotondamento == Decimal("-0.00500000")
    assert fattura.riepiloghi[0].arrotondamento is None


def test_written_invoices_follow_the_official_schemas(tmp_path: Path) -> None:
    """What the tests and the examples are made of validates against the official schema of
    each version. The schemas are not in the repository: set CREMA_BUDGET_FATTURAPA_XSD to a
    folder holding Schema_del_file_xml_FatturaPA_versione_1.1.xsd and
    Schema_del_file_xml_FatturaPA_versione_1.2.xsd (with xmldsig-core-schema.xsd), and
    install lxml, to run it."""
    folder = os.environ.get("CREMA_BUDGET_FATTURAPA_XSD")
    if not folder:
        pytest.skip("CREMA_BUDGET_FATTURAPA_XSD names no folder of FatturaPA schemas")
    etree = pytest.importorskip("lxml.etree")
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    for versione in VERSIONI:
        schema_path = Path(folder, f"Schema_del_file_xml_FatturaPA_versione_{versione}.xsd")
        schema = etree.XMLSchema(etree.parse(str(schema_path), parser))
        linee = [*LINEE, einvoice.Linea("Esente", Decimal("5.00"), Decimal(0), natura="N4")]
        altri = [einvoice.Documento("2/2016", date(2016, 2, 29), [PRE_POST], "ZAB1234567")]
        written = [
            gennaio(versione=versione),
            einvoice.fattura_xml(
                "3/2016", date(2016, 3, 31), linee, versione=versione, esigibilita="I", altri=altri
            ),
        ]
        if versione == "1.1":
            written += [einvoice.esempio_xml(documento) for _n, _s, documento in einvoice.ESEMPI]
        for xml in written:
            document = etree.fromstring(xml, parser)
            assert schema.validate(document), (versione, str(schema.error_log))


# Signed envelopes ---------------------------------------------------------------------------

ENVELOPES: dict[str, Callable[[bytes], bytes]] = {
    "DER": lambda xml: einvoice.firma_p7m(xml),
    "BER with indefinite lengths and the content in chunks": lambda xml: einvoice.firma_p7m(
        xml, ber=True
    ),
    "base64 text of DER": lambda xml: einvoice.as_base64(einvoice.firma_p7m(xml)),
    "base64 text of BER": lambda xml: einvoice.as_base64(einvoice.firma_p7m(xml, ber=True)),
    "signed twice": lambda xml: einvoice.firma_p7m(einvoice.firma_p7m(xml)),
}


@pytest.mark.parametrize("versione", VERSIONI)
@pytest.mark.parametrize("envelope", list(ENVELOPES))
def test_signed_invoice_reads_as_the_plain_one(
    tmp_path: Path, envelope: str, versione: str
) -> None:
    """A .xml.p7m gives the same invoice as its plain XML, marked as signed."""
    xml = gennaio(versione=versione)
    (plain,) = read_einvoice(xml, "plain.xml")
    path = write(tmp_path, "IT01555550191_00001.xml.p7m", ENVELOPES[envelope](xml))
    invoices, errors = read_einvoices([path])
    assert errors == []
    assert invoices == [plain._replace(file=str(path), firmata=True)]


def test_a_folder_is_read_in_name_order_past_a_broken_file(tmp_path: Path) -> None:
    """A folder's .xml and .p7m files (any case) are read in name order; a broken one is
    reported by name and the others are still read; other files are left alone."""
    folder = tmp_path / "fatture"
    folder.mkdir()
    write(folder, "a.xml", gennaio("1/2016"))
    write(folder, "b.XML", gennaio("2/2016"))
    write(folder, "c.xml", gennaio("3/2016")[:700])
    write(folder, "d.xml.p7m", einvoice.firma_p7m(gennaio("4/2016"), ber=True))
    write(folder, "e.P7M", einvoice.as_base64(einvoice.firma_p7m(gennaio("5/2016"))))
    write(folder, "leggimi.txt", b"not an invoice")
    (folder / "archivio").mkdir()
    write(folder / "archivio", "z.xml", gennaio("6/2016"))
    invoices, errors = read_einvoices([folder])
    assert [(f.numero, f.firmata) for f in invoices] == [
        ("1/2016", False),
        ("2/2016", False),
        ("4/2016", True),
        ("5/2016", True),
    ]
    assert [error.file for error in errors] == [str(folder / "c.xml")]
    assert "truncated" in errors[0].message


def test_files_that_cannot_be_found_are_reported_among_the_others(tmp_path: Path) -> None:
    """A missing file is reported by name, and the files given after it are still read."""
    missing = tmp_path / "manca.xml"
    good = write(tmp_path, "buona.xml", gennaio())
    invoices, errors = read_einvoices([missing, good])
    assert [f.file for f in invoices] == [str(good)]
    assert [error.file for error in errors] == [str(missing)]
    assert errors[0].message.startswith("cannot read the file: ")


# Hostile and broken files -------------------------------------------------------------------


def billion_laughs(encoding: str = "utf-8") -> bytes:
    """Nine levels of entities, each ten of the one below: a billion 'lol's if expanded."""
    levels = "".join(
        f' <!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">\n' for level in range(1, 10)
    )
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<!DOCTYPE lolz [\n <!ENTITY lol0 "lol">\n{levels}]>\n<lolz>&lol9;</lolz>\n'
    )
    return text.encode(encoding)


def external_entity() -> bytes:
    """An invoice whose description asks for the contents of /etc/passwd."""
    doctype = b'<!DOCTYPE p:FatturaElettronica [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    xml = gennaio().replace(b"<p:FatturaElettronica", doctype + b"<p:FatturaElettronica")
    return xml.replace(b"<Descrizione>Facchinaggio", b"<Descrizione>&xxe;")


def cut_in_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "billion laughs": (billion_laughs, "XML entities are not allowed (possible entity-expansion"),
    "billion laughs in UTF-16": (
        lambda: billion_laughs("utf-16"),
        "XML entities are not allowed (possible entity-expansion",
    ),
    "external entity": (external_entity, "XML external entities are not allowed"),
    "document type declaration": (
        lambda: b'<?xml version="1.0"?>\n<!DOCTYPE FatturaElettronica SYSTEM "fpa.dtd">\n<a/>',
        "a document type declaration (<!DOCTYPE>) is not allowed",
    ),
    "not XML at all": (lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "this is not an XML file"),
    "empty": (lambda: b"", "the file is empty"),
    "truncated XML": (lambda: cut_in_half(gennaio()), "the file is probably truncated"),
    "not well-formed": (lambda: b"<a><b></a>", "the file is not well-formed XML: mismatched tag"),
    "XML of another kind": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "this XML file is not a FatturaPA invoice: its root element is <svg>",
    ),
    "SdI metadata beside an invoice": (
        lambda: b'<MetadatiInvioFile xmlns="http://www.fatturapa.gov.it/sdi/messaggi/v1.0"/>',
        "this is a message of the Sistema di Interscambio (<MetadatiInvioFile>)",
    ),
    "FatturaElettronica without its namespace": (
        lambda: b'<FatturaElettronica versione="FPA12"/>',
        "this FatturaElettronica has no namespace, so it is not a FatturaPA invoice",
    ),
    "FatturaElettronica of version 1.0": (
        lambda: b'<p:FatturaElettronica xmlns:p="http://www.fatturapa.gov.it/sdi/fatturapa/v1.0"/>',
        "is in the namespace 'http://www.fatturapa.gov.it/sdi/fatturapa/v1.0', neither the one",
    ),
    "an encoding expat cannot use": (
        lambda: b'<?xml version="1.0" encoding="utf-32"?><a/>',
        "the XML declares a character encoding that cannot be read",
    ),
    "p7m without content (detached signature)": (
        lambda: einvoice.firma_p7m(gennaio(), detached=True),
        "the .p7m signature is detached",
    ),
    "truncated p7m": (
        lambda: cut_in_half(einvoice.firma_p7m(gennaio())),
        "the .p7m envelope ends before its declared length",
    ),
    "truncated BER p7m": (
        lambda: cut_in_half(einvoice.firma_p7m(gennaio(), ber=True)),
        "the .p7m envelope ends before its declared length",
    ),
    "p7m of a PDF": (
        lambda: einvoice.firma_p7m(b"%PDF-1.4\n"),
        "the .p7m envelope holds a file that is not XML",
    ),
    "DER that is not a signed envelope": (
        lambda: bytes.fromhex("3003020101"),
        "the .p7m envelope is not a CMS SignedData structure",
    ),
    "base64 that is not": (
        lambda: b"MIIB this is not base64 at all!",
        "not valid base64",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_and_broken_files_end_in_a_clean_error(case: str) -> None:
    """Entity tricks, DTDs, non-XML, truncation and bad envelopes are refused by name, quickly."""
    make, expected = HOSTILE[case]
    error = refused(make(), "ostile.xml")
    assert expected in error.message
    assert "root:" not in str(error)  # nothing of /etc/passwd ever gets in


def test_an_amount_with_a_decimal_comma_says_what_to_write() -> None:
    """'3568,85' in PrezzoTotale is refused on its line of the file, with the amount to write."""
    xml = gennaio().replace(b"<PrezzoTotale>3568.85<", b"<PrezzoTotale>3568,85<")
    error = refused(xml, "gennaio.xml")
    assert str(error) == (
        f"gennaio.xml:{line_of(xml, b'3568,85')}: '3568,85' in PrezzoTotale (line 2) is not "
        "an amount: FatturaPA writes 3568.85"
    )


def test_every_problem_in_a_file_is_reported_on_its_line() -> None:
    """A missing number, a day-first date and a rate with % are all reported, each on its line."""
    xml = (
        gennaio()
        .replace(b"<Numero>1/2016</Numero>\n", b"")
        .replace(b"<Data>2016-01-31</Data>", b"<Data>31/01/2016</Data>")
        .replace(
            b"<AliquotaIVA>22.00</AliquotaIVA>\n<Imponibile",
            b"<AliquotaIVA>22%</AliquotaIVA>\n<Imponibile",
        )
    )
    error = refused(xml)
    assert error.problems == (
        (line_of(xml, b"<DatiGeneraliDocumento>"), "missing <Numero> in DatiGeneraliDocumento"),
        (
            line_of(xml, b"31/01/2016"),
            "'31/01/2016' in Data is not a date: FatturaPA writes 2016-01-31",
        ),
        (
            line_of(xml, b"22%"),
            "'22%' in AliquotaIVA (summary 2) is not a VAT rate: FatturaPA writes 22.00",
        ),
    )


def test_a_file_full_of_mistakes_lists_the_first_ones_and_counts_the_rest() -> None:
    """Thirty lines with a decimal comma: the first 20 are listed, the other 10 counted."""
    linee = [einvoice.Linea(f"Servizio {n}", Decimal("10.50"), Decimal(4)) for n in range(1, 31)]
    xml = einvoice.fattura_xml("1/2016", date(2016, 1, 31), linee)
    error = refused(xml.replace(b"<PrezzoTotale>10.50<", b"<PrezzoTotale>10,50<"))
    assert len(error.problems) == 20 + 1
    assert error.problems[0].message.endswith(
        "in PrezzoTotale (line 1) is not an amount: FatturaPA writes 10.50"
    )
    assert error.problems[-1] == (0, "… and 10 more problems in this file")


def test_a_file_over_the_cap_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file larger than the cap is refused from its size: not one byte of it is read."""
    path = tmp_path / "enorme.xml"
    with path.open("wb") as sparse:
        sparse.truncate(MAX_FILE_BYTES + 1)

    def no_read(fd: int, size: int) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(os, "read", no_read)
    invoices, errors = read_einvoices([path])
    monkeypatch.undo()
    assert invoices == []
    assert [error.file for error in errors] == [str(path)]
    assert f"more than the {MAX_FILE_BYTES} accepted" in errors[0].message
    assert "more than the" in refused(b"<" + b" " * MAX_FILE_BYTES).message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_is_refused_without_being_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A named pipe, given or in a folder, is refused unopened: reading it could wait forever."""
    folder = tmp_path / "fatture"
    folder.mkdir()
    os.mkfifo(tmp_path / "pipe.xml")
    os.mkfifo(folder / "pipe.xml.p7m")
    write(folder, "buona.xml", gennaio())
    opened: list[str] = []
    real_open = os.open

    def recording_open(path: str, flags: int, *args: int, **kwargs: int) -> int:
        opened.append(os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    result: list[tuple[list[FatturaElettronica], list[EInvoiceError]]] = []
    reader = threading.Thread(
        target=lambda: result.append(read_einvoices([tmp_path / "pipe.xml", folder])),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "reading a FIFO blocked"
    ((invoices, errors),) = result
    assert len(invoices) == 1
    assert [error.file for error in errors] == [
        str(tmp_path / "pipe.xml"),
        str(folder / "pipe.xml.p7m"),
    ]
    assert all("named pipe (FIFO)" in error.message for error in errors)
    assert opened == [str(folder / "buona.xml")]


# Any bytes at all -----------------------------------------------------------------------------

VALID = gennaio()
SIGNED = einvoice.firma_p7m(VALID, ber=True)
TEXTS = [match.span(1) for match in re.finditer(rb">([^<]*)<", VALID)]


def spliced(base: bytes) -> st.SearchStrategy[bytes]:
    """``base`` with a random stretch replaced by random bytes (possibly cut short)."""
    return st.tuples(
        st.integers(0, len(base)), st.integers(0, 64), st.binary(max_size=24), st.booleans()
    ).map(lambda t: (base[: t[0]] + t[2] + base[t[0] + t[1] :])[: t[0] + 8 if t[3] else None])


#: An element's text replaced by any short Latin-1 text: reaches every value's reader.
RETYPED = st.tuples(
    st.sampled_from(TEXTS), st.text(st.characters(max_codepoint=255), max_size=12)
).map(
    lambda t: (
        VALID[: t[0][0]]
        + t[1].replace("&", "&amp;").replace("<", "&lt;").encode()
        + VALID[t[0][1] :]
    )
)

ANY_BYTES = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=200).map(lambda tail: b"\x30" + tail),
    st.binary(max_size=200).map(lambda tail: b"MI" + tail),
    st.binary(max_size=200).map(lambda tail: b"<?xml version='1.0'?><" + tail),
    spliced(VALID),
    spliced(SIGNED),
    RETYPED,
)


@settings(max_examples=400, deadline=None)
@given(ANY_BYTES)
def test_any_bytes_give_invoices_or_an_einvoice_error(data: bytes) -> None:
    """Whatever the bytes, reading them gives invoices or an EInvoiceError, nothing else."""
    outcome: tuple[FatturaElettronica, ...] | EInvoiceError
    try:
        outcome = read_einvoice(data, "fuzz.xml")
    except EInvoiceError as error:
        outcome = error
    if isinstance(outcome, EInvoiceError):
        assert outcome.file == "fuzz.xml"
        assert all(problem.message for problem in outcome.problems)
    else:
        assert all(fattura.file == "fuzz.xml" for fattura in outcome)


def test_a_credit_note_is_never_added_to_what_is_invoiced(tmp_path: Path) -> None:
    """A TD04 (nota di credito) lowers what was invoiced; adding its positive amounts
    would be wrong, so its lines are counted nowhere and it is an anomaly."""
    from crema_budget.year.anomalies import Tipo
    from crema_budget.year.assign import assign
    from crema_budget.year.records import Abbinamento

    credit = gennaio("NC 1/2016").replace(b"<TipoDocumento>TD01<", b"<TipoDocumento>TD04<")
    invoices = [*read_einvoice(gennaio(), "f.xml"), *read_einvoice(credit, "nc.xml")]
    entries, problems, _notes = assign(
        invoices, [Abbinamento("nido", descrizione="asilo nido")], ()
    )
    assert [e.numero for e in entries] == ["1/2016"]
    (problem,) = [p for p in problems if p.numero == "NC 1/2016"]
    assert (problem.tipo, problem.testo, problem.origine) == (Tipo.NON_FATTURA, "TD04", "nc.xml")


def test_fatture_reports_a_credit_note_and_exits_1(tmp_path: Path, invoke: Invoke) -> None:
    folder = tmp_path / "fatture"
    folder.mkdir()
    write(folder, "a.xml", gennaio())
    credit = gennaio("NC 1/2016").replace(b"<TipoDocumento>TD01<", b"<TipoDocumento>TD04<")
    write(folder, "b.xml", credit)
    result = invoke("fatture", str(folder), "-f", "csv-it")
    assert result.exit_code == 1, result.stderr
    assert "un documento di tipo TD04, una nota di credito, non è una fattura" in result.stdout


# The examples ---------------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "fatture"


def test_the_examples_are_the_fatturapa_1_1_invoices_2016_had() -> None:
    """The example register's e-invoices are FatturaPA 1.1 (SDI11), as every e-invoice a
    Comune received in 2016 was, named as SdI names files (IT, the sender's code, a
    progressive), and are what benchmarks/einvoice.py writes (the .p7m: its content)."""
    names = sorted(path.name for path in EXAMPLES.iterdir())
    assert names == sorted(name for name, _signed, _d in einvoice.ESEMPI)
    invoices, errors = read_einvoices([EXAMPLES])
    assert errors == []
    assert {(f.versione, f.numero) for f in invoices} == {
        ("1.1", "FPA 40/2016"),
        ("1.1", "FPA 45/2016"),
        ("1.1", "FPA 61/2016"),
    }
    for name, signed, documento in einvoice.ESEMPI:
        data = (EXAMPLES / name).read_bytes()
        (from_file,) = read_einvoice(data, name)
        (written,) = read_einvoice(einvoice.esempio_xml(documento), name)
        assert from_file == written._replace(firmata=signed)
        assert b"<FormatoTrasmissione>SDI11</FormatoTrasmissione>" in data
