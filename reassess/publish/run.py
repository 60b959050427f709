"""One publishing run: every reader's pack and alerts for a snapshot, delivered and audited.

The order is the safety: the subscriptions are checked and the mail settings read before
anything is built; the alerts are worked out, audited and their state saved; then each reader
owed a message gets one, built as their role. After each message is handed over, the delivery
is written to the record (atomically) and to the audit trail; a refused message is audited as
failed and stays owed; a server that cannot be reached stops the run, and every message not yet
sent stays owed for the next run. A dry run builds everything and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reassess.access import ROLE_LABELS
from reassess.cli.common import cli_user
from reassess.config import ConfigError, programme, settings
from reassess.present.formats import long_date
from reassess.publish.alerts import ALERT_ROLE, AlertReport, AlertState, Plans, Transition, evaluate
from reassess.publish.mail import MailError, OutboxSender, SmtpSender, message, smtp_settings
from reassess.publish.packs import Pack, PackBuilder, alerts_subject, subject
from reassess.publish.record import DeliveryRecord, publish_lock
from reassess.publish.subscriptions import Reader, Subscriptions, load_subscriptions
from reassess.snapshot.listing import Listing, SnapshotInfo
from reassess.snapshot.runner import Database
from reassess.store.audit import AuditError, AuditEvent, AuditLog, filters_json, open_trail

PUBLISH_PAGE = "publish"
"""The page field of a delivery's audit record."""


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    snapshot: SnapshotInfo
    compare: SnapshotInfo | None
    latest: bool
    subscriptions: Path | None = None
    outbox: Path | None = None
    dry_run: bool = False
    resend: bool = False


@dataclass(frozen=True)
class Outcome:
    """What happened for one reader."""

    email: str
    role: str
    state: str  # sent, already_sent, failed, nothing_new, would_send
    detail: str


def body(
    reader: Reader,
    snap: SnapshotInfo,
    pack: Pack | None,
    alerts: AlertReport | None,
    link: str,
    mark: str,
) -> str:
    """The plain-text body: who it is for, what it holds, the summary, the alerts."""
    role = ROLE_LABELS[reader.role]
    lines = [f"For {reader.name} ({role}), as at {long_date(snap.as_of)}."]
    if pack is not None:
        lines += [f"Attached: {pack.what}, built as the {role} role.", ""]
        lines += list(pack.summary)
    if alerts is not None:
        lines += alerts.lines() or ["", "No alert is open for you at this snapshot."]
    lines += [
        "",
        f"On the dashboard: {link}",
        f"Marking: {mark}",
        "Sent by python -m reassess publish. Do not forward outside the organisation.",
    ]
    return "\n".join(lines) + "\n"


def _audit(trail: AuditLog, event: AuditEvent) -> None:
    trail.record(event)


def _alert_events(transitions: list[Transition]) -> list[AuditEvent]:
    return [
        AuditEvent(
            user=cli_user(),
            role=ALERT_ROLE,
            action="alert_raised" if t.alert.state == "new" else "alert_resolved",
            page=t.alert.link.rsplit("/", 1)[1].split("?", 1)[0],
            snapshot=t.snapshot,
            filters=filters_json({"rule": t.alert.rule, "kind": t.alert.kind}),
            detail=f"{t.alert.name}: {t.alert.text}"[:200],
        )
        for t in transitions
    ]


def publish(opts: Options, listing: Listing, say: Callable[[str], None]) -> int:
    """Deliver every owed message for a snapshot; 0 when nothing failed, 1 otherwise."""
    subs = load_subscriptions(opts.subscriptions)
    sender: SmtpSender | OutboxSender | None = None
    if not opts.dry_run:
        sender = OutboxSender(opts.outbox) if opts.outbox else SmtpSender(smtp_settings())
    cfg = settings()
    folder = cfg.data_dir / "publish"
    if opts.dry_run:
        return _run(opts, listing, subs, folder, None, None, say)
    try:
        trail = open_trail(cfg)
    except AuditError as exc:
        raise ConfigError(f"the audit trail cannot be written ({exc}); nothing was sent") from None
    with publish_lock(folder):
        try:
            return _run(opts, listing, subs, folder, sender, trail, say)
        finally:
            if sender is not None:
                sender.close()


