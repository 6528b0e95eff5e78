"""The value-of-information figures read the decide document's information block: the inputs
ranked against the EVPI, a pilot's worth and cost by size, nothing for an older result."""

from __future__ import annotations

from sourcewise.reports.information_charts import information_charts

POINTS = [
    {"people": n, "value": v, "cost": 1_000.0 * n, "net_value": v - 1_000.0 * n}
    for n, v in ((1, 500.0), (2, 3_000.0), (5, 4_000.0))
]
BLOCK = {
    "perfect_value": 10_000.0,
    "inputs": [
        {"name": "A: rate", "value": 6_000.0, "share_of_perfect": 0.6},
        {"name": "B: loss", "value": 0.0, "share_of_perfect": 0.0},
    ],
    "pilots": [
        {
            "months": 3,
            "option": "A",
            "perfect_value": 6_000.0,
            "curve": POINTS,
            "best": POINTS[1],
            "worth_running": True,
        }
    ],
}


def test_the_inputs_are_bars_under_the_evpi_line_with_their_names_above() -> None:
    figure = information_charts(BLOCK, "USD")["information_inputs"]
    bars, line = figure["data"]
    assert bars["x"] == [6_000.0, 0.0]
    assert bars["text"] == ["6.00 k USD", "0 USD"]
    assert line["x"] == [10_000.0, 10_000.0]
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["A: rate", "B: loss"]
    assert figure["data"][0]["hovertext"] == ["A: rate", "B: loss"]
    assert figure["layout"]["xaxis"]["range"][1] > 10_000.0


def test_names_are_plotly_text_wrapped_and_never_markup() -> None:
    name = "Captive <b>Manila</b> & partners (night shift): exchange rate path"
    block = {**BLOCK, "inputs": [{"name": name, "value": 1.0, "share_of_perfect": 0.0}]}
    [label] = information_charts(block, "USD")["information_inputs"]["layout"]["annotations"]
    assert label["text"] == (
        "Captive &lt;b&gt;Manila&lt;/b&gt; &amp; partners (night<br>shift): exchange rate path"
    )


def test_the_pilot_shows_worth_cost_the_evppi_and_its_best_size() -> None:
    figure = information_charts(BLOCK, "USD")["information_pilot"]
    worth, cost, ceiling, best = figure["data"]
    assert worth["x"] == cost["x"] == [1, 2, 5]
    assert cost["y"] == [1_000.0, 2_000.0, 5_000.0]
    assert ceiling["y"] == [6_000.0, 6_000.0]
    assert best["x"] == [2]
    assert figure["layout"]["xaxis"]["tickvals"] == [1, 2, 5]
    unpaid = {**BLOCK, "pilots": [{**BLOCK["pilots"][0], "worth_running": False}]}  # type: ignore[dict-item]
    assert len(information_charts(unpaid, "USD")["information_pilot"]["data"]) == 3


def test_no_block_or_no_input_no_figure() -> None:
    assert information_charts(None, "USD") == {}
    assert information_charts({**BLOCK, "inputs": []}, "USD") == {}
    assert "information_pilot" not in information_charts({**BLOCK, "pilots": []}, "USD")
