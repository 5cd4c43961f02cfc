"""QA finds "Take over" on the draft's own page, not only on the document page; the
replaced author who can still see the draft is told who took it over, when and why
when they open its editor; one who can no longer see it still gets the plain 404."""

from django.utils import timezone

from openqms.core import actions as core_actions
from openqms.core.models import Role
from openqms.documents import actions
from openqms.testing import PASSWORD


def test_qa_sees_take_over_on_the_drafts_own_page(signed_in, cast, draft):
    page = signed_in(cast.qa_lead).get("/documents/SOP-001/A/").content.decode()
    assert 'action="/documents/SOP-001/A/take-over/"' in page
    assert "Take over the draft" in page
    author_page = signed_in(cast.author).get("/documents/SOP-001/A/").content.decode()
    assert "Take over the draft" not in author_page


def test_the_replaced_author_is_told_who_took_the_draft_over_and_why(
    signed_in, client, cast, draft
):
    other_qa = core_actions.create_user(
        actor=None, username="qa-two", full_name="Robin Second", password=PASSWORD,
        roles=[Role.objects.get(code="qa_lead")],
    )  # fmt: skip
    actions.take_over_draft(actor=cast.qa_lead, revision=draft, reason="Alex is away")
    actions.take_over_draft(actor=other_qa, revision=draft, reason="Quinn is on leave")
    response = signed_in(cast.qa_lead).get("/documents/SOP-001/A/edit/", follow=True)
    assert response.redirect_chain == [("/documents/SOP-001/A/", 302)]
    when = timezone.localtime().strftime("%-d %b %Y")
    text = response.content.decode()
    assert f"Revision A was taken over by Robin Second on {when} " in text
    assert ": Quinn is on leave" in text
    # Alex, an author without QA's reading rights, no longer sees the draft at all.
    assert signed_in(cast.author).get("/documents/SOP-001/A/edit/").status_code == 404