def _run(
    opts: Options,
    listing: Listing,
    subs: Subscriptions,
    folder: Path,
    sender: SmtpSender | OutboxSender | None,
    trail: AuditLog | None,
    say: Callable[[str], None],
) -> int:
    snap, compare = opts.snapshot, opts.compare
    db = Database()
    plans = Plans(db, programme())
    record = DeliveryRecord.open(folder)
    state = AlertState(folder)
    report, transitions = evaluate(db, listing, snap, compare, subs, plans, state)
    if trail is not None:
        try:
            for event in _alert_events(transitions):
                _audit(trail, event)
        except AuditError as exc:
            say(f"error: the alerts could not be audited ({exc}); nothing was sent")
            return 1
        state.save()
    for t in transitions:
        say(f"alert {'raised' if t.alert.state == 'new' else 'resolved'}: {t.alert.name}")
    builder = PackBuilder(db, snap, compare, programme(), plans)
    failed = 0
    for reader in subs.readers:
        outcome = _deliver(reader, opts, subs, builder, report, record, sender, trail)
        say(
            f"{outcome.state.replace('_', ' ')}: {reader.email} ({ROLE_LABELS[reader.role]}): {outcome.detail}"
        )
        if outcome.state == "failed":
            failed += 1
            if outcome.detail.startswith("stopped"):
                break
    owed = [
        r.email
        for r in subs.readers
        if record.sent(snap.label, r.email) is None
        and (r.wants_pack or report.for_reader(r.email).news)
    ]
    if not opts.dry_run and owed and failed:
        say(f"{len(owed)} message(s) still owed for {snap.label}; the next run sends them")
    return 1 if failed else 0


def _deliver(
    reader: Reader,
    opts: Options,
    subs: Subscriptions,
    builder: PackBuilder,
    report: AlertReport,
    record: DeliveryRecord,
    sender: SmtpSender | OutboxSender | None,
    trail: AuditLog | None,
) -> Outcome:
    snap = opts.snapshot
    done = record.sent(snap.label, reader.email)
    if done is not None and not opts.resend:
        return Outcome(
            reader.email,
            reader.role,
            "already_sent",
            f"at {done.get('at', '?')}; --resend sends it again",
        )
    alerts = report.for_reader(reader.email) if reader.wants_alerts else None
    if not reader.wants_pack and (alerts is None or not alerts.news):
        return Outcome(reader.email, reader.role, "nothing_new", "no new or resolved alert")
    pack = builder.pack(reader.role, alerts) if reader.wants_pack else None
    mark = builder.marking
    if pack is not None:
        title = subject(pack, snap, opts.latest, alerts)
    else:
        assert alerts is not None
        title = alerts_subject(mark, snap, opts.latest, alerts)
    page = "briefing" if reader.role == "mayors_office" else "overview"
    link = f"{subs.dashboard_url}/{page}?snapshot={snap.label}"
    files = pack.attachments if pack else ()
    msg = message(
        subs.sender,
        reader.email,
        title,
        body(reader, snap, pack, alerts, link, mark),
        files,
        mark,
        snap.label,
    )
    what = (pack.what if pack else "alerts") + (
        f" and {len(alerts.alerts)} alert(s)" if pack and alerts and alerts.alerts else ""
    )
    names = ", ".join(a.filename for a in files)
    if sender is None:
        return Outcome(reader.email, reader.role, "would_send", f"{title!r}; {names or 'no files'}")
    assert trail is not None
    via = "outbox" if isinstance(sender, OutboxSender) else "smtp"

    def event(action: str, reason: str = "") -> AuditEvent:
        return AuditEvent(
            user=reader.email,
            role=reader.role,
            action=action,
            page=PUBLISH_PAGE,
            snapshot=snap.as_of,
            filters=filters_json({"via": via, "by": cli_user(), "resend": opts.resend}),
            detail=f"{what}: {names}"[:200] if names else what,
            reason=reason[:500],
        )

    try:
        how = sender.send(msg)
    except MailError as exc:
        try:
            _audit(trail, event("delivery_failed", str(exc)))
        except AuditError:
            pass
        stop = "stopped: " if exc.fatal else ""
        return Outcome(reader.email, reader.role, "failed", f"{stop}{exc}; still owed")
    record.mark(
        snap.label,
        reader.email,
        {
            "at": msg["Date"],
            "role": reader.role,
            "what": what,
            "files": [a.filename for a in files],
            "via": how,
            "message_id": msg["Message-ID"],
            "alerts": [a.rule for a in alerts.alerts] if alerts else [],
        },
    )
    try:
        _audit(trail, event("delivery"))
    except AuditError as exc:
        return Outcome(
            reader.email, reader.role, "failed", f"stopped: sent, but not audited ({exc})"
        )
    return Outcome(reader.email, reader.role, "sent", f"{title!r} ({how})")
