"""The API names reviewers and approvers at submission, takes comments and their
resolution, and shows both on the revision, like the pages."""

from openqms.documents.models import ReviewComment
from openqms.testing import PASSWORD
from tests.documents.test_api_documents import Api

NAMED = {"reviewers": ["reviewer"], "approvers": ["approver"], "due_date": "2099-01-31"}


def test_submit_comment_resolve_and_approve_over_the_api(client, cast, draft):
    author = Api(client, cast.author)
    refused = author.post("/SOP-001/revisions/A/submit")
    assert refused.status_code == 422
    assert refused.json()["message"].startswith("Name at least one reviewer")
    unknown = author.post("/SOP-001/revisions/A/submit", {**NAMED, "approvers": ["nobody"]})
    assert (unknown.status_code, unknown.json()["message"]) == (422, "No such person: nobody.")

    submitted = author.post("/SOP-001/revisions/A/submit", NAMED).json()
    assert submitted["state"] == "in_review"
    assert [(n["role"], n["person"], n["due_date"]) for n in submitted["named"]] == [
        ("reviewer", "reviewer", "2099-01-31"),
        ("approver", "approver", "2099-01-31"),
    ]

    reviewer = Api(client, cast.reviewer)
    commented = reviewer.post("/SOP-001/revisions/A/comments", {"text": "Add a scope."})
    assert commented.status_code == 201
    [comment] = commented.json()["comments"]
    assert (comment["author"], comment["text"], comment["resolved"]) == (
        "reviewer",
        "Add a scope.",
        False,
    )
    assert reviewer.sign("/SOP-001/revisions/A/review", {"password": PASSWORD}).status_code == 200

    approver = Api(client, cast.approver)
    blocked = approver.sign("/SOP-001/revisions/A/approve", {"password": PASSWORD})
    assert blocked.status_code == 409
    resolved = author.post(
        f"/SOP-001/revisions/A/comments/{comment['id']}/resolve", {"reply": "Added."}
    )
    assert resolved.json()["comments"][0]["resolved"] is True
    approved = approver.sign("/SOP-001/revisions/A/approve", {"password": PASSWORD})
    assert approved.json()["state"] == "effective"
    assert ReviewComment.objects.get().reply == "Added."
