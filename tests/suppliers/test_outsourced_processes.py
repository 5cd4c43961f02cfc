import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.qms.models import Process
from openqms.suppliers import actions, due
from openqms.suppliers.models import InterfaceActivity, OutsourcedProcess
from openqms.testing import changes_of, event_count, last_event, named

from .conftest import SIGN, supplier_fields, today


@pytest.fixture
def agreement_draft(cast):
    return documents.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="plan"),
        title="Quality agreement with Kestrel",
        body="Who does what.",
        change_reason="First issue",
    )


def _in_force(cast, revision):
    revision = documents.take_step(
        actor=cast.author, revision=revision, step="submit", **named(cast)
    )
    documents.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return documents.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )


@pytest.fixture
def process(cast):
    return Process.objects.create(
        code="PR-03",
        name="Design and development",
        owner=cast.qa_lead,
        purpose="Design devices",
        created_at=timezone.now(),
    )


@pytest.mark.verifies("SUP-018")
def test_an_outsourced_process_is_created_and_its_agreement_flagged_until_in_force(
    cast, supplier, process, agreement_draft
):
    outsourced = actions.create_outsourced_process(
        actor=cast.qa_lead,
        partner=supplier.pk,
        title="Firmware design",
        process=process.pk,
        agreement=agreement_draft.document.pk,
        agreement_expires_on=today() + dt.timedelta(days=800),
    )
    event = last_event()
    assert (event.action, changes_of(event)["process"]) == (
        "suppliers.outsourced.created",
        [None, f"{process.pk} PR-03 Design and development"],
    )
    flagged = list(due.agreement_problems(today()))
    assert flagged == [outsourced]
    assert "not in force" in due.agreement_problem(flagged[0], today())
    _in_force(cast, agreement_draft)
    assert not due.agreement_problems(today()).exists()


@pytest.mark.verifies("SUP-018")
def test_a_missing_or_expiring_agreement_is_flagged(cast, supplier):
    outsourced = actions.create_outsourced_process(
        actor=cast.qa_lead, partner=supplier, title="Firmware design"
    )
    assert due.agreement_problem(outsourced, today()) == "no quality agreement"


@pytest.mark.verifies("SUP-018")
def test_the_partners_certificate_must_be_the_partners(cast, supplier):
    other = actions.create_supplier(actor=cast.qa_lead, **supplier_fields(name="Other Ltd"))
    cert = actions.add_certificate(
        actor=cast.qa_lead,
        supplier=other,
        kind="iso13485",
        number="1",
        issuer="BSI",
        expires_on=today() + dt.timedelta(days=30),
    )
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.create_outsourced_process(
            actor=cast.qa_lead, partner=supplier, title="Firmware", partner_certificate=cert.pk
        )
    assert "partner_certificate" in refused.value.fields
    assert not OutsourcedProcess.objects.exists() and event_count() == before


@pytest.mark.verifies("SUP-018")
def test_an_unknown_process_is_refused_by_name(cast, supplier):
    with pytest.raises(InvalidInput) as refused:
        actions.create_outsourced_process(
            actor=cast.qa_lead, partner=supplier, title="Firmware", process=999
        )
    assert "process" in refused.value.fields


@pytest.mark.verifies("SUP-019")
def test_interface_rows_are_added_and_removed_with_what_they_said(cast, supplier):
    outsourced = actions.create_outsourced_process(
        actor=cast.qa_lead, partner=supplier, title="Firmware design"
    )
    row = actions.add_activity(
        actor=cast.qa_lead, outsourced=outsourced, activity="Coding", governed_by="partner"
    )
    assert changes_of(last_event())["activity"] == [None, [row.pk, "Coding", "partner", ""]]
    duty = actions.add_duty(
        actor=cast.qa_lead, outsourced=outsourced, what="vigilance", days=2, direction="to_partner"
    )
    assert last_event().action == "suppliers.interface.added"
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.add_duty(
            actor=cast.qa_lead, outsourced=outsourced, what="changes", days=0, direction="to_us"
        )
    assert "days" in refused.value.fields and event_count() == before
    actions.remove_interface_row(
        actor=cast.qa_lead, outsourced=outsourced, kind="activity", pk=row.pk
    )
    event = last_event()
    assert (event.action, changes_of(event)["activity"]) == (
        "suppliers.interface.removed",
        ["Coding: the partner's QMS", None],
    )
    assert InterfaceActivity.objects.get().removed_at is not None
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.remove_interface_row(
            actor=cast.qa_lead, outsourced=outsourced, kind="activity", pk=row.pk
        )
    with pytest.raises(TransitionNotAllowed):
        actions.remove_interface_row(
            actor=cast.qa_lead, outsourced=outsourced, kind="nonsense", pk=duty.pk
        )
    assert event_count() == before


@pytest.mark.verifies("SUP-019")
def test_an_edit_records_the_changed_fields_only(cast, supplier):
    outsourced = actions.create_outsourced_process(
        actor=cast.qa_lead, partner=supplier, title="Firmware design"
    )
    actions.edit_outsourced_process(
        actor=cast.qa_lead, outsourced=outsourced, exchange="Shared drive"
    )
    assert changes_of(last_event()) == {"exchange": ["", "Shared drive"]}
    actions.retire_outsourced_process(actor=cast.qa_lead, outsourced=outsourced, reason="Ended")
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.add_activity(
            actor=cast.qa_lead, outsourced=outsourced, activity="X", governed_by="ours"
        )
    assert event_count() == before


@pytest.mark.verifies("SUP-020", refusal=True)
def test_the_agreement_is_named_only_to_who_may_open_it(cast, supplier, agreement_draft, signed_in):
    outsourced = actions.create_outsourced_process(
        actor=cast.qa_lead,
        partner=supplier.pk,
        title="Firmware design",
        agreement=agreement_draft.document.pk,
    )
    number = agreement_draft.document.number
    for url in (f"/suppliers/outsourced/{outsourced.pk}/", "/suppliers/outsourced/"):
        hidden = signed_in(cast.reviewer).get(url).content.decode()
        assert number not in hidden and "cannot open" in hidden, url
        shown = signed_in(cast.author).get(url).content.decode()
        assert number in shown and "cannot open" not in shown, url
