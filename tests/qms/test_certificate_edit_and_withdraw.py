import datetime as dt
import io

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.qms.actions.certificates import (
    CertificateData,
    add_certificate,
    edit_certificate,
    withdraw_certificate,
)
from openqms.qms.certificate_records import certificate_states
from openqms.qms.models import ApprovedBody, Certificate
from openqms.testing import changes_of, event_count, last_event

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n% one\n"


def _data(body, **changes):
    values = {
        "kind": "iso13485",
        "number": "QMS-001",
        "body": body,
        "scope_text": "Cardiac software",
        "issued_on": TODAY - dt.timedelta(days=1000),
        "expires_on": TODAY + dt.timedelta(days=60),
    }
    return CertificateData(**{**values, **changes})


@pytest.fixture
def body(db):
    return ApprovedBody.objects.create(name="Albion Conformity Assessment Ltd", number="0086")


@pytest.fixture
def certificate(cast, body):
    return add_certificate(actor=cast.qa_lead, data=_data(body), file=io.BytesIO(PDF))


@pytest.mark.verifies("QMS-018")
def test_an_edit_records_old_and_new_values_and_the_reason(cast, body, certificate):
    new_expiry = TODAY + dt.timedelta(days=1095)
    edit_certificate(
        actor=cast.qa_lead,
        certificate=certificate,
        data=_data(body, expires_on=new_expiry),
        reason="Renewed at recertification",
    )
    certificate.refresh_from_db()
    assert certificate.expires_on == new_expiry
    event = last_event()
    assert event.action == "qms.certificate.edited"
    assert event.reason == "Renewed at recertification"
    assert changes_of(event) == {
        "expires_on": [(TODAY + dt.timedelta(days=60)).isoformat(), new_expiry.isoformat()]
    }


def test_a_new_pdf_replaces_the_old_and_the_trail_keeps_both_hashes(cast, body, certificate):
    old = certificate.file.sha256
    edit_certificate(
        actor=cast.qa_lead, certificate=certificate, data=_data(body), file=io.BytesIO(PDF + b"2")
    )
    certificate.refresh_from_db()
    assert changes_of(last_event()) == {"file_sha256": [old, certificate.file.sha256]}


def test_an_edit_that_changes_nothing_is_refused_without_an_event(cast, body, certificate):
    before = event_count()
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        edit_certificate(actor=cast.qa_lead, certificate=certificate, data=_data(body))
    assert event_count() == before


def test_a_bad_edit_changes_nothing(cast, body, certificate):
    before = event_count()
    bad = _data(body, number="QMS-002", expires_on=TODAY - dt.timedelta(days=2000))
    with pytest.raises(InvalidInput):
        edit_certificate(actor=cast.qa_lead, certificate=certificate, data=bad)
    assert Certificate.objects.get().number == "QMS-001"
    assert event_count() == before


@pytest.mark.verifies("QMS-018")
def test_withdrawing_keeps_the_certificate_with_the_reason(cast, body, certificate):
    withdraw_certificate(actor=cast.qa_lead, certificate=certificate, reason="Replaced")
    certificate.refresh_from_db()
    assert certificate.retired and certificate.retire_reason == "Replaced"
    event = last_event()
    assert event.action == "qms.certificate.withdrawn"
    assert (event.reason, changes_of(event)) == ("Replaced", {"state": ["valid", "withdrawn"]})
    assert list(certificate_states()) == []


def test_a_withdrawn_certificate_can_be_neither_edited_nor_withdrawn_again(cast, body, certificate):
    withdraw_certificate(actor=cast.qa_lead, certificate=certificate, reason="Replaced")
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        edit_certificate(
            actor=cast.qa_lead, certificate=certificate, data=_data(body, number="QMS-9")
        )
    with pytest.raises(TransitionNotAllowed):
        withdraw_certificate(actor=cast.qa_lead, certificate=certificate, reason="Again")
    assert event_count() == before


@pytest.mark.verifies("QMS-018")
def test_withdrawing_needs_a_reason_and_the_permission(cast, certificate):
    before = event_count()
    with pytest.raises(InvalidInput):
        withdraw_certificate(actor=cast.qa_lead, certificate=certificate, reason="  ")
    with pytest.raises(PermissionRefused):
        withdraw_certificate(actor=cast.auditor, certificate=certificate, reason="No")
    assert not Certificate.objects.get().retired
    assert event_count() == before


@pytest.mark.verifies("QMS-007", refusal=True)
def test_verify_finds_a_certificate_withdrawn_without_the_action(cast, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(retired_at=timezone.now())
    [finding] = certificate_states()
    assert finding.record == f"qms.certificate {certificate.pk}"
    assert (finding.trail_says, finding.row_says) == ("valid (never withdrawn)", "withdrawn")
