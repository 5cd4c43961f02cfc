import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.documents import actions
from openqms.documents.models import DocumentType
from openqms.testing import changes_of, event_count, last_event


def _update(actor, doc_type, **changes):
    fields = {
        "name": doc_type.name,
        "prefix": doc_type.prefix,
        "digits": doc_type.digits,
        "revision_scheme": doc_type.revision_scheme,
        "review_interval_months": doc_type.review_interval_months,
        "needs_review": doc_type.needs_review,
        "retention_years": doc_type.retention_years,
        "reason": "Policy change",
    }
    return actions.update_document_type(actor=actor, doc_type=doc_type, **{**fields, **changes})


def test_a_type_change_is_audited_field_by_field(cast, sop_type):
    _update(cast.qa_lead, sop_type, review_interval_months=12, retention_years=15)
    event = last_event()
    assert (event.action, event.object_id, event.reason) == (
        "documents.type.updated",
        "procedure",
        "Policy change",
    )
    assert changes_of(event) == {"review_interval_months": [24, 12], "retention_years": [0, 15]}


def test_a_prefix_in_use_cannot_change(cast, draft):
    sop = DocumentType.objects.get(code="procedure")
    before = event_count()
    with pytest.raises(InvalidInput, match="numbers never change"):
        _update(cast.qa_lead, sop, prefix="PROC")
    assert event_count() == before


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"prefix": "WI"}, "Another type"),
        ({"prefix": "S O P"}, "letters and digits"),
        ({"digits": 0}, "between 1 and 8"),
        ({"revision_scheme": "roman"}, "revision scheme"),
        ({}, "Nothing changed"),
    ],
)
def test_bad_type_settings_are_refused(cast, sop_type, changes, problem):
    before = event_count()
    with pytest.raises(InvalidInput, match=problem):
        _update(cast.qa_lead, sop_type, **changes)
    assert event_count() == before


def test_only_those_who_configure_may_change_types(cast, sop_type):
    with pytest.raises(PermissionRefused):
        _update(cast.author, sop_type, review_interval_months=6)


def test_the_types_page_is_for_those_who_configure(signed_in, cast):
    assert signed_in(cast.author).get("/documents/types/").status_code == 404
    page = signed_in(cast.qa_lead).get("/documents/types/").content.decode()
    assert "Procedure (SOP)" in page and "SOP-000" in page


def test_a_type_is_changed_through_its_page_with_a_reason(signed_in, cast, sop_type):
    client = signed_in(cast.admin)
    form = {
        "name": "Procedure (SOP)",
        "prefix": "SOP",
        "digits": 3,
        "revision_scheme": "letters",
        "review_interval_months": 12,
        "needs_review": "on",
        "approval_mode": "all",
        "retention_years": 10,
        "reason": "",
    }
    before = event_count()
    response = client.post("/documents/types/procedure/", form)
    assert response.status_code == 200 and event_count() == before
    response = client.post("/documents/types/procedure/", {**form, "reason": "New policy"})
    assert response["Location"] == "/documents/types/"
    sop_type.refresh_from_db()
    assert (sop_type.review_interval_months, sop_type.retention_years) == (12, 10)
