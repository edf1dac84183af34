"""The trusting walk reads a well-formed file exactly as the careful walk does, and gives
up on anything else, so that every problem is still found and worded by the careful walk.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crema_budget.agreement import fileformat
from crema_budget.documents import encode
from crema_budget.reading import cache
from crema_budget.reading.messages import Lines
from crema_budget.reading.shape import shape_of
from crema_budget.reading.trusting import plain_data
from crema_budget.reading.walk import Walk
from crema_budget.year.register import Registro

ROOT = Path(__file__).resolve().parent.parent
AGREEMENT = shape_of(fileformat.Agreement)


def careful(text: str, shape: object) -> object:
    walk = Walk(text, "f.yaml", Lines(text), shape)  # type: ignore[arg-type]
    data = walk.run()
    assert not walk.failed, walk.report()
    return data


@pytest.mark.parametrize(
    ("name", "root"),
    [
        ("data/ambiti_2016.yaml", fileformat.Agreement),
        ("examples/ambiti_2016_variato.yaml", fileformat.Agreement),
        ("examples/registro_2016.yaml", Registro),
    ],
)
def test_a_well_formed_file_reads_the_same_both_ways(name: str, root: type) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    shape = shape_of(root)
    trusted = plain_data(text, shape)
    assert trusted is not None
    assert trusted == careful(text, shape)


#: Every way the formats' subset writes a value: each must read as the careful walk reads it.
WELL_FORMED = [
    "documento:\n  titolo: 'it''s'\n  comune: \"Crema \\u00e8\"\n",
    "documento: {titolo: a b, comune: ~, consorzio: null, anno: ''}\n",
    "documento:\n  titolo: >\n    folded\n    text\n  comune: |\n    kept\n    lines\n",
    "documento:\n  titolo: plain\n    continued\n  anno: 012  # a comment\n",
    "documento:\n  titolo:\n  anno: '2016'\nambiti: []\n",
    "ambiti:\n- numero: 1\n  servizi: [{codice: a, canone_mensile: .5}]\n",
]


@pytest.mark.parametrize("text", WELL_FORMED)
def test_every_style_of_value_reads_the_same_both_ways(text: str) -> None:
    assert plain_data(text, AGREEMENT) == careful(text, AGREEMENT)


#: What only the careful walk may read: it says what is wrong, and where.
STRAYS = [
    "documento: &a {titolo: x}\n",  # an anchor
    "documento:\n  titolo: !!str x\n",  # a tag
    "documento:\n  titolo: x\n  titolo: y\n",  # a duplicate key
    "documento:\n  titola: x\n",  # an unknown key
    "documento:\n  <<: {titolo: x}\n",  # a merge key
    "documento: [x]\n",  # a list where a mapping belongs
    "documento:\n  titolo: [x]\n",  # a list where a value belongs
    "documento: x\n",  # a value where a mapping belongs
    "documento:\n  titolo: 'x\n",  # a syntax error
    "documento: {}\n---\ndocumento: {}\n",  # two documents
    "- a\n",  # not a mapping
    "? [a]\n: b\n",  # a key that is a list
]


@pytest.mark.parametrize("text", STRAYS)
def test_the_trusting_walk_gives_up_on_anything_unusual(text: str) -> None:
    assert plain_data(text, AGREEMENT) is None


def test_documents_read_the_same_without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    document = {"schema": "x", "ok": True, "items": iter([{"a": "è", "b": None}] * 1100)}
    fast = encode.dumps(dict(document, items=iter([{"a": "è", "b": None}] * 1100)))
    monkeypatch.setattr(encode, "item_encoder", lambda: encode._stdlib_items)
    slow = encode.dumps(document)
    assert fast == slow
    assert json.loads(fast)["items"] == [{"a": "è", "b": None}] * 1100


def test_a_cache_entry_is_the_json_of_its_records(agreement: object) -> None:
    assert json.loads(cache.serialise(agreement)) == json.loads(json.dumps(cache.encode(agreement)))


@pytest.mark.parametrize("name", ["data/ambiti_2016.yaml", "examples/ambiti_2016_variato.yaml"])
def test_bytes_read_as_they_are_give_the_text_s_data(name: str) -> None:
    """libyaml reads a file's bytes itself (no text of the whole file is made): the
    data is the text's, a byte-order mark before it changing nothing."""
    raw = (ROOT / name).read_bytes()
    expected = plain_data(raw.decode("utf-8"), AGREEMENT)
    assert expected is not None
    assert plain_data(raw, AGREEMENT) == expected
    assert plain_data(b"\xef\xbb\xbf" + raw, AGREEMENT) == expected


