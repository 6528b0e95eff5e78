"""Occupations: finding a role by code or words, and the table build's refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcewise.data.build_occupations import OEWS_FILE, build_occupations
from sourcewise.domain.occupations import FULL_YEAR_HOURS, Occupation, Wages, find_occupations


def _occupation(code: str, title: str, group: str = "detailed", employment: int = 1) -> Occupation:
    wages = Wages(50_000, 30_000, 40_000, 48_000, 60_000, 70_000)
    return Occupation(code, title, group, employment, wages, wages.scaled(1 / 2080), (), "both")


TABLE = [
    _occupation("43-4050", "Customer Service Representatives", "broad", 3_000_000),
    _occupation("43-4051", "Customer Service Representatives", "detailed", 2_858_710),
    _occupation("15-1252", "Software Developers", "detailed", 1_656_880),
    _occupation("15-1253", "Software Quality Assurance Analysts and Testers", "detailed", 200_000),
]


def test_an_exact_title_or_code_finds_the_detailed_occupation_first() -> None:
    assert find_occupations(TABLE, "Customer Service Representatives")[1].soc_code == "43-4051"
    assert [o.soc_code for o in find_occupations(TABLE, "43-4051")] == ["43-4051"]


def test_words_match_the_starts_of_title_words_larger_employment_first() -> None:
    assert [o.soc_code for o in find_occupations(TABLE, "software")] == ["15-1252", "15-1253"]
    assert [o.soc_code for o in find_occupations(TABLE, "soft dev")] == ["15-1252"]
    assert find_occupations(TABLE, "Sofware Developers")[0].soc_code == "15-1252"
    assert find_occupations(TABLE, "") == []


def test_hourly_only_occupations_are_annualised_by_bls_hours() -> None:
    hourly = Wages(41.01, 15.0, 18.0, 25.0, 45.0, 80.0)
    none = Wages(None, None, None, None, None, None)
    actors = Occupation("27-2011", "Actors", "detailed", 62_560, none, hourly, (), "hourly")
    wages, derived = actors.annual_wages()
    assert derived
    assert wages.mean == pytest.approx(41.01 * FULL_YEAR_HOURS)


def test_the_build_names_the_file_line_and_column_of_a_bad_number(tmp_path: Path) -> None:
    source = Path(__file__).parents[3] / "data/raw" / OEWS_FILE
    if not source.exists():
        pytest.skip(f"{source} absent")
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace('"137,750"', '"13x,750"', 1)
    broken = tmp_path / OEWS_FILE
    broken.parent.mkdir(parents=True)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"national_M2023_dl\.csv:3 A_MEAN: '13x,750'"):
        build_occupations(tmp_path)
