"""Every kind of amendment, applied and folded into next year's draft, and `diff`'s
account of what it changes: each figure worked out by hand from the document's."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

from crema_budget.agreement.load import parse_agreement
from crema_budget.agreement.versions import amended

WriteData = Callable[..., Path]

#: One amendment of each kind, listed out of date order: two of 1 March in the file's
#: order (accoglienza, then pre-post), and the nursery's of 1 February after them.
AMENDMENTS = """\
variazioni:
  - {data: 2016-03-01, atto: det. 2, servizio: accoglienza, mensilita: 10}
  - {data: 2016-03-01, atto: det. 1, servizio: pre-post, canone_mensile: 3600.00}
  - {data: 2016-02-01, atto: det. 0, servizio: nido, mensilita: 12}
  - {data: 2016-05-01, atto: det. 3, servizio: pre-post, mesi: [1, 2, 3, 4, 5, 9]}
  - {data: 2016-05-10, atto: det. 4, servizio: elettorale, importo: 9800.00, giorno: 2016-04-17}
  - data: 2016-09-01
    atto: det. 5
    nuovo_servizio: {ambito: 2, codice: pre-post-2, voce: Pre scuola Via Dante,
                     canone_mensile: 1200.00, mensilita: 4, aliquota_iva: 4}
  - data: 2016-09-01
    atto: det. 6
    nuovo_servizio: {ambito: 4, codice: sportello, voce: Sportello, canone_mensile: 100.00,
                     mensilita: 3, aliquota_iva: 22}
  - data: 2016-09-01
    atto: det. 7
    nuovo_servizio: {ambito: 5, codice: potature, voce: Potature, importo: 500.00,
                     aliquota_iva: 22, mesi: [11, 12]}
  - data: 2016-09-01
    atto: det. 8
    nuovo_servizio: {ambito: 5, codice: sgombero, voce: Sgombero neve, importo: 900.00,
                     aliquota_iva: 22, rate: [{mese: 12, importo: 900.00}]}
  - {data: 2016-10-01, atto: det. 9, risorsa: {ambito: 5, voce: taglio erba Parco Chiappa, importo: 1500}}
  - {data: 2016-10-01, atto: det. 10, risorsa: {ambito: 1, voce: nuovo laboratorio, importo: 250}}
  - {data: 2016-10-15, atto: det. 11, servizio: sgombero, importo: 1000.00}
  - {data: 2016-11-01, atto: det. 12, servizio: facchinaggio, aliquota_iva: 10}
