"""Every list of the API follows one convention (docs/web.md, "API lists: pagination,
filtering and sorting"): ``limit``/``offset`` pages, ``sort`` by the fields the OpenAPI
document names, ``X-Total-Count`` and ``Link`` headers. The checks run over every list
endpoint the document holds, so a new list is held to it without a test of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from api_samples import BUSINESS_CASE, OTHER, OWN, seed, seed_saved
from fastapi.testclient import TestClient

from governance_factories import PROVIDER, engagement
from sourcewise.governance.records import Provider, ProviderKind
from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

SEARCHES = {"/api/v1/estimates/roles"}
"""Ranked searches: the best ``limit`` matches of ``q``, in rank order, no pages or sorting."""
PATH_VALUES = {"name": OWN, "provider": PROVIDER.name, "kpi": "availability"}
"""What the list paths' parameters are filled with: the seeded engagement, provider, KPI."""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, dict[str, str]]:
    """One seeded app (both engagements have measurements, records, risks) and an admin token."""
    store = MemoryUnitOfWork()
    with store:
        store.engagements.add_provider(PROVIDER)
        store.engagements.add_provider(Provider("Other BPO", ProviderKind.VENDOR, "IN"))
        store.engagements.add(engagement(OWN, business_case=BUSINESS_CASE))
        store.engagements.add(engagement(OTHER, provider="Other BPO", business_case=BUSINESS_CASE))
        store.commit()
    add_user(lambda: store, "admin", "correct horse battery", Role.ADMIN)
    seed(store, Path(tmp_path_factory.mktemp("seed")))
    seed_saved(store)
    for n in range(3):  # a list of several tokens
        create_token(lambda: store, "admin", f"script {n}")
    app = create_app(WebSettings(page_size=50), make_uow=lambda: store)
    headers = {"Authorization": f"Bearer {create_token(lambda: store, 'admin', 'lists')}"}
    return TestClient(app, base_url="http://testserver"), headers


def _document(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/openapi.json").json()
    return document


def _answer_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    ok = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
    schema: dict[str, Any] = ok.get("schema", {})
    ref = schema.get("$ref")
    if ref is not None:
        schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def _is_list(document: dict[str, Any], operation: dict[str, Any]) -> bool:
    schema = _answer_schema(document, operation)
    paged = schema.get("properties", {}).get("items", {}).get("type") == "array"
    takes_offset = any(p["name"] == "offset" for p in operation.get("parameters", []))
    return schema.get("type") == "array" or paged or takes_offset


def list_operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (path, item["get"])
        for path, item in document["paths"].items()
        if path.startswith("/api/") and "get" in item and _is_list(document, item["get"])
    ]


def test_the_document_has_the_lists_it_should(api: tuple[TestClient, dict[str, str]]) -> None:
    """The detection the other tests rely on finds both forms of list: pages and arrays."""
    paths = {path for path, _ in list_operations(_document(api[0]))}
    must = {"/api/v1/engagements", "/api/v1/risks", "/api/v1/kpis", "/api/v1/escalations"}
    assert must <= paths
    assert "/api/v1/engagements/{name}" not in paths


def test_every_list_takes_limit_offset_and_sort(api: tuple[TestClient, dict[str, str]]) -> None:
    document = _document(api[0])
    missing = []
    for path, operation in list_operations(document):
        if path in SEARCHES:
            continue
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if not {"limit", "offset", "sort"} <= names or "x-sortable" not in operation:
            missing.append(path)
    assert missing == []


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)


def _items(body: Any) -> list[Any]:
    return body if isinstance(body, list) else body["items"]  # type: ignore[no-any-return]


def _field(item: dict[str, Any], path: str) -> Any:
    value: Any = item
    for part in path.split("."):
        value = None if value is None else value.get(part)
    return value


def _order(value: Any) -> tuple[int, Any]:
    """Decimal strings (money) compare as numbers, as the convention says."""
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return (1, value)
        return (0, number) if number.is_finite() else (1, value)
    return (0, value)


def _checked_lists(client: TestClient) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operation in list_operations(_document(client)):
        if path not in SEARCHES:
            yield _url(path), operation


