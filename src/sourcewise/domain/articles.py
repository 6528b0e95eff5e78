"""The four articles on outsourcing and offshoring the fit rules, dimensions and plans quote.

Each is kept as a text file numbered 000–003 (``Citation.seed`` in ``domain.fit`` is that
number); readers see the article named as they would cite it: author or publisher and title.
Article 000 carries neither, so it is described by what it is and marked untitled rather than
given an invented author.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Article:
    number: str
    """The article file's number, e.g. "002" for 002_*.txt."""
    title: str
    """The title as the article gives it, or what it is about when it has none."""
    by: str | None
    """The author, else the publisher; None when the article names neither."""
    kind: str
    """What it is: "blog post", "web explainer", ..."""
    untitled: bool = False
    """The article has no title: ``title`` only describes it."""

    @property
    def short(self) -> str:
        """A name for narrow columns: the author or publisher, else what the article is."""
        return self.by or f"Untitled {self.kind}"

    @property
    def cited(self) -> str:
        """The article named inline, after a quote: author or publisher and title."""
        if self.untitled:
            about = f"an untitled {self.kind} on {self.title}"
            return f"{self.by}, {about}" if self.by else about
        return f"{self.by}, “{self.title}”" if self.by else f"“{self.title}”"


ARTICLES: dict[str, Article] = {
    a.number: a
    for a in (
        Article(
            "000",
            "outsourcing vs offshoring and when to choose which",
            None,
            "web explainer",
            untitled=True,
        ),
        Article(
            "001",
            "Exploring the Nuances: Outsourcing vs. Offshoring in Business Operations",
            "Remote Talent",
            "blog post",
        ),
        Article(
            "002",
            "What is the Difference Between Outsourcing and Offshoring?",
            "Sara Schmidt",
            "article",
        ),
        Article("003", "Outsourcing vs offshoring", "BusinessVert", "article"),
    )
}
"""Every article by number, in number order."""

DIMENSIONS_ARTICLE = ARTICLES["000"]
"""The explainer whose comparison table gives the five dimensions and the risk factors."""
PLAYBOOK_ARTICLE = ARTICLES["003"]
"""BusinessVert's article: the pilot, the operational metrics and the risk playbook."""


def article(number: str) -> Article:
    """The article with this file number; a KeyError names the numbers that exist."""
    try:
        return ARTICLES[number]
    except KeyError:
        known = ", ".join(ARTICLES)
        raise KeyError(f"no article numbered {number!r} (known: {known})") from None
