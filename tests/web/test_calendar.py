"""``/calendar`` and ``/calendar.ics``: the contract dates the user may see, by month, with
overdue and due-soon states; a provider's user never sees another provider's contracts. The
engagement list shows each engagement's next contract end, notice deadline and spend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from api_samples import OTHER, OWN
from fastapi.testclient import TestClient

from governance_factories import calendar_contract
from sourcewise.governance.records import MonthlyCost, Renewal
from sourcewise.storage.memory import MemoryUnitOfWork

TODAY = datetime.now(UTC).date()


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


# Ends about two months ahead with 3 months' notice: the notice deadline passed a month ago.
END = _month_end(TODAY + timedelta(days=62))


@pytest.fixture
def dated(store: MemoryUnitOfWork) -> MemoryUnitOfWork:
    with store:
        for name, reference in ((OWN, "SOW-OWN"), (OTHER, "SOW-OTHER")):
            found = store.engagements.get(name)
            assert found is not None
            contract = calendar_contract(
                reference,
                start=date(2020, 1, 1),
                end=END,
                renewal=Renewal(),
                price_reviews=(TODAY + timedelta(days=10),),
                benchmarks=(),
                total_value=Decimal("1000000"),
            )
            store.engagements.replace(replace(found, contracts=(*found.contracts, contract)))
        month = TODAY.replace(day=1)
        store.ledger.put_costs([MonthlyCost(OWN, month, Decimal("250000"))])
        store.commit()
    return store


def test_the_calendar_lists_the_dates_by_month_with_their_state(
    dated: MemoryUnitOfWork, signed_in: Callable[[str], TestClient]
) -> None:
    page = signed_in("analyst").get("/calendar")
    assert page.status_code == 200
    text = page.text
    assert f"{END:%B %Y}" in text
    assert "SOW-OWN" in text
    assert "SOW-OTHER" in text
    assert "Notice deadline" in text
    assert 'badge bad">overdue' in text
    assert "Price review" in text
    assert "due soon" in text
    assert "Termination assistance ends" in text  # six months after the end
    assert 'href="/engagements/Customer%20care"' in text


def test_a_provider_sees_only_its_own_contracts(
    dated: MemoryUnitOfWork, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in("provider")
    text = client.get("/calendar").text
    assert "SOW-OWN" in text
    assert "SOW-OTHER" not in text
    assert OTHER not in text
    ics = client.get("/calendar.ics").text
    assert "SOW-OWN" in ics
    assert "SOW-OTHER" not in ics
    listed = client.get("/engagements").text
    assert "SOW-OWN" in listed
    assert "SOW-OTHER" not in listed


def test_the_download_is_an_icalendar_file_of_the_same_dates(
    dated: MemoryUnitOfWork, signed_in: Callable[[str], TestClient]
) -> None:
    answer = signed_in("viewer").get(
        "/calendar.ics", params={"from": f"{END:%Y-%m-%d}", "to": f"{END:%Y-%m-%d}"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert "attachment" in answer.headers["content-disposition"]
    body = answer.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 2  # each engagement's contract ends on END
    assert f"DTSTART;VALUE=DATE:{END:%Y%m%d}\r\n" in body
    assert "URL:http://testserver/engagements/Customer%20care\r\n" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_a_window_ending_before_it_starts_is_refused(
    dated: MemoryUnitOfWork, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in("analyst")
    page = client.get("/calendar", params={"from": "2027-01-01", "to": "2026-01-01"})
    assert page.status_code == 400
    assert "before it starts" in page.text
    assert (
        client.get("/calendar.ics", params={"from": "2027-01-01", "to": "2026-01-01"}).status_code
        == 400
    )


def test_the_engagement_list_shows_contract_end_notice_deadline_and_spend(
    dated: MemoryUnitOfWork, signed_in: Callable[[str], TestClient]
) -> None:
    text = signed_in("analyst").get("/engagements").text
    assert "Contract end" in text
    assert "Notice deadline" in text
    assert "Spent of value" in text
    assert END.isoformat() in text
    assert "overdue" in text
    assert "250.00 k USD" in text
    assert "(25 %)" in text


def test_the_api_gives_the_same_dates_as_json(
    dated: MemoryUnitOfWork, app_client: TestClient, token_for: Callable[[str], dict[str, str]]
) -> None:
    params = {"from": f"{END:%Y-%m-%d}", "to": f"{END:%Y-%m-%d}"}
    analyst = app_client.get("/api/v1/calendar", params=params, headers=token_for("analyst"))
    assert analyst.status_code == 200
    ends = [(d["engagement"], d["kind"]) for d in analyst.json()["dates"]]
    assert ends == [(OWN, "end"), (OTHER, "end")]
    provider = app_client.get("/api/v1/calendar", params=params, headers=token_for("provider"))
    assert [d["contract"] for d in provider.json()["dates"]] == ["SOW-OWN"]
    refused = app_client.get(
        "/api/v1/calendar", params={"from": "2030-01-01"}, headers=token_for("provider")
    )
    assert refused.status_code == 400


def test_the_engagement_page_has_a_contracts_section(
    dated: MemoryUnitOfWork, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in("provider")
    section = client.get("/engagements/Customer%20care/sections/contracts")
    assert section.status_code == 200
    text = section.text
    assert "SOW-OWN" in text
    assert "3 months" in text
    assert "250,000.00 USD" in text  # spent to date
    assert "1,000,000.00 USD" in text  # the value
    assert "Knowledge transfer; parallel run." in text
    other = client.get("/engagements/Other%20care/sections/contracts")
    assert other.status_code == 404
