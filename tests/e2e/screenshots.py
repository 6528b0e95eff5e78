"""Every screenshot the docs show is taken through ``shoot``, which keeps the images true.

With ``$SOURCEWISE_SCREENSHOTS`` set (``make screenshots``) it saves the image there and records
a fingerprint of what the image shows in ``screenshots.json`` beside it (docs/screenshots.json).
Without it, on every test run, it compares the fingerprint of the page as it is now with the
recorded one and fails when they differ: the page changed, the image in docs/ did not.

A fingerprint is a digest of text, not of pixels (fonts and anti-aliasing differ between
machines):
- ``"text"``: all of the shown text, for documents made from a fixed seed (decide's HTML, the
  business case), so a changed number is caught;
- ``"structure"`` (the default, for the web app's pages, whose data depends on the day and on
  the tests before): the headings, table headers, labels, buttons and legends, so a changed
  layout is caught.
Times and dates are normalised away in both (they change with every run).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = "screenshots.json"
STRUCTURE = "h1, h2, h3, h4, th, label, button, legend, summary, caption"
_STRUCTURE_JS = (
    f"(root) => Array.from(root.querySelectorAll('{STRUCTURE}')).map((e) => e.innerText.trim())"
)
_DATE = re.compile(r"\b\d{4}-\d\d(-\d\d)?( \d\d:\d\d(:\d\d)?)?\b")


def fingerprint(text: str) -> str:
    lines = [" ".join(_DATE.sub("<date>", line).split()) for line in text.splitlines()]
    return hashlib.sha256("\n".join(line for line in lines if line).encode()).hexdigest()[:20]


def _shown(target: Any, kind: Literal["text", "structure"]) -> str:
    is_page = hasattr(target, "goto")
    if kind == "text":
        return str(target.inner_text("body") if is_page else target.inner_text())
    if is_page:
        found = target.evaluate(f"() => ({_STRUCTURE_JS})(document.body)")
    else:
        found = target.evaluate(_STRUCTURE_JS)
    return "\n".join(found)


def shoot(
    target: Any,
    shots: Path,
    name: str,
    kind: Literal["text", "structure"] = "structure",
    **options: Any,
) -> None:
    """Screenshot ``target`` (a Playwright page or locator) as ``shots/name``; record or check
    the fingerprint of what it shows (module docstring)."""
    target.screenshot(path=str(shots / name), **options)
    digest = fingerprint(_shown(target, kind))
    if os.environ.get("SOURCEWISE_SCREENSHOTS"):
        path = shots / MANIFEST
        recorded = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        recorded[name] = {"fingerprint": digest, "of": kind}
        path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return
    recorded = json.loads((ROOT / "docs" / MANIFEST).read_text(encoding="utf-8"))
    if name in recorded and (ROOT / "docs" / name).exists():
        assert recorded[name]["fingerprint"] == digest, (
            f"docs/{name}: the page it shows has changed since the image was taken; "
            "run `make screenshots` and commit the images with docs/screenshots.json"
        )
