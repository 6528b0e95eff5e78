"""Work done in the browser, each found in the audit log afterwards: an analyst closes a
meeting action, the provider disputes a month's service credit (and the client sees it), an
admin edits a service level's target. Screenshots of each form at 1440 and 390 px."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from live_data import ENGAGEMENT
from screenshots import shoot
from test_browser import sign_in

from sourcewise.reports.numbers import day as day_shown

pytestmark = pytest.mark.e2e
WIDTHS = (390, 1440)
"""A phone, then a desktop: the desktop page goes on to fill the form."""


def _fits(page: Any, width: int) -> None:
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url} is {scrolled} px wide at {width} px"


def _logged(page: Any, base: str, entity: str) -> str:
    """The newest audit-log row of ``entity``, as text."""
    page.goto(f"{base}/audit-log?entity={entity}")
    return str(page.locator("table.log tbody tr").first.inner_text())


def test_an_analyst_closes_a_meeting_action(browser: Any, live_server: str, shots: Path) -> None:
    page = sign_in(browser, live_server, "analyst", width=1440)
    page.goto(f"{live_server}/engagements/{ENGAGEMENT}#meetings")
    form = page.locator("#meetings form.inline-edit").first
    form.wait_for()
    action = form.locator("button").get_attribute("aria-label").removeprefix("Mark done: ")
    form.scroll_into_view_if_needed()
    shoot(page, shots, "edit-action.png", full_page=False)
    day = form.locator("input[type=date]")
    done_on = day.get_attribute("min")  # the day of the meeting, the earliest allowed
    day.fill(done_on)
    day.press("Enter")  # the keyboard submits it too
    page.wait_for_url("**#meetings")
    item = page.locator("#meetings li", has_text=action)
    # Its meeting may have no open action left, so it shows folded: attached, not visible.
    item.get_by_text(f"done {day_shown(date.fromisoformat(done_on))}").wait_for(state="attached")
    assert item.locator("form").count() == 0
    row = _logged(page, live_server, "meeting")
    assert "analyst" in row
    assert f'"done_on": "{done_on}"' in row
    page.context.close()


def test_the_provider_disputes_a_credit_and_the_client_sees_it(
    browser: Any, live_server: str, shots: Path
) -> None:
    for width in WIDTHS:
        page = sign_in(browser, live_server, "vendor", width=width)
        page.goto(f"{live_server}/engagements/{ENGAGEMENT}#credits")
        page.locator("#credits form.credit-answer").first.wait_for()
        page.locator("#credits").scroll_into_view_if_needed()
        if width == 390:
            shoot(page, shots, "edit-credit-phone.png", full_page=False)
        _fits(page, width)
        if width != WIDTHS[-1]:
            page.context.close()
    form = page.locator("#credits form.credit-answer").first
    month = form.locator("legend").inner_text().removeprefix("Your answer for ")
    # A dispute without a reason is refused next to the comment, nothing stored.
    form.get_by_label("Dispute", exact=True).check()
    form.locator("button[type=submit]").click()
    error = page.locator("#credits .field-error")
    error.wait_for()
    assert "say why the credit is disputed" in error.inner_text()
    form = page.locator("#credits form.credit-answer").first
    form.get_by_label("Dispute", exact=True).check()
    form.locator("textarea[name=comment]").fill(
        "The outage on the 14th was in the retailer's telephony."
    )
    form.locator("button[type=submit]").click()
    page.wait_for_url("**#credits")
    answered = page.locator("#credits tr", has_text=month)
    answered.get_by_text("disputed").wait_for()
    page.context.close()

    client = sign_in(browser, live_server, "analyst", width=1440)
    client.goto(f"{live_server}/engagements/{ENGAGEMENT}#credits")
    row = client.locator("#credits tr", has_text=month)
    row.get_by_text("retailer's telephony").wait_for()
    assert "by vendor" in row.inner_text()
    assert client.locator("#credits form").count() == 0  # the client does not answer
    logged = _logged(client, live_server, "credit_response")
    assert "vendor" in logged
    assert '"verdict": "disputed"' in logged
    client.context.close()


def test_an_admin_edits_a_service_level_target(browser: Any, live_server: str, shots: Path) -> None:
    for width in WIDTHS:
        page = sign_in(browser, live_server, "admin", width=width)
        page.goto(f"{live_server}/engagements/{ENGAGEMENT}")
        page.get_by_role("link", name="Edit service level Average handle time").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#f-target").input_value() == "390.0"
        _fits(page, width)
        if width != WIDTHS[-1]:
            page.context.close()
    # A value the engagement file refuses is shown next to its field, nothing saved.
    page.get_by_label("Earn-back months").fill("99")
    page.get_by_role("button", name="Save service level").click()
    error = page.locator("#f-earn_back_months-error")
    error.wait_for()
    assert "less than or equal to 24" in error.inner_text()
    assert page.get_by_label("Earn-back months").get_attribute("aria-invalid") == "true"
    shoot(page, shots, "edit-service-level-error.png", full_page=True)
    page.get_by_label("Earn-back months").fill("0")
    page.locator("#f-target").fill("420")
    page.get_by_role("button", name="Save service level").click()
    page.wait_for_url("**#sla")
    page.locator("#sla tr", has_text="Average handle time").get_by_text("420").first.wait_for()
    row = _logged(page, live_server, "service_level")
    assert "admin" in row
    assert "Average handle time" in row
    assert '"target": 420.0' in row
    page.context.close()


def test_the_engagement_form_as_an_analyst(browser: Any, live_server: str) -> None:
    for width in WIDTHS:
        page = sign_in(browser, live_server, "analyst", width=width)
        page.goto(f"{live_server}/engagements/{ENGAGEMENT}/edit")
        page.get_by_label("Fees at risk (%)").wait_for()
        _fits(page, width)
        page.context.close()


FORMS = {
    "meeting": ("analyst", f"/engagements/{ENGAGEMENT}/meetings/new"),
    "audit": ("admin", f"/engagements/{ENGAGEMENT}/audits/new"),
    "risk": ("analyst", f"/engagements/{ENGAGEMENT}/risks/new"),
    "engagement": ("admin", "/new-engagement"),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_the_forms_fit_a_desktop_and_a_phone(
    browser: Any, live_server: str, shots: Path, form: str
) -> None:
    user, path = FORMS[form]
    for width in WIDTHS:
        page = sign_in(browser, live_server, user, width=width)
        page.goto(f"{live_server}{path}")
        page.locator("form.edit-form").wait_for()
        if form == "meeting" and width == 390:
            shoot(page, shots, "edit-meeting-phone.png", full_page=True)
        _fits(page, width)
        page.context.close()


def test_the_provider_answers_an_audit_finding(browser: Any, live_server: str, shots: Path) -> None:
    page = sign_in(browser, live_server, "vendor", width=390)
    page.goto(f"{live_server}/engagements/{ENGAGEMENT}#audits")
    form = page.locator("#audits form.answer-form").first
    form.wait_for()
    form.scroll_into_view_if_needed()
    _fits(page, 390)
    form.locator("textarea").fill("Access review done on 12 May; evidence sent to internal audit.")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**#audits")
    page.locator("#audits").get_by_text("evidence sent to internal audit").first.wait_for()
    page.context.close()
    client = sign_in(browser, live_server, "analyst")
    assert "vendor" in _logged(client, live_server, "finding_response")
    client.context.close()
