"""The CAPA of the demo story: "Export crash in report module", raised from the complaint
"App closes when exporting a report" (when the complaints demo made it), investigated,
its action (release 2.1.5) done and verified, now in its effectiveness check (60 days
after the release); it links the software test procedure's revision where the demo has
one, and no unrelated procedure otherwise. Idempotent; skips quietly what it cannot find."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core.errors import DomainError
from openqms.core.links import key_of
from openqms.core.models import User
from openqms.devices.models import Device
from openqms.documents.models import Revision
from openqms.events.actions import capa as actions
from openqms.events.actions import capa_plan as plan
from openqms.events.models import Capa, Complaint

TITLE = "Export crash in report module"
COMPLAINT = "App closes when exporting a report"


def _revision() -> Revision | None:
    """The newest revision of the software test procedure the CAPA revised, if the demo
    has one (never an unrelated procedure such as SOP-001 "Control of documents")."""
    return (
        Revision.objects.filter(document__title__icontains="test procedure")
        .select_related("document")
        .order_by("-sequence")
        .first()
    )


def run() -> None:
    if Capa.objects.filter(title=TITLE).exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=["qa", "author"])}
    if len(people) < 2:
        return
    qa, author = people["qa"], people["author"]
    complaint = Complaint.objects.filter(title=COMPLAINT).first()
    device = Device.objects.filter(name="RhythmCheck").first()
    today = timezone.localdate()
    try:
        capa = actions.raise_capa(
            actor=qa,
            title=TITLE,
            capa_type="corrective",
            problem="The app closes when a clinician exports a recording's report to PDF; "
            "reports cannot be shared and work is lost.",
            device=device,
            sources=["{}:{}".format(*key_of(complaint))] if complaint else [],
        )
        capa = plan.edit_capa(
            actor=qa,
            capa=capa,
            title=TITLE,
            capa_type="corrective",
            problem=capa.problem,
            risk_severity=2,
            risk_probability=3,
            risk_assessment="No harm to patients (the analysis is unaffected); delays reporting.",
            containment="Workaround sent to customers: print to PDF from the viewer.",
        )
        capa = actions.take_step(actor=qa, capa=capa, step="investigate")
        capa = plan.record_analysis(
            actor=qa,
            capa=capa,
            whys=[
                "The export runs out of memory on long recordings.",
                "The whole recording is rendered into memory at once.",
                "The export was tested only with 24-hour recordings.",
                "The software test procedure names no worst-case recording lengths.",
            ],
            categories=["software", "method"],
            root_cause="Test procedure without worst-case input sizes; export not streamed.",
        )
        plan.add_action(
            actor=qa,
            capa=capa,
            description="Stream the export page by page; add 14-day recordings to the "
            "test procedure's worst cases.",
            owner=author,
            due=today - dt.timedelta(days=10),
        )
        capa = plan.plan_effectiveness(
            actor=qa,
            capa=capa,
            criteria="No export crash complaints in the 60 days after release 2.1.5.",
            due=today + dt.timedelta(days=60),
        )
        capa = plan.assess_regulatory_impact(
            actor=qa,
            capa=capa,
            touches_safety=False,
            assessment="Does not change the device's safety or clinical performance.",
        )
        capa = actions.take_step(actor=qa, capa=capa, step="implement")
        action = capa.actions.get()
        plan.complete_action(
            actor=author,
            action=action,
            evidence="Release 2.1.5: streamed export; test procedure revised.",
        )
        capa = actions.take_step(actor=qa, capa=capa, step="verify")
        capa = plan.record_verification(
            actor=qa, capa=capa, checked="Exported a 14-day recording on release 2.1.5."
        )
        revision = _revision()
        if revision is not None:
            actions.link_revision(
                actor=qa,
                capa=capa,
                revision=f"{revision.document.number} rev {revision.label}",
                note="Worst-case recording lengths added",
            )
        actions.take_step(actor=qa, capa=capa, step="check")
    except DomainError:  # e.g. a demo person not trained on the CAPA procedure
        return
