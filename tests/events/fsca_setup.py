"""Shared setup of the FSCA tests: an FSCA of the Class I device with one market, and
the fixed times they use (UK wall clock)."""

from openqms.events.actions import fsca as actions

from .conftest import uk

TOLD = uk("2026-03-02 09:00")
NOTIFIED = uk("2026-03-02 10:00")
STARTED = uk("2026-03-03 08:00")


def open_one(cast, device, *, units=500, urgent=False, justification="", scope="gb", **more):
    return actions.open_fsca(
        actor=cast.qa_lead,
        title="Applicator batch A1-2611 recall",
        reason="Adhesive below peel strength.",
        user_actions="Stop using batch A1-2611 and return it.",
        urgent=urgent,
        urgency_justification=justification,
        scope=scope,
        devices=[(device, "Lot A1-2611")],
        markets=[("gb", "", units, 40)],
        **more,
    )


def started(cast, device, **kwargs):
    fsca = open_one(cast, device, **kwargs)
    fsca = actions.record_mhra_notification(
        actor=cast.qa_lead, fsca=fsca, notified_at=NOTIFIED, reference="MHRA-1"
    )
    return actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=STARTED)


def snapshot(fsca):
    fsca.refresh_from_db()
    return {f.name: getattr(fsca, f.attname) for f in type(fsca)._meta.concrete_fields} | {
        "markets": list(fsca.markets.values_list("units_affected", flat=True)),
        "entries": fsca.reconciliations.count(),
        "notices": fsca.notices.count(),
    }
