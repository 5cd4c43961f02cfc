"""The scope's pages: the QA lead drafts and submits, the manager signs in the dialog,
everyone signed in reads; the history list keeps a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.signatures import content_hash
from openqms.qms.actions import scope as actions
from openqms.qms.models import ScopeState, ScopeVersion
from openqms.testing import PASSWORD, event_count

from .scope_world import certified_v1_and_v2_in_force, drafted, family, in_force

pytestmark = pytest.mark.django_db


def test_the_qa_lead_starts_and_edits_a_draft_on_the_page(cast, signed_in):
    sw = family("HR-SW")
    client = signed_in(cast.qa_lead)
    response = client.post("/qms/scope/new/")
    assert response.status_code == 302 and response.url == "/qms/scope/1/edit/"
    page = client.get("/qms/scope/1/edit/")
    assert page.status_code == 200 and b"Exclusions and requirements" in page.content
    response = client.post(
        "/qms/scope/1/edit/",
        {
            "statement": "Rhythm software.",
            "families": [sw.pk],
            "exclusions-TOTAL_FORMS": "2",
            "exclusions-INITIAL_FORMS": "0",
            "exclusions-0-clause": "7.5.7",
            "exclusions-0-kind": "not_applicable",
            "exclusions-0-what": "Sterilisation",
            "exclusions-0-justification": "Nothing is sterile.",
            "exclusions-1-kind": "excluded",
        },
    )
    assert response.status_code == 302
    scope = ScopeVersion.objects.get()
    assert scope.content()["exclusions"] == [
        ["7.5.7", "not_applicable", "Sterilisation", "Nothing is sterile."]
    ]
    assert scope.content()["families"] == ["HR-SW Family HR-SW"]


def test_a_bad_clause_on_the_page_names_the_problem_and_saves_nothing(cast, signed_in):
    scope = drafted(cast)
    before = event_count()
    response = signed_in(cast.qa_lead).post(
        f"/qms/scope/{scope.number}/edit/",
        {
            "statement": "Changed.",
            "exclusions-TOTAL_FORMS": "1",
            "exclusions-INITIAL_FORMS": "0",
            "exclusions-0-clause": "seven",
            "exclusions-0-kind": "excluded",
            "exclusions-0-what": "x",
            "exclusions-0-justification": "y",
        },
    )
    assert response.status_code == 200
    assert "is not a clause number such as 7.5.7" in response.content.decode()
    assert ScopeVersion.objects.get().statement == "Rhythm analysis software."
    assert event_count() == before


def test_the_manager_signs_the_scope_from_its_page(cast, signed_in):
    scope = actions.take_scope_step(actor=cast.qa_lead, scope=drafted(cast), step="submit")
    client = signed_in(cast.manager)
    page = client.get("/qms/scope/1/")
    assert b"Sign: QMS scope approved" in page.content
    response = client.post(
        "/qms/scope/1/step/approve/",
        {"password": PASSWORD, "content_hash": content_hash(scope.signature_content())},
    )
    assert response.status_code == 302
    assert ScopeVersion.objects.get().state == ScopeState.APPROVED


def test_someone_without_the_permission_sees_no_step_and_cannot_post_one(cast, signed_in):
    actions.take_scope_step(actor=cast.qa_lead, scope=drafted(cast), step="submit")
    client = signed_in(cast.author)
    page = client.get("/qms/scope/1/")
    assert page.status_code == 200 and b"Sign: QMS scope approved" not in page.content
    client.post("/qms/scope/1/step/approve/", {"password": PASSWORD})
    assert ScopeVersion.objects.get().state == ScopeState.IN_APPROVAL
    assert signed_in(cast.author).get("/qms/scope/1/edit/").status_code == 404


def test_the_flag_and_the_notification_forms_show_on_the_version_in_force(cast, signed_in):
    certified_v1_and_v2_in_force(cast)
    page = signed_in(cast.qa_lead).get("/qms/scope/2/").content.decode()
    assert "Approved body must be notified — reassessment may be required" in page
    assert "Record as sent" in page
    response = signed_in(cast.qa_lead).post(
        f"/qms/scope/notification/{ScopeVersion.objects.get(number=2).notification.pk}/sent/",
        {"sent_on": "2000-01-01", "reference": "AB-2026-114"},
    )
    assert response.status_code == 302
    assert ScopeVersion.objects.get(number=2).notification.reference == "AB-2026-114"


def test_the_redline_page_shows_the_added_family(cast, signed_in):
    certified_v1_and_v2_in_force(cast)
    page = signed_in(cast.auditor).get("/qms/scope/2/changes/").content.decode()
    assert "<ins>HR-ACC Family HR-ACC</ins>" in page


def _history_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/qms/scope/").status_code == 200
    return len(queries)


def test_the_history_list_keeps_a_constant_number_of_queries(cast, signed_in):
    client = signed_in(cast.auditor)
    in_force(cast, drafted(cast))
    few = _history_queries(client)
    for _ in range(4):
        in_force(cast, actions.start_scope_version(actor=cast.qa_lead))
    assert _history_queries(client) == few
