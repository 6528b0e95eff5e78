"""The governance services on the in-memory twin: SLA credits computed by hand through the
whole path (measurements → windows → credits), drift alerts, costs, benefits, ingestion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.domain.problems import InputError
from sourcewise.governance.benefits import PlannedMonth
from sourcewise.governance.control_charts import Rule
from sourcewise.governance.records import Measurement, MonthlyCost
from sourcewise.governance.service_levels import Status
from sourcewise.services.benefits import NoPlanError, benefits
from sourcewise.services.costs import add_costs
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.services.monitoring import drift_alerts, scorecards
from sourcewise.services.sla import sla_report
from sourcewise.storage.memory import MemoryUnitOfWork

NAME = "Customer care"


@pytest.fixture
def uow() -> MemoryUnitOfWork:
    memory = MemoryUnitOfWork()
    with memory:
        memory.engagements.add_provider(PROVIDER)
        memory.engagements.add(engagement())
        memory.commit()
    return memory


def store(uow: MemoryUnitOfWork, *measurements: Measurement) -> None:
    with uow:
        outcome = uow.measurements.ingest(
            [[(str(i), m) for i, m in enumerate(measurements)]], False
        )
        assert outcome.conflict_count == 0
        uow.commit()


def availability(month: int, value: float) -> Measurement:
    return Measurement(NAME, "availability", datetime(2026, month, 15, tzinfo=UTC), value)


def test_a_prorated_availability_breach_is_credited_as_computed_by_hand(
    uow: MemoryUnitOfWork,
) -> None:
    store(uow, availability(1, 99.9), availability(2, 99.3))
    report = sla_report(lambda: uow, NAME, date(2026, 2, 1))
    february = report.last
    result = next(r for r in february.results if r.service_level.name == "Availability")
    assert result.status is Status.BREACH
    # Fees 100,000.10 (SOW-1; no invoice recorded), 12 % at risk = 12,000.012; the SL carries
    # 100 % of the pool; 0.2 points short of 99.5 with full credit at 0.5 → factor 0.4:
    # 12,000.012 × 0.4 = 4,800.0048 → 4,800.00.
    assert february.fees_source == "contract"
    assert february.credits.credit == Decimal("4800.00")
    assert report.months[0].credits.credit == Decimal("0")


def test_the_credit_is_earned_back_after_three_good_months(uow: MemoryUnitOfWork) -> None:
    store(uow, availability(1, 99.0), *(availability(m, 99.8) for m in (2, 3, 4)))
    report = sla_report(lambda: uow, NAME, date(2026, 4, 1))
    # January: 1.0 point short, beyond the 0.5 for full credit: 12,000.012 → 12,000.01,
    # capped by the contract year's 8.5 % of the fees so far: 8,500.0085 → 8,500.01.
    january = report.months[0].credits
    assert (january.assessed, january.credit) == (Decimal("12000.01"), Decimal("8500.01"))
    assert january.capped_by == "contract year"
    assert [m.credits.earned_back for m in report.months] == [
        Decimal("0"),
        Decimal("0"),
        Decimal("0"),
        Decimal("8500.01"),
    ]


def test_invoiced_fees_replace_contract_fees(uow: MemoryUnitOfWork) -> None:
    store(uow, availability(1, 99.0))
    with uow:
        uow.ledger.put_costs([MonthlyCost(NAME, date(2026, 1, 1), Decimal("50000"))])
        uow.commit()
    january = sla_report(lambda: uow, NAME, date(2026, 1, 1)).last
    assert january.fees_source == "invoiced"
    # 50,000 × 12 % × 100 % × 1 = 6,000, over the year's cap of 8.5 % × 50,000 = 4,250.
    assert january.credits.assessed == Decimal("6000.00")
    assert january.credits.credit == Decimal("4250.00")


def test_key_measurements_warn_but_never_credit(uow: MemoryUnitOfWork) -> None:
    defects = Measurement(NAME, "defect_rate", datetime(2026, 1, 9, tzinfo=UTC), 5.0, 400)
    store(uow, defects, availability(1, 99.9))
    january = sla_report(lambda: uow, NAME, date(2026, 1, 1)).last
    result = next(r for r in january.results if r.service_level.name == "Defects")
    assert result.status is Status.BREACH
    assert january.credits.credit == Decimal("0")


def test_a_month_before_the_start_is_refused(uow: MemoryUnitOfWork) -> None:
    with pytest.raises(ValueError, match="before the engagement started"):
        sla_report(lambda: uow, NAME, date(2025, 12, 1))
    with pytest.raises(LookupError, match="did you mean 'Customer care'"):
        sla_report(lambda: uow, "Customer cares", date(2026, 1, 1))


def test_drift_alert_on_a_shift_down_of_a_higher_is_better_kpi(uow: MemoryUnitOfWork) -> None:
    rng = np.random.default_rng(7)
    values = np.concatenate([99.8 + rng.normal(0, 0.05, 20), 99.5 + rng.normal(0, 0.05, 10)])
    start = datetime(2026, 1, 5, tzinfo=UTC)
    store(
        uow,
        *(
            Measurement(NAME, "availability", start + timedelta(weeks=i), float(v))
            for i, v in enumerate(values)
        ),
    )
    alerts = drift_alerts(lambda: uow, NAME, baseline=20)
    assert alerts
    rules = {a.rule for a in alerts}
    assert Rule.BEYOND_3_SIGMA in rules
    assert min(a.first for a in alerts) == start + timedelta(weeks=20)
    assert all(a.side == "below" for a in alerts)


def test_an_improvement_is_not_an_alert(uow: MemoryUnitOfWork) -> None:
    start = datetime(2026, 1, 5, tzinfo=UTC)
    values = [99.5, 99.6, 99.55, 99.5, 99.6, 99.55] * 3 + [99.95] * 10
    store(
        uow,
        *(
            Measurement(NAME, "availability", start + timedelta(weeks=i), v)
            for i, v in enumerate(values)
        ),
    )
    assert drift_alerts(lambda: uow, NAME, baseline=18) == []


def test_scorecards_score_the_service_levels_by_domain(uow: MemoryUnitOfWork) -> None:
    store(uow, availability(1, 99.5), availability(2, 100.0))
    cards = scorecards(lambda: uow, PROVIDER.name, date(2026, 2, 1), months=2)
    # Availability is a delivery KPI: on target scores 80, at the ideal 100.
    assert [c.domain("delivery").score for c in cards] == [80.0, 100.0]
    # Met both months: SLA compliance 100, weighing as much as delivery (25 and 25), so the
    # overall moves by half the delivery's 20 points.
    assert [c.domain("service_levels").score for c in cards] == [100.0, 100.0]
    assert [c.overall for c in cards] == pytest.approx([90.0, 100.0])
    assert cards[1].change == pytest.approx(10.0)
    with pytest.raises(LookupError, match="no engagement with provider"):
        scorecards(lambda: uow, "Nobody", date(2026, 2, 1))


def test_costs_file_all_or_nothing(uow: MemoryUnitOfWork, tmp_path: Path) -> None:
    good = tmp_path / "costs.csv"
    good.write_text("month,fees,internal_costs\n2026-01,100.10,5\n2026-02,100.20,5\n")
    added = add_costs(lambda: uow, good, NAME)
    assert (added.added, added.updated, added.unchanged) == (2, 0, 0)
    assert add_costs(lambda: uow, good, NAME).unchanged == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("month,fees\n2026-03,10\n2026-13,x\n2026-03,11\n")
    with pytest.raises(InputError) as caught:
        add_costs(lambda: uow, bad, NAME)
    messages = [str(p) for p in caught.value.problems]
    assert any(":3: month:" in m for m in messages)
    assert any(":4: month: 2026-03 repeats line 2" in m for m in messages)
    with uow:
        assert [c.month.month for c in uow.ledger.costs(NAME)] == [1, 2]


def test_benefits_compare_the_plan_with_actual_costs_less_credits(
    uow: MemoryUnitOfWork,
) -> None:
    with pytest.raises(NoPlanError, match="business_case"):
        benefits(lambda: uow, NAME)
    plan = [PlannedMonth(date(2026, m, 1), Decimal(1000), Decimal(800)) for m in (1, 2, 3)]
    store(uow, availability(1, 99.0))
    with uow:
        uow.ledger.put_plan(NAME, plan)
        uow.ledger.put_costs(
            [MonthlyCost(NAME, date(2026, m, 1), Decimal(700), Decimal(50)) for m in (1, 2)]
        )
        uow.commit()
    report = benefits(lambda: uow, NAME)
    # January: 700 fees − 59.50 credit (700 × 12 % = 84, over the year cap 8.5 % × 700)
    # + 50 internal = 690.50; February: 750. Savings 309.50 + 250 against 200 + 200 planned.
    assert report.months[0].actual_cost == Decimal("690.50")
    assert report.months[1].actual_cost == Decimal("750")
    assert report.cumulative_variance == Decimal("159.50")


def test_ingest_is_all_or_nothing_and_idempotent(uow: MemoryUnitOfWork, tmp_path: Path) -> None:
    good = tmp_path / "m.csv"
    good.write_text(
        "kpi,period,value,unit,sample_size\n"
        "availability,2026-01-05,0.998,ratio,\n"
        "defect_rate,2026-01,1.5,%,400\n"
    )
    first = ingest_measurements(lambda: uow, good, NAME)
    assert (first.inserted, first.unchanged, first.written) == (2, 0, True)
    again = ingest_measurements(lambda: uow, good, NAME)
    assert (again.inserted, again.unchanged) == (0, 2)
    with uow:
        assert uow.measurements.series(NAME, "availability")[0].value == pytest.approx(99.8)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kpi,period,value\n"
        "availability,2026-02-02,99.9\n"
        "availabilty,2026-02-09,99.9\n"
        "availability,2026-01-05,97\n"
    )
    report = ingest_measurements(lambda: uow, bad, NAME)
    assert not report.written
    assert report.rejected == 2
    text = "\n".join(str(p) for p in report.problems)
    assert "bad.csv:3" in text
    assert "availability" in text  # the did-you-mean hint
    assert "bad.csv:4" in text
    assert "already recorded as 99.8" in text
    with uow:
        assert uow.measurements.count(NAME) == 2


def test_an_upload_for_one_engagement_refuses_rows_of_another(
    uow: MemoryUnitOfWork, tmp_path: Path
) -> None:
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "engagement,kpi,period,value\n"
        f"{NAME},availability,2026-01-05,99.9\n"
        "Other care,availability,2026-01-05,10\n"
    )
    report = ingest_measurements(lambda: uow, mixed, NAME, file_name="up.csv", only=True)
    assert not report.written
    assert [(p.file, p.line, p.path, p.message) for p in report.problems] == [
        ("up.csv", 3, "engagement", f"this upload takes rows of '{NAME}' only")
    ]
    with uow:
        assert uow.measurements.count(NAME) == 0


def _weekly(uow: MemoryUnitOfWork, values: list[float]) -> datetime:
    start = datetime(2026, 1, 5, tzinfo=UTC)
    store(
        uow,
        *(
            Measurement(NAME, "availability", start + timedelta(weeks=i), v)
            for i, v in enumerate(values)
        ),
    )
    return start


def test_two_separate_spikes_are_two_alerts(uow: MemoryUnitOfWork) -> None:
    values = [99.5, 99.6, 99.55, 99.5, 99.6, 99.55] * 5
    values[16] = values[25] = 97.0  # two isolated outages, nine weeks apart
    start = _weekly(uow, values)
    alerts = drift_alerts(lambda: uow, NAME, baseline=12)
    spikes = sorted((a.first, a.last, a.points) for a in alerts if a.rule is Rule.BEYOND_3_SIGMA)
    assert spikes == [
        (start + timedelta(weeks=16), start + timedelta(weeks=16), 1),
        (start + timedelta(weeks=25), start + timedelta(weeks=25), 1),
    ]


def test_a_sustained_shift_is_one_alert_per_rule(uow: MemoryUnitOfWork) -> None:
    values = [99.5, 99.6, 99.55, 99.5, 99.6, 99.55] * 2 + [98.0, 98.1, 98.05] * 4
    start = _weekly(uow, values)
    alerts = drift_alerts(lambda: uow, NAME, baseline=12)
    beyond = [a for a in alerts if a.rule is Rule.BEYOND_3_SIGMA]
    assert [(a.first, a.last, a.points) for a in beyond] == [
        (start + timedelta(weeks=12), start + timedelta(weeks=23), 12)
    ]
    assert len({a.rule for a in alerts}) == len(alerts)  # each rule fired in one episode
