"""The language of everything a person reads: one place that loads the catalog.

Source strings are English and marked in the code with :func:`_` (or
:func:`ngettext` for plurals, :func:`N_` for strings defined at import time and
translated where they are shown). The Italian catalog lives in
``locale/it/LC_MESSAGES/crema_budget.po`` and ships compiled (``.mo``); English
needs no catalog. Babel's ``pybabel extract`` / ``update`` / ``compile`` manage
it (see the README's Development section).

The language is chosen once per run, before any message is made: ``--locale``
if given, else the environment (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
Italian. Only the catalog of the language in use is read.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterable
from pathlib import Path

DOMAIN = "crema_budget"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

#: The languages with a catalog (English is the source language).
LANGUAGES = ("it", "en")
DEFAULT_LANGUAGE = "it"

_active: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """``message`` in the active language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, by the active language's plural rule."""
    return _active.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; it is translated with :func:`_` where shown."""
    return message


def language() -> str:
    """The active language: ``it`` or ``en``."""
    return _language


def language_of(code: str) -> str | None:
    """The catalog language for a locale code (``it``, ``it_CH``, ``en-GB``,
    ``it_IT.UTF-8``), or None if there is no catalog for it."""
    base = code.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
    return base if base in LANGUAGES else None


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """The language the environment asks for, as POSIX orders it (``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``); Italian when none names a language we have."""
    environ = dict(os.environ) if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            # The first variable that is set decides, as in setlocale(3);
            # "C" or "POSIX" say nothing about language: the default applies.
            return language_of(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def activate(code: str) -> str:
    """Make ``code``'s language the active one; returns it (``it`` or ``en``).

    An unknown code activates the default language; callers validate codes
    given by the user first (:func:`language_of`).
    """
    global _active, _language
    chosen = language_of(code) or DEFAULT_LANGUAGE
    if chosen == "en":
        _active = _gettext.NullTranslations()
    else:
        _active = _gettext.translation(
            DOMAIN, localedir=str(LOCALE_DIR), languages=[chosen], fallback=True
        )
    _language = chosen
    return chosen


def whole(number: int) -> str:
    """A whole number as the active language groups its digits: ``1.000`` in
    Italian, ``1,000`` in English (for messages; figures in tables go through Babel)."""
    grouped = f"{number:,}"
    return grouped.replace(",", ".") if _language == "it" else grouped


def without_accents(word: str) -> str:
    """``word`` without accents and case: ``Equipé`` → ``equipe``."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def closest(word: str, known: Iterable[str]) -> str | None:
    """The one of ``known`` nearest to ``word``, compared without accents or case
    (a typed ``equipé`` finds ``equipe``), or None when none is close."""
    import difflib

    plain: dict[str, str] = {}
    for candidate in known:
        plain.setdefault(without_accents(candidate), candidate)
    found = difflib.get_close_matches(without_accents(word), list(plain), n=1)
    return plain[found[0]] if found else None
