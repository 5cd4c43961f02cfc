import datetime as dt
import io

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.suppliers import actions
from openqms.suppliers.models import PerformanceRecord, SupplierCertificate
from openqms.testing import changes_of, event_count, last_event

from .conftest import today


def _certificate(cast, supplier, **overrides):
    fields = {
        "kind": "iso13485",
        "number": "MD 712345",
        "issuer": "BSI",
        "expires_on": today() + dt.timedelta(days=365),
    }
    return actions.add_certificate(actor=cast.qa_lead, supplier=supplier, **(fields | overrides))


@pytest.mark.verifies("SUP-015")
def test_a_certificate_is_added_with_its_file_and_audited(cast, supplier):
    cert = _certificate(
        cast, supplier, file_name="iso.pdf", file_content=io.BytesIO(b"%PDF-1.4 certificate")
    )
    event = last_event()
    assert (event.action, event.object_id) == ("suppliers.certificate.added", str(cert.pk))
    changes = changes_of(event)
    assert changes["number"] == [None, "MD 712345"]
    assert changes["file"] == [None, cert.file.sha256]
    assert cert.file_name == "iso.pdf"


@pytest.mark.verifies("SUP-015")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "iso1"}, "kind"),
        ({"number": ""}, "number"),
        ({"expires_on": "31/12/2030"}, "expires_on"),
        ({"kind": "other", "title": ""}, "title"),
    ],
)
def test_bad_certificate_input_names_the_field(cast, supplier, overrides, field):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        _certificate(cast, supplier, **overrides)
    assert field in refused.value.fields
    assert not SupplierCertificate.objects.exists() and event_count() == before


@pytest.mark.verifies("SUP-015")
def test_a_certificate_is_retired_once_with_a_reason(cast, supplier):
    cert = _certificate(cast, supplier)
    actions.retire_certificate(actor=cast.qa_lead, certificate=cert, reason="Superseded")
    assert last_event().action == "suppliers.certificate.retired"
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.retire_certificate(actor=cast.qa_lead, certificate=cert, reason="Again")
    assert event_count() == before


@pytest.mark.verifies("SUP-016")
def test_performance_is_recorded_with_its_rates(cast, supplier):
    record = actions.record_performance(
        actor=cast.qa_lead,
        supplier=supplier,
        period_start="2026-01-01",
        period_end="2026-03-31",
        deliveries_on_time=9,
        deliveries_total=12,
        lots_received=10,
        lots_rejected=1,
    )
    assert (record.on_time_rate, record.rejection_rate, record.source) == (75, 10, "manual")
    event = last_event()
    assert (event.action, changes_of(event)["deliveries_on_time"]) == (
        "suppliers.performance.recorded",
        [None, 9],
    )


@pytest.mark.verifies("SUP-016")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"period_end": "2025-12-31"}, "period_end"),
        ({"deliveries_on_time": 13}, "deliveries_on_time"),
        ({"lots_rejected": 11}, "lots_rejected"),
        ({"lots_received": -1}, "lots_received"),
        ({"source": "rumour"}, "source"),
    ],
)
def test_impossible_performance_figures_are_refused(cast, supplier, overrides, field):
    fields = {
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "deliveries_on_time": 9,
        "deliveries_total": 12,
        "lots_received": 10,
        "lots_rejected": 1,
    }
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.record_performance(actor=cast.qa_lead, supplier=supplier, **(fields | overrides))
    assert field in refused.value.fields
    assert not PerformanceRecord.objects.exists() and event_count() == before


@pytest.mark.verifies("SUP-016")
def test_a_wrong_performance_record_is_withdrawn_not_deleted(cast, supplier):
    record = actions.record_performance(
        actor=cast.qa_lead, supplier=supplier, period_start="2026-01-01", period_end="2026-01-31"
    )
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.withdraw_performance(actor=cast.author, record=record, reason="x")
    assert event_count() == before
    actions.withdraw_performance(actor=cast.qa_lead, record=record, reason="Typed twice")
    assert last_event().action == "suppliers.performance.withdrawn"
    assert PerformanceRecord.objects.get().withdraw_reason == "Typed twice"
