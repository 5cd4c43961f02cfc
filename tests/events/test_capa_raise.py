"""Raising a CAPA: anyone who logs quality events may; it is linked "raised" from the
records it comes from and keeps its typed references; bad input writes nothing."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.core.links import key_of
from openqms.core.models import RecordLink
from openqms.events.actions import capa as actions
from openqms.events.models import Capa, CapaReference
from openqms.testing import changes_of, event_count, events_since

from .complaints_setup import open_complaint


@pytest.mark.verifies("EVT-032")
def test_an_author_raises_a_capa_with_a_number_and_an_audit_event(cast):
    before = event_count()
    capa = actions.raise_capa(
        actor=cast.author,
        title="Peel strength drift",
        capa_type="preventive",
        problem="Peel strength trending down.",
        references=[("audit_finding", "AUD-2026-03 finding 2")],
    )
    assert capa.number.startswith("CAPA-") and capa.state == "open"
    assert capa.owner == cast.author and capa.opened_by == cast.author
    [event] = events_since(before)
    assert event.action == "events.capa.raised" and event.object_id == str(capa.pk)
    changes = changes_of(event)
    assert changes["title"] == [None, "Peel strength drift"]
    assert changes["references"] == [None, ["audit_finding: AUD-2026-03 finding 2"]]
    assert CapaReference.objects.get(capa=capa).reference == "AUD-2026-03 finding 2"


@pytest.mark.verifies("EVT-032")
def test_a_capa_raised_from_a_complaint_is_linked_from_it(cast, device):
    source = open_complaint(cast, device)
    before = event_count()
    capa = actions.raise_capa(
        actor=cast.qa_lead,
        title="Follow-up",
        capa_type="corrective",
        problem="Same again.",
        sources=["{}:{}".format(*key_of(source))],
    )
    assert [e.action for e in events_since(before)] == ["events.capa.raised", "core.link.added"]
    link = RecordLink.objects.get(kind="raised")
    assert (link.from_type, link.from_id) == ("events.complaint", str(source.pk))
    assert (link.to_type, link.to_id) == ("events.capa", str(capa.pk))


@pytest.mark.verifies("EVT-032")
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"capa_type": "both"}, "capa_type"),
        ({"problem": ""}, "problem"),
        ({"references": [("rumour", "x")]}, "reference_kind"),
        ({"sources": ["nonsense"]}, "link"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(cast, fields, field):
    before = event_count()
    data = {"title": "T", "capa_type": "corrective", "problem": "P", **fields}
    with pytest.raises(InvalidInput) as refused:
        actions.raise_capa(actor=cast.qa_lead, **data)
    assert field in refused.value.fields
    assert event_count() == before and not Capa.objects.exists()


@pytest.mark.verifies("EVT-032")
@pytest.mark.parametrize("who", ["auditor", "outsider"])
def test_readers_and_outsiders_cannot_raise_a_capa(cast, who):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.raise_capa(actor=getattr(cast, who), title="T", capa_type="corrective", problem="P")
    assert event_count() == before and not Capa.objects.exists()
