import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.suppliers import actions
from openqms.suppliers.models import Supplier
from openqms.testing import changes_of, event_count, last_event

from .conftest import supplier_fields


@pytest.mark.verifies("SUP-001")
def test_a_qa_lead_adds_a_supplier_as_new_with_the_whole_record_audited(cast):
    supplier = actions.create_supplier(actor=cast.qa_lead, **supplier_fields())
    assert (supplier.status, supplier.next_evaluation) == ("new", None)
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        "suppliers.supplier.created",
        "suppliers.supplier",
        str(supplier.pk),
    )
    assert changes_of(event) == {k: [None, v] for k, v in supplier_fields().items()} | {
        "status": [None, "new"]
    }


@pytest.mark.verifies("SUP-002")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"criticality": "huge"}, "criticality"),
        ({"category": ""}, "category"),
        ({"criticality_rationale": ""}, "criticality_rationale"),
        ({"supplies": "bad\x00text"}, "supplies"),
        ({"email": "not an email"}, "email"),
    ],
)
def test_bad_input_names_the_field_and_adds_nothing(cast, overrides, field):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.create_supplier(actor=cast.qa_lead, **supplier_fields(**overrides))
    assert field in refused.value.fields
    assert not Supplier.objects.exists() and event_count() == before


@pytest.mark.verifies("SUP-002")
def test_a_second_supplier_with_the_same_name_is_refused(cast, supplier):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.create_supplier(
            actor=cast.qa_lead, **supplier_fields(name="kestrel embedded engineering ltd")
        )
    assert "name" in refused.value.fields
    assert Supplier.objects.count() == 1 and event_count() == before


@pytest.mark.verifies("SUP-003", refusal=True)
def test_someone_without_the_permission_cannot_add_or_edit(cast, supplier):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.create_supplier(actor=cast.author, **supplier_fields(name="Other Ltd"))
    with pytest.raises(PermissionRefused):
        actions.edit_supplier(actor=cast.auditor, supplier=supplier, name="Renamed")
    supplier.refresh_from_db()
    assert supplier.name == "Kestrel Embedded Engineering Ltd" and event_count() == before


@pytest.mark.verifies("SUP-005")
def test_an_edit_records_only_what_changed_and_why(cast, supplier):
    actions.edit_supplier(
        actor=cast.qa_lead, supplier=supplier, criticality="major", reason="Second source found"
    )
    event = last_event()
    assert (event.action, changes_of(event), event.reason) == (
        "suppliers.supplier.edited",
        {"criticality": ["critical", "major"]},
        "Second source found",
    )


@pytest.mark.verifies("SUP-006")
def test_a_retired_supplier_keeps_its_record_and_cannot_be_edited(cast, supplier):
    actions.retire_supplier(actor=cast.qa_lead, supplier=supplier, reason="No longer used")
    event = last_event()
    assert (event.action, changes_of(event)["retire_reason"], event.reason) == (
        "suppliers.supplier.retired",
        ["", "No longer used"],
        "No longer used",
    )
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.edit_supplier(actor=cast.qa_lead, supplier=supplier, name="Renamed")
    with pytest.raises(TransitionNotAllowed):
        actions.retire_supplier(actor=cast.qa_lead, supplier=supplier, reason="Again")
    assert Supplier.objects.get().name == supplier.name and event_count() == before


@pytest.mark.verifies("SUP-006")
def test_retiring_needs_a_reason(cast, supplier):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.retire_supplier(actor=cast.qa_lead, supplier=supplier, reason=" ")
    assert "reason" in refused.value.fields
    assert Supplier.objects.get().retired_at is None and event_count() == before
