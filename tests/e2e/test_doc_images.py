"""The images of docs/ that no journey test takes: decide's HTML page, the business case, an
engagement's page and the locations page. ``make screenshots`` refreshes them with the rest;
every run checks that the pages they show have not changed without them (screenshots.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from live_data import ENGAGEMENT, PASSWORD
from screenshots import shoot
from typer.testing import CliRunner

from sourcewise.cli import app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = Path("examples")  # relative: the documents name the scenario by the path given
# Fewer draws than decide's default keep the test short; the documents are still made from a
# fixed seed, so the text the fingerprint covers is the same on every run.
DRAWS = "2000"


@pytest.fixture(autouse=True)
def _at_the_top(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _document(args: list[str], out: Path) -> Path:
    result = CliRunner().invoke(app, [*args, "--draws", DRAWS, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _page(browser: Any, width: int, height: int) -> Any:
    return browser.new_context(viewport={"width": width, "height": height}).new_page()


def test_decide_html(browser: Any, shots: Path, tmp_path: Path) -> None:
    us = _document(
        ["decide", str(EXAMPLES / "us-customer-service.yaml"), "--format", "html"],
        tmp_path / "us.html",
    )
    page = _page(browser, 1400, 2000)
    page.goto(us.as_uri())
    assert "Multi-criteria ranks" in page.inner_text("body")
    shoot(page, shots, "decide-html.png", kind="text")
    page.context.close()

    de = _document(
        ["decide", str(EXAMPLES / "de-software-development.yaml"), "--format", "html"],
        tmp_path / "de.html",
    )
    page = _page(browser, 1400, 2400)
    page.goto(de.as_uri())
    page.get_by_text("Multi-criteria ranks").first.scroll_into_view_if_needed()
    shoot(page, shots, "decide-html-mcda.png", kind="text")
    page.context.close()


def test_business_case(browser: Any, shots: Path, tmp_path: Path) -> None:
    report = _document(["report", str(EXAMPLES / "us-customer-service.yaml")], tmp_path / "r.html")
    page = _page(browser, 1300, 2400)
    page.goto(report.as_uri())
    page.wait_for_load_state("networkidle")
    shoot(page, shots, "report.png", kind="text")
    page.context.close()


def _signed_in(browser: Any, base: str, width: int, height: int) -> Any:
    page = _page(browser, width, height)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_engagement_page(browser: Any, live_server: str, shots: Path) -> None:
    page = _signed_in(browser, live_server, 1400, 2150)
    page.goto(f"{live_server}/engagements/{ENGAGEMENT}")
    page.wait_for_load_state("networkidle")
    page.locator(".js-plotly-plot").first.wait_for(state="attached")
    shoot(page, shots, "web-engagement.png")
    page.context.close()


def test_locations_page(browser: Any, live_server: str, shots: Path) -> None:
    page = _signed_in(browser, live_server, 1360, 1250)
    page.goto(f"{live_server}/locations")
    page.wait_for_load_state("networkidle")
    page.locator("#loc-results .js-plotly-plot").first.wait_for()
    shoot(page, shots, "web-locations.png")
    page.context.close()


def test_every_image_in_docs_is_taken_by_make_screenshots() -> None:
    """An image nothing regenerates goes stale: each docs/*.png has a fingerprint, which only
    ``shoot`` under ``make screenshots`` writes."""
    import json

    recorded = json.loads((ROOT / "docs" / "screenshots.json").read_text(encoding="utf-8"))
    images = {image.name for image in (ROOT / "docs").glob("*.png")}
    assert images - set(recorded) == set(), "images no test takes (use screenshots.shoot)"


def test_a_fingerprint_ignores_the_clock_but_not_the_numbers() -> None:
    from screenshots import fingerprint

    taken = fingerprint("Decided 2026-12-02 11:02 by ana\nsaves 54.9 %")
    assert fingerprint("Decided 2027-01-05 09:30  by ana\n\nsaves 54.9 %") == taken
    assert fingerprint("Decided 2026-12-02 11:02 by ana\nsaves 59.6 %") != taken
