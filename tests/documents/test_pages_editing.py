"""The Markdown editor: preview, save, and the drafts it refuses to change."""

import datetime as dt

from django.utils import timezone

from openqms.documents import actions
from openqms.documents.models import Revision
from openqms.testing import event_count, events_since, named

EDIT = "/documents/SOP-001/A/edit/"


def _form(**changes):
    data = {
        "based_on": actions.draft_version(Revision.objects.get()),  # the copy loaded now
        "body": "1. Purpose\n\nControl documents.",
        "change_summary": "First issue",
        "change_reason": "New procedure",
        "effective_date": "",
    }
    return data | changes


def test_author_opens_the_editor_with_the_draft_filled_in(signed_in, cast, draft):
    page = signed_in(cast.author).get(EDIT).content.decode()
    assert "1. Purpose\n\nControl documents.</textarea>" in page
    assert 'value="First issue"' not in page  # summaries are textareas
    assert "First issue</textarea>" in page


def test_preview_shows_the_rendered_text_and_saves_nothing(signed_in, cast, draft):
    before = event_count()
    page = signed_in(cast.author).post(
        EDIT, _form(body="## Scope\n\n| a | b |\n|---|---|\n| 1 | 2 |", preview="")
    )
    html = page.content.decode()
    assert "Preview <small>(not saved)</small>" in html
    assert "<h2>Scope</h2>" in html and "<td>1</td>" in html
    assert "## Scope" in html  # the unsaved text stays in the editor
    assert Revision.objects.get().body == draft.body and event_count() == before


def test_saving_records_the_change(signed_in, cast, draft):
    before = event_count()
    page = signed_in(cast.author).post(EDIT, _form(body="New text", save=""), follow=True)
    assert "Draft saved." in page.content.decode()
    assert Revision.objects.get().body == "New text"
    [event] = events_since(before)
    assert event.action == "documents.revision.edited"


def test_saving_with_no_change_says_so_and_records_nothing(signed_in, cast, draft):
    before = event_count()
    page = signed_in(cast.author).post(EDIT, _form(save=""))
    assert "Nothing changed." in page.content.decode()
    assert event_count() == before


def test_an_effective_date_in_the_past_is_refused_on_the_form(signed_in, cast, draft):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    before = event_count()
    page = signed_in(cast.author).post(EDIT, _form(effective_date=yesterday.isoformat(), save=""))
    html = page.content.decode()
    assert "The effective date cannot be in the past." in html
    assert '<small class="problem">In the past.</small>' in html
    assert Revision.objects.get().effective_date is None and event_count() == before


def test_editing_a_revision_in_review_is_refused(signed_in, cast, draft):
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    client = signed_in(cast.author)
    before = event_count()
    html = client.post(EDIT, _form(body="sneaky", save="")).content.decode()
    assert "Only a draft can be edited; return the revision to draft first." in html
    assert Revision.objects.get().body == draft.body and event_count() == before
    assert "Edit</a>" not in client.get("/documents/SOP-001/A/").content.decode()


def test_the_editor_is_not_offered_for_a_revision_in_review(signed_in, cast, draft):
    actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    page = signed_in(cast.author).get(EDIT, follow=True)
    assert page.redirect_chain == [("/documents/SOP-001/A/", 302)]
    assert (
        "Only the author edits a revision, and only while it is a draft." in page.content.decode()
    )


def test_markdown_is_sanitised(signed_in, cast, draft):
    body = (
        "Safe **text**\n\n<script>alert('owned')</script>\n\n"
        '<img src="x" onerror="alert(1)">\n\n[link](javascript:alert(2))'
    )
    actions.edit_draft(
        actor=cast.author, revision=draft, body=body, change_summary="", change_reason="x"
    )
    page = signed_in(cast.author).get("/documents/SOP-001/A/").content.decode()
    assert "<strong>text</strong>" in page
    assert "<script>alert" not in page and "alert('owned')" not in page
    # markdown-it refuses the javascript: link: it stays text, never an href
    assert "onerror" not in page and 'href="javascript:' not in page
