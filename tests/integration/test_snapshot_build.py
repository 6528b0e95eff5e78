"""The shipped indicator snapshot is exactly what a fresh build from the raw files gives, and
holds the values the raw files hold."""

import csv
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pycountry
import pytest
from typer.testing import CliRunner

from sourcewise.adapters.indicator_table import load_fx_monthly, load_indicators
from sourcewise.cli import app
from sourcewise.data import build_snapshot
from sourcewise.data.build_snapshot import BuildReport, Countries, Snapshot, build, run, write
from sourcewise.domain.indicators import fx_volatility

RAW = build_snapshot.default_raw()
pytestmark = pytest.mark.skipif(
    not RAW.is_dir(), reason=f"raw data folder {RAW} absent; set SOURCEWISE_RAW_DATA to it"
)


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return build(RAW)


def _rows(snapshot: Snapshot, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(snapshot.files[name].splitlines()))


def test_shipped_files_equal_a_fresh_build(snapshot: Snapshot) -> None:
    assert sorted(snapshot.files) == [
        "fx_monthly.csv",
        "holidays.csv",
        "indicators.csv",
        "sources.csv",
        "us_occupation_wages.csv",
    ]
    for name, text in snapshot.files.items():
        shipped = resources.files("sourcewise.data").joinpath(name).read_text("utf-8")
        assert shipped == text, f"run `sourcewise data build` and commit {name}"


def test_known_values() -> None:
    countries = load_indicators()
    assert countries["US"].series["inflation_pct"][2022] == pytest.approx(8.00, abs=0.01)
    assert countries["IN"].series["inflation_pct"][2022] == pytest.approx(6.70, abs=0.01)
    # WGIData.csv, DEU, GE.EST, 2022: 1.2898074388504; its standard error 0.164331361651421
    # (RL.STD.ERR).
    assert countries["DE"].series["wgi_ge_est"][2022] == pytest.approx(1.2898074, abs=1e-5)
    assert countries["DE"].series["wgi_rl_se"][2022] == pytest.approx(0.1643314, abs=1e-6)
    latest = countries["DE"].latest("wgi_ge_est")
    assert latest is not None
    assert (latest.year, latest.source) == (2022, "wgi:GE.EST")
    assert countries["XK"].series["inflation_pct"][2022] == pytest.approx(11.58, abs=0.01)
    assert countries["TW"].latest("wgi_rl_est") is not None  # WGI's TWN, not in the WB list
    # Cambodia's minimum wage is set in US$; ILO files it under local currency.
    assert countries["KH"].series["min_wage_usd_month"][2023] == 200
    assert countries["US"].series["earnings_ppp_month"][2022] == pytest.approx(4844.62, abs=0.01)


def test_missing_values_are_absent_never_zero(snapshot: Snapshot) -> None:
    rows = _rows(snapshot, "indicators.csv")
    assert all(row["value"] and math.isfinite(float(row["value"])) for row in rows)
    # The only zeros are the ones the World Bank publishes: North Korea's internet users.
    zeros = {(r["iso2"], r["indicator"], r["year"]) for r in rows if float(r["value"]) == 0}
    assert zeros == {("KP", "internet_pct", str(year)) for year in range(2010, 2014)}
    countries = load_indicators()
    # Blank in the raw file: India's internet users for 2022 and 2023, the US's for 2023.
    assert not {2022, 2023} & set(countries["IN"].series["internet_pct"])
    assert 2023 not in countries["US"].series["internet_pct"]
    assert countries["US"].series["internet_pct"][2022] == pytest.approx(97.1299)


def test_world_bank_aggregates_are_left_out_without_complaint(snapshot: Snapshot) -> None:
    iso2 = {row["iso2"] for row in _rows(snapshot, "indicators.csv")}
    assert all(pycountry.countries.get(alpha_2=code) or code == "XK" for code in iso2)
    countries = Countries(frozenset({"WLD", "EUU"}))
    assert countries.from_iso3("WLD", "World", "f.csv") is None
    assert countries.from_iso3("EUU", "European Union", "f.csv") is None
    assert countries.unmapped == set()
    assert not any("WLD" in line or "EUU" in line for line in snapshot.report.unmapped)
    assert len(load_indicators()) > 210


def test_names_that_cannot_be_mapped_are_reported(snapshot: Snapshot) -> None:
    unmapped = snapshot.report.unmapped
    assert any(line.endswith("CHI (Channel Islands)") for line in unmapped)
    assert "wgi/WGIData.csv: ANT (Netherlands Antilles)" in unmapped
    countries = Countries(frozenset())
    assert countries.from_name("Atlantis", "ilo.csv") is None
    assert countries.unmapped == {"ilo.csv: Atlantis"}
    # Every ILO and WGI spelling in the raw files maps, by pycountry or the explicit table.
    assert countries.from_name("Türkiye", "x") == "TR"
    assert countries.from_name("Hong Kong, China", "x") == "HK"
    assert countries.from_name("Kosovo", "x") == "XK"
    assert not any(line.startswith("ilo-") for line in unmapped)


