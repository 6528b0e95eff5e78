import pytest

from sourcewise.domain.problems import format_path, parse_path


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("company.discount_rate", ("company", "discount_rate")),
        (
            "functions[0].options[12].goods.unit_price",
            ("functions", 0, "options", 12, "goods", "unit_price"),
        ),
    ],
)
def test_parse_path_is_the_inverse_of_format_path(text: str, path: tuple[str | int, ...]) -> None:
    assert parse_path(text) == path
    assert format_path(path) == text
