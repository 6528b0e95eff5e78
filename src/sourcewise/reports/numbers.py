"""How a number reads wherever sourcewise shows one: terminal tables, HTML pages and reports,
SVG and Plotly charts. One formatter per kind of number; the inner layers word their own
messages.

* ``money``: an exact amount to its currency's minor unit (babel's CLDR data: 2 decimals for
  USD, none for JPY), thousands separated: ``1,234.50 USD``.
* ``compact``: an amount for a narrow cell, a bar end or an axis: ``1.23 M USD``, ``−761.60 k``.
* ``readable``: a measure at any magnitude: ``10,180``, ``55.31``, ``0.2442``.
* ``percent``: a share as a percentage: ``12.5 %``.
* ``measure``: a KPI value in its unit, every value of one measure to the same decimals:
  ``66.0 %`` and ``0.80 %``, never ``66 %`` beside ``0.8029 %``.
* ``fixed``: a score or an index to fixed decimals: ``82.6``, ``+0.9``.
* ``count``: a whole number: ``1,234``; ``days``: ``1 day``, ``12 days``.

Dates read one way on every screen (babel's CLDR patterns, English):

* ``day``: a date, ``5 Jan 2026`` (a date-time shows its date only: a due date has no minutes).
* ``month``: a month in a heading or a sentence, ``January 2026``; ``month_short`` in a table
  cell or on an axis, ``Jan 2026``.
* ``moment``: a time stamp, ``5 Jan 2026 14:03 UTC``.
"""

from __future__ import annotations

import functools
import math
from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

MISSING = "–"
"""What a missing value reads as."""
MINUS = "−"
"""The minus sign of compact amounts (U+2212): the width of a plus sign, so columns align."""


def money(value: Decimal | float | None, currency: str = "", missing: str = MISSING) -> str:
    """``1,234.50 USD``: exact, to the currency's minor unit (2 decimals without a currency).
    None, NaN and infinities read as ``missing``: no amount is shown as a number it is not."""
    if value is None or not math.isfinite(value):
        return missing
    return _money(isinstance(value, Decimal), value, currency)


@functools.lru_cache(maxsize=4096)
def _money(exact: bool, value: Decimal | float, currency: str) -> str:
    # Pages show the same amounts request after request, and babel takes a tenth of a
    # millisecond each. ``exact`` keeps 1.5 and Decimal("1.5") (equal keys) apart.
    if not currency:
        return format_decimal(value, "#,##0.00", locale="en")
    return format_currency(value, currency, format="#,##0.00 ¤¤", locale="en", currency_digits=True)


def compact(value: float | None, unit: str = "", missing: str = MISSING) -> str:
    """``1.23 M USD`` for 1,234,567 USD: short enough for a table cell, a bar end or an axis."""
    if value is None or not math.isfinite(value):
        return missing
    magnitude = abs(value)
    for size, suffix in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if magnitude >= size:
            text = f"{value / size:,.2f}{suffix}"
            break
    else:
        text = f"{value:,.0f}"
    return f"{text.replace('-', MINUS)} {unit}".strip()


def readable(value: float | None, missing: str = MISSING) -> str:
    """Readable at any magnitude: 10,180 / 55.31 / 0.2442 / -0.05045 (four significant
    figures below a thousand, whole numbers above)."""
    if value is None or not math.isfinite(value):
        return missing
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def percent(
    value: float | Decimal | None, digits: int = 0, signed: bool = False, missing: str = MISSING
) -> str:
    """A share (0.125) as a percentage with ``digits`` decimals: ``12.5 %``; ``signed`` for a
    change (``+12.5 %``)."""
    if value is None or not math.isfinite(value):
        return missing
    return f"{fixed(100 * value, digits, signed)} %"


def fixed(
    value: float | Decimal | None, digits: int = 1, signed: bool = False, missing: str = MISSING
) -> str:
    """``value`` to ``digits`` decimals with thousands separated: ``82.6``, ``1,234.5``;
    ``signed`` for a change (``+0.9``). A value that rounds to zero has no sign: ``0.0``."""
    if value is None or not math.isfinite(value):
        return missing
    rounded = round(float(value), digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:{'+' if signed and rounded else ''},.{digits}f}"


def count(value: float | Decimal | None, missing: str = MISSING) -> str:
    """A whole number with thousands separated: ``12,480``."""
    if value is None or not math.isfinite(value):
        return missing
    return f"{round(float(value)):,}"


def days(value: float | Decimal | None, missing: str = MISSING) -> str:
    """A number of days: ``1 day``, ``12 days``, ``-3 days``."""
    if value is None or not math.isfinite(value):
        return missing
    whole = round(float(value))
    return f"{whole:,} day{'' if abs(whole) == 1 else 's'}"


UNIT_SUFFIX = {
    "percent": " %",
    "seconds": " s",
    "minutes": " min",
    "hours": " h",
    "days": " d",
}
"""How a KPI unit reads after its value; counts, ratios and scores carry none."""


def measure_decimals(unit: str, like: float | None) -> int:
    """The decimals a measure in ``unit`` is shown to, chosen by the magnitude of ``like`` (the
    service level's target, or the value itself): three significant figures for percentages
    (``75.0 %``, ``2.00 %``), one decimal for durations and scores, two for ratios, none for
    counts and for durations of a hundred units or more (``390 s``)."""
    size = abs(like) if like is not None and math.isfinite(like) else 0.0
    if unit == "percent":
        return 1 if size >= 10 else 2
    if unit == "ratio":
        return 2
    if unit == "count":
        return 0
    return 0 if size >= 100 else 1


def measure(
    value: float | None, unit: str, like: float | None = None, missing: str = MISSING
) -> str:
    """A KPI value in its unit, to the decimals of :func:`measure_decimals`: ``66.0 %``,
    ``0.80 %``, ``390 s``. Give ``like`` (the target) so that a target and what was attained
    read to the same decimals."""
    if value is None or not math.isfinite(value):
        return missing
    digits = measure_decimals(unit, value if like is None else like)
    return f"{fixed(value, digits)}{UNIT_SUFFIX.get(unit, '')}"


def _as_date(value: date | datetime) -> date:
    """The calendar date of ``value``; an aware date-time counts in UTC, the zone stored."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).date()
    return value


@functools.lru_cache(maxsize=4096)
def _date(value: date, pattern: str) -> str:
    return format_date(value, pattern, locale="en")


def day(value: date | datetime | None, missing: str = MISSING) -> str:
    """``5 Jan 2026``: a date, also of a date-time (due dates and periods carry no minutes)."""
    if value is None:
        return missing
    return _date(_as_date(value), "d MMM y")


def month(value: date | datetime | None, missing: str = MISSING) -> str:
    """``January 2026``: a month in a heading or a sentence."""
    if value is None:
        return missing
    return _date(_as_date(value), "MMMM y")


def month_short(value: date | datetime | None, missing: str = MISSING) -> str:
    """``Jan 2026``: a month in a table cell or on a chart axis."""
    if value is None:
        return missing
    return _date(_as_date(value), "MMM y")


def moment(value: datetime | None, seconds: bool = False, missing: str = MISSING) -> str:
    """``5 Jan 2026 14:03 UTC``: when something happened, in UTC, to the minute (to the second
    with ``seconds``, as an audit trail wants)."""
    if value is None:
        return missing
    utc = value.astimezone(UTC) if value.tzinfo else value
    return f"{day(utc)} {utc:{'%H:%M:%S' if seconds else '%H:%M'}} UTC"
