"""Loading an agreement: a data file's bytes into the program's records
(:mod:`crema_budget.agreement.model`), or a :class:`~crema_budget.errors.DataError` that
lists every problem with its line.
"""

from __future__ import annotations

from pathlib import Path

from crema_budget.agreement import fileformat, model, rules
from crema_budget.reading.loader import validate_yaml
from crema_budget.reading.source import default_data_path, read_file


def load_agreement(path: Path | None = None) -> model.Agreement:
    """Read and validate a data file (the embedded one by default).

    Raises :class:`DataError` listing every problem found, each with its line.
    """
    path = default_data_path() if path is None else path
    return parse_agreement(read_file(path), str(path))


def parse_agreement(raw: bytes | str, source: str = "<data>") -> model.Agreement:
    """Validate an agreement's bytes (or text); ``source`` names it in messages.

    Raises :class:`DataError` and nothing else for any input whatsoever.
    """
    # The bytes go to the loader as they are: a well-formed file is never decoded whole,
    # and its ambiti are validated one by one as they are read (a large file's plain
    # data is never alive whole beside its models).
    agreement = validate_yaml(
        raw, source, fileformat.Agreement, rules.consistency_problems, one_by_one="ambiti"
    )
    return fileformat.to_model(agreement, release=True)
