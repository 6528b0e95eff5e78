"""Risk register use cases on the in-memory store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.domain.problems import InputError
from sourcewise.governance.records import Measurement
from sourcewise.services.risk_register import (
    add_risks,
    escalations,
    evaluate_risks,
    risk_history,
    risk_register,
)
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.storage.repositories import NotFoundError

NAME = "Customer care"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

RISKS = """\
risks:
  - code: R-001
    title: Peso swing
    category: currency_shock
    engagement: Customer care
    owner: Finance
    inherent: {likelihood: 4, impact: 3}
    residual: {likelihood: 4, impact: 2}
    triggers:
      - {kind: fx_move, base: USD, quote: MXN, threshold_pct: 5, lookback_months: 3}
  - code: R-002
    title: Attrition
    category: talent_shortage
    engagement: Customer care
    owner: Engagement manager
    inherent: {likelihood: 4, impact: 4}
    residual: {likelihood: 3, impact: 4}
    triggers:
      - {kind: breach_streak, service_level: Availability, streak: 2}
      - {kind: kpi_threshold, metric: defect_rate, threshold: 3, direction: up}
  - title: Country risk
    category: geopolitical_volatility
    owner: Continuity
    inherent: {likelihood: 2, impact: 5}
    residual: {likelihood: 2, impact: 4}
    triggers:
      - {kind: indicator_change, country: mx, indicator: wgi_pv_est, threshold: 0.001}
