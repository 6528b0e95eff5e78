"""The layers' import contracts ([tool.importlinter] in pyproject.toml) hold, and they bite: an
inner layer importing an outer one, or an entrypoint reaching past the services, breaks them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# The documented exceptions to the contracts (``ignore_imports`` in pyproject.toml): none. An
# import added there fails this test until it is named here too, in review.
KNOWN_EXCEPTIONS: set[str] = set()


def lint_imports(
    python_path: Path | None = None, contract: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if python_path is not None:
        env["PYTHONPATH"] = str(python_path)
    only = ["--contract", contract] if contract else []
    return subprocess.run(
        [LINT_IMPORTS, "--no-logo", "--no-cache", *only, str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


# A unit of work opened, or a repository queried, outside the services and storage.
REPOSITORY_QUERY = re.compile(r"\bas uow\b|\buow\.[a-z_]+\.[a-z_]+\(")


def test_entrypoints_and_reports_read_the_store_through_named_views() -> None:
    """Imports cannot show this: a handler given a unit-of-work factory could still query a
    repository itself. Reading goes through ``services.views``, writing through the services."""
    package = ROOT / "src" / "sourcewise"
    files = [package / "api.py", *(package / "cli").rglob("*.py")]
    files += [*(package / "web").rglob("*.py"), *(package / "reports").rglob("*.py")]
    found = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if REPOSITORY_QUERY.search(line)
    ]
    assert not found, "\n".join(found)


def test_exceptions_to_the_contracts_are_only_the_known_ones() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ignored = {
        expression
        for contract in config["tool"]["importlinter"]["contracts"]
        for expression in contract.get("ignore_imports", [])
    }
    assert ignored <= KNOWN_EXCEPTIONS, sorted(ignored - KNOWN_EXCEPTIONS)


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # An inner layer importing an outer one.
        ("domain/cost.py", "import sourcewise.services.decide", "layers"),
        ("storage/memory.py", "import sourcewise.web.app", "layers"),
        ("reports/svg_base.py", "import sourcewise.web.app", "layers"),
        # One core package importing another.
        ("governance/kpis.py", "import sourcewise.domain.cost", "core"),
        # An entrypoint reaching past the services.
        ("web/app.py", "import sourcewise.storage.memory", "through-services"),
        ("cli/app.py", "import sourcewise.adapters.yaml_source", "through-services"),
    ],
)
def test_a_wrong_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    package = tmp_path / "sourcewise"
    shutil.copytree(
        ROOT / "src" / "sourcewise", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    target = package / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path, contract)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
