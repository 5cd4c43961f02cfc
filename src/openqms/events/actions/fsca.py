"""Field safety corrective actions: the writers (UK MDR 2002 Part 4A; MHRA guidance).

The rule at the heart of it: the MHRA is told before a GB FSCA is carried out. "Start"
is refused until the MHRA's notification is recorded, dated before the start, unless
the FSCA is urgent with a justification; then it may start, and the missing
notification is flagged until recorded. Closing is signed, and refused until every
unit affected is reached or the closure justifies the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from openqms.core import audit
from openqms.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from openqms.core.files import check_name, store
from openqms.core.models import StoredFile, User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.devices.models import Device
from openqms.documents.models import Document, Revision
from openqms.events import access, guards
from openqms.events.actions.common import (
    choice,
    count,
    date,
    flag,
    link_sources,
    long_text,
    moment,
    require,
    require_performer,
    text,
)
from openqms.events.models import (
    Fsca,
    FscaDevice,
    FscaMarket,
    FscaNotice,
    FscaState,
    Market,
    Party,
    Reconciliation,
    ReviewOutcome,
    Scope,
)
from openqms.events.numbers import next_number
from openqms.events.pack import PackSection
from openqms.events.registry import FSCA_CLOSED, MANAGE, REPORT, SIGN

S = FscaState


def _notified_unless_urgent(fsca: Fsca, actor: Any) -> str | None:
    # MHRA guidance on FSCAs: a GB FSCA is notified to the MHRA before it is carried
    # out, except where urgency does not allow it (the urgency justified on the record).
    if fsca.scope != Scope.GB or fsca.mhra_notified_at is not None:
        return None
    if fsca.urgent and fsca.urgency_justification:
        return None
    return (
        "The MHRA must be told before the FSCA is carried out: record the MHRA "
        "notification first (or mark the FSCA urgent, with a justification)."
    )


def _late_notification_recorded(fsca: Fsca, actor: Any) -> str | None:
    if fsca.scope == Scope.GB and fsca.mhra_notified_at is None:
        return "Record the MHRA notification (late, as the FSCA was urgent) before closing."
    return None


def _other_rules(fsca: Fsca, actor: Any) -> str | None:
    return guards.refusal_of("fsca", "close", fsca)


FSCA = Workflow(
    model=Fsca,
    states=FscaState,
    transitions=[
        Transition(
            "notify",
            sources=(S.PLANNED,),
            target=S.NOTIFIED,
            permission=REPORT,
            event="events.fsca.mhra_notified",
            label="Record the MHRA notification",
        ),
        Transition(
            "start",
            sources=(S.PLANNED, S.NOTIFIED),
            target=S.IN_PROGRESS,
            permission=MANAGE,
            event="events.fsca.started",
            label="Start the action",
            guards=(_notified_unless_urgent,),
        ),
        Transition(
            "close",
            sources=(S.IN_PROGRESS,),
            target=S.CLOSED,
            permission=SIGN,
            signature=FSCA_CLOSED,
            event="events.fsca.closed",
            label="Close",
            stamp="closed_at",
            guards=(_late_notification_recorded, _other_rules),
        ),
    ],
)


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketReach:
    market: FscaMarket
    affected: int
    reached: int

    @property
    def percent(self) -> int:
        return percent(self.reached, self.affected)


def percent(reached: int, affected: int) -> int:
    """Whole per cent reached, rounded down (99.9 % is not yet 100 %)."""
    return 100 if affected == 0 else reached * 100 // affected


def reach(fsca: Fsca) -> tuple[list[MarketReach], int, int]:
    """Units reached per market, and overall (reached, affected)."""
    reached = dict(
        Reconciliation.objects.filter(fsca=fsca)
        .values("market")
        .annotate(n=Sum("units_reached"))
        .values_list("market", "n")
    )
    rows = [MarketReach(m, m.units_affected, reached.get(m.pk, 0)) for m in fsca.markets.all()]
    return rows, sum(r.reached for r in rows), sum(r.affected for r in rows)


def gaps(fsca: Fsca) -> list[str]:
    """The parties not (yet) shown as told in advance of the action."""
    missing = []
    for party in Party:
        told = [n for n in fsca.notices.all() if n.party == party]
        if fsca.started_at is not None:
            told = [n for n in told if n.told_at <= fsca.started_at]
        if not told:
            who = party.label[0].upper() + party.label[1:]
            missing.append(f"{who}: no dated evidence of being told in advance")
    return missing


def notice_revision(fsca: Fsca) -> Revision | None:
    """The field safety notice's revision in force."""
    if fsca.notice_id is None:
        return None
    return Revision.objects.filter(document_id=fsca.notice_id, state="effective").first()


