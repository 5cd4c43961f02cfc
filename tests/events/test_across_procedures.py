"""The procedure each kind of quality record follows: set by CONFIGURE holders (the QA
lead), read by everyone with a role, audited old → new; refusals write nothing."""

import pytest
from django.urls import reverse

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.events.actions import across
from openqms.events.models import EventProcedure
from openqms.testing import changes_of, event_count, last_event

from .across_records import complaint, record_pages  # noqa: F401
from .conftest import effective_document

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("EVT-041")
def test_qa_lead_sets_a_kinds_procedure_and_it_is_audited_old_to_new(cast):
    first = effective_document(cast, "Complaint handling")
    second = effective_document(cast, "Complaint handling v2")
    across.set_procedure(actor=cast.qa_lead, kind="complaint", document=first)
    row = across.set_procedure(actor=cast.qa_lead, kind="complaint", document=second)
    assert (row.document, row.set_by) == (second, cast.qa_lead)
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "events.procedure.set",
        "events.eventprocedure",
        str(row.pk),
    )
    assert changes_of(event) == {
        "kind": ["complaint", "complaint"],
        "document": [first.number, second.number],
    }


@pytest.mark.verifies("EVT-041")
def test_the_procedure_set_is_what_records_of_that_kind_follow(cast):
    procedure = effective_document(cast, "Complaint handling")
    across.set_procedure(actor=cast.qa_lead, kind="complaint", document=procedure)
    assert complaint(cast).governing_document_ids() == [procedure.pk]


@pytest.mark.verifies("EVT-041")
@pytest.mark.parametrize("who", ["manager", "author", "auditor", "trainee"])
def test_only_configure_holders_set_procedures(cast, who):
    procedure = effective_document(cast, "Complaint handling")
    before = event_count()
    with pytest.raises(PermissionRefused):
        across.set_procedure(actor=getattr(cast, who), kind="complaint", document=procedure)
    assert event_count() == before
    assert not EventProcedure.objects.filter(kind="complaint", document__isnull=False).exists()


@pytest.mark.verifies("EVT-041")
def test_an_unknown_kind_or_no_change_is_refused_and_writes_nothing(cast):
    procedure = effective_document(cast, "Complaint handling")
    across.set_procedure(actor=cast.qa_lead, kind="capa", document=procedure)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        across.set_procedure(actor=cast.qa_lead, kind="nothing", document=procedure)
    assert "kind" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        across.set_procedure(actor=cast.qa_lead, kind="capa", document=procedure)
    assert "document" in refused.value.fields
    assert event_count() == before


@pytest.mark.verifies("EVT-041")
def test_the_page_lists_every_kind_and_lets_qa_set_one(client, cast):
    procedure = effective_document(cast, "Complaint handling")
    client.force_login(cast.auditor)
    page = client.get(reverse("events:procedures")).content.decode()
    assert "CAPAs" in page and "Complaints" in page and "<form" not in page.split("<main")[-1]
    assert client.post(reverse("events:procedures"), {"kind": "complaint"}).status_code == 404
    client.force_login(cast.qa_lead)
    response = client.post(
        reverse("events:procedures"), {"kind": "complaint", "complaint-document": procedure.pk}
    )
    assert response.status_code == 302
    assert EventProcedure.objects.get(kind="complaint").document == procedure
    page = client.get(reverse("events:procedures")).content.decode()
    assert procedure.number in page


@pytest.mark.verifies("EVT-038", refusal=True)
def test_someone_without_a_role_meets_404(client, cast):
    client.force_login(cast.outsider)
    assert client.get(reverse("events:procedures")).status_code == 404
