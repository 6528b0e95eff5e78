"""The source articles' text files, kept outside the repository: ``$SOURCEWISE_SEEDS``, else
``../shared/seeds`` beside the checkout. Tests that read them are skipped when they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ARTICLE_FILES = Path(
    os.environ.get("SOURCEWISE_SEEDS", Path(__file__).resolve().parents[2] / "shared" / "seeds")
)

needs_article_files = pytest.mark.skipif(
    not ARTICLE_FILES.is_dir(), reason="article files not found: set SOURCEWISE_SEEDS"
)


def article_text(number: str) -> str:
    """The text of article ``number`` (its file ``NNN_*.txt``) with whitespace made single
    spaces, so a quotation spanning a line break still matches."""
    (path,) = ARTICLE_FILES.glob(f"{number}_*.txt")
    return " ".join(path.read_text("utf-8").split())
