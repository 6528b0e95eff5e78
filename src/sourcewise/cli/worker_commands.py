"""``sourcewise worker``: run the background decisions and simulations queued in the database.

Workers on any machine that reaches the database share the queue with each other and with the
web servers' own job threads (``serve --job-threads``); each job is run by one of them. A worker
told to stop (SIGTERM, Ctrl-C) gives its running jobs back to the queue; one killed outright
leaves them to be queued again by another worker once their heartbeat is ``--stale-after``
seconds old.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sourcewise.cli.app import DbOption, ExecutorOption, app, executor_or_fail, store_or_fail


@app.command("worker")
def worker(
    db: DbOption = None,
    threads: Annotated[int, typer.Option(min=1, max=64, help="Jobs run at once.")] = 1,
    poll: Annotated[
        float, typer.Option(min=0.05, help="Seconds between two looks at an empty queue.")
    ] = 1.0,
    once: Annotated[
        bool, typer.Option("--once", help="Stop when the queue is empty instead of waiting.")
    ] = False,
    executor: ExecutorOption = "local",
    stale_after: Annotated[
        float,
        typer.Option(
            min=1.0,
            help="Seconds without a heartbeat after which a running job's worker is taken to "
            "have stopped: the job is queued again, or failed after 3 attempts.",
        ),
    ] = 30.0,
) -> None:
    """Run queued background jobs (decide and simulate) until stopped (SIGTERM or Ctrl-C)."""
    import functools
    import logging
    import signal
    from types import FrameType

    from sourcewise.reports.job_results import perform
    from sourcewise.services.job_worker import Worker, WorkerSettings

    # A connection for each thread and one for the heartbeat, kept: they write every second.
    make_uow = store_or_fail(db, pool_size=threads + 1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    settings = WorkerSettings(threads=threads, poll=poll, stale_after=stale_after)
    with executor_or_fail(executor) as runner:
        run = functools.partial(perform, make_uow=make_uow, executor=runner)
        found = Worker(make_uow, run, settings)

        def stop(signum: int, _frame: FrameType | None) -> None:
            if found.stopping:  # asked twice: stop now, the jobs are reaped later
                raise SystemExit(128 + signum)
            found.request_stop()

        before = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        plural = "s" if threads != 1 else ""
        typer.echo(
            f"worker {found.name}: {threads} thread{plural}, executor {runner.name}; "
            + ("until the queue is empty" if once else "waiting for jobs (Ctrl-C stops)"),
            err=True,
        )
        try:
            found.start(once=once)
            # Short joins, so that the signal handlers run in this (the main) thread meanwhile.
            while not found.join(0.2):
                pass
        finally:
            for number, handler in before.items():
                signal.signal(number, handler)
    tally = found.tally
    typer.echo(
        f"worker {found.name} stopped: {tally.done} done, {tally.failed} failed, "
        f"{tally.released} given back to the queue, {tally.reaped} reaped from stopped workers",
        err=True,
    )