def _total(model: type, field: str) -> Coalesce:
    sums = (
        model.objects.filter(fsca=OuterRef("pk"))  # type: ignore[attr-defined]
        .order_by()
        .values("fsca")
        .annotate(n=Sum(field))
        .values("n")
    )
    return Coalesce(Subquery(sums, output_field=IntegerField()), 0)


def with_reach(rows: QuerySet[Fsca]) -> QuerySet[Fsca]:
    """Each FSCA with its units affected and reached (two subqueries, not a query a row)."""
    return rows.select_related("device", "owner").annotate(
        affected=_total(FscaMarket, "units_affected"),
        reached=_total(Reconciliation, "units_reached"),
    )


def filtered(user: Any, data: dict[str, Any]) -> QuerySet[Fsca]:
    rows = access.visible(user, Fsca.objects.all())
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    if data.get("scope"):
        rows = rows.filter(scope=data["scope"])
    if data.get("device"):
        rows = rows.filter(devices__device=data["device"]).distinct()
    if data.get("urgent"):
        rows = rows.filter(urgent=True)
    if data.get("open"):
        rows = rows.exclude(state=FscaState.CLOSED)
    return with_reach(rows).order_by("-opened_at", "-pk")


# --- input ----------------------------------------------------------------------------------


def _device(value: Any, field: str) -> Device:
    try:
        found = Device.objects.filter(pk=int(value)).first() if value not in (None, "") else None
    except (TypeError, ValueError):
        found = None
    if isinstance(value, Device):
        found = value
    if found is None:
        raise InvalidInput("Choose a device from the register.", fields={field: "Choose a device."})
    return found


def _file(content: IO[bytes] | None, name: str) -> tuple[StoredFile | None, str]:
    if content is None:
        return None, ""
    name = check_name(name)
    return store(content), name


def _urgency(urgent: Any, justification: Any) -> tuple[bool, str]:
    urgent = flag(urgent, "urgent")
    justification = long_text(justification, "urgency_justification", required=urgent)
    return urgent, justification if urgent else ""


def _scope(scope: Any, other_market: Any) -> tuple[str, str]:
    scope = choice(scope, Scope, "scope")
    other = text(other_market, "other_market", required=scope == Scope.OTHER_MARKET, limit=100)
    return scope, other if scope == Scope.OTHER_MARKET else ""


def _market_row(market: Any, country: Any, units: Any, users: Any) -> tuple[str, str, int, int]:
    market = choice(market, Market, "market")
    country = text(country, "country", required=market == Market.OTHER, limit=100)
    return market, country, count(units, "units_affected"), count(users, "users_affected")


def _lock(fsca: Fsca) -> Fsca:
    return Fsca.objects.select_for_update().get(pk=fsca.pk)


def _open(fsca: Fsca) -> None:
    if fsca.state == S.CLOSED:
        raise TransitionNotAllowed(f"{fsca.number} is closed.")


# --- writers --------------------------------------------------------------------------------


