"""The decision workspace in a real browser: the analyst runs the saved scenario the engagement
was chosen from, proposes the run, the CFO (a viewer who approves) approves it, the analyst
governs the engagement against it, and the engagement page names that approved version; the
provider's user sees none of it, and the pages fit a phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from live_data import ENGAGEMENT, PASSWORD, SAVED_SCENARIO
from screenshots import shoot

pytestmark = pytest.mark.e2e

OPTION = "Mexican BPO vendor (nearshore, bilingual)"


def sign_in(browser: Any, base: str, username: str, width: int = 1440) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def fits(page: Any, url: str) -> int:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


def test_a_saved_version_is_run_approved_and_governs_the_engagement(
    browser: Any, live_server: str, shots: Path
) -> None:
    analyst = sign_in(browser, live_server, "analyst")
    analyst.goto(f"{live_server}/runs")
    analyst.select_option("#start select[name=scenario]", SAVED_SCENARIO)
    analyst.fill("#start input[name=draws]", "500")
    analyst.click("#start button[type=submit]")
    # The job runs in the background; its page polls, then moves to the run's permalink.
    analyst.wait_for_url(re.compile(r".*/runs/\d+$"), timeout=120_000)
    run_url = analyst.url
    run_id = run_url.rsplit("/", 1)[1]
    analyst.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    assert "Recommended" in analyst.inner_text(".scn-results")
    assert "draft" in analyst.inner_text("#review")
    analyst.fill("#review textarea[name=note]", "Rates as quoted in the RFP")
    analyst.click("#review button:has-text('Propose for approval')")
    analyst.wait_for_load_state("networkidle")
    review = analyst.inner_text("#review")
    assert "Proposed by analyst" in review
    assert "Rates as quoted in the RFP" in review
    # Not an approver: the buttons are there, disabled, with the reason beside them.
    assert analyst.locator("#review button:has-text('Approve')").is_disabled()
    assert "analyst may not approve or reject business cases" in review
    shoot(analyst, shots, "web-run.png", full_page=True)

    cfo = sign_in(browser, live_server, "cfo")
    cfo.goto(run_url)
    cfo.fill("#review textarea[name=comment]", "Within the savings target")
    cfo.click("#review button:has-text('Approve')")
    cfo.wait_for_load_state("networkidle")
    review = cfo.inner_text("#review")
    assert "Approved by cfo" in review
    assert "frozen" in cfo.inner_text("h1")
    shoot(cfo.locator("#review"), shots, "web-run-approved.png")

    analyst.goto(f"{live_server}/engagements/{ENGAGEMENT}")
    analyst.select_option("#case select[name=run]", run_id)
    analyst.select_option("#case select[name=function]", "Customer service")
    analyst.select_option("#case select[name=option]", OPTION)
    analyst.click("#case button[type=submit]")
    analyst.wait_for_load_state("networkidle")
    label = f"{SAVED_SCENARIO} v1, run {run_id}, approved by cfo on"
    case = analyst.inner_text("#case")
    assert label in case
    assert OPTION in case
    analyst.click("#benefits-fold > summary")  # the section is folded until opened
    benefits = analyst.locator("#benefits")
    benefits.get_by_text("Planned months from the approved business case").wait_for()
    assert label in benefits.inner_text()
    shoot(analyst.locator("#case"), shots, "web-engagement-case.png")
    analyst.goto(live_server)
    assert label in analyst.inner_text("main")
    analyst.context.close()

    vendor = sign_in(browser, live_server, "vendor")
    vendor.goto(f"{live_server}/engagements/{ENGAGEMENT}")
    vendor.wait_for_load_state("networkidle")
    html = vendor.content()
    assert "Business case" not in html
    assert SAVED_SCENARIO not in html
    response = vendor.goto(run_url)
    assert response is not None
    assert response.status == 403
    vendor.context.close()

    phone = sign_in(browser, live_server, "cfo", width=390)
    for path in (
        "/runs",
        f"/runs/{run_id}",
        f"/runs/compare?a={run_id}&b={run_id}",
        f"/engagements/{ENGAGEMENT}",
    ):
        assert fits(phone, f"{live_server}{path}") <= 390, path
    phone.goto(f"{live_server}/runs/{run_id}")
    shoot(phone, shots, "web-run-phone.png", full_page=True)
    phone.context.close()
    cfo.context.close()
