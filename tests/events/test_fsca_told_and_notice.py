"""The UK Responsible Person and the approved body told in advance (dated evidence, gaps
shown), and the field safety notice: a controlled document with the MHRA's review."""

import datetime as dt
import io

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.events.actions import fsca as actions
from openqms.testing import changes_of, event_count, last_event

from .conftest import effective_document, uk
from .fsca_setup import TOLD, open_one, snapshot, started


def _tell(cast, fsca, party, when=TOLD, **more):
    return actions.record_party_told(
        actor=cast.qa_lead,
        fsca=fsca,
        party=party,
        told="Jo Bloggs",
        told_at=when,
        how="e-mail",
        reference="R-1",
        **more,
    )


@pytest.mark.verifies("EVT-017")
def test_both_parties_missing_are_shown_as_gaps(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    assert actions.gaps(fsca) == [
        "UK Responsible Person: no dated evidence of being told in advance",
        "Approved body: no dated evidence of being told in advance",
    ]


@pytest.mark.verifies("EVT-017")
def test_dated_evidence_closes_the_gap_with_one_event(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    count = event_count()
    row = _tell(cast, fsca, "uk_rp", file=io.BytesIO(b"%PDF-1.4 mail"), file_name="mail.pdf")
    assert row.file is not None and row.file_name == "mail.pdf"
    assert event_count() == count + 1
    event = last_event()
    assert event.action == "events.fsca.party_told"
    assert changes_of(event)["party"] == [None, "uk_rp"]
    assert changes_of(event)["told_at"] == [None, TOLD.isoformat()]
    assert actions.gaps(fsca) == ["Approved body: no dated evidence of being told in advance"]


@pytest.mark.verifies("EVT-017")
def test_a_party_told_after_the_start_is_still_a_gap(cast, class_i_device):
    fsca = started(cast, class_i_device)
    _tell(cast, fsca, "approved_body", when=uk("2026-03-05 09:00"))
    _tell(cast, fsca, "uk_rp")
    assert actions.gaps(fsca) == ["Approved body: no dated evidence of being told in advance"]


@pytest.mark.verifies("EVT-017")
def test_evidence_without_the_date_or_with_a_bad_party_is_refused(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(InvalidInput) as refused:
        _tell(cast, fsca, "uk_rp", when="")
    assert "told_at" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        _tell(cast, fsca, "the press")
    assert "party" in refused.value.fields
    assert snapshot(fsca) == before and event_count() == count


@pytest.mark.verifies("EVT-017")
def test_the_notice_is_a_controlled_document_reviewed_by_the_mhra(cast, class_i_device):
    notice = effective_document(cast, "Field safety notice A1-2611", doc_type="form")
    fsca = open_one(cast, class_i_device)
    actions.set_notice(actor=cast.qa_lead, fsca=fsca, document=notice.pk)
    assert changes_of(last_event())["notice"] == [None, str(notice)]
    fsca.refresh_from_db()
    assert actions.notice_revision(fsca).label == "A"
    fsca = actions.record_notice_review(
        actor=cast.qa_lead, fsca=fsca, reviewed_on=dt.date(2026, 3, 2), outcome="agreed"
    )
    event = last_event()
    assert event.action == "events.fsca.notice_reviewed"
    assert changes_of(event)["notice_review_outcome"] == ["", "agreed"]
    assert changes_of(event)["notice_review_on"] == [None, "2026-03-02"]


@pytest.mark.verifies("EVT-017")
def test_changes_requested_need_notes_and_a_review_needs_a_notice(cast, class_i_device):
    fsca = open_one(cast, class_i_device)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.record_notice_review(
            actor=cast.qa_lead, fsca=fsca, reviewed_on=dt.date(2026, 3, 2), outcome="agreed"
        )
    notice = effective_document(cast, "Field safety notice", doc_type="form")
    actions.set_notice(actor=cast.qa_lead, fsca=fsca, document=notice.pk)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.record_notice_review(
            actor=cast.qa_lead,
            fsca=fsca,
            reviewed_on=dt.date(2026, 3, 2),
            outcome="changes_requested",
        )
    assert "notes" in refused.value.fields
    assert snapshot(fsca) == before and event_count() == count