@audit.writing()
def open_fsca(
    *,
    actor: User,
    title: str,
    reason: str,
    user_actions: str,
    description: str = "",
    scope: str = Scope.GB,
    other_market: str = "",
    urgent: Any = False,
    urgency_justification: str = "",
    devices: Sequence[tuple[Any, str]] = (),
    markets: Sequence[tuple[Any, Any, Any, Any]] = (),
    sources: Iterable[str] = (),
) -> Fsca:
    """Open an FSCA (planned) with the devices and markets it concerns; `sources` are the
    records it is raised from ("complaint:12"), linked "raised"."""
    require(actor, MANAGE, "open an FSCA")
    title = text(title, "title")
    reason = long_text(reason, "reason", required=True)
    user_actions = long_text(user_actions, "user_actions", required=True)
    description = long_text(description, "description")
    scope, other_market = _scope(scope, other_market)
    urgent, urgency_justification = _urgency(urgent, urgency_justification)
    rows = [(_device(d, "device"), long_text(i, "identifiers", required=True)) for d, i in devices]
    places = [_market_row(*m) for m in markets]
    if len({(m, c) for m, c, _, _ in places}) != len(places):
        raise InvalidInput("Each market once.", fields={"market": "Given twice."})
    now = timezone.now()
    fsca = Fsca.objects.create(
        number=next_number("fsca"),
        title=title,
        device=rows[0][0] if rows else None,
        owner=actor,
        opened_by=actor,
        opened_at=now,
        reason=reason,
        description=description,
        user_actions=user_actions,
        scope=scope,
        other_market=other_market,
        urgent=urgent,
        urgency_justification=urgency_justification,
    )
    FscaDevice.objects.bulk_create(FscaDevice(fsca=fsca, device=d, identifiers=i) for d, i in rows)
    FscaMarket.objects.bulk_create(
        FscaMarket(fsca=fsca, market=m, country=c, units_affected=u, users_affected=n)
        for m, c, u, n in places
    )
    audit.record(
        actor=actor,
        action="events.fsca.opened",
        obj=fsca,
        changes={
            "number": [None, fsca.number],
            "title": [None, title],
            "state": [None, S.PLANNED],
            "scope": [None, scope],
            "reason": [None, reason],
            "user_actions": [None, user_actions],
            "urgent": [None, urgent],
            "urgency_justification": [None, urgency_justification],
            "devices": [None, [f"{d}: {i}" for d, i in rows]],
            "markets": [
                None,
                [f"{m} {c} {u} units {n} users".replace("  ", " ") for m, c, u, n in places],
            ],
        },
    )
    link_sources(actor=actor, record=fsca, sources=sources)
    return fsca


@audit.writing()
def edit_fsca(*, actor: User, fsca: Fsca, **fields: Any) -> Fsca:
    """Change the FSCA's description (title, reason, what users must do, scope, urgency);
    urgency is fixed once the action has started."""
    require(actor, MANAGE, "edit an FSCA")
    require_performer(actor, fsca)
    fsca = _lock(fsca)
    _open(fsca)
    allowed = {"title", "reason", "description", "user_actions", "scope", "other_market"}
    allowed |= {"urgent", "urgency_justification"}
    unknown = set(fields) - allowed
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"“{name}” cannot be edited.", fields={name: "Not editable."})
    new = {k: getattr(fsca, k) for k in allowed} | fields
    checked: dict[str, Any] = {
        "title": text(new["title"], "title"),
        "reason": long_text(new["reason"], "reason", required=True),
        "description": long_text(new["description"], "description"),
        "user_actions": long_text(new["user_actions"], "user_actions", required=True),
    }
    checked["scope"], checked["other_market"] = _scope(new["scope"], new["other_market"])
    checked["urgent"], checked["urgency_justification"] = _urgency(
        new["urgent"], new["urgency_justification"]
    )
    if fsca.started_at is not None and (
        checked["urgent"] != fsca.urgent or checked["scope"] != fsca.scope
    ):
        raise TransitionNotAllowed("The urgency and scope are fixed once the action has started.")
    changes = audit.diff({k: getattr(fsca, k) for k in checked}, checked)
    if not changes:
        raise InvalidInput("Nothing was changed.")
    for k, v in checked.items():
        setattr(fsca, k, v)
    fsca.save(update_fields=list(checked))
    audit.record(actor=actor, action="events.fsca.edited", obj=fsca, changes=changes)
    return fsca


@audit.writing()
def add_device(*, actor: User, fsca: Fsca, device: Any, identifiers: str) -> FscaDevice:
    require(actor, MANAGE, "change an FSCA")
    require_performer(actor, fsca)
    fsca = _lock(fsca)
    _open(fsca)
    found = _device(device, "device")
    identifiers = long_text(identifiers, "identifiers", required=True)
    row = FscaDevice.objects.create(fsca=fsca, device=found, identifiers=identifiers)
    if fsca.device_id is None:
        fsca.device = found
        fsca.save(update_fields=["device"])
    audit.record(
        actor=actor,
        action="events.fsca.device_added",
        obj=fsca,
        changes={"device": [None, str(found)], "identifiers": [None, identifiers]},
    )
    return row


