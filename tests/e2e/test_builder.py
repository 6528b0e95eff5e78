"""The guided builder in a real browser: the US customer-service case built from the form alone,
one estimated number overridden, the YAML view and back with nothing lost, saved, decided as a
run and its business case downloaded; then the same steps by keyboard alone, and on a phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from live_data import PASSWORD
from screenshots import shoot

pytestmark = pytest.mark.e2e

COMPANY = "Northwind Retail"
SAVED = "Northwind customer service"
OVERRIDE = "#n-PH-hourly_rate"


def signed_in(browser: Any, base: str, width: int = 1440) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def next_step(page: Any, title: str) -> None:
    page.locator("fieldset:visible .bld-nav button:has-text('Next')").click()
    page.locator(f".bld-title:visible:has-text('{title}')").wait_for()


def answer_the_case(page: Any) -> None:
    """The US customer-service case, typed into the form step by step."""
    page.fill("#company", COMPANY)
    page.select_option("#home_country", "US")
    next_step(page, "Function and role")
    page.select_option("#kind", "customer_service")
    page.fill("#role", "Customer Service Representatives")
    page.fill("#fte", "120")
    next_step(page, "Countries and arrangements")
    page.fill("#countries", "PH, IN, MX")
    for arrangement in ("domestic_outsourcing", "captive_offshoring", "offshore_outsourcing"):
        assert page.is_checked(f"input[name=arrangements][value={arrangement}]")
    next_step(page, "Data, languages and hours")
    page.select_option("#data_sensitivity", "personal")
    page.fill("#languages", "en, es")
    page.fill("#overlap_hours_needed", "8")
    next_step(page, "Review and save")


def test_the_us_customer_service_case_is_built_saved_and_decided(
    browser: Any, live_server: str, shots: Path
) -> None:
    page = signed_in(browser, live_server)
    page.goto(f"{live_server}/scenarios/new")
    shoot(page, shots, "builder-start.png", full_page=True)
    answer_the_case(page)
    live = page.locator("#live")
    assert "43-4051 Customer Service Representatives" in live.inner_text()
    cards = live.locator(".bld-card h3").all_inner_texts()
    assert len(cards) == 8, cards  # in-house, domestic, and two per country
    assert "Captive offshoring · India" in cards

    # A card removed leaves the option out of the scenario; added back, it returns.
    page.click("#toggle-captive_offshoring-IN")
    page.locator("#toggle-captive_offshoring-IN:has-text('Add back')").wait_for()
    page.click("#builder button[name=go][value=yaml]")
    assert "Own centre in India" not in page.inner_text(".bld-yaml")
    page.click("#step-yaml button:has-text('Back to the form')")
    page.locator(".bld-title:visible:has-text('Review and save')").wait_for()
    page.click("#toggle-captive_offshoring-IN")
    page.locator("#toggle-captive_offshoring-IN:has-text('Remove')").wait_for()

    # An estimated number edited becomes a given override, marked and resettable.
    page.click("details[data-site=PH] summary")
    estimated = page.input_value(OVERRIDE)
    page.fill(OVERRIDE, "11.5")
    page.press(OVERRIDE, "Tab")
    row = page.locator("tr", has=page.locator(OVERRIDE))
    row.locator(".badge.given").wait_for()
    assert row.locator("button:has-text('reset')").is_visible()
    assert estimated != "11.5"
    shoot(page, shots, "builder-review.png", full_page=True)

    # The YAML view shows the file, and back in the form nothing is lost.
    page.click("#builder button[name=go][value=yaml]")
    text = page.inner_text(".bld-yaml")
    assert f'name: "{COMPANY}"' in text
    assert "hourly_rate: {dist: fixed, value: 11.5" in text
    assert "Own centre in India (captive offshoring)" in text
    assert "languages: [en, es]" in text
    shoot(page, shots, "builder-yaml.png", full_page=False)
    page.click("#step-yaml button:has-text('Back to the form')")
    page.locator(".bld-title:visible:has-text('Review and save')").wait_for()
    assert page.input_value(OVERRIDE) == "11.5"
    assert page.input_value("#company") == COMPANY
    assert page.input_value("#fte") == "120"
    assert page.input_value("#countries") == "PH, IN, MX"
    assert page.input_value("#languages") == "en, es"
    assert page.input_value("#overlap_hours_needed") == "8"
    assert page.input_value("#data_sensitivity") == "personal"
    assert page.input_value("#role") == "Customer Service Representatives"

    page.fill("#save_as", SAVED)
    page.click("#save-button")
    saved = page.locator(".bld-saved")
    saved.wait_for()
    assert f"Saved version 1 of “{SAVED}”" in " ".join(saved.inner_text().split())

    # Decided with the existing runs flow; the run's business case is downloaded.
    page.click(".bld-saved a:has-text('Decide it')")
    page.wait_for_url(re.compile(r".*/runs\?scenario="))
    assert page.input_value("#start select[name=scenario]") == SAVED
    page.fill("#start input[name=draws]", "300")
    page.click("#start button[type=submit]")
    page.wait_for_url(re.compile(r".*/runs/\d+$"), timeout=120_000)
    assert "Recommended" in page.inner_text(".scn-results")
    run_id = page.url.rsplit("/", 1)[1]
    report = page.context.request.get(f"{live_server}/runs/{run_id}/business-case.html")
    assert report.status == 200
    assert report.headers["content-type"].startswith("text/html")
    assert COMPANY in report.text()
    assert "given by the user" in report.text()
    page.context.close()


def test_the_builder_works_by_keyboard_alone(browser: Any, live_server: str) -> None:
    page = signed_in(browser, live_server)
    page.goto(f"{live_server}/scenarios/new")

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        pytest.fail(f"Tab never reached {selector}")

    tab_to("#company")
    page.keyboard.type("Keyboard & Co")
    tab_to("fieldset:not([hidden]) .bld-nav button")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    # The focus is visible.
    assert outline[0] != "none", outline
    assert outline[1] != "0px", outline
    page.keyboard.press("Enter")
    page.locator(".bld-title[data-current]:focus:has-text('Function and role')").wait_for()
    tab_to("#fte")
    page.keyboard.type("40")
    page.keyboard.press("Enter")  # Enter in a field goes to the next step
    page.locator(".bld-title:visible:has-text('Countries and arrangements')").wait_for()
    tab_to("#countries")
    page.keyboard.type("PH")
    page.keyboard.press("Enter")
    page.locator(".bld-title:visible:has-text('Data, languages and hours')").wait_for()
    tab_to("fieldset:not([hidden]) .bld-nav button:not(.secondary)")
    page.keyboard.press("Enter")
    page.locator(".bld-title:visible:has-text('Review and save')").wait_for()
    assert "Philippines" in page.inner_text("#live")
    page.context.close()


def test_the_builder_fits_a_phone(browser: Any, live_server: str, shots: Path) -> None:
    page = signed_in(browser, live_server, width=390)
    page.goto(f"{live_server}/scenarios/new")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    answer_the_case(page)
    page.locator("#live .bld-card").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, shots, "builder-phone.png", full_page=True)
    page.click("#builder button[name=go][value=yaml]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()
