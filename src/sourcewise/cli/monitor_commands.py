"""``sourcewise monitor``: drift alerts on one engagement's KPIs (``monitor -e NAME``, as
before), and ``monitor run``, the automated monitoring of every engagement meant for cron, a
systemd timer or a Kubernetes CronJob. ``sourcewise notify``: who is told of what, and how."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sourcewise.cli.app import DbOption, OutputFormat, app, fail_message, store_or_fail
from sourcewise.cli.governance_commands import FormatOption, _emit

if TYPE_CHECKING:
    from sourcewise.services.monitor_run import MonitorRun

monitor_app = typer.Typer(
    help=(
        "Drift alerts on one engagement's KPIs (monitor -e NAME), or the automated "
        "monitoring of every engagement (monitor run --all)."
    ),
    invoke_without_command=True,
)
app.add_typer(monitor_app, name="monitor")

notify_app = typer.Typer(
    help="Notification subscriptions (e-mail or webhook) and the delivery log.",
    no_args_is_help=True,
)
app.add_typer(notify_app, name="notify")


@monitor_app.callback()
def monitor(
    context: typer.Context,
    engagement: Annotated[
        str | None, typer.Option("--engagement", "-e", help="Engagement name.")
    ] = None,
    kpi: Annotated[str | None, typer.Option(help="One KPI only.")] = None,
    baseline: Annotated[
        int | None, typer.Option(min=2, help="Points that set the control limits (default 12).")
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Statistical drift alerts on the engagement's KPIs: XmR chart with the Western Electric
    rules and EWMA; only drifts in the bad direction are alerts. ``monitor run`` evaluates
    everything that can fire, for every engagement, and notifies subscribers."""
    if context.invoked_subcommand is not None:
        return
    if engagement is None:
        raise typer.BadParameter(
            "give an engagement (-e NAME), or use `monitor run --all`",
            param_hint="'--engagement' / '-e'",
        )
    from sourcewise.services.monitoring import drift_alerts

    make_uow = store_or_fail(db)
    try:
        alerts = drift_alerts(make_uow, engagement, kpi, baseline)
    except LookupError as error:
        fail_message(str(error))
    from sourcewise.reports import governance_json, governance_terminal

    _emit(
        output,
        lambda: governance_json.drift_json(alerts),
        lambda console: governance_terminal.render_drift(alerts, console),
    )


def _run_json(run: MonitorRun) -> dict[str, Any]:
    from sourcewise.reports.steering_json import plan_json

    recorded = run.recorded
    return {
        "as_of": run.as_of.isoformat(),
        "engagement": run.engagement,
        "conditions": run.found,
        "new": [
            {
                "id": e.id,
                "kind": e.kind.value,
                "severity": e.severity.value,
                "engagement": e.engagement,
                "subject": e.subject,
                "period": e.period,
                "summary": e.summary,
            }
            for e in recorded.new
        ],
        "corrective_action_plans_opened": [plan_json(p) for p in run.plans_opened],
        "seen_again": recorded.seen_again,
        "reopened": [e.id for e in recorded.reopened],
        "resolved": [e.id for e in recorded.resolved],
        "notifications": {
            "queued": run.queued,
            "sent": run.delivery.sent,
            "messages": run.delivery.messages,
            "failed": run.delivery.failed,
            "waiting": run.delivery.waiting,
        },
    }