def test_run_writes_the_files_and_prints_unmapped_to_stderr(
    snapshot: Snapshot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(RAW, tmp_path)
    captured = capsys.readouterr()
    assert "unmapped: wgi/WGIData.csv: ANT (Netherlands Antilles)" in captured.err
    assert "inflation_pct" in captured.out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*snapshot.files, "built_with.json"]
    )
    for name, text in snapshot.files.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text
    recorded = (tmp_path / "built_with.json").read_text(encoding="utf-8")
    assert all(f'"{name}"' in recorded for name in snapshot.files)


def test_a_failed_write_leaves_the_old_files_untouched(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("old a", encoding="utf-8")
    files = {"a.csv": "new a", "b.csv": "\ud800 cannot be encoded"}
    broken = Snapshot(files, BuildReport({}, {}, [], []))
    with pytest.raises(UnicodeEncodeError):
        write(broken, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "old a"


def test_cli_data_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_snapshot, "OUTPUT_DIR", tmp_path)
    result = CliRunner().invoke(app, ["data", "build", "--raw", str(RAW)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "indicators.csv").is_file()
    result = CliRunner().invoke(app, ["data", "build", "--raw", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "data build failed" in result.output


def test_sources_cover_every_source_id(snapshot: Snapshot) -> None:
    sources = {row["source"]: row for row in _rows(snapshot, "sources.csv")}
    used = {r["source"] for r in _rows(snapshot, "indicators.csv")}
    used |= {r["source"] for r in _rows(snapshot, "fx_monthly.csv")}
    assert used == set(sources)
    assert sources["wdi:FP.CPI.TOTL.ZG"]["licence"] == "CC BY 4.0"


def _ecb_month(column: str, month: str) -> list[float]:
    with (RAW / "ecb-fx/eurofxref-hist.csv").open(encoding="utf-8", newline="") as handle:
        return [
            float(row[column])
            for row in csv.DictReader(handle)
            if row["Date"].startswith(month) and row[column] != "N/A"
        ]


def test_cross_rate_against_the_euro_is_the_ecb_monthly_average() -> None:
    fx = load_fx_monthly()
    june = np.datetime64("2023-06", "M")
    inr_days = _ecb_month("INR", "2023-06")
    assert len(inr_days) == 22
    by_hand = sum(inr_days) / len(inr_days)  # INR per EUR, June 2023
    eur = fx["EUR"].usd_per_unit[fx["EUR"].months == june][0]
    inr = fx["INR"].usd_per_unit[fx["INR"].months == june][0]
    assert eur / inr == pytest.approx(by_hand, rel=1e-7)
    usd_days = _ecb_month("USD", "2023-06")
    assert eur == pytest.approx(sum(usd_days) / len(usd_days), rel=1e-7)


def test_fed_file_quotes_units_per_dollar_and_is_inverted(snapshot: Snapshot) -> None:
    # Raw monthly.csv, 2023-06: "Euro,0.9225" (EUR per US$, not US$ per EUR as SOURCES.md
    # says) and "Taiwan,30.8405". The euro comes from the ECB, Taiwan's dollar from the Fed.
    fx = load_fx_monthly()
    june = np.datetime64("2023-06", "M")
    eur = fx["EUR"].usd_per_unit[fx["EUR"].months == june][0]
    assert eur == pytest.approx(1 / 0.9225, rel=0.01)
    twd = fx["TWD"].usd_per_unit[fx["TWD"].months == june][0]
    assert twd == pytest.approx(1 / 30.8405, rel=1e-7)
    sources = {row["currency"]: row["source"] for row in _rows(snapshot, "fx_monthly.csv")}
    assert (sources["EUR"], sources["INR"], sources["TWD"]) == ("ecb:EXR", "ecb:EXR", "fed:H.10")
    assert "USD" not in sources  # implicit 1.0
    assert any("units per US$ for all 20" in note for note in snapshot.report.notes)


def test_volatility_on_the_packaged_rates() -> None:
    fx = load_fx_monthly()
    hkd = fx_volatility(fx["USD"], fx["HKD"])  # pegged
    inr = fx_volatility(fx["EUR"], fx["INR"])
    assert hkd is not None
    assert hkd < 0.01
    assert inr is not None
    assert 0.02 < inr < 0.2
    assert fx_volatility(fx["INR"], fx["EUR"]) == pytest.approx(inr)
    assert fx_volatility(fx["EUR"], fx["EUR"]) == 0.0
