"""Segregation of duties in role grants: nobody grants themselves a role, and a grant
names both the granter and the grantee in the trail."""

import pytest

from openqms.core import actions
from openqms.core.errors import PermissionRefused
from openqms.core.models import Role, RoleAssignment
from openqms.testing import changes_of, event_count, last_event


@pytest.mark.verifies("CORE-016", refusal=True)
def test_an_administrator_cannot_grant_themselves_a_role(cast):
    approver = Role.objects.get(code="approver")
    before = event_count()
    with pytest.raises(PermissionRefused, match="yourself"):
        actions.grant_role(actor=cast.admin, user=cast.admin, role=approver, reason="Short-staffed")
    assert not RoleAssignment.objects.filter(user=cast.admin, role=approver).exists()
    assert event_count() == before


def test_self_grant_is_refused_on_the_user_page_too(signed_in, cast):
    approver = Role.objects.get(code="approver")
    client = signed_in(cast.admin)
    before = event_count()
    client.post("/admin/users/admin/grant-role/", {"role": approver.pk, "reason": "Short-staffed"})
    assert not RoleAssignment.objects.filter(user=cast.admin, role=approver).exists()
    assert event_count() == before


def test_granting_the_administrator_role_names_both_people(cast):
    administrator = Role.objects.get(code="administrator")
    actions.grant_role(actor=cast.admin, user=cast.qa_lead, role=administrator, reason="Cover")
    event = last_event()
    assert (event.action, event.actor_id, event.actor_name, event.object_id) == (
        "core.role.granted",
        cast.admin.pk,
        "Ada Administrator",
        str(cast.qa_lead.pk),
    )
    assert changes_of(event) == {
        "role": [None, "administrator"],
        "granted_to": "qa-lead",
        "granted_by": "admin",
    }


@pytest.mark.verifies("CORE-016", refusal=True)
def test_an_administrator_cannot_widen_a_role_they_hold(cast):
    administrator = Role.objects.get(code="administrator")
    permissions = list(administrator.permissions)
    before = event_count()
    with pytest.raises(PermissionRefused, match="You hold this role"):
        actions.update_role(
            actor=cast.admin,
            role=administrator,
            permission_codes=[*permissions, "documents.revision:approve"],
            requires_second_factor=administrator.requires_second_factor,
            reason="Short-staffed",
        )
    administrator.refresh_from_db()
    assert administrator.permissions == permissions and event_count() == before
