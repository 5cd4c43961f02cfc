import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import actions
from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.core.models import Role, RoleAssignment
from openqms.testing import PASSWORD, changes_of, event_count, events_since, last_event


@pytest.mark.verifies("CORE-014")
def test_deactivation_is_audited_with_its_reason(cast):
    actions.deactivate_user(actor=cast.admin, user=cast.trainee, reason="Left the company")
    cast.trainee.refresh_from_db()
    assert not cast.trainee.is_active
    event = last_event()
    assert (event.action, event.reason) == ("core.user.deactivated", "Left the company")
    assert changes_of(event) == {"is_active": [True, False]}


@pytest.mark.verifies("CORE-014", refusal=True)
def test_deactivation_needs_a_reason(cast):
    before = event_count()
    with pytest.raises(InvalidInput, match="reason"):
        actions.deactivate_user(actor=cast.admin, user=cast.trainee, reason="  ")
    cast.trainee.refresh_from_db()
    assert cast.trainee.is_active and event_count() == before


def test_administrator_cannot_deactivate_themself(cast):
    with pytest.raises(InvalidInput, match="your own account"):
        actions.deactivate_user(actor=cast.admin, user=cast.admin, reason="oops")


@pytest.mark.verifies("CORE-016")
def test_role_grant_and_revoke_are_audited_and_history_is_kept(cast):
    approver = Role.objects.get(code="approver")
    before = event_count()
    actions.grant_role(actor=cast.admin, user=cast.author, role=approver, reason="Promoted")
    actions.revoke_role(actor=cast.admin, user=cast.author, role=approver, reason="Moved team")
    granted, revoked = events_since(before)
    assert (granted.action, granted.reason, changes_of(granted)) == (
        "core.role.granted",
        "Promoted",
        {"role": [None, "approver"], "granted_to": "author", "granted_by": "admin"},
    )
    assert (revoked.action, revoked.reason, changes_of(revoked)) == (
        "core.role.revoked",
        "Moved team",
        {"role": ["approver", None]},
    )
    grant = RoleAssignment.objects.get(user=cast.author, role=approver)
    assert grant.granted_by == cast.admin and grant.revoked_by == cast.admin
    assert grant.revoke_reason == "Moved team"


def test_granting_a_held_role_twice_is_refused(cast):
    before = event_count()
    with pytest.raises(InvalidInput, match="already holds"):
        actions.grant_role(
            actor=cast.admin, user=cast.author, role=Role.objects.get(code="author"), reason="again"
        )
    assert event_count() == before


@pytest.mark.verifies("CORE-016", refusal=True)
def test_only_role_managers_grant_roles(cast):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.grant_role(
            actor=cast.qa_lead,
            user=cast.outsider,
            role=Role.objects.get(code="administrator"),
            reason="please",
        )
    assert event_count() == before
    assert not RoleAssignment.objects.filter(user=cast.outsider).exists()


def test_unlock_is_audited(cast):
    cast.author.locked_until = timezone.now() + dt.timedelta(minutes=5)
    cast.author.failed_sign_ins = 5
    cast.author.save()
    actions.unlock_user(actor=cast.admin, user=cast.author, reason="Confirmed by phone")
    cast.author.refresh_from_db()
    assert not cast.author.is_locked() and cast.author.failed_sign_ins == 0
    assert last_event().action == "core.user.unlocked"


def test_own_password_change_checks_the_current_one(cast):
    before = event_count()
    with pytest.raises(InvalidInput, match="current password"):
        actions.change_own_password(
            actor=cast.author, old_password="nope", new_password="a brand new passphrase"
        )
    [failed] = events_since(before)  # a wrong current password counts toward lockout
    assert failed.action == "core.auth.reauthentication_failed"
    cast.author.refresh_from_db()
    assert cast.author.failed_sign_ins == 1 and cast.author.check_password(PASSWORD)
    actions.change_own_password(
        actor=cast.author, old_password=PASSWORD, new_password="a brand new passphrase"
    )
    cast.author.refresh_from_db()
    assert cast.author.check_password("a brand new passphrase")
    assert last_event().action == "core.user.password_changed"


def test_role_edit_is_audited_field_by_field(cast):
    role = Role.objects.create(code="quality", name="Quality", permissions=["core.audit:read"])
    actions.update_role(
        actor=cast.admin,
        role=role,
        permission_codes=["core.audit:read", "core.user:manage"],
        requires_second_factor=True,
        reason="QA also onboards people",
    )
    event = last_event()
    assert event.action == "core.role.updated" and event.object_id == "quality"
    assert changes_of(event) == {
        "permissions": [["core.audit:read"], ["core.audit:read", "core.user:manage"]],
        "requires_second_factor": [False, True],
    }


def test_role_edit_refuses_unknown_permissions(cast):
    role = Role.objects.create(code="quality", name="Quality", permissions=["core.audit:read"])
    before = event_count()
    with pytest.raises(InvalidInput, match="Unknown permission"):
        actions.update_role(
            actor=cast.admin,
            role=role,
            permission_codes=["core.everything"],
            requires_second_factor=False,
            reason="x",
        )
    role.refresh_from_db()
    assert role.permissions == ["core.audit:read"] and event_count() == before


def test_user_page_actions_grant_and_revoke(signed_in, cast):
    client = signed_in(cast.admin)
    reviewer = Role.objects.get(code="reviewer")
    response = client.post(
        "/admin/users/author/grant-role/", {"role": reviewer.pk, "reason": "Cover for holidays"}
    )
    assert response["Location"] == "/admin/users/author/"
    assert RoleAssignment.objects.current().filter(user=cast.author, role=reviewer).exists()
    client.post("/admin/users/author/revoke-role/", {"role": "reviewer", "reason": "Back"})
    assert not RoleAssignment.objects.current().filter(user=cast.author, role=reviewer).exists()


def test_user_page_action_without_reason_changes_nothing(signed_in, cast):
    client = signed_in(cast.admin)
    before = event_count()
    response = client.post("/admin/users/trainee/deactivate/", {"reason": ""}, follow=True)
    assert "Nothing was changed" in response.content.decode()
    cast.trainee.refresh_from_db()
    assert cast.trainee.is_active and event_count() == before
