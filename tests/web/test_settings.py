"""Settings from the environment, and back: how `sourcewise serve --workers N` hands its
settings to the server processes, each building the app with ``app_from_environment``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sourcewise.services.governance_store import upgrade_store
from sourcewise.web.app import app_from_environment
from sourcewise.web.jobs import registry_of
from sourcewise.web.settings import WebSettings


def test_the_settings_a_command_sets_travel_through_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    given = WebSettings(
        database_url="postgresql://db.example/sw",
        secure_cookies=True,
        job_workers=0,
        db_pool_size=12,
        monitor_every=timedelta(minutes=90),
    )
    for name, value in given.to_environment().items():
        monkeypatch.setenv(name, value)
    assert WebSettings.from_environment() == WebSettings(
        secure_cookies=True, job_workers=0, db_pool_size=12, monitor_every=timedelta(minutes=90)
    )
    assert given.to_environment()["SOURCEWISE_DATABASE_URL"] == "postgresql://db.example/sw"


def test_the_defaults_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "SOURCEWISE_JOB_WORKERS",
        "SOURCEWISE_DB_POOL_SIZE",
        "SOURCEWISE_MONITOR_EVERY_MINUTES",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = WebSettings.from_environment()
    assert (settings.job_workers, settings.db_pool_size) == (2, 5)
    assert settings.monitor_every is None  # cron or a timer, unless asked


def test_a_server_process_builds_its_app_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    upgrade_store(url)
    monkeypatch.setenv("SOURCEWISE_DATABASE_URL", url)
    monkeypatch.setenv("SOURCEWISE_JOB_WORKERS", "3")
    app = app_from_environment()
    assert app.state.settings.job_workers == 3
    assert registry_of(app).workers == 3
    with app.state.make_uow() as uow:
        assert uow.jobs.get("none") is None  # the database named in the environment