def test_every_list_sorts_by_each_field_it_names(api: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = api
    checked = 0
    for url, operation in _checked_lists(client):
        for field in operation["x-sortable"]:
            for descending in (False, True):
                sort = f"-{field}" if descending else field
                answer = client.get(url, headers=headers, params={"sort": sort, "limit": 500})
                assert answer.status_code == 200, (url, sort, answer.text)
                values = [_field(i, field) for i in _items(answer.json())]
                present = [v for v in values if v is not None]
                if any(isinstance(v, dict | list) for v in present):
                    continue  # a route's own key sorting by a part of an object (overlap)
                # Missing values last, the others in the asked direction.
                assert values == present + [None] * (len(values) - len(present)), (url, sort)
                keys = [_order(v) for v in present]
                assert keys == sorted(keys, reverse=descending), (url, sort, present)
                checked += len(values)
    assert checked > 100  # the seeded lists are not empty


def test_every_list_pages_with_headers_and_links(api: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = api
    several = 0
    for url, _ in _checked_lists(client):
        whole = client.get(url, headers=headers, params={"limit": 500})
        assert whole.status_code == 200, (url, whole.text)
        everything = _items(whole.json())
        total = int(whole.headers["X-Total-Count"]) if "X-Total-Count" in whole.headers else None
        if total is not None:
            assert total == len(everything), url
        first = client.get(url, headers=headers, params={"limit": 1})
        assert _items(first.json()) == everything[:1], url
        links = first.headers.get("Link", "")
        if len(everything) > 1:
            several += 1
            found = re.search(r'<([^>]+)>; rel="next"', links)
            assert found is not None, (url, links)
            query = parse_qs(urlsplit(found.group(1)).query)
            assert (query["offset"], query["limit"]) == (["1"], ["1"]), url
            second = client.get(found.group(1), headers=headers)
            assert _items(second.json()) == everything[1:2], url
            assert 'rel="prev"' in second.headers["Link"], url
        else:
            assert 'rel="next"' not in links, url
    assert several >= 8


def test_every_list_refuses_an_unknown_sort_field(api: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = api
    for url, operation in _checked_lists(client):
        answer = client.get(url, headers=headers, params={"sort": "-no_such_field"})
        assert answer.status_code == 422, url
        assert answer.headers["content-type"] == "application/problem+json"
        (error,) = answer.json()["errors"]
        assert error["field"] == "query.sort", url
        # Naming the field refused, or (a route's own keys) the fields it takes.
        allowed = operation["x-sortable"][:1]
        assert any(name in error["message"] for name in ["no_such_field", *allowed]), url


def test_sort_breaks_ties_with_the_next_field(api: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = api
    found = client.get("/api/v1/actions", headers=headers, params={"sort": "source,-engagement"})
    pairs = [(a["source"], a["engagement"]) for a in found.json()["items"]]
    assert len({p[0] for p in pairs}) > 1
    assert len({p[1] for p in pairs}) > 1
    expected = sorted(sorted(pairs, key=lambda p: p[1], reverse=True), key=lambda p: p[0])
    assert pairs == expected


def test_a_legacy_array_is_whole_without_limit(api: tuple[TestClient, dict[str, str]]) -> None:
    """The lists /api/v1 published as arrays stay arrays and answer every item unless asked
    for a page (clients written before the convention see no change)."""
    client, headers = api
    catalogue = client.get("/api/v1/kpis", headers=headers)
    assert isinstance(catalogue.json(), list)
    assert len(catalogue.json()) == int(catalogue.headers["X-Total-Count"])
    assert "Link" not in catalogue.headers
    paged = client.get("/api/v1/kpis", headers=headers, params={"limit": 2, "offset": 2})
    assert paged.json() == catalogue.json()[2:4]


def test_the_audit_log_has_one_order(api: tuple[TestClient, dict[str, str]]) -> None:
    """The log is read newest first only as far as the page: no sort field, and a full
    page links to the next although the total is not counted."""
    client, headers = api
    operation = _document(client)["paths"]["/api/v1/audit-log"]["get"]
    assert operation["x-sortable"] == []
    page = client.get("/api/v1/audit-log", headers=headers, params={"limit": 1})
    assert page.json()["total"] is None
    assert "X-Total-Count" not in page.headers
    assert 'rel="next"' in page.headers["Link"]
