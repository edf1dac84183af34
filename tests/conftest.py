"""Shared fixtures: the embedded agreement, the CLI run in-process with a fixed terminal."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from crema_budget import i18n
from crema_budget.agreement.load import load_agreement
from crema_budget.agreement.model import Agreement
from crema_budget.cli import run
from crema_budget.reading.source import default_data_path

#: A fixed, colourless terminal and an Italian user, so output is the same everywhere.
TERMINAL = {"COLUMNS": "160", "LINES": "100", "NO_COLOR": "1", "TERM": "dumb"}
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class Result(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class _Stdin:
    """Standard input with bytes behind it, as ``sys.stdin`` offers them."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


Invoke = Callable[..., Result]


@pytest.fixture(scope="session")
def agreement() -> Agreement:
    """The embedded 2016 agreement, validated."""
    return load_agreement()


@pytest.fixture(scope="session")
def data_text() -> str:
    """The embedded data file's text, to copy and break in tests."""
    return default_data_path().read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache of validated files for the tests alone, never the user's."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def own_cache(monkeypatch: pytest.MonkeyPatch, cache_folder: Path) -> None:
    monkeypatch.setenv("CREMA_BUDGET_CACHE", str(cache_folder))


@pytest.fixture(autouse=True)
def italian(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts as an Italian user would: no language variable but LANG=it_IT."""
    for name in LANGUAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "it_IT.UTF-8")
    i18n.activate("it")


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in their English source text, for tests that compare them word for word;
    the language before is back afterwards."""
    before = i18n.language()
    i18n.activate("en")
    yield
    i18n.activate(before)


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run the CLI in-process: ``invoke("nido", "--iscritti", "23")``; ``stdin=b"..."``
    feeds standard input, ``env={...}`` sets variables, ``width=`` the terminal."""

    def run_(
        *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, width: int = 160
    ) -> Result:
        for name, value in {**TERMINAL, "COLUMNS": str(width), **(env or {})}.items():
            monkeypatch.setenv(name, value)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run_


@pytest.fixture
def write_data(tmp_path: Path) -> Callable[..., Path]:
    """Write a data file into ``tmp_path`` and return its path."""

    def write(text: str, name: str = "agreement.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
