"""The Jinja filters that format numbers, dates and codes, the same for the web pages and the
HTML reports: ``{{ value|measure(unit, target) }}``, ``{{ due|day }}``, ``{{ iso|country_name }}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sourcewise.reports import names, numbers

FILTERS: Mapping[str, Callable[..., Any]] = {
    "money": numbers.money,
    "compact": numbers.compact,
    "percent": numbers.percent,
    "number": numbers.readable,
    "readable": numbers.readable,
    "fixed": numbers.fixed,
    "count": numbers.count,
    "days": numbers.days,
    "measure": numbers.measure,
    "day": numbers.day,
    "month": numbers.month,
    "month_short": numbers.month_short,
    "moment": numbers.moment,
    "country_name": names.country_name,
    "language_name": names.language_name,
    "indicator_name": names.indicator_name,
    "article_name": names.article_name,
}