"""


@pytest.fixture
def make_uow() -> MemoryUnitOfWork:
    uow = MemoryUnitOfWork()
    with uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement(NAME))
        uow.commit()
    return uow


def write(tmp_path: Path, text: str, name: str = "risks.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def measure(uow: MemoryUnitOfWork, kpi: str, month: int, value: float) -> None:
    m = Measurement(NAME, kpi, datetime(2026, month, 10, tzinfo=UTC), value)
    with uow:
        outcome = uow.measurements.ingest([[(f"row {month}", m)]], replace=False)
        assert not outcome.conflicts
        uow.commit()


def test_add_assigns_codes_logs_and_is_idempotent(
    make_uow: MemoryUnitOfWork, tmp_path: Path
) -> None:
    path = write(tmp_path, RISKS)
    first = add_risks(lambda: make_uow, path, NOW)
    assert first.added == ("R-001", "R-002", "R-003")
    again = add_risks(lambda: make_uow, path, NOW)
    assert again.added == ()
    assert again.updated == ()
    assert again.unchanged == ("R-001", "R-002", "R-003")  # the code-less one matched by title
    with make_uow:
        logged = make_uow.audit_log.entries(entity="risk")
        assert len(logged) == 3
        assert make_uow.risks.get("R-003").triggers[0].country == "MX"  # type: ignore[union-attr]


def test_change_is_updated_with_history(make_uow: MemoryUnitOfWork, tmp_path: Path) -> None:
    add_risks(lambda: make_uow, write(tmp_path, RISKS), NOW)
    changed = RISKS.replace(
        "residual: {likelihood: 4, impact: 2}", "residual: {likelihood: 3, impact: 2}"
    )
    outcome = add_risks(lambda: make_uow, write(tmp_path, changed, "b.yaml"), NOW)
    assert outcome.updated == ("R-001",)
    history = risk_history(lambda: make_uow, "R-001")
    assert [(c.field, c.before, c.after) for c in history.changes] == [
        ("residual.likelihood", "4", "3")
    ]
    with pytest.raises(NotFoundError, match="did you mean 'R-001'"):
        risk_history(lambda: make_uow, "R-01")


def test_bad_file_reports_every_problem_and_stores_nothing(
    make_uow: MemoryUnitOfWork, tmp_path: Path
) -> None:
    bad = (
        RISKS.replace(
            "residual: {likelihood: 3, impact: 4}", "residual: {likelihood: 5, impact: 4}"
        )
        .replace("threshold_pct: 5", "threshold_pct: -5")
        .replace("indicator: wgi_pv_est", "indicator: wgi_pv")
        .replace(
            "engagement: Customer care\n    owner: Finance",
            "engagement: Custmer care\n    owner: Finance",
        )
    )
    path = write(tmp_path, bad)
    with pytest.raises(InputError) as caught:
        add_risks(lambda: make_uow, path, NOW)
    texts = [str(p) for p in caught.value.problems]
    assert any(
        ":10: risks[0].triggers[0].threshold_pct: must be greater than 0" in t for t in texts
    )
    assert any(":17: risks[1].residual.likelihood:" in t and "exceeds" in t for t in texts)
    assert any("risks[2].triggers[0].indicator: unknown indicator 'wgi_pv'" in t for t in texts)
    assert len(texts) == 3  # the engagement is only checked once the file itself is valid
    fixed = (
        bad.replace("threshold_pct: -5", "threshold_pct: 5")
        .replace("residual: {likelihood: 5, impact: 4}", "residual: {likelihood: 3, impact: 4}")
        .replace("indicator: wgi_pv,", "indicator: wgi_pv_est,")
    )
    with pytest.raises(
        InputError,
        match=r":5: risks\[0\].engagement: no engagement named 'Custmer care' \(did you mean "
        r"'Customer care'\?\)",
    ):
        add_risks(lambda: make_uow, write(tmp_path, fixed, "c.yaml"), NOW)
    with make_uow:
        assert make_uow.risks.all() == []


def test_evaluate_opens_playbooks_once(make_uow: MemoryUnitOfWork, tmp_path: Path) -> None:
    add_risks(lambda: make_uow, write(tmp_path, RISKS), NOW)
    for month in (9, 10):
        measure(make_uow, "availability", month, 98.0)  # target 99.5: breach
    measure(make_uow, "defect_rate", 10, 3.5)
    result = evaluate_risks(lambda: make_uow, date(2026, 11, 25), now=NOW)
    fired = {
        (item.risk.code, o.firing.trigger.kind.value): o.playbook
        for item in result.risks
        for o in item.outcomes
    }
    assert fired == {
        ("R-001", "fx_move"): "opened",  # MXN per USD +5.5 % from July to October 2026
        ("R-002", "breach_streak"): "opened",
        ("R-002", "kpi_threshold"): "opened",
        # Political stability for MX fell 0.0036 from 2021 to 2022; no engagement needed.
        ("R-003", "indicator_change"): "opened",
    }
    assert len(result.opened) == 4
    run = next(r for r in result.opened if r.risk == "R-001")
    assert run.actions[0][2] > NOW
    second = evaluate_risks(lambda: make_uow, date(2026, 11, 25), now=NOW)
    assert second.opened == ()
    assert all(o.playbook in (None, "already open") for i in second.risks for o in i.outcomes)
    with make_uow:
        assert len(make_uow.audit_log.entries(entity="playbook")) == len(result.opened)


def test_breach_streak_needs_consecutive_months(make_uow: MemoryUnitOfWork, tmp_path: Path) -> None:
    add_risks(lambda: make_uow, write(tmp_path, RISKS), NOW)
    measure(make_uow, "availability", 9, 98.0)
    measure(make_uow, "availability", 10, 99.9)
    result = evaluate_risks(lambda: make_uow, date(2026, 11, 25), engagement=NAME, now=NOW)
    streak = next(
        o
        for i in result.risks
        for o in i.outcomes
        if o.firing.trigger.kind.value == "breach_streak"
    )
    assert not streak.firing.fired
    assert "2026-10: Availability met" in streak.firing.reason
    with pytest.raises(NotFoundError, match="no engagement named 'Nope'"):
        evaluate_risks(lambda: make_uow, date(2026, 11, 25), engagement="Nope", now=NOW)


def test_register_and_escalations(make_uow: MemoryUnitOfWork, tmp_path: Path) -> None:
    text = RISKS + (
        "escalation:\n"
        "  - {name: Manager, owner_role: engagement manager, time_limit_days: 1}\n"
        "  - {name: Sponsor, owner_role: executive sponsor, time_limit_days: 2}\n"
        "playbooks:\n"
        "  currency_shock:\n"
        "    - {action: Call treasury, owner_role: treasury, due_days: 1}\n"
    )
    outcome = add_risks(lambda: make_uow, write(tmp_path, text), NOW)
    assert outcome.settings == ("playbooks", "escalation")
    register = risk_register(lambda: make_uow)
    assert [r.code for r in register.risks] == ["R-002", "R-001", "R-003"]
    assert register.heat_map[(3, 4)] == ("R-002",)
    result = evaluate_risks(lambda: make_uow, date(2026, 11, 25), now=NOW)  # a Wednesday
    run = next(r for r in result.opened if r.risk == "R-001")
    assert [a[0] for a in run.actions] == ["Call treasury"]
    assert risk_register(lambda: make_uow).open_playbooks["R-001"] == 1
    later = escalations(lambda: make_uow, datetime(2026, 11, 27, 10, tzinfo=UTC))
    state = next(e for e in later if e.risk.code == "R-001").state
    assert (state.level, state.owner_role, state.overdue) == (2, "executive sponsor", False)
    overdue = escalations(lambda: make_uow, datetime(2026, 12, 3, tzinfo=UTC))
    assert all(e.state.overdue for e in overdue)
    assert escalations(lambda: make_uow, datetime(2026, 11, 1, tzinfo=UTC)) == ()
