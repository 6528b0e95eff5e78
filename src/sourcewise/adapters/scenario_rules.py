"""Checks of a scenario that involve several fields, run on the raw parsed data.

They run whether or not the field-level (pydantic) validation passed, and tolerate wrong types
by skipping what they cannot read, so a user sees every problem of a file in one pass: a typo
in one option does not hide a missing rate in another.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sourcewise.domain.problems import Path

Finding = tuple[Path, str]

_OWN = "own"
_THIRD_PARTY = "third_party"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _mappings(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def site_findings(site: dict[str, Any], path: Path, goods_function: bool) -> Iterator[Finding]:
    """A single site's terms must fit its employer and the function's nature."""
    employer = site.get("employer")
    # An explicit null is as missing as an absent key (conversion relies on both).
    if employer is None:
        yield (*path, "employer"), "is required: 'own' or 'third_party'"
    if site.get("country") is None:
        yield (*path, "country"), "is required"
    has_goods_terms = site.get("goods") is not None
    if goods_function and not has_goods_terms:
        yield (*path, "goods"), "is required for a function that makes goods"
    if not goods_function and has_goods_terms:
        yield (*path, "goods"), "applies only to functions with a 'goods' profile"
    if not goods_function:
        if employer == _OWN and site.get("annual_cost_per_fte") is None:
            yield (*path, "annual_cost_per_fte"), "is required for own staff"
        transfer = site.get("transfer_month") is not None
        if employer == _THIRD_PARTY and transfer and site.get("annual_cost_per_fte") is None:
            yield (
                (*path, "annual_cost_per_fte"),
                "is required for build-operate-transfer: the staff's cost after the transfer",
            )
        fee = _number(site.get("monthly_fee")) or 0.0
        if employer == _THIRD_PARTY and site.get("hourly_rate") is None and fee == 0:
            yield (*path, "hourly_rate"), "is required for a third party (or a monthly_fee)"
    if employer == _THIRD_PARTY and site.get("transfer_month") is None:
        for field in ("transfer_fee", "governance_overhead_after_transfer"):
            if site.get(field):
                yield (*path, field), "applies only with transfer_month (build-operate-transfer)"
    if employer == _OWN and site.get("hourly_rate") is not None:
        yield (*path, "hourly_rate"), "applies to a third party, not to own staff"
    if site.get("transfer_month") is not None and employer != _THIRD_PARTY:
        yield (*path, "transfer_month"), "build-operate-transfer needs a third-party employer"


def option_findings(option: dict[str, Any], path: Path, goods_function: bool) -> Iterator[Finding]:
    parts = option.get("parts")
    if parts is None:
        yield from site_findings(option, path, goods_function)
        return
    for field in ("employer", "country"):
        if field in option:
            yield (*path, field), "goes in each of 'parts' for a hybrid"
    shares = [_number(part.get("share")) for _, part in _mappings(parts)]
    if shares and all(share is not None for share in shares):
        total = sum(share for share in shares if share is not None)
        if abs(total - 1.0) > 1e-6:
            yield (*path, "parts"), f"shares total {total:g}; they must total 1"
    for index, part in _mappings(parts):
        yield from site_findings(part, (*path, "parts", index), goods_function)


def function_findings(function: dict[str, Any], path: Path) -> Iterator[Finding]:
    goods_function = function.get("goods") is not None
    if not goods_function and "fte" not in function:
        yield (*path, "fte"), "is required for a service function (or give 'goods')"
    seen: dict[str, int] = {}
    for index, option in _mappings(function.get("options")):
        option_path = (*path, "options", index)
        name = option.get("name")
        if isinstance(name, str):
            if name in seen:
                yield (*option_path, "name"), f"'{name}' is also the name of options[{seen[name]}]"
            seen.setdefault(name, index)
        yield from option_findings(option, option_path, goods_function)


def scenario_findings(data: Any) -> list[Finding]:
    """Every cross-field problem in a parsed scenario document."""
    if not isinstance(data, dict):
        return []
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for index, function in _mappings(data.get("functions")):
        path: Path = ("functions", index)
        name = function.get("name")
        if isinstance(name, str):
            if name in seen:
                findings.append(
                    ((*path, "name"), f"'{name}' is also the name of functions[{seen[name]}]")
                )
            seen.setdefault(name, index)
        findings.extend(function_findings(function, path))
    return findings
