"""The audit trail names the register's records as people say them and links to them."""

import pytest

from openqms.core import modules
from openqms.devices import actions
from openqms.devices.models import CeRecognition

from .conftest import effective_document, section


def _named(signed_in, viewer, action):
    page = signed_in(viewer).get("/audit/", {"action": action})
    return [(r.record.label, r.record.url, r.readable) for r in page.context["rows"]]


@pytest.mark.verifies("DEV-018")
def test_a_device_a_file_and_a_family_are_named(signed_in, cast, family, device):
    assert _named(signed_in, cast.auditor, "devices.device.created") == [
        ("Device RhythmCheck 2.1", f"/devices/{device.pk}/", True)
    ]
    sop = effective_document(cast, "Software release")
    actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("manufacturing"), document=sop
    )
    assert _named(signed_in, cast.auditor, "devices.file.document_added") == [
        ("Medical device file HR-SW", "/devices/families/HR-SW/#file", True)
    ]
    assert _named(signed_in, cast.auditor, "qms.family.saved") == [
        ("Device family HR-SW Rhythm analysis software", "/qms/families/", True)
    ]


@pytest.mark.verifies("DEV-022")
def test_the_names_take_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    row = CeRecognition.objects.get(code="eu_mdd")
    keys = [("devices.device", "1"), ("devices.file", "2"), ("devices.cerecognition", str(row.pk))]
    with django_assert_max_num_queries(3):
        found = modules.record_refs(cast.auditor, keys)
    assert found[("devices.cerecognition", str(row.pk))].label.startswith("CE recognition")