@audit.writing()
def set_market(
    *,
    actor: User,
    fsca: Fsca,
    market: str,
    units_affected: Any,
    users_affected: Any,
    country: str = "",
) -> FscaMarket:
    """Set the units and users affected in a market (a new row, or a corrected one; never
    fewer units than already reached)."""
    require(actor, MANAGE, "change an FSCA")
    require_performer(actor, fsca)
    fsca = _lock(fsca)
    _open(fsca)
    market, country, units, users = _market_row(market, country, units_affected, users_affected)
    row = FscaMarket.objects.filter(fsca=fsca, market=market, country=country).first()
    if row is None:
        row = FscaMarket.objects.create(
            fsca=fsca, market=market, country=country, units_affected=units, users_affected=users
        )
        changes = {"units_affected": [None, units], "users_affected": [None, users]}
    else:
        reached = row.entries.aggregate(n=Sum("units_reached"))["n"] or 0
        if units < reached:
            raise InvalidInput(
                f"{reached} units were reached in {row} already: the units affected cannot "
                "be fewer.",
                fields={"units_affected": f"At least {reached}."},
            )
        after = {"units_affected": units, "users_affected": users}
        changes = audit.diff({k: getattr(row, k) for k in after}, after)
        if not changes:
            raise InvalidInput("Nothing was changed.")
        row.units_affected, row.users_affected = units, users
        row.save(update_fields=list(after))
    audit.record(
        actor=actor,
        action="events.fsca.market_set",
        obj=fsca,
        changes={"market": str(row), **changes},
    )
    return row


@audit.writing()
def record_party_told(
    *,
    actor: User,
    fsca: Fsca,
    party: str,
    told: str,
    told_at: Any,
    how: str,
    reference: str = "",
    file: IO[bytes] | None = None,
    file_name: str = "",
) -> FscaNotice:
    """Dated evidence that the UK Responsible Person or the approved body was told."""
    require(actor, MANAGE, "record who was told of an FSCA")
    require_performer(actor, fsca)
    party = choice(party, Party, "party")
    told = text(told, "told")
    when = moment(told_at, "told_at", not_future=True)
    assert when is not None
    how = text(how, "how")
    reference = text(reference, "reference", required=False, limit=100)
    stored, name = _file(file, file_name)
    fsca = _lock(fsca)
    _open(fsca)
    row = FscaNotice.objects.create(
        fsca=fsca,
        party=party,
        told=told,
        told_at=when,
        how=how,
        reference=reference,
        file=stored,
        file_name=name,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="events.fsca.party_told",
        obj=fsca,
        changes={
            "party": [None, party],
            "told": [None, told],
            "told_at": [None, when.isoformat() if when else None],
            "how": [None, how],
            "reference": [None, reference],
            "file": [None, stored.sha256 if stored else None],
        },
    )
    return row


@audit.writing()
def record_mhra_notification(
    *,
    actor: User,
    fsca: Fsca,
    notified_at: Any,
    reference: str,
    file: IO[bytes] | None = None,
    file_name: str = "",
) -> Fsca:
    """The evidence that the MHRA was told: before the start (planned → MHRA notified),
    or, for an urgent FSCA already under way, late (the flag clears). One transaction:
    the FSCA is read under its lock, and the file is stored only once it may be."""
    require(actor, REPORT, "record submissions to the MHRA")
    require_performer(actor, fsca)
    when = moment(notified_at, "notified_at", not_future=True)
    assert when is not None
    reference = text(reference, "mhra_reference", limit=100)
    fsca = _lock(fsca)
    if fsca.mhra_notified_at is not None:
        raise TransitionNotAllowed(f"The MHRA notification of {fsca.number} is recorded already.")
    if fsca.state == S.CLOSED:
        raise TransitionNotAllowed(f"{fsca.number} is closed.")
    if fsca.state == S.PLANNED:
        refused = FSCA.refusal(fsca, actor, FSCA.get("notify"))
        if refused is not None:
            raise refused
    elif fsca.state != S.IN_PROGRESS:
        raise TransitionNotAllowed("The MHRA notification cannot be recorded now.")
    stored, name = _file(file, file_name)
    updates = {
        "mhra_notified_at": when,
        "mhra_reference": reference,
        "mhra_file": stored,
        "mhra_file_name": name,
    }
    if fsca.state == S.PLANNED:
        changes = audit.diff({k: getattr(fsca, k) for k in updates}, updates)
        for k, v in updates.items():
            setattr(fsca, k, v)
        fsca.save(update_fields=list(updates))
        return FSCA.cascade(obj=fsca, name="notify", actor=actor, changes=changes)
    return _late_notification(actor, fsca, updates)


