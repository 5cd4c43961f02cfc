"""Legal holds and signed disposal work for every installed record class (ISO 13485
4.2.5), whatever model keeps its records: a medical device file is its family's row."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import modules
from openqms.core.actions.retention import dispose_record, place_hold, record_model
from openqms.core.demo import DEMO_PASSWORD, seed_demo
from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import RecordDisposition, RecordHold, User
from openqms.core.signatures import Credentials
from openqms.testing import changes_of, event_count, last_event

pytestmark = pytest.mark.django_db


def _qa_lead():
    """The demo's QA lead (the demo names its own people; the cast would clash)."""
    seed_demo()  # a record of every class
    return User.objects.get(username="qa")


def _first_pk(cls):
    model = record_model(cls.model or cls.object_type)
    return str(model._default_manager.order_by("pk").values_list("pk", flat=True)[0])


def test_a_hold_is_placed_on_a_record_of_every_installed_class():
    qa_lead = _qa_lead()
    classes = modules.record_classes()
    assert {"devices.file", "qms.scope", "training.assignment"} <= {c.code for c in classes}
    for cls in classes:
        if cls.own_controls:  # documents keep their own holds; core's refuse, saying so
            before = event_count()
            with pytest.raises(TransitionNotAllowed, match="the module's page"):
                place_hold(actor=qa_lead, code=cls.code, object_id="1", reason="Case 7")
            assert event_count() == before
            continue
        object_id = _first_pk(cls)
        hold = place_hold(actor=qa_lead, code=cls.code, object_id=object_id, reason="Case 7")
        placed = last_event()
        assert (hold.object_type, hold.object_id) == (cls.object_type, object_id), cls.code
        assert (placed.action, placed.object_type, placed.object_id) == (
            "core.hold.placed",
            cls.object_type,
            object_id,
        )
        assert changes_of(placed) == {"hold": [None, hold.pk], "record_class": cls.code}
    generic = [c for c in classes if not c.own_controls]
    assert RecordHold.objects.filter(released_at__isnull=True).count() == len(generic)


def test_a_record_whose_retention_ran_out_is_disposed_of_and_a_held_one_kept(monkeypatch):
    qa_lead = _qa_lead()
    held, free = record_model("qms.certificate")._default_manager.order_by("pk")[:2]
    place_hold(actor=qa_lead, code="qms.certificate", object_id=str(held.pk), reason="Case")
    # Forty years on: both certificates expired long ago, past their 15 years.
    real = timezone.localdate
    later = real() + dt.timedelta(days=365 * 40)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, tz=None: later if value is None else real(value)
    )
    sign = Credentials(DEMO_PASSWORD)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="under a legal hold"):
        dispose_record(
            actor=qa_lead,
            code="qms.certificate",
            object_id=str(held.pk),
            reason="Retention over",
            credentials=sign,
        )
    assert event_count() == before and not RecordDisposition.objects.exists()
    disposition = dispose_record(
        actor=qa_lead,
        code="qms.certificate",
        object_id=str(free.pk),
        reason="Retention over",
        credentials=sign,
    )
    disposed = last_event()
    assert (disposition.object_type, disposition.object_id) == ("qms.certificate", str(free.pk))
    assert disposition.retention_ended == free.expires_on.replace(year=free.expires_on.year + 15)
    assert (disposed.action, disposed.object_type, disposed.object_id) == (
        "core.record.disposed",
        "qms.certificate",
        str(free.pk),
    )


def test_a_medical_device_file_is_found_through_its_family():
    qa_lead = _qa_lead()
    family = record_model("qms.DeviceFamily")._default_manager.order_by("pk").first()
    hold = place_hold(actor=qa_lead, code="devices.file", object_id=str(family.pk), reason="Case 9")
    assert (hold.object_type, hold.object_id, hold.record_class) == (
        "devices.file",
        str(family.pk),
        "devices.file",
    )
