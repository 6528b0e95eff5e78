"""``/concepts``: the concepts a decision's pages use (the 2×2, TCO vs price, P10–P90,
P(beats the status quo), fit points, SMAA, the pilot verdict) and the articles the fit rules
quote, each passage with its anchor. The same text as ``docs/concepts.md``
(``reports/concepts.py``); served by the app so that its links work offline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sourcewise.domain.articles import ARTICLES
from sourcewise.reports.concepts import (
    CONCEPTS,
    SOURCES_ANCHOR,
    article_anchor,
    passage_anchor,
    passages,
)
from sourcewise.web.auth import PageUser
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/concepts", response_class=HTMLResponse)
def concepts_page(request: Request, principal: PageUser) -> Response:
    sources = [
        (article, article_anchor(article), passages(article)) for article in ARTICLES.values()
    ]
    return render(
        request,
        "concepts.html",
        concepts=CONCEPTS,
        sources=sources,
        sources_anchor=SOURCES_ANCHOR,
        passage_anchor=passage_anchor,
    )
