"""A scope version is drafted, submitted, approved by top management's signature and put
in force; each step writes its exact event."""

import pytest

from openqms.core import actions as core_actions
from openqms.core.errors import PermissionRefused, ReauthenticationFailed, TransitionNotAllowed
from openqms.core.models import Role
from openqms.core.signatures import Credentials, manifestations
from openqms.qms.actions import scope as actions
from openqms.qms.models import ScopeState, ScopeVersion
from openqms.testing import changes_of, event_count, events_since, last_event

from .scope_world import SIGN, drafted, family

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-001")
def test_the_first_version_starts_empty_and_is_audited(cast):
    scope = actions.start_scope_version(actor=cast.qa_lead)
    assert (scope.number, scope.state, scope.statement) == (1, ScopeState.DRAFT, "")
    event = last_event()
    assert event.action == "qms.scope.drafted"
    assert changes_of(event) == {
        "number": [None, 1],
        "copied_from": [None, None],
        "statement": [None, ""],
        "exclusions": [None, []],
    }


@pytest.mark.verifies("QMS-001")
def test_the_qa_lead_submits_the_manager_signs_and_qa_puts_it_in_force(cast):
    scope = drafted(cast, [family("HR-SW")])
    before = event_count()
    scope = actions.take_scope_step(actor=cast.qa_lead, scope=scope, step="submit")
    scope = actions.take_scope_step(
        actor=cast.manager, scope=scope, step="approve", credentials=SIGN
    )
    scope = actions.take_scope_step(actor=cast.qa_lead, scope=scope, step="put_in_force")
    assert scope.state == ScopeState.IN_FORCE and scope.in_force_at is not None
    steps = [e for e in events_since(before) if e.action.startswith("qms.scope.")]
    assert [(e.action, changes_of(e)["state"]) for e in steps] == [
        ("qms.scope.submitted", ["draft", "in_approval"]),
        ("qms.scope.approved", ["in_approval", "approved"]),
        ("qms.scope.in_force", ["approved", "in_force"]),
    ]
    [signature] = manifestations(scope)
    assert (signature.printed_name, signature.meaning, signature.valid) == (
        "Mia Manager",
        "approved_scope",
        True,
    )


@pytest.mark.verifies("QMS-001")
def test_putting_a_version_in_force_supersedes_the_previous_one(cast):
    from .scope_world import in_force

    v1 = in_force(cast, drafted(cast))
    v2 = in_force(cast, actions.start_scope_version(actor=cast.qa_lead))
    v1.refresh_from_db()
    assert (v1.state, v2.state) == (ScopeState.SUPERSEDED, ScopeState.IN_FORCE)
    assert v1.superseded_at is not None
    superseded = [e for e in events_since(0) if e.action == "qms.scope.superseded"]
    assert changes_of(superseded[0]) == {
        "state": ["in_force", "superseded"],
        "step": "supersede",
        "superseded_at": [None, v1.superseded_at.isoformat()],
        "superseded_by": 2,
    }
    assert changes_of(last_event())["supersedes"] == 1


@pytest.mark.verifies("QMS-002", refusal=True)
def test_who_drafted_the_scope_cannot_approve_it(cast):
    qa = Role.objects.get(code="qa_lead")
    core_actions.grant_role(actor=cast.admin, user=cast.manager, role=qa, reason="Both hats")
    scope = actions.start_scope_version(actor=cast.manager)
    scope = actions.take_scope_step(actor=cast.manager, scope=scope, step="submit")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="drafted the scope cannot approve"):
        actions.take_scope_step(actor=cast.manager, scope=scope, step="approve", credentials=SIGN)
    assert ScopeVersion.objects.get().state == ScopeState.IN_APPROVAL
    assert event_count() == before


@pytest.mark.verifies("QMS-002", refusal=True)
def test_only_top_management_approves(cast):
    scope = actions.take_scope_step(actor=cast.qa_lead, scope=drafted(cast), step="submit")
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.take_scope_step(actor=cast.approver, scope=scope, step="approve", credentials=SIGN)
    assert ScopeVersion.objects.get().state == ScopeState.IN_APPROVAL
    assert event_count() == before
    assert manifestations(scope) == []


@pytest.mark.verifies("QMS-002", refusal=True)
def test_a_wrong_password_signs_nothing(cast):
    scope = actions.take_scope_step(actor=cast.qa_lead, scope=drafted(cast), step="submit")
    with pytest.raises(ReauthenticationFailed):
        actions.take_scope_step(
            actor=cast.manager, scope=scope, step="approve", credentials=Credentials("wrong")
        )
    assert ScopeVersion.objects.get().state == ScopeState.IN_APPROVAL
    assert manifestations(scope) == []


@pytest.mark.verifies("QMS-003")
def test_returning_to_draft_needs_a_reason_and_voids_the_approval(cast):
    from openqms.core.errors import InvalidInput

    scope = actions.take_scope_step(actor=cast.qa_lead, scope=drafted(cast), step="submit")
    scope = actions.take_scope_step(
        actor=cast.manager, scope=scope, step="approve", credentials=SIGN
    )
    before = event_count()
    with pytest.raises(InvalidInput, match="reason"):
        actions.take_scope_step(actor=cast.manager, scope=scope, step="return", reason=" ")
    assert event_count() == before
    scope = actions.take_scope_step(
        actor=cast.manager, scope=scope, step="return", reason="Add the Cambridge site"
    )
    assert scope.state == ScopeState.DRAFT
    event = next(e for e in events_since(before) if e.action == "qms.scope.returned")
    assert event.reason == "Add the Cambridge site"
    [voided] = manifestations(scope)
    assert (voided.valid, voided.voided) == (False, "Returned to draft for change")


@pytest.mark.verifies("QMS-001", refusal=True)
def test_a_draft_cannot_be_put_in_force_without_approval(cast):
    scope = drafted(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.take_scope_step(actor=cast.qa_lead, scope=scope, step="put_in_force")
    assert ScopeVersion.objects.get().state == ScopeState.DRAFT
    assert event_count() == before
