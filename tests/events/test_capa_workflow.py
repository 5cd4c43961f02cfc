"""A CAPA from raised to closed (ISO 13485 8.5.2): each step from its state only, the
effectiveness signed by someone other than the owner, closure only once verified
effective (guard and database constraint), an ineffective result reopening it."""

import pytest
from django.db import IntegrityError, transaction

from openqms.core.errors import PermissionRefused, TransitionNotAllowed
from openqms.core.signatures import manifestations
from openqms.events.actions import capa as actions
from openqms.events.actions import capa_plan as plan
from openqms.events.models import Capa, EffectivenessCheck
from openqms.testing import changes_of, event_count, events_since, last_event

from .capa_helpers import (
    SIGN,
    checked,
    implemented,
    in_check,
    investigated,
    judged,
    raised,
    with_action,
)


@pytest.mark.verifies("EVT-035")
def test_a_capa_verified_effective_closes_with_a_signature(cast):
    capa = judged(cast, in_check(cast))
    assert capa.state == "effectiveness" and capa.effectiveness == "effective"
    before = event_count()
    actions.take_step(actor=cast.qa_lead, capa=capa, step="close", credentials=SIGN)
    capa.refresh_from_db()
    assert capa.state == "closed" and capa.closed_at is not None
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "events.capa.closed",
    ]
    event = last_event()
    assert event.object_id == str(capa.pk)
    assert changes_of(event)["state"] == ["effectiveness", "closed"]


@pytest.mark.verifies("EVT-035", refusal=True)
def test_a_capa_cannot_close_before_its_effectiveness_is_verified(cast):
    capa = in_check(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="effectiveness is verified"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="close", credentials=SIGN)
    capa.refresh_from_db()
    assert capa.state == "effectiveness" and capa.closed_at is None
    assert event_count() == before


@pytest.mark.verifies("EVT-030", "EVT-035", refusal=True)
def test_the_database_refuses_a_closed_capa_not_verified_effective(cast):
    capa = in_check(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Capa.objects.filter(pk=capa.pk).update(state="closed")


@pytest.mark.verifies("EVT-033")
def test_a_step_from_the_wrong_state_is_refused_and_writes_nothing(cast):
    capa = raised(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="cannot be done while"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="verify")
    capa.refresh_from_db()
    assert capa.state == "open" and event_count() == before


@pytest.mark.verifies("EVT-033")
def test_the_plan_starts_only_after_the_root_cause_analysis_and_an_action(cast):
    capa = actions.take_step(actor=cast.qa_lead, capa=raised(cast), step="investigate")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="risk"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="implement")
    assert event_count() == before
    capa = investigated(cast, raised(cast))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="at least one action"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="implement")
    assert Capa.objects.get(pk=capa.pk).state == "investigating"
    assert event_count() == before


@pytest.mark.verifies("EVT-033")
def test_verification_waits_for_every_action_to_be_done(cast):
    capa = investigated(cast)
    with_action(cast, capa)
    capa = actions.take_step(actor=cast.qa_lead, capa=capa, step="implement")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Every action"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="verify")
    assert event_count() == before


@pytest.mark.verifies("EVT-033")
def test_not_effective_reopens_the_capa_with_a_new_plan_round(cast):
    capa = in_check(cast)
    before = event_count()
    capa = judged(cast, capa, result="not_effective")
    assert capa.state == "implementing"
    assert capa.round == 2
    assert capa.verified_at is None and capa.verification == ""
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "events.capa.reopened",
    ]
    event = last_event()
    assert event.action == "events.capa.reopened"
    assert changes_of(event)["state"] == ["effectiveness", "implementing"]
    assert changes_of(event)["round"] == [1, 2]
    assert changes_of(event)["result"] == [None, "not_effective"]
    check = EffectivenessCheck.objects.get(capa=capa)
    assert (check.round, check.result, check.checked_by) == (1, "not_effective", cast.manager)
    # The new round needs its own actions before it can be verified again.
    with pytest.raises(TransitionNotAllowed, match="at least one action"):
        actions.take_step(actor=cast.qa_lead, capa=capa, step="verify")


@pytest.mark.verifies("EVT-033")
def test_the_reopened_capa_closes_after_a_second_round_verified_effective(cast):
    capa = judged(cast, in_check(cast), result="not_effective")
    capa = checked(cast, implemented_again(cast, capa))
    capa = judged(cast, capa)
    actions.take_step(actor=cast.qa_lead, capa=capa, step="close", credentials=SIGN)
    capa.refresh_from_db()
    assert capa.state == "closed"
    assert list(capa.checks.values_list("round", "result")) == [
        (1, "not_effective"),
        (2, "effective"),
    ]


def implemented_again(cast, capa):
    """Round 2: a new action, done."""
    task = with_action(cast, capa)
    assert task.round == 2
    plan.complete_action(actor=cast.author, action=task, evidence="Release 2.1.4.")
    return Capa.objects.get(pk=capa.pk)


@pytest.mark.verifies("EVT-034", refusal=True)
def test_the_owner_cannot_sign_the_effectiveness_of_their_own_capa(cast):
    capa = in_check(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="owner cannot sign"):
        actions.record_effectiveness(
            actor=cast.qa_lead, capa=capa, result="effective", evidence="x", credentials=SIGN
        )
    capa.refresh_from_db()
    assert capa.effectiveness == "" and event_count() == before
    assert not EffectivenessCheck.objects.exists()


@pytest.mark.verifies("EVT-034", refusal=True)
def test_someone_without_the_sign_permission_cannot_sign_the_effectiveness(cast):
    capa = in_check(cast)
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.record_effectiveness(
            actor=cast.author, capa=capa, result="effective", evidence="x", credentials=SIGN
        )
    assert event_count() == before


@pytest.mark.verifies("EVT-034")
def test_the_effectiveness_result_is_signed_and_audited(cast):
    capa = in_check(cast)
    before = event_count()
    capa = judged(cast, capa)
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "events.capa.effective",
    ]
    event = last_event()
    assert event.action == "events.capa.effective"
    assert changes_of(event)["result"] == [None, "effective"]
    check = EffectivenessCheck.objects.get(capa=capa)
    [signature] = manifestations(check)
    assert signature.meaning == "capa_effectiveness" and signature.valid


@pytest.mark.verifies("EVT-033")
def test_only_the_capa_handler_starts_the_investigation(cast):
    capa = raised(cast)
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.take_step(actor=cast.author, capa=capa, step="investigate")
    assert Capa.objects.get(pk=capa.pk).state == "open" and event_count() == before


@pytest.mark.verifies("EVT-033")
def test_implemented_helper_reaches_verification(cast):
    capa = implemented(cast)
    capa = actions.take_step(actor=cast.qa_lead, capa=capa, step="verify")
    assert capa.state == "verifying"


@pytest.mark.verifies("EVT-034", refusal=True)
@pytest.mark.parametrize(
    ("attr", "words"),
    [("opened_by", "opened the CAPA cannot sign"), ("verified_by", "verified the CAPA")],
)
def test_whoever_opened_or_verified_the_capa_cannot_sign_its_effectiveness(cast, attr, words):
    capa = in_check(cast)
    Capa.objects.filter(pk=capa.pk).update(**{attr: cast.manager})
    capa = Capa.objects.get(pk=capa.pk)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match=words):
        actions.record_effectiveness(
            actor=cast.manager, capa=capa, result="effective", evidence="x", credentials=SIGN
        )
    capa.refresh_from_db()
    assert capa.effectiveness == "" and event_count() == before
    assert not EffectivenessCheck.objects.exists()
