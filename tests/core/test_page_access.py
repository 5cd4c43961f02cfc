"""Every page refuses the outsider, and nothing but sign-in is open to the anonymous."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core import actions
from openqms.core.models import Role
from openqms.core.registry import USER_MANAGE
from openqms.testing import PASSWORD, event_count, record_events

ADMIN_PAGES = [
    "/admin/users/",
    "/admin/users/new/",
    "/admin/users/author/",
    "/admin/roles/",
    "/admin/roles/author/",
]
AUDIT_PAGES = ["/audit/", "/audit/export.csv", "/audit/export.json", "/integrity/"]
EVERYONE_PAGES = ["/", "/profile/", "/profile/tokens/", "/profile/second-factor/"]


@pytest.mark.parametrize("path", ADMIN_PAGES + AUDIT_PAGES + EVERYONE_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("path", ADMIN_PAGES + AUDIT_PAGES)
def test_outsider_gets_not_found(signed_in, cast, path):
    assert signed_in(cast.outsider).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/users/author/{verb}/"
        for verb in (
            "edit",
            "password",
            "deactivate",
            "reactivate",
            "unlock",
            "remove-second-factor",
            "grant-role",
            "revoke-role",
        )
    ]
    + ["/admin/roles/author/", "/admin/users/new/"],
)
def test_outsider_cannot_post_admin_changes(signed_in, cast, path):
    before = event_count()
    response = signed_in(cast.outsider).post(path, {"reason": "x", "role": "1"})
    assert response.status_code == 404
    assert event_count() == before


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_administrator_reaches_admin_pages(signed_in, cast, path):
    assert signed_in(cast.admin).get(path).status_code == 200


def test_missing_and_forbidden_look_the_same(client, cast):
    client.force_login(cast.admin)
    missing = client.get("/admin/users/no-such-person/")
    client.force_login(cast.outsider)
    forbidden = client.get("/admin/users/author/")
    assert missing.status_code == forbidden.status_code == 404

    def main(response):  # the page body, without the navigation that differs by person
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert main(missing) == main(forbidden)


def test_user_page_shows_history_only_to_those_who_may_read_the_trail(signed_in, cast):
    people = Role.objects.create(code="people", name="People", permissions=[USER_MANAGE])
    actions.grant_role(actor=None, user=cast.outsider, role=people, reason="HR")
    page = signed_in(cast.outsider).get("/admin/users/author/").content.decode()
    assert "Recent history" not in page
    assert "Recent history" in signed_in(cast.admin).get("/admin/users/author/").content.decode()


@pytest.mark.parametrize("path", EVERYONE_PAGES)
def test_every_signed_in_person_reaches_their_own_pages(signed_in, cast, path):
    assert signed_in(cast.outsider).get(path).status_code == 200


def test_my_tasks_shows_an_honest_empty_state(signed_in, cast):
    page = signed_in(cast.trainee).get("/").content.decode()
    assert "Nothing is waiting for you." in page


def test_auditor_reads_the_trail_but_cannot_administer(signed_in, cast):
    auditor = signed_in(cast.auditor)
    assert auditor.get("/audit/").status_code == 200
    assert auditor.get("/admin/users/").status_code == 404


def test_audit_page_query_count_does_not_grow_with_rows(signed_in, cast):
    client = signed_in(cast.auditor)
    client.get("/audit/")
    record_events(5)
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    record_events(120)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/audit/")
    assert len(response.context["events"]) == 50
    # Records are named with one query per kind of record on the page (users, roles…):
    # the first page mixes the cast's users with the events, the second holds only the
    # test events, so it may take fewer queries, never more.
    assert len(many) <= len(few)


def test_user_list_query_count_does_not_grow_with_rows(signed_in, cast):
    client = signed_in(cast.admin)
    client.get("/admin/users/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/users/")
    for i in range(10):
        actions.create_user(
            actor=cast.admin, username=f"extra{i}", full_name=f"Extra {i}", password=PASSWORD
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/users/")
    assert len(many) == len(few)


def test_administrators_see_locked_accounts_in_my_tasks(signed_in, cast):
    cast.author.locked_until = timezone.now() + dt.timedelta(minutes=10)
    cast.author.save(update_fields=["locked_until"])
    page = signed_in(cast.admin).get("/").content.decode()
    assert "Review the lockout of Alex Author (author)" in page
    assert "Nothing is waiting" not in page
    assert "Review the lockout" not in signed_in(cast.qa_lead).get("/").content.decode()


@pytest.mark.parametrize(
    "path",
    ["/static/openqms/app.css", "/static/htmx/htmx.min.js", "/static/ninja/swagger-ui-bundle.js"],
)
def test_static_assets_are_served_locally(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) > 1000


def test_pages_send_a_content_security_policy_without_inline_scripts(signed_in, cast):
    response = signed_in(cast.author).get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
