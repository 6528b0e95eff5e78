"""The decision results' "What to learn before deciding": the inputs ranked by EVPPI against the
EVPI, the pilot's worth and cost by size, the plain-words summary and the tables that stand in
for the charts, with hostile option names escaped everywhere."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient
from test_pages_decision import charts, run_to_completion

EXAMPLE = Path(__file__).parents[2] / "examples" / "us-customer-service.yaml"
HOSTILE = "Manila </script><img src=x onerror=alert(1)> & Ü"


def test_the_results_say_what_knowing_more_is_worth(
    signed_in: Callable[[str], TestClient],
) -> None:
    html = run_to_completion(signed_in("analyst"), EXAMPLE.read_text(encoding="utf-8"), 400)
    text = " ".join(unescape(html).split())
    assert 'id="information-0"' in html
    assert "What to learn before deciding" in text
    assert "The recommended option, Build-operate-transfer Manila, is not the cheapest" in text
    figures = charts(html)
    inputs = figures["information-inputs-0"]
    bars, reference = inputs["data"]  # type: ignore[index]
    assert bars["type"] == "bar"
    assert bars["x"] == sorted(bars["x"], reverse=True)
    assert len(bars["y"]) == 5
    labels = [a["text"].replace("<br>", " ") for a in inputs["layout"]["annotations"]]  # type: ignore[index]
    assert labels == bars["hovertext"]
    assert reference["name"] == "learning everything first (EVPI)"
    assert all(v <= reference["x"][0] for v in bars["x"])
    pilot = figures["information-pilot-0"]["data"]  # type: ignore[index]
    worth, cost = pilot[0], pilot[1]
    assert worth["y"] == sorted(worth["y"])  # EVSI grows with the pilot's size
    assert cost["y"] == sorted(cost["y"])
    assert worth["x"] == cost["x"]
    # The charts have names for screen readers and their figures as tables.
    assert re.search(r'id="information-inputs-0" class="chart [^"]*" role="img" aria-label=', html)
    assert "<summary>The figures as tables</summary>" in html
    assert "Everything (EVPI)" in text
    assert re.search(r"A 3-month pilot at Captive Manila \(night shift\): ", text)


def test_hostile_option_names_stay_text(signed_in: Callable[[str], TestClient]) -> None:
    scenario = EXAMPLE.read_text(encoding="utf-8").replace(
        "name: Captive Manila (night shift)", f'name: "{HOSTILE}"'
    )
    assert HOSTILE in scenario
    html = run_to_completion(signed_in("analyst"), scenario, 300)
    assert 'id="information-0"' in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    figures = charts(html)  # no raw '<' in any chart's JSON
    names = figures["information-inputs-0"]["data"][0]["hovertext"]  # type: ignore[index]
    escaped = "Manila &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; Ü"
    assert any(escaped in name for name in names), names
    assert "<h4>A 3-month pilot at Manila &lt;/script&gt;&lt;img src=x" in html
