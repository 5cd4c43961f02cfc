"""Shared fixtures of quality events' tests: devices of two classes, a procedure in
force, and helpers for times in UK local time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from openqms.core.signatures import Credentials
from openqms.devices import actions as devices
from openqms.devices.models import DeviceClass
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.qms.actions.families import create_family
from openqms.testing import PASSWORD, named

SIGN = Credentials(PASSWORD)
UK = ZoneInfo("Europe/London")


def uk(text):
    """A UK wall-clock time ("2026-03-28 23:59") as an aware datetime."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UK)


@pytest.fixture
def family(cast):
    return create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")


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
    return devices.create_device(actor=cast.qa_lead, **data)


@pytest.fixture
def device(cast, family):
    """RhythmCheck 2.1, Class IIa (PSUR at least every 2 years)."""
    return make_device(cast, family)


@pytest.fixture
def class_i_device(cast, family):
    """A Class I device (PMSR at least every 3 years)."""
    return make_device(
        cast,
        family,
        name="Patch applicator",
        model="PA-1",
        device_class=DeviceClass.objects.get(code="class_i"),
        classification_rule="Rule 1",
        classification_justification="Non-invasive.",
    )


def effective_document(cast, title, body="Text.", doc_type="procedure"):
    """A controlled document with revision A in force (author → reviewer → approver)."""
    draft = documents.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code=doc_type),
        title=title,
        clauses=["8.2.2"],
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