def _late_notification(actor: User, fsca: Fsca, updates: dict[str, Any]) -> Fsca:
    """Inside record_mhra_notification's transaction, `fsca` locked and in progress."""
    for k, v in updates.items():
        setattr(fsca, k, v)
    fsca.save(update_fields=list(updates))
    when = updates["mhra_notified_at"]
    audit.record(
        actor=actor,
        action="events.fsca.mhra_notified",
        obj=fsca,
        changes={
            "mhra_notified_at": [None, when.isoformat()],
            "mhra_reference": [None, updates["mhra_reference"]],
            "mhra_file": [None, updates["mhra_file"].sha256 if updates["mhra_file"] else None],
            "late": [None, True],
        },
    )
    return fsca


def start_fsca(*, actor: User, fsca: Fsca, started_at: Any = None) -> Fsca:
    """Start the action in the field: refused until the MHRA was told (dated before the
    start) unless urgent with a justification."""
    require_performer(actor, fsca)
    fsca = Fsca.objects.get(pk=fsca.pk)  # as it is now, not as the caller last read it
    when = moment(started_at, "started_at", required=False, not_future=True) or timezone.now()
    if fsca.mhra_notified_at is not None and when <= fsca.mhra_notified_at:
        raise InvalidInput(
            "The action cannot start before the MHRA was notified "
            f"({timezone.localtime(fsca.mhra_notified_at):%d %b %Y %H:%M}).",
            fields={"started_at": "After the MHRA notification."},
        )
    return FSCA.apply(obj=fsca, name="start", actor=actor, updates={"started_at": when})


@audit.writing()
def set_notice(*, actor: User, fsca: Fsca, document: Any) -> Fsca:
    """The field safety notice: a controlled document."""
    require(actor, MANAGE, "change an FSCA")
    require_performer(actor, fsca)
    try:
        found = Document.objects.filter(pk=int(document), withdrawn_at__isnull=True).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise InvalidInput("Choose a controlled document.", fields={"notice": "Choose a document."})
    fsca = _lock(fsca)
    _open(fsca)
    if fsca.notice_id == found.pk:
        raise InvalidInput("Nothing was changed.")
    old = str(fsca.notice) if fsca.notice_id else None
    fsca.notice = found
    # A new notice has not been reviewed by the MHRA.
    fsca.notice_review_on, fsca.notice_review_outcome, fsca.notice_review_notes = None, "", ""
    fsca.save(
        update_fields=["notice", "notice_review_on", "notice_review_outcome", "notice_review_notes"]
    )
    audit.record(
        actor=actor,
        action="events.fsca.notice_set",
        obj=fsca,
        changes={"notice": [old, str(found)]},
    )
    return fsca


@audit.writing()
def record_notice_review(
    *, actor: User, fsca: Fsca, reviewed_on: Any, outcome: str, notes: str = ""
) -> Fsca:
    """The MHRA's review of the field safety notice."""
    require(actor, MANAGE, "change an FSCA")
    require_performer(actor, fsca)
    reviewed_on = date(reviewed_on, "reviewed_on")
    outcome = choice(outcome, ReviewOutcome, "outcome")
    notes = long_text(notes, "notes", required=outcome == ReviewOutcome.CHANGES)
    if reviewed_on is not None and reviewed_on > timezone.localdate():
        raise InvalidInput(
            "The review date is in the future.", fields={"reviewed_on": "Not in the future."}
        )
    fsca = _lock(fsca)
    _open(fsca)
    if fsca.notice_id is None:
        raise TransitionNotAllowed("Choose the field safety notice first.")
    after = {
        "notice_review_on": reviewed_on,
        "notice_review_outcome": outcome,
        "notice_review_notes": notes,
    }
    changes = audit.diff({k: getattr(fsca, k) for k in after}, after)
    for k, v in after.items():
        setattr(fsca, k, v)
    fsca.save(update_fields=list(after))
    changes = {
        k: [
            v[0].isoformat() if hasattr(v[0], "isoformat") else v[0],
            v[1].isoformat() if hasattr(v[1], "isoformat") else v[1],
        ]
        for k, v in changes.items()
    }
    audit.record(actor=actor, action="events.fsca.notice_reviewed", obj=fsca, changes=changes)
    return fsca


