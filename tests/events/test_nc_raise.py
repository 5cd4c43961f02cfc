"""Raising a nonconformity: anyone who logs quality events may; bad input names the
field and writes nothing; the records it comes from are linked."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.core.links import linked
from openqms.events.actions import nonconformance as nc_actions
from openqms.events.models import Nonconformity
from openqms.testing import changes_of, event_count, last_event

from .complaints_setup import open_complaint
from .nc_steps import make_supplier, raised


@pytest.mark.verifies("EVT-025")
def test_an_author_raises_a_supplier_nonconformity_with_a_number_and_one_event(cast):
    supplier = make_supplier(cast)
    nc = raised(cast, supplier=supplier)
    assert nc.number.startswith("NC-") and nc.state == "raised"
    assert nc.supplier == supplier and nc.opened_by == cast.author
    event = last_event()
    assert event.action == "events.nonconformity.raised"
    assert event.object_id == str(nc.pk)
    changes = changes_of(event)
    assert changes["number"] == [None, nc.number]
    assert changes["supplier"] == [None, "Medipatch Adhesives Ltd"]
    assert changes["source"] == [None, "incoming_goods"]


@pytest.mark.verifies("EVT-025")
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"source": "weather"}, "source"),
        ({"description": " "}, "description"),
        ({"requirement": ""}, "requirement"),
        ({"quantity": "many"}, "quantity"),
        ({"source": "incoming_goods"}, "supplier"),
        ({"device": 999999}, "device"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(cast, fields, field):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        raised(cast, **fields)
    assert field in refused.value.fields
    assert event_count() == before and not Nonconformity.objects.exists()


@pytest.mark.verifies("EVT-025")
def test_a_supplier_is_named_only_for_incoming_goods_or_a_supplier(cast):
    supplier = make_supplier(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        raised(cast, supplier=supplier, source="production")
    assert "supplier" in refused.value.fields and event_count() == before


@pytest.mark.verifies("EVT-025", refusal=True)
def test_an_outsider_cannot_raise_one(cast):
    before = event_count()
    with pytest.raises(PermissionRefused):
        nc_actions.raise_nonconformity(
            actor=cast.outsider, title="x", source="other", description="x", requirement="x"
        )
    assert event_count() == before and not Nonconformity.objects.exists()


@pytest.mark.verifies("EVT-025")
def test_a_nonconformity_raised_from_a_complaint_is_linked_to_it(cast, device):
    first = open_complaint(cast, device)
    second = raised(cast, title="Second", sources=[f"events.complaint:{first.pk}"])
    assert [link.key for link in linked(cast.auditor, second)] == [
        ("events.complaint", str(first.pk))
    ]
