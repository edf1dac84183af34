"""Shared fixtures: the embedded agreement, a CLI runner with a fixed terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from crema_budget.cli import app
from crema_budget.loader import default_data_path, load_agreement
from crema_budget.model import Agreement

#: A fixed, colourless terminal so output is the same on every machine.
TERMINAL = {"COLUMNS": "160", "LINES": "100", "NO_COLOR": "1", "TERM": "dumb"}

Invoke = Callable[..., Result]


@pytest.fixture(scope="session")
def agreement() -> Agreement:
    """The embedded 2016 agreement, validated."""
    return load_agreement()


@pytest.fixture(scope="session")
def data_text() -> str:
    """The embedded data file's text, to copy and break in tests."""
    return default_data_path().read_text(encoding="utf-8")


@pytest.fixture
def invoke() -> Invoke:
    """Run the CLI in-process: ``invoke("nido", "--iscritti", "23")``."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), env=TERMINAL, catch_exceptions=False)

    return run


@pytest.fixture
def write_data(tmp_path: Path) -> Callable[[str], Path]:
    """Write a data file into ``tmp_path`` and return its path."""

    def write(text: str, name: str = "agreement.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
