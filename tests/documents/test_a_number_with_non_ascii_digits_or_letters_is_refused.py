"""Review finding 4 (ISO 13485 4.2.4 c): "SOP-１２３" (full-width digits) or "SOP-٠٠٧"
(Arabic-Indic) looked like another document's number on screen but were accepted, since
`\\d` matches every Unicode digit. Only ASCII letters and 0-9 make a number now, on the
action, the API and the import's check alike; nothing is written on refusal."""

import json

import pytest

from openqms.core import actions as core_actions
from openqms.core.errors import InvalidInput
from openqms.documents import actions
from openqms.documents.models import Document, DocumentType
from openqms.documents.numbering import number_problem
from openqms.testing import event_count

LOOKALIKES = ["SOP-１２３", "SOP-٠٠٧", "SOP-१२३", "ＳOP-123", "ſOP-123", "SOP-12３"]


@pytest.mark.parametrize("number", LOOKALIKES)
def test_the_action_refuses_it_and_writes_nothing(cast, sop_type, number):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.create_document(actor=cast.author, doc_type=sop_type, title="A", number=number)
    assert refused.value.fields == {"number": "Not valid."}
    assert str(refused.value).startswith(f"The number “{number}” does not fit")
    assert not Document.objects.exists() and event_count() == before
    assert DocumentType.objects.get(pk=sop_type.pk).next_number == sop_type.next_number


@pytest.mark.parametrize("number", LOOKALIKES)
def test_the_import_check_names_the_problem(cast, sop_type, number):
    assert number_problem(sop_type, number) == (
        f"the number “{number}” does not fit the Procedure (SOP) numbering: "
        "SOP, a hyphen and 3 digit(s), e.g. SOP-001"
    )


def test_the_ascii_number_still_works(cast, sop_type):
    actions.create_document(actor=cast.author, doc_type=sop_type, title="A", number="sop-123")
    assert list(Document.objects.values_list("number", flat=True)) == ["SOP-123"]
    assert DocumentType.objects.get(pk=sop_type.pk).next_number == 124


def test_the_api_refuses_full_width_digits(cast, client):
    token = core_actions.create_api_token(actor=cast.author, user=cast.author, name="t")[1]
    before = event_count()
    response = client.post(
        "/api/v1/documents",
        json.dumps({"type": "procedure", "title": "X", "number": "SOP-１２３"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"number": "Not valid."}
    assert not Document.objects.exists() and event_count() == before
