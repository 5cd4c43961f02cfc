"""Helpers of the CAPA tests: a CAPA taken step by step to where a test needs it."""

import datetime as dt

from django.utils import timezone

from openqms.core.signatures import Credentials
from openqms.events.actions import capa as actions
from openqms.events.actions import capa_plan as plan
from openqms.testing import PASSWORD

SIGN = Credentials(PASSWORD)


def raised(cast, **fields):
    data = {
        "title": "Export crash in report module",
        "capa_type": "corrective",
        "problem": "The app closes when exporting a report.",
        **fields,
    }
    return actions.raise_capa(actor=cast.qa_lead, **data)


def investigated(cast, capa=None):
    capa = capa or raised(cast)
    plan.edit_capa(
        actor=cast.qa_lead,
        capa=capa,
        title=capa.title,
        capa_type=capa.capa_type,
        problem=capa.problem,
        risk_severity=2,
        risk_probability=3,
        risk_assessment="Delays reporting.",
        containment="Workaround sent.",
    )
    capa = actions.take_step(actor=cast.qa_lead, capa=capa, step="investigate")
    return plan.record_analysis(
        actor=cast.qa_lead,
        capa=capa,
        whys=["Out of memory.", "Whole recording rendered at once."],
        categories=["software"],
        root_cause="Export not streamed.",
    )


def with_action(cast, capa, owner=None, due=None):
    return plan.add_action(
        actor=cast.qa_lead,
        capa=capa,
        description="Stream the export.",
        owner=owner or cast.author,
        due=due or timezone.localdate() + dt.timedelta(days=10),
    )


def implemented(cast, capa=None):
    capa = investigated(cast, capa)
    task = with_action(cast, capa)
    capa = actions.take_step(actor=cast.qa_lead, capa=capa, step="implement")
    plan.complete_action(actor=cast.author, action=task, evidence="Release 2.1.3.")
    return capa


def in_check(cast, capa=None, touches_safety=False):
    return checked(cast, implemented(cast, capa), touches_safety)


def checked(cast, capa, touches_safety=False):
    """From implementing (every action done) to the effectiveness check."""
    capa = actions.take_step(actor=cast.qa_lead, capa=capa, step="verify")
    capa = plan.record_verification(actor=cast.qa_lead, capa=capa, checked="Exported 14 days.")
    plan.plan_effectiveness(
        actor=cast.qa_lead,
        capa=capa,
        criteria="No crash complaints in 60 days.",
        due=timezone.localdate() + dt.timedelta(days=60),
    )
    capa = plan.assess_regulatory_impact(
        actor=cast.qa_lead, capa=capa, touches_safety=touches_safety, assessment="Assessed."
    )
    return actions.take_step(actor=cast.qa_lead, capa=capa, step="check")


def judged(cast, capa, result="effective"):
    actions.record_effectiveness(
        actor=cast.manager, capa=capa, result=result, evidence="No complaints.", credentials=SIGN
    )
    capa.refresh_from_db()
    return capa
