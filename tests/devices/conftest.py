import pytest

from openqms.core.signatures import Credentials
from openqms.devices import actions
from openqms.devices.models import DeviceClass, FileSection
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.qms.actions.families import create_family
from openqms.testing import PASSWORD, named

SIGN = Credentials(PASSWORD)


@pytest.fixture
def family(cast):
    return create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")


@pytest.fixture
def iia(db):
    return DeviceClass.objects.get(code="class_iia")


def make_device(cast, family, **fields):
    data = {
        "family": family,
        "name": "RhythmCheck",
        "model": "2.1",
        "intended_purpose": "Flags suspected atrial fibrillation in ECG recordings.",
        "device_class": DeviceClass.objects.get(code="class_iia"),
        "classification_rule": "Rule 11",
        "classification_justification": "Software informing diagnosis.",
        "gmdn_code": "58264",
        "lifetime_years": 5,
        **fields,
    }
    return actions.create_device(actor=cast.qa_lead, **data)


@pytest.fixture
def device(cast, family):
    return make_device(cast, family)


@pytest.fixture
def registered(cast, device):
    """The device on the market and registered with the MHRA."""
    return actions.record_registration(
        actor=cast.qa_lead,
        device=device,
        reference="GB-MF-1/RC",
        registered_on=device.created_at.date(),
    )


def section(code):
    return FileSection.objects.get(code=code)


def effective_document(cast, title, body="Text."):
    """A procedure with revision A in force."""
    draft = documents.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="procedure"),
        title=title,
        clauses=["4.2.3"],
        body=body,
    )
    draft = documents.edit_draft(
        actor=cast.author, revision=draft, body=body, change_summary="First", change_reason="New"
    )
    draft = documents.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    documents.take_step(actor=cast.reviewer, revision=draft, step="review", credentials=SIGN)
    revision = documents.take_step(
        actor=cast.approver, revision=draft, step="approve", credentials=SIGN
    )
    return revision.document


def draft_document(cast, title):
    return documents.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="procedure"),
        title=title,
        clauses=["4.2.3"],
        body="Draft.",
    ).document
