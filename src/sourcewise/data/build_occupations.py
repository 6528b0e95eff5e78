"""Rebuild ``us_occupation_wages.csv`` from the BLS OEWS May 2023 national table.

The raw file (``data/raw/bls-oews/national_M2023_dl.csv``, see its ``SOURCES.md``) has one
row per SOC occupation with employment and gross wages, numbers quoted with thousands
separators, ``#`` for a top-coded wage and ``*`` for one not published. The packaged table keeps
the columns the cost estimates need, as plain numbers: a top-coded or missing wage is left
empty, and a top-coded one is named in ``top_coded`` so a reader knows it is "at least the
cap", never a value we made up.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

OEWS_FILE = "bls-oews/national_M2023_dl.csv"
OUTPUT = "us_occupation_wages.csv"

WAGE_COLUMNS = {
    "a_mean": "A_MEAN",
    "a_p10": "A_PCT10",
    "a_p25": "A_PCT25",
    "a_p50": "A_MEDIAN",
    "a_p75": "A_PCT75",
    "a_p90": "A_PCT90",
    "h_mean": "H_MEAN",
    "h_p10": "H_PCT10",
    "h_p25": "H_PCT25",
    "h_p50": "H_MEDIAN",
    "h_p75": "H_PCT75",
    "h_p90": "H_PCT90",
}
HEADER = ("soc_code", "title", "group", "employment", *WAGE_COLUMNS, "top_coded", "published")
TOP_CODED = "#"
NOT_PUBLISHED = "*"


def _plain(text: str, where: str) -> str:
    """``"65,470"`` -> ``65470``; ``#`` and ``*`` -> empty. Anything else is refused."""
    if text in ("", TOP_CODED, NOT_PUBLISHED):
        return ""
    number = text.replace(",", "")
    try:
        float(number)
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not a number, '#' or '*'") from None
    return number


def build_occupations(raw: Path) -> str:
    """The packaged table's text, rows in the raw file's order (SOC code order)."""
    path = raw / OEWS_FILE
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{OEWS_FILE}:{line}"
            wages = {
                key: _plain(row[column], f"{where} {column}")
                for key, column in WAGE_COLUMNS.items()
            }
            top = " ".join(key for key, column in WAGE_COLUMNS.items() if row[column] == TOP_CODED)
            published = (
                "annual"
                if row["ANNUAL"] == "TRUE"
                else "hourly"
                if row["HOURLY"] == "TRUE"
                else "both"
            )
            writer.writerow(
                (
                    row["OCC_CODE"],
                    row["OCC_TITLE"],
                    row["O_GROUP"],
                    _plain(row["TOT_EMP"], f"{where} TOT_EMP"),
                    *wages.values(),
                    top,
                    published,
                )
            )
    return out.getvalue()