def test_ambiti_validated_one_by_one_are_the_models_of_the_whole() -> None:
    """Ambiti validated as they are read are the very models that validating the
    whole file's data gives, and the records made from them, releasing each model as
    its record is made, are those made keeping them."""
    raw = (ROOT / "examples/ambiti_2016_variato.yaml").read_bytes()
    whole = plain_data(raw, AGREEMENT)
    one_by_one = plain_data(raw, AGREEMENT, one_by_one="ambiti")
    assert whole is not None
    assert one_by_one is not None
    assert all(isinstance(a, fileformat.Ambito) for a in one_by_one["ambiti"])
    kept = fileformat.Agreement.model_validate(whole)
    spent = fileformat.Agreement.model_validate(one_by_one)
    assert spent == kept
    records = fileformat.to_model(kept)
    assert len(kept.ambiti) == 5  # kept: making records without release spends nothing
    assert fileformat.to_model(spent, release=True) == records
    assert spent.ambiti == []  # spent: its ambiti went as their records came
    assert [a.numero for a in records.ambiti] == [1, 2, 3, 4, 5]  # in the order written


def test_an_ambito_that_is_not_valid_makes_the_trusting_walk_give_up() -> None:
    """Validated one by one, an ambito with a problem (here a fee line with no fee)
    stops the trusting walk: the careful walk says what is wrong and where."""
    text = (
        "documento: {titolo: t, comune: c, consorzio: s, anno: 2016}\n"
        "ambiti:\n- numero: 1\n  titolo: a\n  servizi:\n  - {voce: v, aliquota_iva: 22}\n"
    )
    assert plain_data(text, AGREEMENT) is not None  # well-formed, so read without it
    assert plain_data(text, AGREEMENT, one_by_one="ambiti") is None


@pytest.mark.parametrize(
    ("bad", "byte"),
    [
        (b"\xed\xa0\x80", 0xED),  # a surrogate written in UTF-8
        (b"\xc0\xaf", 0xC0),  # an overlong "/"
        (b"\xf4\x90\x80\x80", 0xF4),  # beyond U+10FFFF
    ],
)
def test_bytes_python_refuses_are_never_read_as_they_are(bad: bytes, byte: int) -> None:
    """What is not UTF-8 to Python is refused with its place, even where libyaml might
    read it: the bytes go to libyaml only after they decode."""
    from crema_budget.agreement.load import parse_agreement
    from crema_budget.errors import DataError

    raw = (ROOT / "data/ambiti_2016.yaml").read_bytes().replace(b"Crema", b"Cr" + bad + b"ma", 1)
    with pytest.raises(DataError) as caught:
        parse_agreement(raw, "f.yaml")
    [problem] = caught.value.problems
    assert f"0x{byte:02x}" in problem.message
    assert "UTF-8" in problem.message


@pytest.mark.parametrize(
    ("figure", "written"),
    [
        ("1302537.59", "1302537.59"),
        ("-42100.19", "-42100.19"),
        ("0.00", "0.00"),
        ("-0.00", "-0.00"),
        ("7.558712", "7.558712"),
        ("0.0000001", "0.0000001"),  # str() would write 1E-7
        ("1E-11", "0.00000000001"),
        ("0E-9", "0.000000000"),
        ("1E+2", "100"),  # str() would write 1E+2
        ("5.5E+3", "5500"),
    ],
)
def test_a_figure_is_written_in_plain_notation_with_every_digit(figure: str, written: str) -> None:
    from decimal import Decimal

    assert encode.exact(Decimal(figure)) == written


def test_records_given_the_same_fields_share_one_set_of_them() -> None:
    """Each record still says which fields it was given (an amendment's problem is placed
    by them), and records given the same fields share one frozen set of their names
    instead of a set each: the largest part of the memory of a large file's models.
    Likewise a rate written on many lines is one Decimal."""
    line = {"voce": "v", "importo": "10", "aliquota_iva": "22"}
    first = fileformat.Servizio.model_validate(line)
    second = fileformat.Servizio.model_validate({**line, "voce": "w"})
    monthly = fileformat.Servizio.model_validate(
        {"voce": "v", "canone_mensile": "10", "mensilita": "3", "aliquota_iva": "22"}
    )
    assert first.model_fields_set == {"voce", "importo", "aliquota_iva"}
    assert monthly.model_fields_set == {"voce", "canone_mensile", "mensilita", "aliquota_iva"}
    assert second.model_fields_set is first.model_fields_set
    assert isinstance(first.model_fields_set, frozenset)  # shared, so never changed
    assert monthly.aliquota_iva is first.aliquota_iva  # one Decimal for a rate written often
