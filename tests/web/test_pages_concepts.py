"""``/concepts``: the concepts page every signed-in user can read, and the links to it from the
decision results and the pilot verdict, each landing on an anchor the page has."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from api_samples import OWN, seed
from fastapi.testclient import TestClient
from test_pages_decision import run_to_completion

from sourcewise.domain.fit import RULES
from sourcewise.storage.memory import MemoryUnitOfWork

EXAMPLE = Path(__file__).parents[2] / "examples" / "us-customer-service.yaml"
LINKS = re.compile(r'href="/concepts#([^"]+)"')


def ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def test_the_page_explains_each_term_and_quotes_each_passage(
    signed_in: Callable[[str], TestClient],
) -> None:
    for user in ("viewer", "provider"):
        page = signed_in(user).get("/concepts")
        assert page.status_code == 200
        assert '<a href="/concepts">Concepts</a>' in page.text  # in the navigation
    html = page.text
    for anchor in ("tco-vs-price", "p10p90", "pbeats-the-status-quo", "smaa", "fit-points"):
        assert f'id="{anchor}"' in html
    assert "<h2>The pilot verdict</h2>" in html
    assert all(f'id="rule-{r.id}"' in html for r in RULES)
    assert "Remote Talent, “Exploring the Nuances" in html
    assert not re.search(r"seed \d|\b00[0-3]\b", html)


def test_the_results_link_their_terms_and_every_link_lands(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("analyst")
    results = run_to_completion(client, EXAMPLE.read_text(encoding="utf-8"))
    linked = set(LINKS.findall(results))
    assert {
        "who-and-where-the-four-arrangements",
        "tco-vs-price",
        "p10p90",
        "pbeats-the-status-quo",
        "fit-points",
        "smaa",
    } <= linked
    assert any(anchor.startswith("rule-") for anchor in linked), "citations link to passages"
    page = client.get("/concepts").text
    assert linked <= ids(page), f"links without a target: {sorted(linked - ids(page))}"


def test_the_pilot_verdict_links_to_what_it_means(
    store: MemoryUnitOfWork, signed_in: Callable[[str], TestClient], tmp_path: Path
) -> None:
    seed(store, tmp_path)
    section = signed_in("analyst").get(f"/engagements/{OWN}/sections/pilot")
    assert section.status_code == 200
    assert 'href="/concepts#the-pilot-verdict"' in section.text