@monitor_app.command("run")
def monitor_run(
    all_engagements: Annotated[
        bool, typer.Option("--all", help="Every engagement (and risks on none).")
    ] = False,
    engagement: Annotated[
        str | None, typer.Option("--engagement", "-e", help="One engagement only.")
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Judge the data as of this day; default today."),
    ] = None,
    notice_days: Annotated[
        int,
        typer.Option(
            min=0,
            max=3660,
            help="Days ahead that a contract's end, notice deadline, renewal, price review or "
            "benchmarking date is an event.",
        ),
    ] = 90,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Evaluate everything that can fire (SLA breach and at-risk, KPI drift, risk triggers,
    overdue actions and playbook steps, pilot verdicts, contract dates, contract remedies
    repeated breaches call for), store each condition once, resolve what no longer holds, open
    a corrective-action plan for each new breach, and notify subscribers (failed deliveries are
    retried with back-off). Safe to repeat: a second run stores, opens and sends nothing new."""
    if all_engagements == (engagement is not None):
        raise typer.BadParameter("give either --all or --engagement NAME", param_hint="'--all'")
    from sourcewise.services.monitor_run import run_monitor

    make_uow = store_or_fail(db, source="monitor")
    day: date | None = None if as_of is None else as_of.date()
    try:
        run = run_monitor(make_uow, day, engagement, notice_days=notice_days)
    except LookupError as error:
        fail_message(str(error))
    data = _run_json(run)
    if output is OutputFormat.json:
        typer.echo(json.dumps(data, indent=2))
        return
    scope = run.engagement or "all engagements"
    typer.echo(
        f"Monitored {scope} as of {run.as_of:%Y-%m-%d}: {run.found} conditions hold, "
        f"{len(run.recorded.new)} new, {run.recorded.seen_again} already known, "
        f"{len(run.recorded.reopened)} reopened, {len(run.recorded.resolved)} resolved."
    )
    for event in run.recorded.new:
        where = event.engagement or "all"
        typer.echo(f"  new #{event.id} [{event.severity.value}] {where}: {event.summary}")
    for plan in run.plans_opened:
        months = f"{plan.first_breach:%Y-%m}"
        if plan.last_breach != plan.first_breach:
            months += f" to {plan.last_breach:%Y-%m}"
        typer.echo(
            f"  corrective-action plan #{plan.id} opened, {plan.engagement}: "
            f"{plan.service_level} (breached {months}), "
            f"owner {plan.owner}, due {plan.due_on:%Y-%m-%d}"
        )
    d = run.delivery
    typer.echo(
        f"Notifications: {run.queued} queued, {d.sent} sent in {d.messages} messages, "
        f"{d.failed} failed (retried later), {d.waiting} waiting to retry."
    )


@notify_app.command("subscribe")
def notify_subscribe(
    username: Annotated[
        str | None, typer.Argument(help="The user to notify (or give --role).", show_default=False)
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            help="Instead of a user, a role (admin, analyst, viewer, provider): a team's "
            "address is told what users of that role are shown.",
            show_default=False,
        ),
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option(help="With --role provider: the provider whose engagements it hears of."),
    ] = None,
    email: Annotated[str | None, typer.Option(help="Send e-mails to this address.")] = None,
    webhook: Annotated[
        str | None, typer.Option(help="POST to this URL (Slack/Teams-compatible JSON).")
    ] = None,
    engagement: Annotated[
        str | None, typer.Option("--engagement", "-e", help="Only this engagement.")
    ] = None,
    min_severity: Annotated[
        str, typer.Option(help="info, warning or critical: the least severe event sent.")
    ] = "warning",
    kind: Annotated[
        list[str] | None, typer.Option(help="Only these kinds (repeat); default every kind.")
    ] = None,
    digest: Annotated[
        bool, typer.Option(help="One message per run listing every new event.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Subscribe a user, or a role's team address, to monitoring events by e-mail or webhook."""
    from sourcewise.governance.alerts import Channel, EventKind, Severity
    from sourcewise.security.users import Role
    from sourcewise.services.governance_store import current_actor
    from sourcewise.services.notifications import SubscriptionError, subscribe

    if (email is None) == (webhook is None):
        raise typer.BadParameter("give either --email or --webhook", param_hint="'--email'")
    if (username is None) == (role is None):
        raise typer.BadParameter("give either a user name or --role", param_hint="'--role'")
    try:
        severity = Severity(min_severity)
        kinds = tuple(EventKind(k) for k in kind or [])
    except ValueError as error:
        fail_message(f"{error}; kinds: {', '.join(k.value for k in EventKind)}")
    try:
        team = None if role is None else Role(role)
    except ValueError:
        fail_message(f"role: one of {', '.join(r.value for r in Role)}, not {role!r}")
    channel = Channel.EMAIL if email is not None else Channel.WEBHOOK
    target = email if email is not None else webhook
    assert target is not None
    make_uow = store_or_fail(db)
    try:
        found = subscribe(
            make_uow,
            username or current_actor(),
            channel,
            target,
            engagement,
            severity,
            kinds,
            digest,
            role=team,
            provider=provider,
        )
    except SubscriptionError as error:
        fail_message(str(error))
    typer.echo(f"subscription {found.id}: {found.subscriber} by {channel.value} to {target}")


@notify_app.command("list")
def notify_list(
    user: Annotated[str | None, typer.Option(help="Only this user's subscriptions.")] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Subscriptions, with what each asks for."""
    from sourcewise.services.notifications import subscriptions

    found = subscriptions(store_or_fail(db), user)
    rows: list[dict[str, Any]] = [
        {
            "id": s.id,
            "user": s.username,
            "role": s.role,
            "provider": s.provider,
            "subscriber": s.subscriber,
            "channel": s.channel.value,
            "target": s.target,
            "engagement": s.engagement,
            "min_severity": s.min_severity.value,
            "kinds": [k.value for k in s.kinds],
            "digest": s.digest,
        }
        for s in found
    ]
    if output is OutputFormat.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("No subscriptions.")
    for r in rows:
        kinds = ", ".join(r["kinds"]) or "every kind"
        typer.echo(
            f"{r['id']}: {r['subscriber']} by {r['channel']} to {r['target']}; "
            f"{r['engagement'] or 'every engagement'}, {r['min_severity']} and above, {kinds}"
            + ("; digest" if r["digest"] else "")
        )


@notify_app.command("remove")
def notify_remove(
    subscription: Annotated[int, typer.Argument(help="The subscription's number.")],
    db: DbOption = None,
) -> None:
    """Remove a subscription (and its delivery log)."""
    from sourcewise.services.notifications import unsubscribe

    if not unsubscribe(store_or_fail(db), subscription):
        fail_message(f"no subscription {subscription}")
    typer.echo(f"subscription {subscription} removed")


@notify_app.command("log")
def notify_log(
    user: Annotated[str | None, typer.Option(help="Only this user's deliveries.")] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """The delivery log: each event told to each subscription, sent or waiting to retry."""
    from sourcewise.services.notifications import delivery_log

    rows: list[dict[str, Any]] = [
        {
            "id": d.id,
            "event": d.event_id,
            "subscription": d.subscription_id,
            "status": d.status.value,
            "attempts": d.attempts,
            "next_attempt_at": None if d.next_attempt_at is None else d.next_attempt_at.isoformat(),
            "sent_at": None if d.sent_at is None else d.sent_at.isoformat(),
            "last_error": d.last_error,
        }
        for d in delivery_log(store_or_fail(db), user)
    ]
    if output is OutputFormat.json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("No deliveries.")
    for r in rows:
        when = r["sent_at"] or f"next try {r['next_attempt_at'] or 'next run'}"
        error = f" ({r['last_error']})" if r["last_error"] else ""
        typer.echo(
            f"{r['id']}: event {r['event']} to subscription {r['subscription']}: "
            f"{r['status']} after {r['attempts']} attempts, {when}{error}"
        )
