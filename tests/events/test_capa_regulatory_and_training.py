"""A CAPA touching safety or performance closes only once the UK Responsible Person and
the approved body were told (dated evidence); whoever performs a step must be trained on
the CAPA procedure (the training gate)."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.events.actions import capa as actions
from openqms.events.actions import capa_plan as plan
from openqms.events.models import Capa, EventProcedure, RegulatoryNotice
from openqms.testing import changes_of, event_count, events_since
from openqms.training.models import TrainingRule

from .capa_helpers import SIGN, in_check, judged, raised
from .conftest import effective_document


def _notice(cast, capa, party):
    return plan.record_notice(
        actor=cast.qa_lead,
        capa=capa,
        party=party,
        told_on=timezone.localdate() - dt.timedelta(days=1),
        evidence="Email ref 42",
    )


@pytest.mark.verifies("EVT-035", refusal=True)
def test_a_capa_touching_safety_cannot_close_until_both_parties_were_told(cast):
    capa = judged(cast, in_check(cast, touches_safety=True))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="UK Responsible Person and the approved body"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="close", credentials=SIGN)
    _notice(cast, capa, "uk_rp")
    with pytest.raises(TransitionNotAllowed, match="approved body was told"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="close", credentials=SIGN)
    assert Capa.objects.get(pk=capa.pk).state == "effectiveness"
    assert event_count() == before + 1  # the notice only
    _notice(cast, capa, "approved_body")
    capa = actions.take_step(actor=cast.qa_lead, capa=capa, step="close", credentials=SIGN)
    assert capa.state == "closed"


@pytest.mark.verifies("EVT-035")
def test_a_notice_is_audited_with_its_date(cast):
    capa = raised(cast)
    before = event_count()
    notice = _notice(cast, capa, "approved_body")
    [event] = events_since(before)
    assert event.action == "events.capa.notified"
    assert changes_of(event)["told_on"] == [None, notice.told_on.isoformat()]


@pytest.mark.verifies("EVT-035")
def test_a_notice_dated_in_the_future_is_refused(cast):
    capa = raised(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        plan.record_notice(
            actor=cast.qa_lead,
            capa=capa,
            party="uk_rp",
            told_on=timezone.localdate() + dt.timedelta(days=3),
            evidence="x",
        )
    assert "told_on" in refused.value.fields
    assert event_count() == before and not RegulatoryNotice.objects.exists()


@pytest.mark.verifies("EVT-035", refusal=True)
def test_closure_needs_the_regulatory_impact_assessed(cast):
    capa = in_check(cast)
    Capa.objects.filter(pk=capa.pk).update(touches_safety=None)  # as never assessed
    capa = judged(cast, Capa.objects.get(pk=capa.pk))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Assess the regulatory impact"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="close", credentials=SIGN)
    assert event_count() == before


@pytest.mark.verifies("EVT-031", refusal=True)
def test_a_handler_not_trained_on_the_capa_procedure_cannot_take_a_step(cast):
    capa = raised(cast)
    procedure = effective_document(cast, "Corrective and preventive action")
    EventProcedure.objects.create(kind="capa", document=procedure)
    TrainingRule.objects.filter(doc_type__code="procedure").update(gate=True)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="not trained on"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="investigate")
    with pytest.raises(TransitionNotAllowed, match="not trained on"):
        plan.record_analysis(
            actor=cast.qa_lead, capa=capa, whys=["W"], categories=["people"], root_cause="R"
        )
    capa.refresh_from_db()
    assert capa.state == "open" and capa.whys == [] and event_count() == before