@audit.writing()
def record_reconciliation(
    *, actor: User, fsca: Fsca, market: Any, reached_on: Any, units_reached: Any, note: str = ""
) -> Reconciliation:
    """Units reached in a market on a date: never more, in all, than the units affected."""
    require(actor, MANAGE, "reconcile an FSCA")
    require_performer(actor, fsca)
    when = date(reached_on, "reached_on")
    units = count(units_reached, "units_reached")
    note = long_text(note, "note")
    fsca = _lock(fsca)
    if fsca.state != S.IN_PROGRESS:
        raise TransitionNotAllowed(
            "Units are reconciled once the action has started, until it closes."
        )
    market_pk = str(getattr(market, "pk", market))
    row = fsca.markets.filter(pk=int(market_pk)).first() if market_pk.isdigit() else None
    if row is None:
        raise InvalidInput("Choose a market of this FSCA.", fields={"market": "Choose a market."})
    if units == 0:
        raise InvalidInput(
            "Give the units reached (1 or more).", fields={"units_reached": "1 or more."}
        )
    assert when is not None and fsca.started_at is not None
    if when > timezone.localdate() or when < timezone.localdate(fsca.started_at):
        raise InvalidInput(
            "The date is between the start of the action and today.",
            fields={"reached_on": "Between the start and today."},
        )
    before = row.entries.aggregate(n=Sum("units_reached"))["n"] or 0
    if before + units > row.units_affected:
        raise InvalidInput(
            f"{row}: {before} of {row.units_affected} units are reached already; at most "
            f"{row.units_affected - before} more.",
            fields={"units_reached": f"At most {row.units_affected - before}."},
        )
    entry = Reconciliation.objects.create(
        fsca=fsca,
        market=row,
        reached_on=when,
        units_reached=units,
        note=note,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="events.fsca.reconciled",
        obj=fsca,
        changes={
            "market": str(row),
            "reached_on": [None, when.isoformat()],
            "units_reached": [None, units],
            "reached_in_market": [before, before + units],
            "note": [None, note],
        },
    )
    return entry


def close_refusal(fsca: Fsca, justification: str) -> InvalidInput | None:
    _, reached, affected = reach(fsca)
    if reached < affected and not justification.strip():
        return InvalidInput(
            f"Reconciliation is at {percent(reached, affected)}% ({reached} of {affected} "
            "units): give a justification for the units not reached, or reconcile them first.",
            fields={"closure_justification": "Justify the units not reached."},
        )
    return None


def close_fsca(
    *,
    actor: User,
    fsca: Fsca,
    credentials: Credentials | None,
    closure_justification: str = "",
    reason: str = "",
) -> Fsca:
    """Close the FSCA (signed): every unit reached, or the rest justified."""
    justification = long_text(closure_justification, "closure_justification")
    refusal = close_refusal(fsca, justification)
    if refusal is not None:
        raise refusal
    return FSCA.apply(
        obj=fsca,
        name="close",
        actor=actor,
        credentials=credentials,
        reason=reason,
        updates={"closure_justification": justification},
    )


def file_of(fsca: Fsca, which: str) -> tuple[StoredFile, str]:
    """An evidence file of the FSCA ("mhra" or a notice row's id)."""
    if which == "mhra" and fsca.mhra_file is not None:
        return fsca.mhra_file, fsca.mhra_file_name
    row = fsca.notices.filter(pk=int(which)).first() if which.isdigit() else None
    if row is None or row.file is None:
        raise NotFound()
    return row.file, row.file_name


# --- the PMS data pack ----------------------------------------------------------------------


def pack_section(device: Any, start: dt.date, end: dt.date) -> PackSection:
    """The FSCAs concerning `device` opened in the period (no health data in an FSCA)."""
    found = (
        Fsca.objects.filter(
            devices__device=device, opened_at__date__gte=start, opened_at__date__lte=end
        )
        .distinct()
        .order_by("opened_at", "pk")
    )
    rows = []
    for f in found:
        _, reached, affected = reach(f)
        rows.append(
            [
                f.number,
                f.title,
                f.get_scope_display(),
                f.get_state_display(),
                "yes" if f.urgent else "no",
                timezone.localtime(f.mhra_notified_at).isoformat() if f.mhra_notified_at else "",
                f.mhra_reference,
                timezone.localtime(f.started_at).isoformat() if f.started_at else "",
                f"{reached} of {affected} ({percent(reached, affected)}%)",
            ]
        )
    return PackSection(
        title="Field safety corrective actions",
        columns=[
            "Number",
            "Title",
            "Scope",
            "State",
            "Urgent",
            "MHRA notified",
            "MHRA reference",
            "Started",
            "Reconciliation",
        ],
        rows=rows,
        summary=f"{len(rows)} FSCA{'s' if len(rows) != 1 else ''}",
    )
