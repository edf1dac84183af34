"""Machine formats are pinned: every JSON document validates against the schema
`crema-budget schema NAME` prints, in Italian and in English; its key names are a
snapshot (tests/json-keys.txt), so renaming one fails here; every CSV header row is
pinned; and the data files, the shipped ones and the drafts `bozza` writes, validate
against the schemas of their formats, as an editor reads them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import Invoke

from crema_budget.documents.schemas import DOCUMENTS

ROOT = Path(__file__).resolve().parent.parent
DATA = "data/ambiti_2016.yaml"
VARIATO = "examples/ambiti_2016_variato.yaml"
REGISTRO = "examples/registro_2016.yaml"
KEYS_FILE = Path(__file__).resolve().with_name("json-keys.txt")
LANGUAGES = ("it", "en")

#: Every kind of JSON document the commands write, run so that each optional part
#: appears at least once: (the document, the command line).
JSON_RUNS = [
    pytest.param("totals", ("totals",), id="totals"),
    pytest.param("totals", ("--data", VARIATO, "totals"), id="totals amended"),
    pytest.param("totals", ("--data", VARIATO, "totals", "--al", "2016-05-31"), id="totals --al"),
    pytest.param("nido", ("nido", "-n", "23"), id="nido 23"),
    pytest.param("nido", ("nido", "-n", "18"), id="nido 18"),
    pytest.param("nido-fasce", ("nido",), id="nido tiers"),
    pytest.param("risorse", ("risorse",), id="risorse"),
    pytest.param("risorse", ("--data", VARIATO, "risorse"), id="risorse amended"),
    pytest.param("check", ("check",), id="check"),
    pytest.param("check", ("--data", "{broken}", "check"), id="check differs"),
    pytest.param("diff", ("diff", DATA, VARIATO), id="diff"),
    pytest.param("diff", ("diff", DATA, "{changed}"), id="diff of every kind"),
    pytest.param("diff", ("diff", DATA, DATA), id="diff equal"),
    pytest.param("report", ("report", "-o", "-"), id="report"),
    pytest.param("tempestivita", ("tempestivita", "-r", REGISTRO), id="tempestivita"),
    pytest.param(
        "tempestivita", ("tempestivita", "-r", REGISTRO, "--trimestre", "2"), id="tempestivita Q2"
    ),
    pytest.param(
        "tempestivita", ("tempestivita", "-r", REGISTRO, "--anno", "2017"), id="tempestivita none"
    ),
    pytest.param("variazioni", ("--data", VARIATO, "variazioni"), id="variazioni"),
    pytest.param("variazioni", ("variazioni",), id="variazioni none"),
    pytest.param("monitor", ("monitor", "-r", REGISTRO, "--al", "2016-06-30"), id="monitor"),
    pytest.param("monitor", ("monitor", "-r", REGISTRO, "--al", "2016-12-31"), id="monitor Dec"),
    pytest.param("monitor", ("monitor", "-r", "{plain}"), id="monitor plain register"),
    pytest.param("fatture", ("fatture", "examples/fatture"), id="fatture"),
    pytest.param("fatture", ("fatture", "examples/fatture", "-r", REGISTRO), id="fatture -r"),
    pytest.param("piano", ("piano",), id="piano"),
    pytest.param(
        "piano",
        ("piano", "--registro", "examples/registro_2016.yaml", "--al", "2016-06-30"),
        id="piano monitored",
    ),
]


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture
def files(data_text: str, tmp_path: Path) -> dict[str, str]:
    """Data files written for the runs: one with figures that differ or are missing,
    one with a change of every kind `diff` reports."""
    broken = data_text.replace("totale: 305869.79", "totale: 305869.80", 1)
    broken = _replace_once(broken, "    totale: 86670.49\n", "")
    broken = _replace_once(broken, "percentuale: 7.5", "percentuale: 7.4")
    changed = _replace_once(data_text, "anno: 2016", "anno: 2017")
    changed = _replace_once(changed, "stato: firmato", "stato: bozza")
    changed = _replace_once(changed, "canone_mensile: 3568.85", "canone_mensile: 3600.50")
    changed = _replace_once(changed, "mensilita: 6", "mensilita: 5")
    changed = _replace_once(changed, "mesi: [1, 2, 3, 4, 5, 6]", "mesi: [1, 2, 3, 4, 5]")
    changed = _replace_once(changed, "codice: verde", "codice: verde-pubblico")
    changed = _replace_once(changed, "voce: Facchinaggio\n", "voce: Facchinaggio e traslochi\n")
    changed = _replace_once(
        changed,
        "{voce: sportello ludopatia, importo: 1500}",
        "{voce: sportello gioco, importo: 1500}",
    )
    changed = _replace_once(changed, "canone_mensile: 19304.08}", "rimodulazione: true}")
    changed = _replace_once(changed, "quota_1_percento: 1550.49", "quota_1_percento: 1600")
    # The work plan: words, timing in words and months, a start, under way no more.
    changed = _replace_once(
        changed, "'Sviluppo di strumenti e di", "'Sviluppo di nuovi strumenti e di"
    )
    changed = _replace_once(
        changed,
        "quando: 'giugno e dicembre'\n        mesi: [6, 12]",
        "quando: 'giugno'\n        mesi: [6]",
    )
    changed = _replace_once(
        changed,
        "multiprofessionale'\n        quando: 'in corso'\n        in_corso: true",
        "multiprofessionale'\n        quando: 'da febbraio'\n        inizio: 2",
    )
    start = changed.index("    da_definire:")
    changed = changed[:start] + changed[changed.index("    dichiarato:", start) :]
    paths = {}
    for name, text in (("broken", broken), ("changed", changed)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    # A register with none of the optional sections: no resources, nothing committed.
    plain = tmp_path / "plain.yaml"
    plain.write_text(
        "iscritti_nido: {2016-01: 27}\nfatture:\n  - {numero: F1, data: 2016-02-05, "
        "servizio: nido, competenza: 2016-01, imponibile: 26736.87, aliquota_iva: 4, "
        "iva: 1069.47, pagata: 2016-03-01}\n",
        encoding="utf-8",
    )
    paths["plain"] = str(plain)
    return paths


def run_json(invoke: Invoke, args: tuple[str, ...], files: dict[str, str], language: str) -> Any:
    argv = [arg.format(**files) for arg in args]
    result = invoke(*argv, "--format", "json", "--locale", language)
    assert result.exit_code in (0, 1, 3), result.stderr
    return json.loads(result.stdout)


def validator(invoke: Invoke, name: str) -> jsonschema.Draft202012Validator:
    result = invoke("schema", name)
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def problems(check: jsonschema.Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in check.iter_errors(document)
    ]


def key_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """Every key of a document, as a path: ``ambiti[].righe[].iva``."""
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from key_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            yield from key_paths(item, f"{prefix}[]")


def pinned_keys() -> dict[str, set[str]]:
    """The snapshot: ``document: key.path`` per line."""
    found: dict[str, set[str]] = {}
    for line in KEYS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, path = line.partition(": ")
            found.setdefault(name, set()).add(path)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "args"), JSON_RUNS)
def test_every_json_document_validates_against_its_schema(
    invoke: Invoke, files: dict[str, str], name: str, args: tuple[str, ...], language: str
) -> None:
    """What the command writes is what its schema says, key by key and figure by
    figure, and names that schema and its version."""
    document = run_json(invoke, args, files, language)
    assert document["schema"] == f"crema-budget/{name}/{DOCUMENTS[name].version}"
    assert problems(validator(invoke, name), document) == []


@pytest.mark.parametrize(("name", "args"), JSON_RUNS)
def test_json_keys_do_not_change_with_the_language(
    invoke: Invoke, files: dict[str, str], name: str, args: tuple[str, ...]
) -> None:
    """Every key, at every depth, and every identifier is the same in Italian and in
    English; only the texts for people follow the language."""
    italian = run_json(invoke, args, files, "it")
    english = run_json(invoke, args, files, "en")
    assert list(key_paths(italian)) == list(key_paths(english))
    assert italian["schema"] == english["schema"]


def test_json_key_names_are_pinned(invoke: Invoke, files: dict[str, str]) -> None:
    """The key paths of each document, over all its runs, are exactly the snapshot in
    tests/json-keys.txt: renaming `totale_quote_1_percento`, or any key, fails here
    even when the schema is changed with it."""
    found: dict[str, set[str]] = {}
    for run in JSON_RUNS:
        name, args = run.values
        assert isinstance(name, str)
        assert isinstance(args, tuple)
        found.setdefault(name, set()).update(key_paths(run_json(invoke, args, files, "it")))
    assert found == pinned_keys()


def test_the_snapshot_has_the_issue_s_example() -> None:
    assert "totals: risorse_consorzio.totale_quote_1_percento" in KEYS_FILE.read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("change", "says"),
    [
        pytest.param(
            lambda d: d["risorse_consorzio"].update(
                totale_quote=d["risorse_consorzio"].pop("totale_quote_1_percento")
            ),
            "'totale_quote_1_percento' is a required property",
            id="a renamed key",
        ),
        pytest.param(
            lambda d: d.update(totale=1302537.59),
            "1302537.59 is not of type 'string'",
            id="an amount as a number",
        ),
        pytest.param(
            lambda d: d.update(totale="1302537.6"),
            "'1302537.6' does not match",
            id="an amount with one decimal",
        ),
        pytest.param(
            lambda d: d["risorse_consorzio"].update(percentuale="7.5587E+0"),
            "'7.5587E+0' does not match",
            id="an exponent",
        ),
        pytest.param(
            lambda d: d["ambiti"][0]["righe"][0].update(nota="x"),
            "Additional properties are not allowed ('nota' was unexpected)",
            id="an unknown key",
        ),
        pytest.param(
            lambda d: d.update(schema="crema-budget/totals/2"),
            "'crema-budget/totals/1' was expected",
            id="another version",
        ),
    ],
)
def test_the_schema_refuses_what_it_does_not_describe(
    invoke: Invoke, change: Any, says: str
) -> None:
    """The schema has teeth: a renamed key, a figure as a float, with other decimals or
    an exponent, an unknown key or another version are each refused, with a reason."""
    document = json.loads(invoke("totals", "-f", "json").stdout)
    change(document)
    found = problems(validator(invoke, "totals"), document)
    assert any(says in problem for problem in found), found


def _objects(schema: Any) -> Iterator[dict[str, Any]]:
    """Every object a schema describes, at any depth."""
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_object_names_its_keys(invoke: Invoke, name: str) -> None:
    """Every object of every document's schema forbids keys it does not name (a
    document that varies, the nursery's quote, does so in each variant), the monitoring
    inside the report included."""
    schema = json.loads(invoke("schema", name).stdout)
    assert schema["$id"].endswith(f"/{name}/{DOCUMENTS[name].version}.json")
    for found in _objects(schema):
        if "oneOf" in found:
            assert all(v["additionalProperties"] is False for v in found["oneOf"])
        else:
            assert found["additionalProperties"] is False, found["required"]


def test_schema_names_every_format(invoke: Invoke) -> None:
    """An unknown name is a usage error that lists the names there are."""
    result = invoke("schema", "xyz", "--locale", "en")
    assert result.exit_code == 2
    assert (
        "convenzione, registro, totals, nido, nido-fasce, risorse, check, diff, tempestivita, "
        "variazioni" in result.stderr
    )
    near = invoke("schema", "totali", "--locale", "en")
    assert "unknown schema 'totali'; did you mean totals?" in near.stderr


def test_an_exact_ratio_is_never_written_with_an_exponent(invoke: Invoke, write_data: Any) -> None:
    """€ 0,01 of resources against € 999.999.999.999,99 of fees is a ratio of
    100 / 99.999.999.999.999 %, about 10⁻¹²: written out in full, never as 1E-12."""
    path = write_data(
        "documento: {titolo: T, comune: C, consorzio: K, anno: 2016}\n"
        "ambiti:\n"
        "  - numero: 1\n"
        "    titolo: Uno\n"
        "    servizi:\n"
        "      - {voce: Servizio, importo: 999999999999.99, aliquota_iva: 0}\n"
        "    risorse_consorzio:\n"
        "      voci:\n"
        "        - {voce: Voce, importo: 0.01}\n"
    )
    document = json.loads(invoke("--data", str(path), "risorse", "-f", "json").stdout)
    ratio = document["percentuale"]
    assert ratio.startswith("0.00000000000100000000000001")
    assert abs(Fraction(ratio) - Fraction(100, 99999999999999)) < Fraction(1, 10**35)
    assert problems(validator(invoke, "risorse"), document) == []


# --- CSV -------------------------------------------------------------------------

CSV_HEADERS = [
    pytest.param(
        ("totals",),
        "ambito,codice,voce,periodo,canone_mensile,mensilita,imponibile,aliquota_iva,iva,"
        "totale,riga",
        id="totals",
    ),
    pytest.param(("nido", "-n", "23"), "voce,mensile,annuo,differenza,riga", id="nido 23"),
    pytest.param(("nido", "-n", "18"), "iscritti,fascia,canone_mensile,riga", id="nido 18"),
    pytest.param(
        ("nido",),
        "iscritti,iscritti_min,iscritti_max,canone_mensile,iva_mensile,totale_mensile,"
        "totale_annuo,riga",
        id="nido tiers",
    ),
    pytest.param(("risorse",), "ambito,voce,risorse,quota_1_percento,totale,riga", id="risorse"),
    pytest.param(
        ("risorse", "--voci"), "ambito,voce,risorse,quota_1_percento,totale,riga", id="voci"
    ),
    pytest.param(("check",), "chiave,dove,cifra,dichiarato,calcolato,esito,stato,riga", id="check"),
    pytest.param(("diff", DATA, VARIATO), "tipo,chiave,cosa,campo,prima,dopo,riga", id="diff"),
    pytest.param(
        ("report", "-o", "-"),
        "ambito,titolo,imponibile,iva,totale,risorse,quota_1_percento,riga",
        id="report",
    ),
]


@pytest.mark.parametrize(("args", "header"), CSV_HEADERS)
def test_csv_headers_are_pinned(invoke: Invoke, args: tuple[str, ...], header: str) -> None:
    """`--format csv` is for scripts: its header row is these identifiers, in this
    order, in every language."""
    for language in LANGUAGES:
        result = invoke(*args, "--format", "csv", "--locale", language)
        assert result.exit_code in (0, 1, 3)
        assert result.stdout.splitlines()[0] == header


# --- the data formats ----------------------------------------------------------------


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: numbers are numbers, booleans
    booleans, but a date stays text (YAML 1.2 has no timestamps)."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def editor_view(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader)


@pytest.fixture
def drafts(invoke: Invoke, tmp_path: Path) -> list[Path]:
    """The drafts `bozza` writes, without and with the computed figures, and from the
    amended example."""
    written = []
    for name, args in (
        ("rimossi.yaml", ()),
        ("calcolati.yaml", ("--dichiarati", "calcolati")),
        ("variato.yaml", ("--data", VARIATO)),
    ):
        target = tmp_path / name
        assert invoke("bozza", *args, "-o", str(target)).exit_code == 0
        written.append(target)
    return written


def test_data_files_validate_against_their_schema(invoke: Invoke, drafts: list[Path]) -> None:
    """The shipped agreement, the amended example, every draft `bozza` writes and the
    example register are valid under `crema-budget schema` and `schema registro`."""
    agreement = validator(invoke, "agreement")
    for path in [ROOT / DATA, ROOT / VARIATO, *drafts]:
        assert problems(agreement, editor_view(path)) == [], path
    registro = validator(invoke, "registro")
    assert problems(registro, editor_view(ROOT / "examples" / "registro_2016.yaml")) == []


def test_the_example_with_mistakes_is_refused_by_the_schema(invoke: Invoke) -> None:
    """The draft written with mistakes on purpose is refused by the schema at the
    mistakes an editor can see: the Italian-style amount, thirteen months, a rate with
    its % sign and a misspelt key."""
    found = problems(
        validator(invoke, "agreement"), editor_view(ROOT / "examples" / "bozza_2017_errori.yaml")
    )
    assert [problem.partition(":")[0] for problem in found] == [
        "ambiti/1/servizi/0/canone_mensile",
        "ambiti/1/servizi/0/mensilita",
        "ambiti/4/servizi/1/aliquota_iva",
        "ambiti/4/servizi/2",
    ]


def test_a_computed_zero_keeps_its_cents(invoke: Invoke, write_data: Any) -> None:
    """Where nothing is summed, an ambito the closing table lists without items and a
    total of shares when there are none, `check` writes 0.00, as it writes any amount."""
    path = write_data(
        "documento: {titolo: T, comune: C, consorzio: K, anno: 2016}\n"
        "ambiti:\n"
        "  - numero: 1\n"
        "    titolo: Uno\n"
        "    servizi: [{voce: S, importo: 100, aliquota_iva: 4}]\n"
        "    risorse_consorzio: {voci: [{voce: Voce, importo: 300}]}\n"
        "  - {numero: 2, titolo: Due, servizi: [{voce: S, importo: 100, aliquota_iva: 4}]}\n"
        "risorse_consorzio:\n"
        "  dichiarato: {per_ambito: {1: 300, 2: 0}, totale_quote: 0, totale: 300}\n"
    )
    result = invoke("--data", str(path), "check", "-f", "json")
    document = json.loads(result.stdout)
    computed = {c["chiave"]: c["calcolato"] for c in document["checks"]}
    assert computed["risorse.ambito.2"] == "0.00"
    assert computed["risorse.totale_quote"] == "0.00"
    assert problems(validator(invoke, "check"), document) == []
