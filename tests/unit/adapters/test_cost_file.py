"""Monthly cost files: every bad row named by line and column, and hostile files bounded."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sourcewise.adapters import cost_file
from sourcewise.adapters.cost_file import read_costs
from sourcewise.adapters.input_limits import MAX_RECORD_CHARS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "costs.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_become_exact_monthly_costs(tmp_path: Path) -> None:
    path = write(tmp_path, 'month,fees,internal_costs\n2026-01,"1,000.10",5\n2026-02,2,\n')
    costs, problems = read_costs(path, "Acme")
    assert problems == []
    assert [(c.month, c.fees, c.internal_costs) for c in costs] == [
        (date(2026, 1, 1), Decimal("1000.10"), Decimal(5)),
        (date(2026, 2, 1), Decimal(2), Decimal(0)),
    ]


@pytest.mark.parametrize(
    "row",
    ["2026-02," + "9" * (10 * MAX_RECORD_CHARS), '2026-02,"' + "1\n" * MAX_RECORD_CHARS + '"'],
    ids=["giant-field", "long-quoted-field"],
)
def test_a_row_past_the_limit_is_a_problem_at_its_line(tmp_path: Path, row: str) -> None:
    costs, problems = read_costs(write(tmp_path, f"month,fees\n2026-01,1\n{row}\n"), "Acme")
    assert costs == []
    assert [(p.line, p.message) for p in problems] == [
        (3, f"the row is longer than {MAX_RECORD_CHARS:,} characters")
    ]


def test_too_many_rows_are_refused_at_the_first_row_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cost_file, "MAX_ROWS", 3)
    text = "month,fees\n" + "".join(f"2026-{m:02d},1\n" for m in range(1, 6))
    costs, problems = read_costs(write(tmp_path, text), "Acme")
    assert costs == []
    assert [(p.line, p.message) for p in problems] == [(5, "more than 3 rows")]
