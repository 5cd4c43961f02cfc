import pytest
from django.db import DatabaseError, transaction

from openqms.core import actions
from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.core.models import Role, User, fingerprint
from openqms.core.registry import USER_MANAGE
from openqms.testing import PASSWORD, changes_of, event_count, events_since


def test_administrator_creates_a_user_with_a_role(cast):
    before = event_count()
    user = actions.create_user(
        actor=cast.admin,
        username="New.Starter",
        full_name="Nia Starter",
        email="Nia@Example.test",
        password=PASSWORD,
        roles=[Role.objects.get(code="author")],
        reason="Joined the software team",
    )
    assert user.username == "new.starter"
    assert user.email == "nia@example.test"
    assert user.check_password(PASSWORD)
    created, granted = events_since(before)
    assert created.action == "core.user.created"
    assert created.actor_id == cast.admin.pk
    assert changes_of(created) == {
        "username": [None, "new.starter"],
        "full_name": [None, "Nia Starter"],
        "email": [None, "nia@example.test"],
        "must_change_password": [None, True],
        "password_fingerprint": fingerprint(user.password),
    }
    assert created.reason == "Joined the software team"
    assert granted.action == "core.role.granted"
    assert changes_of(granted) == {
        "role": [None, "author"],
        "granted_to": "new.starter",
        "granted_by": "admin",
    }


def test_password_is_never_in_the_audit_trail(cast):
    before = event_count()
    actions.create_user(actor=cast.admin, username="pw", full_name="P W", password=PASSWORD)
    assert all(PASSWORD not in e.changes for e in events_since(before))


@pytest.mark.parametrize(
    ("username", "full_name", "email", "password", "problem"),
    [
        ("author", "Dup", "", PASSWORD, "can never be reused"),
        ("a b", "Bad", "", PASSWORD, "lower-case letters"),
        ("x", "Short", "", PASSWORD, "lower-case letters"),
        ("ok-name", "  ", "", PASSWORD, "full name"),
        ("ok-name", "Ok", "not-an-email", PASSWORD, "not an email address"),
        ("ok-name", "Ok", "", "short", "too short"),
        ("ok-name", "Ok", "", "password1234", "too common"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    cast, username, full_name, email, password, problem
):
    users, before = User.objects.count(), event_count()
    with pytest.raises(InvalidInput, match=problem):
        actions.create_user(
            actor=cast.admin, username=username, full_name=full_name, email=email, password=password
        )
    assert User.objects.count() == users
    assert event_count() == before


def test_a_deactivated_users_name_cannot_be_reused(cast):
    actions.deactivate_user(actor=cast.admin, user=cast.trainee, reason="Left the company")
    with pytest.raises(InvalidInput, match="can never be reused"):
        actions.create_user(
            actor=cast.admin, username="trainee", full_name="Someone Else", password=PASSWORD
        )


def test_non_administrator_cannot_create_users(cast):
    users, before = User.objects.count(), event_count()
    with pytest.raises(PermissionRefused):
        actions.create_user(actor=cast.qa_lead, username="sneaky", full_name="S", password=PASSWORD)
    assert (User.objects.count(), event_count()) == (users, before)


def test_users_are_never_deleted(cast):
    with pytest.raises(TypeError, match="never deleted"):
        cast.outsider.delete()
    with pytest.raises(DatabaseError), transaction.atomic():  # the database refuses too
        User.objects.filter(pk=cast.outsider.pk).delete()
    assert User.objects.filter(pk=cast.outsider.pk).exists()


def test_a_user_manager_without_role_rights_cannot_create_users_with_roles(cast):
    managers = Role.objects.create(code="people", name="People", permissions=[USER_MANAGE])
    actions.grant_role(actor=None, user=cast.outsider, role=managers, reason="HR")
    users, before = User.objects.count(), event_count()
    with pytest.raises(PermissionRefused, match="Grant and revoke roles"):
        actions.create_user(
            actor=cast.outsider,
            username="new-admin",
            full_name="N A",
            password=PASSWORD,
            roles=[Role.objects.get(code="administrator")],
        )
    assert (User.objects.count(), event_count()) == (users, before)
    actions.create_user(actor=cast.outsider, username="plain", full_name="P", password=PASSWORD)


def test_user_create_page_creates_and_shows_errors(signed_in, cast):
    client = signed_in(cast.admin)
    response = client.post(
        "/admin/users/new/",
        {"username": "author", "full_name": "Dup", "password": PASSWORD, "reason": "x"},
    )
    assert response.status_code == 200
    assert "can never be reused" in response.content.decode()
    response = client.post(
        "/admin/users/new/",
        {
            "username": "fresh",
            "full_name": "Fresh Person",
            "password": PASSWORD,
            "roles": [Role.objects.get(code="reviewer").pk],
            "reason": "New starter",
        },
    )
    assert response["Location"] == "/admin/users/fresh/"
    assert User.objects.get(username="fresh").full_name == "Fresh Person"
