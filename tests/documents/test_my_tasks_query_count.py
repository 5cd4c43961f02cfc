"""My tasks asks the lifecycle table about every revision in review in a fixed number of
queries, however many are waiting."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.documents import actions
from openqms.testing import named
from tests.documents.conftest import SIGN


def _in_review(cast, doc_type, count, *, reviewed):
    for n in range(count):
        revision = actions.create_document(
            actor=cast.author, doc_type=doc_type, title=f"Procedure {n}", clauses=["4.2.4"]
        )
        revision = actions.edit_draft(
            actor=cast.author,
            revision=revision,
            body=f"Procedure {n}.",
            change_summary="First issue",
            change_reason="New procedure",
        )
        revision = actions.take_step(
            actor=cast.author, revision=revision, step="submit", **named(cast)
        )
        if reviewed:
            actions.take_step(
                actor=cast.reviewer, revision=revision, step="review", credentials=SIGN
            )


def _home_page(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    return page.content.decode(), len(queries)


def test_my_tasks_costs_the_same_queries_with_2_or_12_revisions_in_review(
    signed_in, cast, sop_type
):
    client = signed_in(cast.approver)
    _in_review(cast, sop_type, 1, reviewed=True)
    _in_review(cast, sop_type, 1, reviewed=False)
    few_html, few = _home_page(client)
    # Named approver of all of them: reviewed or not, each is an approval task.
    assert few_html.count("Approve SOP-") == 2 and few_html.count("Review SOP-") == 0
    _in_review(cast, sop_type, 5, reviewed=True)
    _in_review(cast, sop_type, 5, reviewed=False)
    many_html, many = _home_page(client)
    assert many_html.count("Approve SOP-") == 12 and many_html.count("Review SOP-") == 0
    assert many == few


def test_the_reviewer_is_offered_neither_step_again_in_a_long_list(signed_in, cast, sop_type):
    _in_review(cast, sop_type, 12, reviewed=True)
    html, _ = _home_page(signed_in(cast.reviewer))
    assert "Approve SOP-" not in html and "Review SOP-" not in html
