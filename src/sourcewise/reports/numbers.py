"""How a number reads wherever sourcewise shows one: terminal tables, HTML pages and reports,
SVG and Plotly charts. One formatter per kind of number; the inner layers word their own
messages.

* ``money``: an exact amount to its currency's minor unit (babel's CLDR data: 2 decimals for
  USD, none for JPY), thousands separated: ``1,234.50 USD``.
* ``compact``: an amount for a narrow cell, a bar end or an axis: ``1.23 M USD``, ``−761.60 k``.
* ``readable``: a measure at any magnitude: ``10,180``, ``55.31``, ``0.2442``.
* ``percent``: a share as a percentage: ``12.5 %``.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal

MISSING = "–"
"""What a missing value reads as."""
MINUS = "−"
"""The minus sign of compact amounts (U+2212): the width of a plus sign, so columns align."""


def money(value: Decimal | float | None, currency: str = "", missing: str = MISSING) -> str:
    """``1,234.50 USD``: exact, to the currency's minor unit (2 decimals without a currency)."""
    if value is None:
        return missing
    if not currency:
        return format_decimal(value, "#,##0.00", locale="en")
    return format_currency(value, currency, format="#,##0.00 ¤¤", locale="en", currency_digits=True)


def compact(value: float | None, unit: str = "", missing: str = MISSING) -> str:
    """``1.23 M USD`` for 1,234,567 USD: short enough for a table cell, a bar end or an axis."""
    if value is None:
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
    if value is None:
        return missing
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def percent(
    value: float | None, digits: int = 0, signed: bool = False, missing: str = MISSING
) -> str:
    """A share (0.125) as a percentage with ``digits`` decimals: ``12.5 %``; ``signed`` for a
    change (``+12.5 %``)."""
    if value is None:
        return missing
    return f"{100 * value:{'+' if signed else ''}.{digits}f} %"
