"""The articles the product quotes: every citation resolves to one, each is named as a reader
would cite it, and (with the article files at hand) the names are the articles' own."""

from __future__ import annotations

import pytest

from article_files import article_text, needs_article_files
from sourcewise.domain.articles import (
    ARTICLES,
    DIMENSIONS_ARTICLE,
    PLAYBOOK_ARTICLE,
    Article,
    article,
)
from sourcewise.domain.fit import RULES, quoted_articles


def test_every_rule_citation_resolves_to_an_article() -> None:
    for r in RULES:
        assert r.citation.article is ARTICLES[r.citation.seed], r.id


def test_quoted_articles_are_the_rules_sources_once_each_in_order() -> None:
    quoted = quoted_articles()
    assert [a.number for a in quoted] == sorted({r.citation.seed for r in RULES})
    # Remote Talent's post was read but no rule quotes it: it is never listed as quoted.
    assert article("001") not in quoted
    assert DIMENSIONS_ARTICLE in quoted
    assert PLAYBOOK_ARTICLE in quoted


def test_an_unknown_number_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"no article numbered '009' \(known: 000, 001, 002, 003\)"):
        article("009")


def test_names_read_as_a_citation_and_never_as_a_file_number() -> None:
    assert article("002").cited == (
        "Sara Schmidt, “What is the Difference Between Outsourcing and Offshoring?”"
    )
    assert article("003").cited == "BusinessVert, “Outsourcing vs offshoring”"
    assert article("001").short == "Remote Talent"
    for a in ARTICLES.values():
        assert a.number not in a.cited
        assert "seed" not in a.cited.lower()
        if a.by is not None:
            assert a.short == a.by
            assert a.by in a.cited


def test_an_untitled_article_is_described_and_marked_untitled_without_an_author() -> None:
    explainer = article("000")
    assert explainer.untitled
    assert explainer.by is None
    assert explainer.cited == (
        "an untitled web explainer on outsourcing vs offshoring and when to choose which"
    )
    assert explainer.short == "Untitled web explainer"
    # A quoted title is never invented for an article that has none.
    assert "“" not in explainer.cited


def test_an_untitled_article_with_a_publisher_names_the_publisher() -> None:
    notes = Article("009", "Notes on offshoring", "Acme", "newsletter", untitled=True)
    assert notes.cited == "Acme, an untitled newsletter on Notes on offshoring"
    assert notes.short == "Acme"


@needs_article_files
@pytest.mark.parametrize("a", ARTICLES.values(), ids=lambda a: a.number)
def test_title_and_author_are_the_articles_own(a: Article) -> None:
    text = article_text(a.number)
    if not a.untitled:
        # BusinessVert's title is its running phrase, written in lower case in the text.
        assert a.title.casefold() in text.casefold(), f"{a.number}: title not in the article"
    if a.by is not None:
        assert a.by in text, f"{a.number}: '{a.by}' not in the article"


@needs_article_files
def test_the_untitled_explainer_is_the_one_with_the_when_to_choose_sections() -> None:
    text = article_text(DIMENSIONS_ARTICLE.number)
    assert "When to Choose Outsourcing:" in text
    assert "When to Choose Offshoring:" in text
    assert "Risk Factors |" in text
