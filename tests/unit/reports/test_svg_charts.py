"""Inline SVG charts: valid, accessible, deterministic, and holding their data."""

import xml.etree.ElementTree as ET

import pytest

from sourcewise.reports import svg_charts as svg
from sourcewise.reports.numbers import compact

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def accessible(root: ET.Element, chart_id: str) -> None:
    assert root.get("id") == chart_id
    assert root.get("role") == "img"
    title = root.find("s:title", NS)
    desc = root.find("s:desc", NS)
    assert title is not None
    assert title.text
    assert desc is not None
    assert desc.text
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"


STEPS = [
    svg.WaterfallStep("Status quo", 1_000_000.0, "reference"),
    svg.WaterfallStep("Price", 600_000.0, "price"),
    svg.WaterfallStep("Ramp-up", -50_000.0, "component"),
    svg.WaterfallStep("Governance", 48_000.0, "component"),
    svg.WaterfallStep("Travel", 20_000.0, "component"),
    svg.WaterfallStep("Total cost of ownership", 618_000.0, "total"),
]


def test_waterfall_has_one_bar_per_component_with_its_sign() -> None:
    root = parse(svg.waterfall("w", STEPS, "USD", "Hidden costs"))
    accessible(root, "w")
    steps = root.findall("s:g[@class='step']", NS)
    assert [g.get("data-kind") for g in steps] == [s.kind for s in STEPS]
    components = [g for g in steps if g.get("data-kind") == "component"]
    assert [float(g.get("data-value", "nan")) for g in components] == [-50_000, 48_000, 20_000]
    fills = [rect.get("fill") for g in components for rect in g.findall("s:rect", NS)]
    assert fills == [svg.COST_DOWN, svg.COST_UP, svg.COST_UP]
    labels = [t.text for g in components for t in g.findall("s:text", NS)]
    assert "−50.00 k" in labels
    assert "+48.00 k" in labels


def test_waterfall_components_walk_from_price_to_total() -> None:
    root = parse(svg.waterfall("w", STEPS, "USD", "Hidden costs"))
    spans = []
    for g in root.findall("s:g[@class='step']", NS):
        rect = g.find("s:rect", NS)
        assert rect is not None
        x, width = float(rect.get("x", "nan")), float(rect.get("width", "nan"))
        value = float(g.get("data-value", "nan"))
        # (where the bar starts, where it ends) in drawing order: a negative step runs leftwards.
        spans.append((x + width, x) if value < 0 else (x, x + width))
    price, *components, total = spans[1:]
    end = price[1]
    for start, stop in components:
        assert start == pytest.approx(end, abs=0.15)
        end = stop
    assert total[1] == pytest.approx(end, abs=0.15)


def test_fan_chart_draws_one_band_per_option() -> None:
    reference = svg.FanSeries(
        "Status quo", (10.0, 11.0, 12.0), (10.0, 11.0, 12.0), (10.0, 11.0, 12.0)
    )
    series = [
        svg.FanSeries("A", (4.0, 3.0, 3.0), (5.0, 4.0, 4.0), (6.0, 5.0, 5.0), highlight=True),
        svg.FanSeries("B", (7.0, 6.0, 6.0), (8.0, 7.0, 7.0), (9.0, 8.0, 8.0)),
    ]
    root = parse(svg.fan_chart("fan", reference, series, "EUR", "Fan"))
    accessible(root, "fan")
    bands = root.findall(".//s:path[@class='band']", NS)
    assert [b.get("data-option") for b in bands] == ["A", "B"]
    assert len(root.findall(".//s:polyline[@class='median']", NS)) == 2
    assert len(root.findall(".//s:polyline[@class='reference']", NS)) == 2
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "★ A" in texts
    assert "Y3" in texts


def test_tornado_has_a_bar_per_input() -> None:
    rows = [
        svg.TornadoRow("hourly rate", "10", "12", 120.0, 80.0),
        svg.TornadoRow("coordination loss", "0.04", "0.2", 105.0, 95.0),
    ]
    root = parse(svg.tornado("t", 100.0, rows, "USD", "Drivers"))
    accessible(root, "t")
    bars = root.findall("s:g[@class='bar']", NS)
    assert [(b.get("data-low"), b.get("data-high")) for b in bars] == [
        ("120.00", "80.00"),
        ("105.00", "95.00"),
    ]


def test_acceptability_stacks_shares_per_option() -> None:
    root = parse(svg.acceptability("a", ["X", "Y"], [[0.7, 0.3], [0.3, 0.7]], "SMAA"))
    accessible(root, "a")
    options = root.findall("s:g[@class='option']", NS)
    assert [o.get("data-option") for o in options] == ["X", "Y"]
    shares = [float(r.get("data-share", "0")) for r in options[0].findall("s:rect", NS)]
    assert shares == [0.7, 0.3]


def test_who_where_places_options_in_their_cells() -> None:
    entries = [
        svg.GridEntry("Status quo", 0, 0, status_quo=True),
        svg.GridEntry("Vendor abroad", 1, 1, recommended=True),
    ]
    root = parse(svg.who_where("g", entries, "2×2"))
    accessible(root, "g")
    cells = {
        c.get("data-arrangement"): [e.get("data-option") for e in c.findall("s:g", NS)]
        for c in root.findall("s:g[@class='cell']", NS)
    }
    assert cells == {
        "In-house": ["Status quo"],
        "Domestic outsourcing": [],
        "Captive offshoring": [],
        "Offshore outsourcing": ["Vendor abroad"],
    }


def test_same_input_gives_the_same_bytes_and_text_is_escaped() -> None:
    steps = [svg.WaterfallStep("<b>&", 1.0, "price"), svg.WaterfallStep("T", 1.0, "total")]
    first = svg.waterfall("w", steps, "USD", "x")
    assert first == svg.waterfall("w", steps, "USD", "x")
    assert "&lt;b&gt;&amp;" in first
    assert "<b>" not in first


@pytest.mark.parametrize(
    ("low", "high"), [(0.0, 33.5e6), (-761_600.0, 2.87e6), (17.6e6, 19.01e6), (0.0, 0.0)]
)
def test_ticks_cover_the_range(low: float, high: float) -> None:
    ticks = svg.nice_ticks(low, high)
    assert ticks[0] <= low
    assert ticks[-1] >= high
    assert 2 <= len(ticks) <= 8


def test_labels_carry_units_and_fit() -> None:
    assert compact(1_234_567, "USD") == "1.23 M USD"
    assert compact(-761_600) == "−761.60 k"
    assert svg.tick_label(7_500_000) == "7.5 M"
    cut = svg.fit("a" * 100, 70)
    assert cut.endswith("…")
    assert len(cut) == 10
    assert svg.fit("short", 70) == "short"
    assert svg.wrap("Hybrid 60% Manila captive + 40% US in-house", 200) == [
        "Hybrid 60% Manila captive + 40%",
        "US in-house",
    ]
