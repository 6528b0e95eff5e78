from decimal import Decimal

import pytest

from sourcewise.reports.numbers import compact, money, percent, readable


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (Decimal("1234.5"), "USD", "1,234.50 USD"),
        (Decimal("1234.5"), "JPY", "1,234 JPY"),  # no minor unit: CLDR, through babel
        (-1234.5, "EUR", "-1,234.50 EUR"),
        (1234.5, "", "1,234.50"),
        (None, "USD", "–"),
    ],
)
def test_money_is_exact_to_the_currency_minor_unit(
    value: Decimal | float | None, currency: str, text: str
) -> None:
    assert money(value, currency) == text


def test_compact_readable_and_percent() -> None:
    assert compact(1_234_567, "USD") == "1.23 M USD"
    assert compact(-761_600) == "−761.60 k"
    assert compact(950) == "950"
    assert compact(None) == "–"
    assert [readable(v) for v in (10_180.4, 55.3123, 0.24419, -0.050449)] == [
        "10,180",
        "55.31",
        "0.2442",
        "-0.05045",
    ]
    assert readable(None, missing="n/a") == "n/a"
    assert percent(0.125, 1) == "12.5 %"
