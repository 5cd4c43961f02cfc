"""Who may see health data by default, and the confidentiality class of a record."""

import pytest

from openqms.core import confidentiality
from openqms.core.models import Role
from openqms.core.modules import Module, RecordClass, temporarily
from openqms.core.registry import HEALTH_DATA_READ, permissions
from tests.core.health_data import PATIENT, specimen_with_patient


def test_only_the_qa_lead_role_holds_the_grant_on_a_fresh_instance(db):
    holders = [r.code for r in Role.objects.all() if HEALTH_DATA_READ in r.permissions]
    assert holders == ["qa_lead"]
    assert permissions.label(HEALTH_DATA_READ) == (
        "See health data: patient details in complaints and incidents"
    )


def test_the_cast_sees_health_data_only_as_qa_lead(cast):
    people = [cast.admin, cast.qa_lead, cast.author, cast.auditor, cast.manager, cast.outsider]
    assert [confidentiality.may_see(p) for p in people] == [False, True, False, False, False, False]
    assert not confidentiality.may_see(None)


def test_a_record_with_health_fields_is_of_the_health_class(db):
    assert confidentiality.class_of("testapp.specimen") == "health"
    assert confidentiality.class_of("core.user") == "internal"


def test_a_record_class_declares_confidential(db):
    classes = [RecordClass("sample.note", "Notes", "sample.note", confidentiality="confidential")]
    with temporarily(Module(label="sample", record_classes=lambda: classes)):
        assert confidentiality.class_of("sample.note") == "confidential"


def test_reveal_refuses_a_field_the_module_never_declared(cast):
    specimen = specimen_with_patient(cast)
    with pytest.raises(ValueError, match="declares no health data"):
        confidentiality.reveal(cast.qa_lead, specimen, ["body"])
    assert confidentiality.reveal(cast.author, specimen) == {
        "patient_details": confidentiality.HIDDEN
    }
    assert confidentiality.reveal(cast.qa_lead, specimen) == {"patient_details": PATIENT}


def test_masking_hides_pairs_and_values_and_leaves_other_fields(db):
    changes = {"patient_details": ["a", "b"], "body": ["x", "y"], "notes": "c"}
    assert confidentiality.mask_changes(changes, ["patient_details", "notes"]) == {
        "patient_details": [confidentiality.HIDDEN, confidentiality.HIDDEN],
        "body": ["x", "y"],
        "notes": confidentiality.HIDDEN,
    }