"""  # noqa: E501

#: In the order they apply: by date, those of one date in the file's order.
APPLIED = ["nido", "accoglienza", "pre-post", "pre-post", "elettorale", "pre-post-2",
           "sportello", "potature", "sgombero", "taglio erba Parco Chiappa",
           "nuovo laboratorio", "sgombero", "facchinaggio"]  # fmt: skip

#: Each line as amended: taxable amount, VAT, total.
AMENDED_LINES = {
    "nido": ("320842.44", "12833.70", "333676.14"),  # 12 × 26.736,87; 4 % = 12.833,6976
    "pre-post": ("21600.00", "864.00", "22464.00"),  # 6 × 3.600,00
    "colonia": ("62280.00", "2491.20", "64771.20"),
    "pre-post-2": ("4800.00", "192.00", "4992.00"),  # 4 × 1.200,00
    "accoglienza": ("23000.00", "920.00", "23920.00"),  # 10 × 2.300,00
    "equipe": ("87396.00", "3495.84", "90891.84"),
    "autonomia": ("42479.93", "1699.20", "44179.13"),
    "sportello": ("300.00", "66.00", "366.00"),  # 3 × 100,00 + 22 %
    "impianti": ("426842.00", "93905.24", "520747.24"),
    "facchinaggio": ("16550.00", "1655.00", "18205.00"),  # at 10 %
    "verde": ("167962.11", "36951.66", "204913.77"),
    "elettorale": ("9800.00", "2156.00", "11956.00"),
    "potature": ("500.00", "110.00", "610.00"),
    "sgombero": ("1000.00", "220.00", "1220.00"),  # the sum as amended on 15 October
}
#: The signed grand totals (1.146.628,71; 155.908,88) plus the changes of the lines:
#: taxable + 26.736,87 − 4.600,00 + 186,90 + 4.800,00 + 300,00 + 500,00 + 1.000,00 +
#: 9.800,00 = + 38.723,77; VAT + 1.069,48 − 184,00 + 7,48 + 192,00 + 66,00 + 110,00 +
#: 220,00 − 1.986,00 + 2.156,00 = + 1.650,96.
AMENDED_GRAND = ("1185352.48", "157559.84", "1342912.32")
#: 86.670,49 + 500,00 (taglio erba, 1.000,00 → 1.500,00) + 250,00 (a new item).
AMENDED_RESOURCES = "87420.49"


@pytest.fixture
def amended_file(data_text: str, write_data: WriteData) -> Path:
    """The 2016 agreement with a second open item after the electoral service, and the
    amendments above."""
    marker = (
        "        voce: Servizio elettorale (allestimento sedi per le consultazioni referendarie)\n"
        "        aliquota_iva: 22\n"
        "        tipo: una_tantum        # due once its day (giorno) has passed\n"
    )
    assert data_text.count(marker) == 1
    text = data_text.replace(
        marker, marker + "      - {codice: seggi, voce: Seggi, aliquota_iva: 22}\n"
    )
    return write_data(text + AMENDMENTS, "variato.yaml")


def totals(invoke: Invoke, path: Path, *more: str) -> Any:
    result = invoke("--data", str(path), "totals", "-f", "json", *more)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_every_kind_of_amendment_applies(invoke: Invoke, amended_file: Path) -> None:
    """A fee, a number of months (with the months they cover), the months themselves, a
    VAT rate, a sum (which drops its instalments), an open item given its sum, lines
    added to their own ambiti, a consortium item changed and one added: the figures are
    the hand-worked ones, in the order amendments apply."""
    document = totals(invoke, amended_file)
    lines = {r["codice"]: (r["imponibile"], r["iva"], r["totale"])
             for a in document["ambiti"] for r in a["righe"]}  # fmt: skip
    assert lines == AMENDED_LINES
    codes = {a["numero"]: [r["codice"] for r in a["righe"]] for a in document["ambiti"]}
    assert codes == {
        1: ["nido"],
        2: ["pre-post", "colonia", "pre-post-2"],
        3: ["accoglienza", "equipe"],
        4: ["autonomia", "sportello"],
        5: ["impianti", "facchinaggio", "verde", "elettorale", "potature", "sgombero"],
    }
    assert [d["codice"] for d in document["ambiti"][4]["da_definire"]] == ["seggi"]
    assert (document["imponibile"], document["iva"], document["totale"]) == AMENDED_GRAND
    assert document["risorse_consorzio"]["totale"] == AMENDED_RESOURCES
    assert [v["chiave"] for v in document["variazioni"]] == APPLIED
    kinds = {v["chiave"]: v["tipo"] for v in document["variazioni"]}
    assert (kinds["taglio erba Parco Chiappa"], kinds["nuovo laboratorio"]) == (
        "variazione",
        "aggiunta",
    )
    assert (kinds["pre-post-2"], kinds["nido"]) == ("aggiunta", "variazione")


def test_the_draft_folds_every_kind_in(invoke: Invoke, amended_file: Path, tmp_path: Path) -> None:
    """Next year's draft holds each line as amended, with the months it now covers: the
    nursery's twelve, none left for ten monthly fees, the new lines from their own
    month (or the months they state), and a sum changed without its old instalments."""
    target = tmp_path / "bozza.yaml"
    result = invoke("--data", str(amended_file), "bozza", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    draft = parse_agreement(target.read_bytes(), str(target))
    lines = {s.codice: s for a in draft.ambiti for s in a.servizi}
    assert lines["nido"].mesi == tuple(range(1, 13))  # 12 fees: the whole year
    assert (lines["accoglienza"].mensilita, lines["accoglienza"].mesi) == (10, None)
    assert lines["pre-post"].mesi == (1, 2, 3, 4, 5, 9)
    assert lines["pre-post-2"].mesi == (9, 10, 11, 12)  # 4 fees from September
    assert (lines["sportello"].mensilita, lines["sportello"].mesi) == (3, None)  # 3 ≠ 4 left
    assert lines["potature"].mesi == (11, 12)  # as it states them
    elettorale = lines["elettorale"]
    # A one-off service keeps to its day, not to months; the day (the referendum of
    # 17 April 2016) is not carried into next year's draft.
    assert (str(elettorale.importo), elettorale.mesi, elettorale.giorno) == ("9800.00", None, None)
    sgombero = lines["sgombero"]
    assert (str(sgombero.importo), sgombero.rate, sgombero.mesi) == ("1000.00", (), None)


def test_a_new_line_with_instalments_keeps_them(
    invoke: Invoke, data_text: str, write_data: WriteData, tmp_path: Path
) -> None:
    """A line added with its instalments is not given months of its own."""
    path = write_data(data_text + AMENDMENTS.split("  - {data: 2016-10-01")[0])
    target = tmp_path / "bozza.yaml"
    assert invoke("--data", str(path), "bozza", "-o", str(target)).exit_code == 0
    lines = {s.codice: s for a in parse_agreement(target.read_bytes()).ambiti for s in a.servizi}
    sgombero = lines["sgombero"]
    assert sgombero.mesi is None
    assert [(r.mese, str(r.importo)) for r in sgombero.rate] == [(12, "900.00")]


# --- diff ----------------------------------------------------------------------------


def test_diff_of_the_amended_year(invoke: Invoke, amended_file: Path) -> None:
    """`diff FILE --al 2016-12-31`: each line added or changed, with its effect; the
    change in percent of the old figure, exactly, and the ratio's in points."""
    result = invoke("diff", str(amended_file), "--al", "2016-12-31", "-f", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    effects = {e["chiave"]: e for e in document["effetti"]}
    nido = effects["servizio.nido.totale"]
    assert (nido["prima"], nido["dopo"], nido["differenza"]) == (
        "305869.79",
        "333676.14",
        "27806.35",
    )
    # 27.806,35 / 305.869,79 × 100, to the 28 digits of a division.
    assert abs(Fraction(nido["variazione_percentuale"]) - Fraction(2780635 * 100, 30586979)) < (
        Fraction(1, 10**25)
    )
    added = effects["servizio.pre-post-2.totale"]
    assert (added["prima"], added["dopo"], added["differenza"]) == (None, "4992.00", None)
    grand = effects["totale"]
    assert (grand["prima"], grand["dopo"]) == ("1302537.59", AMENDED_GRAND[2])
    ratio = effects["risorse.percentuale"]
    assert (ratio["unita"], ratio["variazione_percentuale"]) == ("%", None)
    # 87.420,49 / 1.185.352,48 − 86.670,49 / 1.146.628,71, in points.
    points = Fraction(8742049 * 100, 118535248) - Fraction(8667049 * 100, 114662871)
    assert abs(Fraction(ratio["differenza"]) - points) < Fraction(1, 10**25)
    assert {e["unita"] for k, e in effects.items() if k != "risorse.percentuale"} == {"EUR"}


def _diff(invoke: Invoke, old: Path | str, new: Path | str) -> Any:
    result = invoke("diff", str(old), str(new), "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_diff_of_the_consortiums_items_and_shares(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """An item changed, one renamed (removed and added), a share changed: those and
    nothing else, each with the ambito it belongs to."""
    text = data_text.replace("{voce: sportello ludopatia, importo: 1500}",
                             "{voce: sportello ludopatia, importo: 1800}")  # fmt: skip
    text = text.replace("{voce: coordinamento azioni, importo: 3000}",
                        "{voce: coordinamento delle azioni, importo: 3000}")  # fmt: skip
    text = text.replace("quota_1_percento: 1550.49", "quota_1_percento: 1600.00")
    document = _diff(invoke, "data/ambiti_2016.yaml", write_data(text))
    assert [(c["tipo"], c["chiave"], c["ambito"], c["campo"], c["prima"], c["dopo"])
            for c in document["cambi"]] == [
        ("risorsa", "sportello ludopatia", 3, "importo", "1500", "1800"),
        ("risorsa", "coordinamento azioni", 4, "rimosso", "3000", None),
        ("risorsa", "coordinamento delle azioni", 4, "aggiunto", None, "3000"),
        ("quota 1%", "5", 5, "quota_1_percento", "1550.49", "1600"),
    ]  # fmt: skip
    effects = {e["chiave"]: e["differenza"] for e in document["effetti"]}
    assert effects["risorse.totale"] == "349.51"  # + 300,00 + 49,51


def test_diff_of_the_nursery_tiers(invoke: Invoke, data_text: str, write_data: WriteData) -> None:
    """A tier split in two: the old one removed, the two new ones added, in that order."""
    old = "    - {iscritti_min: 21, iscritti_max: 26, canone_mensile: 22909.58}\n"
    new = (
        "    - {iscritti_min: 21, iscritti_max: 23, canone_mensile: 22000.00}\n"
        "    - {iscritti_min: 24, iscritti_max: 26, canone_mensile: 22909.58}\n"
    )
    assert data_text.count(old) == 1
    document = _diff(invoke, "data/ambiti_2016.yaml", write_data(data_text.replace(old, new)))
    cambi = [(c["tipo"], c["chiave"], c["campo"], c["prima"], c["dopo"]) for c in document["cambi"]]
    assert cambi == [
        ("fascia", "21–26", "rimosso", "22909.58", None),
        ("fascia", "21–23", "aggiunto", None, "22000"),
        ("fascia", "24–26", "aggiunto", None, "22909.58"),
    ]  # fmt: skip


def test_diff_of_agreements_without_a_nursery(invoke: Invoke, write_data: WriteData) -> None:
    """Two agreements with no nursery tiers: a fee line added, and nothing about tiers."""
    base = (
        "documento: {titolo: T, comune: C, consorzio: K, anno: 2016}\n"
        "ambiti:\n"
        "  - numero: 1\n"
        "    titolo: Uno\n"
        "    servizi:\n"
        "      - {codice: mensa, voce: Mensa, importo: 1000, aliquota_iva: 4}\n"
    )
    more = base + "      - {codice: trasporto, voce: Trasporto, importo: 500, aliquota_iva: 10}\n"
    document = _diff(invoke, write_data(base, "a.yaml"), write_data(more, "b.yaml"))
    assert [(c["tipo"], c["chiave"], c["campo"]) for c in document["cambi"]] == [
        ("servizio", "trasporto", "aggiunto")
    ]
    effects = {e["chiave"]: (e["prima"], e["dopo"]) for e in document["effetti"]}
    assert effects["servizio.trasporto.totale"] == (None, "550.00")  # 500,00 + 10 %
    assert effects["totale"] == ("1040.00", "1590.00")


def test_the_months_a_line_covers_follow_its_amendments(write_data: WriteData) -> None:
    """Twelve fees after an amendment cover the year; a monthly fee without stated
    months keeps none when its number changes; a sum keeps its months when it changes.
    These are the records the monitoring of the year reads its schedule from."""
    text = (
        "documento: {titolo: T, comune: C, consorzio: K, anno: 2016}\n"
        "ambiti:\n"
        "  - numero: 1\n"
        "    titolo: Uno\n"
        "    servizi:\n"
        "      - {codice: asilo, voce: A, canone_mensile: 100, mensilita: 11,\n"
        "         mesi: [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12], aliquota_iva: 4}\n"
        "      - {codice: corsi, voce: C, canone_mensile: 100, mensilita: 5, aliquota_iva: 4}\n"
        "      - {codice: feste, voce: F, importo: 300, mesi: [6, 12], aliquota_iva: 22}\n"
        "variazioni:\n"
        "  - {data: 2016-02-01, atto: a, servizio: asilo, mensilita: 12}\n"
        "  - {data: 2016-02-01, atto: b, servizio: corsi, mensilita: 4}\n"
        "  - {data: 2016-02-01, atto: c, servizio: feste, importo: 400}\n"
    )
    version = amended(parse_agreement(write_data(text).read_bytes())).agreement
    asilo, corsi, feste = version.ambiti[0].servizi
    assert (asilo.mensilita, asilo.mesi) == (12, tuple(range(1, 13)))
    assert (corsi.mensilita, corsi.mesi) == (4, None)
    assert (str(feste.importo), feste.mesi) == ("400.00", (6, 12))
