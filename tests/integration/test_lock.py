"""The lock (requirements/lock.txt) agrees with pyproject.toml, this environment was installed from
it, and the packaged data was built with the library versions it pins."""

from __future__ import annotations

import itertools
import re
import shlex
import tomllib
from collections import defaultdict
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from sourcewise.data import built_with

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+?)(?: ; (?P<marker>.+?))?\s*\\?$"
)


def locked(text: str) -> dict[str, list[tuple[Version, Marker | None]]]:
    """Every pin of the lock by canonical name; a universal lock may pin one package at several
    versions, each under its own environment marker (numpy by Python version, say)."""
    pins: dict[str, list[tuple[Version, Marker | None]]] = defaultdict(list)
    for line in text.splitlines():
        found = PIN.match(line)
        if found:
            marker = Marker(found["marker"]) if found["marker"] else None
            pins[canonicalize_name(found["name"])].append((Version(found["version"]), marker))
    return dict(pins)


def declared(pyproject: dict[str, object]) -> list[Requirement]:
    """The project's requirements, its extras' (a self-reference such as ``sourcewise[dask]``
    expanded) and the build back end's."""
    project = pyproject["project"]
    assert isinstance(project, dict)
    extras: dict[str, list[str]] = project.get("optional-dependencies", {})
    build = pyproject["build-system"]
    assert isinstance(build, dict)
    requirements = [Requirement(r) for r in (*project["dependencies"], *build["requires"])]
    for entries in extras.values():
        for entry in entries:
            requirement = Requirement(entry)
            if canonicalize_name(requirement.name) != canonicalize_name(project["name"]):
                requirements.append(requirement)
    return requirements


def disagreements(pyproject: dict[str, object], lock_text: str) -> list[str]:
    """Each declared requirement the lock leaves out or pins outside the declared range, and each
    extra the lock was not resolved with."""
    pins = locked(lock_text)
    problems = []
    for requirement in declared(pyproject):
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is declared but not in the lock")
            continue
        for version, _ in pins[name]:
            if not requirement.specifier.contains(version, prereleases=True):
                problems.append(f"{requirement} is declared but the lock pins {name}=={version}")
    header = next((line for line in lock_text.splitlines() if "uv pip compile" in line), "")
    arguments = shlex.split(header.lstrip("# "))
    project = pyproject["project"]
    assert isinstance(project, dict)
    for extra in project.get("optional-dependencies", {}):
        if not any(a == "--extra" and b == extra for a, b in itertools.pairwise(arguments)):
            problems.append(f"the lock was not resolved with the extra '{extra}'")
    return problems


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def test_the_lock_agrees_with_pyproject() -> None:
    problems = disagreements(_pyproject(), LOCK.read_text("utf-8"))
    assert problems == [], "run `make lock` and commit requirements/lock.txt:\n" + "\n".join(
        problems
    )


def test_a_new_or_tightened_requirement_is_caught() -> None:
    pyproject = _pyproject()
    lock_text = LOCK.read_text("utf-8")
    project = pyproject["project"]
    assert isinstance(project, dict)
    project["dependencies"] = [*project["dependencies"], "tabulate-extra-pkg>=1", "numpy>=99"]
    project["optional-dependencies"] = {**project["optional-dependencies"], "docs": []}
    problems = disagreements(pyproject, lock_text)
    assert any("tabulate-extra-pkg" in p and "not in the lock" in p for p in problems)
    assert any(p.startswith("numpy>=99") for p in problems)
    assert "the lock was not resolved with the extra 'docs'" in problems


def test_this_environment_was_installed_from_the_lock() -> None:
    wrong = []
    for name, pins in locked(LOCK.read_text("utf-8")).items():
        wanted = [version for version, marker in pins if marker is None or marker.evaluate()]
        if not wanted:
            continue  # pinned for another platform or Python only
        try:
            have = Version(metadata.version(name))
        except metadata.PackageNotFoundError:
            wrong.append(f"{name}: locked {wanted[0]}, not installed")
            continue
        if have not in wanted:
            wrong.append(f"{name}: locked {wanted[0]}, installed {have}")
    assert wrong == [], "install from the lock (`make test` does):\n" + "\n".join(wrong)


@pytest.mark.parametrize("file", sorted(built_with.LIBRARIES))
def test_packaged_data_was_built_with_the_locked_libraries(file: str) -> None:
    pins = locked(LOCK.read_text("utf-8"))
    recorded = built_with.recorded_versions()[file]
    for library in built_with.LIBRARIES[file]:
        versions = {str(v) for v, _ in pins[canonicalize_name(library)]}
        assert recorded[library] in versions, (
            f"{file} was built with {library} {recorded[library]} but the lock pins "
            f"{', '.join(sorted(versions))}: run `make data` and commit the rebuilt files"
        )


def test_recording_keeps_other_files_and_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "built_with.json"
    target.write_text('{"other.csv": {"x": "1"}}\n', encoding="utf-8")
    built_with.record(["indicators.csv"], target)
    text = target.read_text("utf-8")
    assert '"other.csv"' in text
    assert f'"pycountry": "{metadata.version("pycountry")}"' in text
    assert [p.name for p in tmp_path.iterdir()] == ["built_with.json"]
