"""Documentation stays true: every command has an example, the README's commands exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

from crema_budget.cli import application
from crema_budget.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The user's guide, in Italian: its examples run like the README's.
GUIDE = (ROOT / "docs" / "guida.md").read_text(encoding="utf-8")
COMMANDS = sorted(
    c.name or (c.callback.__name__ if c.callback else "") for c in application().registered_commands
)


def test_there_are_commands() -> None:
    """The app registers the documented commands."""
    assert {"totals", "nido", "risorse", "check", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_an_example(invoke: Invoke, command: str) -> None:
    """`crema-budget COMMAND --help` shows an `Example:` line using the command."""
    for language, word in (("it", "Esempio"), ("en", "Example")):
        result = invoke(command, "--help", "--locale", language)
        assert result.exit_code == 0
        assert re.search(rf"{word}: crema-budget .*{command}", result.stdout), result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_example_runs_from_the_repository(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    """The example each help ends with works as typed in the repository's root (its
    output file goes to a folder of the test's own): no missing file, no usage error."""
    monkeypatch.chdir(ROOT)
    found = re.search(
        r"Example: (crema-budget [^\n]*)", invoke(command, "--help", "-l", "en").stdout
    )
    assert found is not None
    argv = shlex.split(found.group(1).partition(" > ")[0])[1:]
    for option in ("-o", "--output"):
        if option in argv:
            at = argv.index(option) + 1
            argv[at] = str(tmp_path / argv[at])
    result = invoke(*argv)
    assert result.exit_code in (0, 1), result.output  # 1: a difference or an anomaly found


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    """The README shows each command in use."""
    assert f"crema-budget {command}" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_its_part_in_the_guide(command: str) -> None:
    """The Italian guide has a part for each command, with its name as the heading."""
    assert re.search(rf"^### `{command}\b[^`]*`", GUIDE, re.M), command


def test_the_guide_is_linked_from_the_readmes_top() -> None:
    """The office staff find their guide before the developers' part begins."""
    first_part = README.split("\n## ", 1)[0]
    assert "(docs/guida.md)" in first_part


def test_the_guide_lists_every_exit_code() -> None:
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", GUIDE, re.M), code


def test_readme_opens_with_the_two_commands() -> None:
    """The README's first code block holds the install-and-run and the test commands."""
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", README, re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 2
    assert "crema-budget totals" in lines[0]
    assert "pytest" in lines[1]
    assert ".[test]" in lines[1]


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` runs the README's test command (plus linters and check)."""
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", README, re.S)
    assert block is not None
    test_command = [line for line in block.group(1).splitlines() if line.strip()][1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.strip() in ci
    assert "crema-budget check" in ci


@pytest.mark.parametrize("code", list(ExitCode))
def test_exit_codes_documented(code: ExitCode) -> None:
    """Each exit code appears in the README's exit-code table."""
    assert re.search(rf"^\|\s*`?{int(code)}`?\s*\|", README, re.M), code


def _console_examples() -> list[Any]:
    """Each ``$ crema-budget …`` of the README's and the guide's console blocks, with
    what it shows."""
    examples = []
    for name, text in (("README", README), ("guida", GUIDE)):
        # The guide indents the blocks of a numbered list: the indentation is not output.
        for indent, block in re.findall(r"^( *)```console\n(.*?)^ *```", text, re.S | re.M):
            block = "\n".join(line.removeprefix(indent) for line in block.splitlines())
            for piece in re.split(r"^\$ ", block, flags=re.M)[1:]:
                command, _, shown = piece.partition("\n")
                examples.append(pytest.param(command, shown, id=f"{name}: {command}"))
    return examples


@pytest.mark.parametrize(("command", "shown"), _console_examples())
def test_readme_examples_are_what_the_tool_prints(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str, shown: str
) -> None:
    """Every line the README or the guide shows (``…`` stands for lines left out) is
    printed by the command, in that order, on a 100-column terminal."""
    monkeypatch.chdir(ROOT)
    exit_shown = command.endswith('; echo "exit $?"')
    argv = shlex.split(command.removesuffix('; echo "exit $?"'))
    assert argv[0] == "crema-budget"
    args = argv[1:]
    if "-o" in args:  # written into a folder of the test's own
        at = args.index("-o") + 1
        args[at] = str(tmp_path / args[at])
    result = invoke(*args, width=100)
    printed = [
        line.rstrip() for line in (result.stdout + result.stderr).lstrip("\ufeff").splitlines()
    ]
    if exit_shown:
        printed.append(f"exit {result.exit_code}")
    expected = [line.rstrip() for line in shown.splitlines() if line.strip() and "…" not in line]
    at = 0
    for line in expected:
        assert line in printed[at:], f"not printed (or not in this order): {line!r}"
        at = printed.index(line, at) + 1


@pytest.mark.parametrize(
    ("kind", "path"),
    [("agreement", "data/ambiti.schema.json"), ("registro", "data/registro.schema.json")],
)
def test_the_shipped_schemas_are_current(invoke: Invoke, kind: str, path: str) -> None:
    """The schemas editors read are what `crema-budget schema` prints (regenerate them
    with `crema-budget schema > data/ambiti.schema.json` and `schema registro`)."""
    result = invoke("schema", kind)
    assert result.exit_code == 0, result.stderr
    assert (ROOT / path).read_text(encoding="utf-8") == result.stdout
