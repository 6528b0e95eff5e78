"""Writes measurements.csv and costs.csv for the example engagement (synthetic, seeded).

The story the data tells, for the demo: availability misses its target in March 2026 and then
meets it for three months (the credit is earned back in June); first contact resolution slips
from August as experienced agents leave (a talent shortage: a breach streak and a drift
alert); everything else stays in control. Run `python examples/governance/generate.py` to
rebuild the files; the numbers are illustrative, not from any real provider.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
ENGAGEMENT = "Customer service Monterrey"
FIRST_MONDAY = date(2026, 1, 5)
WEEKS = 46  # to mid-November 2026


def weekly_rows(rng: np.random.Generator) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for week in range(WEEKS):
        day = FIRST_MONDAY + timedelta(weeks=week)
        contacts = int(rng.integers(5200, 6400))
        availability = 99.82 + rng.normal(0, 0.08)
        if day.month == 3:
            availability = 99.1 + rng.normal(0, 0.1)  # a telephony-platform incident
        fcr = 81.5 + rng.normal(0, 0.8)
        if day >= date(2026, 8, 3):
            # Senior agents leave for a competitor's new centre: resolution slides.
            fcr -= min(1.0 * ((day - date(2026, 8, 3)).days / 7 + 6), 16.0)
        defects = 0.9 + rng.normal(0, 0.12)
        on_time = 98.2 + rng.normal(0, 0.4)
        handle = 372 + rng.normal(0, 6)
        csat = 87.5 + rng.normal(0, 1.0)
        sampled = int(rng.integers(300, 420))  # contacts scored by quality assurance
        callbacks = int(rng.integers(700, 900))
        surveyed = int(rng.integers(500, 700))
        for kpi, value, unit, sample in (
            ("availability", availability, "percent", None),
            ("first_contact_resolution", fcr, "percent", contacts),
            ("defect_rate", defects, "percent", sampled),
            ("on_time_delivery", on_time, "percent", callbacks),
            ("average_handle_time", handle, "seconds", contacts),
            ("customer_satisfaction", csat, "percent", surveyed),
        ):
            rows.append(
                {
                    "engagement": ENGAGEMENT,
                    "kpi": kpi,
                    "period": day.isoformat(),
                    "value": round(float(min(value, 100.0) if unit == "percent" else value), 2),
                    "unit": unit,
                    "sample_size": "" if sample is None else sample,
                    "series": "",
                }
            )
    for month in range(1, 11):
        period = date(2026, month, 1).isoformat()[:7]
        rows.append(
            {
                "engagement": ENGAGEMENT,
                "kpi": "innovation_velocity",
                "period": period,
                "value": int(rng.integers(1, 4)),
                "unit": "count",
                "sample_size": "",
                "series": "",
            }
        )
        rows.append(
            {
                "engagement": ENGAGEMENT,
                "kpi": "ip_protection_incidents",
                "period": period,
                "value": 1 if month == 9 else 0,
                "unit": "count",
                "sample_size": "",
                "series": "",
            }
        )
    return rows


# The in-house team winds down over the 4-month handover (the scenario's transition_months):
# its cost (7,570,891 USD a year / 12 = 630,908 a month) falls by a quarter each month.
IN_HOUSE_MONTHLY = 630908
RETAINED_MONTHLY = 38000  # vendor manager, quality analyst, travel: illustrative


def cost_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for month in range(1, 11):
        winding_down = IN_HOUSE_MONTHLY * max(0, 4 - month + 1) / 4 if month <= 4 else 0
        one_off = {1: 250000.0, 4: 484076.0}.get(month, 0.0)  # setup, then severance (scenario)
        rows.append(
            {
                "engagement": ENGAGEMENT,
                "month": f"2026-{month:02d}",
                # The vendor ramps up over the handover, invoiced at the contract rate after it.
                "fees": f"{min(324000, 81000 * month):.2f}",
                "internal_costs": f"{winding_down + RETAINED_MONTHLY:.2f}",
                "one_off_costs": f"{one_off:.2f}",
            }
        )
    return rows


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    write(HERE / "measurements.csv", weekly_rows(np.random.default_rng(2026)))
    write(HERE / "costs.csv", cost_rows())
