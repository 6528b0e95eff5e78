"""Real-browser journeys: sign-in, a scenario decided with its charts, a KPI upload with a bad
row, and a provider who sees only its own engagement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from live_data import ENGAGEMENT, OTHER_ENGAGEMENT, PASSWORD
from screenshots import shoot

pytestmark = pytest.mark.e2e


def sign_in(browser: Any, base: str, username: str, width: int = 1400) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_sign_in_lands_on_the_dashboard(browser: Any, live_server: str, shots: Path) -> None:
    page = sign_in(browser, live_server, "admin")
    assert page.url.rstrip("/") == live_server
    assert ENGAGEMENT in page.content()
    shoot(page, shots, "web-dashboard.png", full_page=True)
    page.context.close()


def test_a_provider_sees_only_its_own_engagement(browser: Any, live_server: str) -> None:
    page = sign_in(browser, live_server, "vendor")
    page.goto(f"{live_server}/engagements")
    html = page.content()
    assert ENGAGEMENT in html
    assert OTHER_ENGAGEMENT not in html
    response = page.goto(f"{live_server}/engagements/{OTHER_ENGAGEMENT}")
    assert response is not None
    assert response.status == 404
    page.context.close()


def test_a_kpi_upload_with_a_bad_row_stores_nothing(
    browser: Any, live_server: str, shots: Path, tmp_path: Path
) -> None:
    page = sign_in(browser, live_server, "vendor")
    page.goto(f"{live_server}/engagements/{ENGAGEMENT}")
    bad = tmp_path / "december.csv"
    bad.write_text(
        "kpi,period,value,unit,sample_size\n"
        "availability,2026-12-07,99.9,percent,\n"
        "availability,2026-12-14,101.5,percent,\n"
        "first_contact_resolution,2026-12-07,79.5,percent,6100\n"
    )
    page.set_input_files("#upload input[type=file]", str(bad))
    page.click("#upload button[type=submit]")
    result = page.locator("#upload-result")
    result.get_by_text("Nothing was stored").wait_for()
    text = result.inner_text()
    assert "3" in text  # the line of the bad row
    assert "101.5" in text
    shoot(page, shots, "web-upload-rejected.png", full_page=False)
    # Nothing from the file is there: the good rows of December were not stored either.
    response = page.request.get(
        f"{live_server}/api/v1/engagements/{ENGAGEMENT}/kpis/availability/measurements"
        "?from=2026-12-01"
    )
    assert response.status == 200
    assert response.json()["total"] == 0
    page.context.close()


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_scenario_upload_decide_and_charts(browser: Any, live_server: str, shots: Path) -> None:
    page = sign_in(browser, live_server, "analyst")
    page.goto(f"{live_server}/scenarios")
    page.set_input_files("#upload", str(EXAMPLES / "us-customer-service.yaml"))
    page.click("form[action='/scenarios/upload'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Northwind Retail" in page.input_value("#scenario-form textarea")
    page.fill("#scenario-form input[name=draws]", "500")
    page.click("#scenario-form button[type=submit]")
    # The job runs in the background; the page polls until the results and charts are in.
    page.locator("#run-output .js-plotly-plot").first.wait_for(timeout=120_000)
    assert page.locator("#run-output .js-plotly-plot").count() >= 4
    assert "Recommended" in page.inner_text("#run-output")
    shoot(page, shots, "web-decision.png", full_page=True)
    page.context.close()


def test_scenario_errors_are_shown_at_their_line(browser: Any, live_server: str) -> None:
    page = sign_in(browser, live_server, "analyst")
    page.goto(f"{live_server}/scenarios")
    page.set_input_files("#upload", str(EXAMPLES / "us-customer-service.yaml"))
    page.click("form[action='/scenarios/upload'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    text = page.input_value("#scenario-form textarea")
    page.fill("#scenario-form textarea", text.replace("home_country: US", "home_country: USA", 1))
    page.locator("#problems").get_by_text("USA").first.wait_for(timeout=10_000)
    problems = page.inner_text("#problems")
    assert "company.home_country" in problems
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "home_country: US" in row)
    assert str(line) in problems
    page.context.close()


def test_the_api_docs_page_works_offline(browser: Any, live_server: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server}/api/docs")
    page.locator(".opblock").first.wait_for(timeout=20_000)
    assert page.locator(".opblock").count() > 30
    assert not [e for e in errors if "Content Security Policy" in e]
    page.close()


PHONE_PAGES = {
    "admin": [
        "/",
        "/engagements",
        f"/engagements/{ENGAGEMENT}",
        "/calendar",
        "/scenarios",
        "/locations",
        "/concepts",
    ],
    "vendor": ["/", "/engagements", f"/engagements/{ENGAGEMENT}", "/calendar", "/concepts"],
}


@pytest.mark.parametrize("username", sorted(PHONE_PAGES))
def test_pages_fit_a_phone_screen(browser: Any, live_server: str, username: str) -> None:
    """At 390 px a wide table scrolls inside its box; the page itself never scrolls sideways."""
    page = sign_in(browser, live_server, username, width=390)
    for path in PHONE_PAGES[username]:
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide for {username}"
        # Every link of the navigation is on the screen: the bar wraps, it is not cut off.
        for link in page.locator("header.top nav a").all():
            where = f"{path}: {link.inner_text()}"
            assert link.is_visible(), where
            box = link.bounding_box()
            assert box is not None, where
            assert box["x"] >= 0, where
            assert box["x"] + box["width"] <= 390, where
    page.context.close()


def test_a_section_link_opens_its_folded_section(browser: Any, live_server: str) -> None:
    """The engagement page folds its sections; the index and an address with #section open
    the one named, and its chart is drawn at the width of the opened section."""
    page = sign_in(browser, live_server, "analyst", width=1440)
    page.goto(f"{live_server}/engagements/{ENGAGEMENT}")
    page.wait_for_load_state("networkidle")
    kpis = page.locator("#kpis-fold")
    assert kpis.get_attribute("open") is None
    page.click(".section-nav a[href='#kpis']")
    page.locator("#kpis .js-plotly-plot").first.wait_for()
    assert kpis.get_attribute("open") is not None
    drawn = page.locator("#kpis .js-plotly-plot").first.bounding_box()
    assert drawn is not None
    assert drawn["width"] > 400
    page.goto(f"{live_server}/engagements/{ENGAGEMENT}#risks")
    page.wait_for_load_state("networkidle")
    assert page.locator("#risks-fold").get_attribute("open") is not None
    assert page.locator("#audits-fold").get_attribute("open") is None
    page.context.close()


SAVED_NAME = "Windows <plan> a/b"
SAVED_PAGES = ("", "/versions/2", "/diff")


def test_a_scenario_is_saved_edited_saved_again_and_diffed(
    browser: Any, live_server: str, shots: Path
) -> None:
    """Save as… from the editor, a second version after an edit, then its changes; the pages
    fit a phone too."""
    page = sign_in(browser, live_server, "analyst", width=1440)
    page.goto(f"{live_server}/scenarios?example=windows-offshore-plant")
    page.fill("#save-form input[name=name]", SAVED_NAME)
    page.fill("#save-form input[name=note]", "as received")
    page.click("#save-form button[type=submit]")
    page.locator("#save-result").get_by_text("version 1").wait_for(timeout=10_000)
    text = page.input_value("#scenario-form textarea")
    edited = text.replace("discount_rate: 0.08", "discount_rate: 0.09", 1)
    assert edited != text
    page.fill("#scenario-form textarea", edited)
    page.fill("#save-form input[name=note]", "WACC up a point")
    page.click("#save-form button[type=submit]")
    page.locator("#save-result").get_by_text("What changed since version 1").click()
    page.wait_for_load_state("networkidle")
    changes = page.inner_text("table.saved-diff")
    assert "company.discount_rate" in changes
    assert "0.08" in changes
    assert "0.09" in changes
    assert SAVED_NAME in page.inner_text("h1")
    shoot(page, shots, "web-saved-diff.png", full_page=True)
    scenario_url = page.url.split("/diff")[0]
    page.goto(scenario_url)
    assert "WACC up a point" in page.inner_text("table.saved-versions")
    shoot(page, shots, "web-saved-scenario.png", full_page=True)
    page.goto(f"{live_server}/scenarios/saved")
    page.get_by_role("link", name=SAVED_NAME).click()
    page.wait_for_load_state("networkidle")
    assert page.url == scenario_url
    page.context.close()
    phone = sign_in(browser, live_server, "analyst", width=390)
    for path in ("/scenarios", "/scenarios/saved", *(scenario_url + p for p in SAVED_PAGES)):
        phone.goto(path if path.startswith("http") else f"{live_server}{path}")
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide"
    shoot(phone, shots, "web-saved-diff-phone.png", full_page=True)
    phone.context.close()
