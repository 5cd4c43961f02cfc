"""The demo's FSCA (docs/demo.md): the patch applicator's batch A1-2611 recalled for its
adhesive; the MHRA told before the action, the UK Responsible Person and the approved
body told in advance, the field safety notice (a controlled document, where the
documents demo has one) reviewed by the MHRA, and 400 of 500 units reached (80%)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openqms.core.links import link_records
from openqms.core.models import User
from openqms.devices.models import Device
from openqms.documents.models import Document
from openqms.events.actions import fsca as actions
from openqms.events.models import Complaint, Fsca, Market, Nonconformity, Party, Scope

ADHESIVE = "Incoming adhesive lot below peel strength"
REDNESS = "Patch applicator adhesive leaves skin redness"

TITLE = "Patch applicator batch A1-2611 adhesive recall"


def run() -> None:
    if Fsca.objects.filter(title=TITLE).exists():
        return
    applicator = Device.objects.filter(name="RhythmCheck patch applicator").first()
    qa = User.objects.filter(username="qa").first()
    if applicator is None or qa is None:
        return
    fsca = actions.open_fsca(
        actor=qa,
        title=TITLE,
        reason="Adhesive of batch A1-2611 below peel strength: patches may lift during "
        "recording, and some users reported skin redness.",
        user_actions="Stop using patches from batch A1-2611, return them with the reply "
        "form; replacement patches are sent on receipt.",
        scope=Scope.GB,
        devices=[(applicator, "Lot A1-2611 (serials A1-2611-0001 to A1-2611-0500)")],
        markets=[(Market.GB, "", 500, 120)],
    )
    _link_sources(qa, fsca)
    for party, who in [
        (Party.UK_RP, "Halden Health UK Responsible Person"),
        (Party.APPROVED_BODY, "Approved body (UK)"),
    ]:
        actions.record_party_told(
            actor=qa,
            fsca=fsca,
            party=party,
            told=who,
            told_at=timezone.now(),
            how="e-mail",
            reference=f"FSCA-{party}",
        )
    fsca = actions.record_mhra_notification(
        actor=qa, fsca=fsca, notified_at=timezone.now(), reference="MHRA-FSCA-2026-0412"
    )
    notice = Document.objects.filter(
        Q(title__icontains="field safety notice") | Q(title__icontains="FSN"),
        withdrawn_at__isnull=True,
    ).first()
    if notice is not None:
        actions.set_notice(actor=qa, fsca=fsca, document=notice.pk)
        actions.record_notice_review(
            actor=qa,
            fsca=fsca,
            reviewed_on=timezone.localdate(),
            outcome="agreed",
            notes="Agreed without changes.",
        )
    # The demo clock stands still while the events steps run (core/demo.py): the start
    # is put a minute after the notification so the MHRA is told before the action.
    started = timezone.now() + dt.timedelta(minutes=1)
    fsca = actions.start_fsca(actor=qa, fsca=fsca, started_at=started)
    market = fsca.markets.get()
    for units in (300, 100):
        actions.record_reconciliation(
            actor=qa,
            fsca=fsca,
            market=market.pk,
            reached_on=timezone.localdate(),
            units_reached=units,
        )


def _link_sources(qa: User, fsca: Fsca) -> None:
    """The FSCA was raised from the adhesive NC and the skin redness complaint (core links,
    kind "raised"); the NC demo (order 45) links itself here when it runs later."""
    nc = Nonconformity.objects.filter(title=ADHESIVE).first()
    redness = Complaint.objects.filter(title=REDNESS).first()
    with transaction.atomic():
        for source in (nc, redness):
            if source is not None:
                link_records(actor=qa, source=source, target=fsca, kind="raised")
