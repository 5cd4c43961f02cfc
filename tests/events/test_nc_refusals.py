"""Who may not take a step is refused before anything else is read, and nothing is
written: permission and state before input, then the training gate (ISO 13485 6.2)."""

import pytest

from openqms.core.errors import NotFound, PermissionRefused, TransitionNotAllowed
from openqms.events.actions import nonconformance as nc_actions
from openqms.testing import event_count

from .nc_steps import (
    SIGN,
    assessed,
    contained,
    disposed,
    gate_on_nonconformance_procedure,
    raised,
)


def _trained_procedure(cast):
    gate_on_nonconformance_procedure(cast)


@pytest.mark.verifies("EVT-031", refusal=True)
def test_a_step_is_refused_to_who_is_not_trained_on_the_procedure(cast):
    nc = raised(cast)
    _trained_procedure(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="train"):
        nc_actions.contain_nonconformity(actor=cast.qa_lead, nc=nc, containment="Held.")
    nc.refresh_from_db()
    assert nc.state == "raised" and nc.containment == "" and event_count() == before


@pytest.mark.verifies("EVT-031", refusal=True)
def test_a_signature_is_refused_to_who_is_not_trained_on_the_procedure(cast):
    nc = disposed(cast, "scrap")
    _trained_procedure(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="train"):
        nc_actions.release_nonconformity(actor=cast.manager, nc=nc, credentials=SIGN)
    nc.refresh_from_db()
    assert nc.state == "disposed" and event_count() == before


@pytest.mark.verifies("EVT-031", refusal=True)
def test_permission_is_refused_before_the_input_is_read(cast):
    nc = raised(cast)
    before = event_count()
    with pytest.raises(PermissionRefused):
        nc_actions.contain_nonconformity(actor=cast.trainee, nc=nc, containment="")
    assert event_count() == before


@pytest.mark.verifies("EVT-031", refusal=True)
def test_the_state_is_refused_before_the_input_is_read(cast):
    nc = contained(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="cannot be done"):
        nc_actions.dispose_nonconformity(actor=cast.qa_lead, nc=nc, disposition="nonsense")
    assert event_count() == before


@pytest.mark.verifies("EVT-031", refusal=True)
def test_the_state_is_refused_before_the_training_gate(cast):
    nc = contained(cast)
    _trained_procedure(cast)
    with pytest.raises(TransitionNotAllowed, match="cannot be done"):
        nc_actions.contain_nonconformity(actor=cast.qa_lead, nc=nc, containment="Again.")


STEPS = {
    "contain": lambda a, nc: nc_actions.contain_nonconformity(actor=a, nc=nc, containment="x"),
    "assess": lambda a, nc: nc_actions.assess_nonconformity(
        actor=a, nc=nc, impact="x", delivered_affected=False
    ),
    "dispose": lambda a, nc: nc_actions.dispose_nonconformity(actor=a, nc=nc, disposition="scrap"),
    "change": lambda a, nc: nc_actions.change_disposition(actor=a, nc=nc, reason="x"),
    "concession": lambda a, nc: nc_actions.authorise_concession(actor=a, nc=nc, credentials=SIGN),
    "release": lambda a, nc: nc_actions.release_nonconformity(actor=a, nc=nc, credentials=SIGN),
    "error": lambda a, nc: nc_actions.close_in_error(actor=a, nc=nc, credentials=SIGN, reason="x"),
}


@pytest.mark.parametrize("who", ["auditor", "trainee", "outsider"])
@pytest.mark.parametrize("step", sorted(STEPS))
def test_readers_trainees_and_outsiders_take_no_step_and_sign_nothing(cast, who, step):
    # Each step is tried in the state where it is open, so only the person is refused.
    nc = {"contain": raised, "assess": contained, "dispose": assessed}.get(
        step, lambda c: disposed(c, "use_as_is")
    )(cast)
    state = nc.state
    before = event_count()
    with pytest.raises((PermissionRefused, NotFound)):
        STEPS[step](getattr(cast, who), nc)
    nc.refresh_from_db()
    assert nc.state == state and nc.concession_at is None and event_count() == before
