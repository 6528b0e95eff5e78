"""The name a reader knows for a code: a country for ``MX``, a language for ``es``, an indicator
for ``wgi_rl_est``, an article's author and title for its file number ``002``. Pages and reports
show names; the codes stay in URLs, files and the API.

Countries and languages come from babel's CLDR data in English (``Mexico``, ``Spanish``,
``Kosovo`` for the user-assigned ``XK``); an unknown code reads as itself, never as nothing.
"""

from __future__ import annotations

import functools

from babel import Locale

from sourcewise.domain.articles import ARTICLES
from sourcewise.domain.indicators import INDICATOR_NAMES


@functools.cache
def _english() -> Locale:
    return Locale("en")


def country_name(code: str | None) -> str:
    """``Mexico`` for ``MX`` (ISO 3166-1 alpha-2, any case); the code itself when unknown."""
    if not code:
        return ""
    return str(_english().territories.get(code.upper(), code))


def language_name(code: str | None) -> str:
    """``Spanish`` for ``es`` (ISO 639-1 or CLDR code); the code itself when unknown."""
    if not code:
        return ""
    return str(_english().languages.get(code.lower(), code))


def indicator_name(code: str) -> str:
    """``Rule of law (WGI estimate)`` for ``wgi_rl_est``; an id without a name reads as words."""
    return INDICATOR_NAMES.get(code, code.replace("_", " "))


def article_name(number: str) -> str:
    """``Sara Schmidt, “What is the Difference Between Outsourcing and Offshoring?”`` for ``002``
    (a rule's ``seed_article``, in stored results written before ``article`` was added too)."""
    found = ARTICLES.get(number)
    return found.cited if found else f"article {number}"
