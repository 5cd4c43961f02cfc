"""Adding, changing and retiring processes: every change audited old → new."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.qms.actions.processes import edit_process, retire_process
from openqms.qms.models import Process, ProcessKPI
from openqms.testing import changes_of, event_count, last_event

from .process_helpers import KPI, fields, make_process


@pytest.mark.verifies("QMS-014")
def test_a_new_process_records_every_field_in_one_event(cast):
    before = event_count()
    process = make_process(cast, kpis=[KPI("Reviews on time", "100%", "Review list", "Monthly")])
    assert event_count() == before + 1
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "qms.process.saved",
        "qms.process",
        str(process.pk),
    )
    assert changes_of(event) == {
        "code": [None, "PR-01"],
        "name": [None, "Document control"],
        "owner": [None, "qa-lead"],
        "purpose": [None, "Keep documents under control."],
        "inputs": [None, ""],
        "outputs": [None, ""],
        "risk": [None, "medium"],
        "risk_rationale": [None, ""],
        "monitoring": [None, ""],
        "outsourced": [None, False],
        "feeds": [None, []],
        "documents": [None, []],
        "kpis": [None, ["Reviews on time | 100% | Review list | Monthly"]],
    }


@pytest.mark.verifies("QMS-014")
def test_an_edit_records_old_and_new_values_lists_included(cast):
    other = make_process(cast, "PR-02", "CAPA")
    process = make_process(cast, kpis=[KPI("Old KPI")])
    edit_process(
        actor=cast.qa_lead,
        process=process,
        feeds=[other],
        kpis=[KPI("New KPI", "5")],
        reason="Map the links",
        **fields(cast, risk="high", owner=cast.author),
    )
    event = last_event()
    assert event.reason == "Map the links"
    assert changes_of(event) == {
        "owner": ["qa-lead", "author"],
        "risk": ["medium", "high"],
        "feeds": [[], ["PR-02"]],
        "kpis": [["Old KPI"], ["New KPI | 5"]],
    }
    assert list(other.fed_by.all()) == [process]
    kept = ProcessKPI.objects.filter(process=process)
    assert [(k.name, k.retired_at is None) for k in kept] == [("Old KPI", False), ("New KPI", True)]


def test_a_process_cannot_feed_itself_and_nothing_changes(cast):
    process = make_process(cast)
    before = event_count()
    with pytest.raises(InvalidInput, match="cannot feed itself") as refused:
        edit_process(actor=cast.qa_lead, process=process, feeds=[process], **fields(cast))
    assert refused.value.fields == {"feeds": "Itself."}
    assert event_count() == before
    assert not process.feeds.exists()


@pytest.mark.parametrize("code", ["PR-01", "pr-01"])
def test_codes_are_unique_whatever_the_case(cast, code):
    make_process(cast)
    before = event_count()
    with pytest.raises(InvalidInput, match="Another process has the code") as refused:
        make_process(cast, code=code, name="Second")
    assert refused.value.fields == {"code": "Taken."}
    assert event_count() == before
    assert Process.objects.count() == 1


def test_the_owner_must_be_an_active_user(cast):
    cast.author.is_active = False
    cast.author.save(update_fields=["is_active"])
    before = event_count()
    with pytest.raises(InvalidInput, match="not an active user"):
        make_process(cast, owner=cast.author)
    assert event_count() == before
    assert not Process.objects.exists()


@pytest.mark.verifies("QMS-014")
@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("name", "", "Give the name"),
        ("purpose", "  ", "Give the purpose"),
        ("code", "PR 1", "no spaces"),
        ("risk", "extreme", "Choose the risk"),
        ("name", "bad\x00name", "name"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, field, value, problem):
    before = event_count()
    with pytest.raises(InvalidInput, match=problem):
        make_process(cast, **{field: value})
    assert event_count() == before
    assert not Process.objects.exists()


@pytest.mark.verifies("QMS-014")
def test_only_process_managers_change_the_register(cast):
    process = make_process(cast)
    before = event_count()
    with pytest.raises(PermissionRefused):
        retire_process(actor=cast.author, process=process, reason="No")
    with pytest.raises(PermissionRefused):
        edit_process(actor=cast.auditor, process=process, **fields(cast, name="Changed"))
    assert event_count() == before
    process.refresh_from_db()
    assert (process.name, process.retired_at) == ("Document control", None)


def test_an_edit_that_changes_nothing_is_refused(cast):
    process = make_process(cast)
    before = event_count()
    with pytest.raises(InvalidInput, match="Nothing was changed"):
        edit_process(actor=cast.qa_lead, process=process, **fields(cast))
    assert event_count() == before


@pytest.mark.verifies("QMS-014")
def test_a_retired_process_stays_readable_and_cannot_change(cast):
    process = make_process(cast)
    retire_process(actor=cast.qa_lead, process=process, reason="Merged into PR-02")
    event = last_event()
    assert (event.action, event.reason) == ("qms.process.retired", "Merged into PR-02")
    assert changes_of(event)["retired_at"][0] is None
    process.refresh_from_db()
    assert process.retired and process.retire_reason == "Merged into PR-02"
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        edit_process(actor=cast.qa_lead, process=process, **fields(cast, name="Again"))
    with pytest.raises(TransitionNotAllowed):
        retire_process(actor=cast.qa_lead, process=process, reason="Twice")
    assert event_count() == before


def test_a_retired_process_cannot_be_fed(cast):
    old = make_process(cast, "PR-09", "Old")
    retire_process(actor=cast.qa_lead, process=old, reason="Gone")
    before = event_count()
    with pytest.raises(InvalidInput, match="retired"):
        make_process(cast, feeds=[old])
    assert event_count() == before
