"""Retention asks which devices a record concerns, with their dates (core.modules
.devices_of): a device itself, a medical device file, and the documents filed in it."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import modules
from openqms.core.modules import DeviceDates
from openqms.devices import actions

from .conftest import effective_document, make_device, section

PLACED = timezone.localdate() - dt.timedelta(days=100)


@pytest.mark.verifies("DEV-017")
def test_a_device_and_its_family_file_and_filed_documents_give_its_dates(cast, family):
    device = make_device(cast, family)
    actions.take_step(actor=cast.qa_lead, device=device, step="place", on=PLACED)
    sop = effective_document(cast, "Software release")
    entry = actions.add_file_document(
        actor=cast.qa_lead, family=family, section=section("manufacturing"), document=sop
    )
    expected = [
        DeviceDates(
            device="RhythmCheck 2.1",
            released=PLACED,
            last_placed=None,
            support_ended=None,
            lifetime_years=5,
        )
    ]
    assert modules.devices_of("devices.device", [str(device.pk)]) == {str(device.pk): expected}
    assert modules.devices_of("devices.file", [str(family.pk)]) == {str(family.pk): expected}
    assert modules.devices_of("documents.document", [str(sop.pk), "999"]) == {str(sop.pk): expected}
    # A document once filed stays technical documentation of the family's devices.
    actions.remove_file_document(actor=cast.qa_lead, entry=entry, reason="Moved")
    assert modules.devices_of("documents.document", [str(sop.pk)]) == {str(sop.pk): expected}
    assert modules.devices_of("documents.revision", [str(sop.pk)]) == {}


@pytest.mark.verifies("DEV-022")
def test_the_lookup_takes_a_constant_number_of_queries(cast, family, django_assert_max_num_queries):
    sops = [effective_document(cast, f"Procedure {i}") for i in range(3)]
    for sop in sops:
        actions.add_file_document(
            actor=cast.qa_lead, family=family, section=section("labels"), document=sop
        )
    make_device(cast, family)
    make_device(cast, family, name="Other")
    with django_assert_max_num_queries(2):
        found = modules.devices_of("documents.document", [str(s.pk) for s in sops])
    assert len(found) == 3 and all(len(v) == 2 for v in found.values())


@pytest.mark.verifies("DEV-017")
def test_the_register_declares_its_record_classes(db):
    # db: the classes include document control's, one per document type (rows).
    classes = {c.code: c for c in modules.record_classes()}
    assert classes["devices.device"].counted_from == "last_placed"
    assert classes["devices.file"].minimum_years == 10
    assert classes["devices.file"].model == "qms.DeviceFamily"  # the file is the family's
