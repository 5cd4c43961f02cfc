"""The approval mode is set on the type's page, with a reason, and shown in the list."""

from openqms.testing import changes_of, last_event


def test_the_approval_mode_is_changed_on_the_types_page(signed_in, cast, sop_type):
    client = signed_in(cast.qa_lead)
    form = client.get("/documents/types/procedure/").content.decode()
    assert "How the named reviewers and approvers sign" in form
    response = client.post(
        "/documents/types/procedure/",
        {
            "name": sop_type.name,
            "prefix": sop_type.prefix,
            "digits": sop_type.digits,
            "revision_scheme": sop_type.revision_scheme,
            "review_interval_months": sop_type.review_interval_months,
            "needs_review": "on",
            "reviewer_cannot_approve": "on",
            "approval_mode": "sequence",
            "retention_years": sop_type.retention_years,
            "reason": "Design documents are signed in order",
        },
    )
    assert response["Location"] == "/documents/types/"
    assert changes_of(last_event()) == {"approval_mode": ["all", "sequence"]}
    page = client.get("/documents/types/").content.decode()
    assert "<td>all, in order</td>" in page
