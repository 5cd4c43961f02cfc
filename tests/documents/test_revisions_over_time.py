import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core.errors import TransitionNotAllowed
from openqms.documents import actions
from openqms.documents.models import Revision
from openqms.testing import event_count, named
from tests.documents.conftest import SIGN


def _approve(cast, revision):
    revision = actions.take_step(actor=cast.author, revision=revision, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )


def _approved_for_tomorrow(cast, draft):
    """The draft, dated to become effective tomorrow, reviewed and approved."""
    draft = actions.edit_draft(
        actor=cast.author,
        revision=draft,
        body=draft.body,
        change_summary="First issue",
        change_reason="New procedure",
        effective_date=timezone.localdate() + dt.timedelta(days=1),
    )
    return _approve(cast, draft)


def test_revision_b_is_drafted_while_a_stays_effective(cast, effective):
    b = actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Add e-signatures"
    )
    assert (b.label, b.state, b.body) == ("B", "draft", effective.body)
    effective.refresh_from_db()
    assert effective.state == "effective"


def test_b_supersedes_a_in_the_same_transaction(cast, effective):
    b = actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Add e-signatures"
    )
    b = actions.edit_draft(
        actor=cast.author,
        revision=b,
        body="v2",
        change_summary="More",
        change_reason="Add e-signatures",
    )
    b = _approve(cast, b)
    effective.refresh_from_db()
    assert (b.state, effective.state) == ("effective", "superseded")
    assert effective.ended_at is not None


def test_a_second_open_revision_is_refused(cast, effective):
    actions.start_revision(actor=cast.author, document=effective.document, change_reason="x")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="already has a revision in progress"):
        actions.start_revision(actor=cast.author, document=effective.document, change_reason="y")
    assert event_count() == before


def test_the_database_allows_one_effective_and_one_open_revision(cast, effective):
    b = actions.start_revision(actor=cast.author, document=effective.document, change_reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.filter(pk=b.pk).update(state="effective")
    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.create(
            document=effective.document,
            sequence=9,
            label="Z",
            author=cast.author,
            created_at=timezone.now(),
        )


def test_a_future_effective_date_waits_for_tick(cast, draft):
    revision = _approved_for_tomorrow(cast, draft)
    assert revision.state == "approved"
    assert actions.make_due_revisions_effective() == []
    Revision.objects.filter(pk=revision.pk).update(effective_date=timezone.localdate())
    [made] = actions.make_due_revisions_effective()
    assert made.pk == revision.pk and made.state == "effective"


def test_withdrawal_makes_revisions_obsolete_but_keeps_them(cast, effective):
    actions.start_revision(actor=cast.author, document=effective.document, change_reason="x")
    document = actions.withdraw_document(
        actor=cast.qa_lead, document=effective.document, reason="Process retired"
    )
    states = set(document.revisions.values_list("state", flat=True))
    assert states == {"obsolete"}
    assert document.revisions.count() == 2
    with pytest.raises(TransitionNotAllowed, match="withdrawn"):
        actions.start_revision(actor=cast.author, document=document, change_reason="again")


def test_tick_makes_revisions_effective_on_their_date(cast, draft):
    revision = _approved_for_tomorrow(cast, draft)
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "0 revision(s) made effective" in out.getvalue()
    Revision.objects.filter(pk=revision.pk).update(effective_date=timezone.localdate())
    call_command("tick", stdout=out)
    assert "1 revision(s) made effective" in out.getvalue()
    revision.refresh_from_db()
    assert revision.state == "effective"


def test_a_revision_another_tick_already_made_effective_is_skipped(cast, draft):
    revision = _approved_for_tomorrow(cast, draft)
    Revision.objects.filter(pk=revision.pk).update(effective_date=timezone.localdate())
    stale = Revision.objects.get(pk=revision.pk)  # what the second tick read
    [made] = actions.make_due_revisions_effective()
    before = event_count()
    assert actions.LIFECYCLE.apply_system(obj=stale, name="make_effective") is None
    assert event_count() == before
    assert Revision.objects.get(pk=made.pk).state == "effective"
