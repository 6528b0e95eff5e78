"""`sourcewise locations` end to end."""

import json

from typer.testing import CliRunner

from sourcewise.cli import app

runner = CliRunner()


def test_rank_json_carries_the_documented_keys() -> None:
    args = ["locations", "rank", "--home", "US", "--for", "customer-service", "--top", "5"]
    result = runner.invoke(app, [*args, "--languages", "en", "--year", "2026", "-f", "json"])
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.output)
    assert len(ranked) == 5
    for key in (
        "country",
        "country_name",
        "score",
        "components",
        "overlap",
        "data_year",
        "sources",
    ):
        assert key in ranked[0]
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(s["licence"] for s in ranked[0]["sources"])


def test_rank_table() -> None:
    result = runner.invoke(app, ["locations", "rank", "--home", "DE", "--top", "3"])
    assert result.exit_code == 0
    assert "Locations ranked from Germany" in result.output


def test_show_one_country() -> None:
    args = ["locations", "show", "in", "--home", "US", "--year", "2026", "-f", "json"]
    data = json.loads(runner.invoke(app, args).output)
    assert data["country"] == "IN"
    assert data["overlap"]["max_hours"] == 0.0
    assert data["indicators"]["inflation_pct"]["source"] == "wdi:FP.CPI.TOTL.ZG"
    table = runner.invoke(app, ["locations", "show", "IN", "--home", "US"])
    assert "Score components" in table.output
    assert "wgi_pv_est" in table.output


def test_a_night_shift_overlaps_with_home() -> None:
    base = ["locations", "show", "PH", "--home", "US", "--year", "2026", "-f", "json"]
    day = json.loads(runner.invoke(app, base).output)
    night = json.loads(runner.invoke(app, [*base, "--follows-home-hours"]).output)
    assert day["overlap"]["max_hours"] == 0.0
    assert night["overlap"]["max_hours"] == 8.0


def test_unknown_countries() -> None:
    result = runner.invoke(app, ["locations", "show", "XX", "--home", "US"])
    assert result.exit_code == 1
    assert "unknown country code 'XX'" in result.output
    result = runner.invoke(app, ["locations", "rank", "--home", "QQ"])
    assert result.exit_code == 1


def test_bad_kind_is_a_usage_error() -> None:
    assert runner.invoke(app, ["locations", "rank", "--home", "US", "--for", "x"]).exit_code == 2
