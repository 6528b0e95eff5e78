"""The decision as one self-contained HTML page (no scripts, fonts or images fetched)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sourcewise.domain.arrangement import GRID, WHERE
from sourcewise.domain.dimensions import DIMENSIONS
from sourcewise.domain.fit import quoted_articles
from sourcewise.reports.concepts import add_report_links, appendix
from sourcewise.reports.decision_json import decision_to_dict
from sourcewise.reports.formats import FILTERS
from sourcewise.services.decide import Decision


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sourcewise.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.filters["title_words"] = lambda v: str(v).replace("_", " ").capitalize()
    add_report_links(env)
    return env


def render_html(decision: Decision) -> str:
    data = decision_to_dict(decision)
    for function in data["functions"]:
        cells: dict[str, list[str]] = {str(a): [] for row in GRID for a in row}
        for option in function["options"]:
            for site in option["sites"]:
                label = option["name"] + (
                    f" ({site['share']:.0%})" if len(option["sites"]) > 1 else ""
                )
                cells[site["arrangement"]].append(label)
        function["grid"] = cells
    template = _environment().get_template("decision.html")
    return template.render(
        data=data,
        grid=[(where, [str(a) for a in row]) for where, row in zip(WHERE, GRID, strict=True)],
        dimensions=DIMENSIONS,
        currency=data["company"]["currency"],
        articles=quoted_articles(),
        **appendix(quoted_articles()),
    )
