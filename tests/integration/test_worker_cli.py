"""`sourcewise worker`: runs queued jobs to their results, and, told to stop in the middle of a
job (SIGTERM), gives it back to the queue without counting the attempt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise import api
from sourcewise.cli import app
from sourcewise.services.governance_store import UowFactory, open_store, upgrade_store
from sourcewise.services.job_queue import find_job, submit_job
from sourcewise.workspace.jobs import Job, JobKind, JobLimits, JobPayload, JobStatus

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "us-customer-service.yaml"
LIMITS = JobLimits(max_active=10, max_per_user=10)
CLI = [sys.executable, "-c", "from sourcewise.cli import main; main()"]


def store(folder: Path) -> tuple[str, UowFactory]:
    url = f"sqlite:///{folder / 'jobs.db'}"
    upgrade_store(url)
    return url, open_store(url)


def submit(make_uow: UowFactory, kind: JobKind, draws: int) -> Job:
    text = EXAMPLE.read_text(encoding="utf-8")
    payload = JobPayload(text, EXAMPLE.name, draws, 7)
    return submit_job(make_uow, "ann", kind, f"{kind} {draws}", draws + 1, payload, LIMITS)


def state(make_uow: UowFactory, job: Job) -> Job:
    found = find_job(make_uow, job.id, "ann")
    assert found is not None
    return found


def test_once_runs_every_queued_job_to_its_result(tmp_path: Path) -> None:
    url, make_uow = store(tmp_path)
    decision = submit(make_uow, JobKind.DECISION, 200)
    simulation = submit(make_uow, JobKind.SIMULATION, 300)
    ran = CliRunner().invoke(app, ["worker", "--db", url, "--once", "--threads", "2"])
    assert ran.exit_code == 0, ran.output
    assert "2 done, 0 failed" in ran.output
    decided = state(make_uow, decision)
    assert (decided.status, decided.attempts, decided.progress) == (JobStatus.DONE, 1, 1.0)
    expected = api.decision_to_dict(api.decide(api.load_scenario(EXAMPLE), draws=200, seed=7))
    assert decided.result is not None
    assert decided.result["decision"] == {**expected, "scenario": EXAMPLE.name}
    simulated = state(make_uow, simulation)
    assert simulated.result is not None
    assert simulated.result["simulation"]["simulation"] == {"draws": 300, "seed": 7}


@pytest.mark.slow
def test_sigterm_gives_the_running_job_back(tmp_path: Path) -> None:
    url, make_uow = store(tmp_path)
    job = submit(make_uow, JobKind.SIMULATION, 200_000)
    worker = subprocess.Popen(
        [*CLI, "worker", "--db", url, "--poll", "0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        deadline = time.monotonic() + 60
        while state(make_uow, job).done == 0:  # running, and some draws done
            assert worker.poll() is None, worker.communicate()
            assert time.monotonic() < deadline, "the job never progressed"
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err
    assert "0 done, 0 failed, 1 given back to the queue" in err
    back = state(make_uow, job)
    assert (back.status, back.attempts, back.done, back.worker) == (JobStatus.QUEUED, 0, 0, None)
