"""Device families are defined, edited and retired by who holds qms.family:manage; each
change is audited old → new and each refusal writes nothing."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.qms.actions.families import create_family, edit_family, retire_family
from openqms.qms.models import DeviceFamily
from openqms.testing import changes_of, event_count, last_event


@pytest.fixture
def family(cast):
    return create_family(actor=cast.qa_lead, code="hr-sw", name="Rhythm analysis software")


@pytest.mark.verifies("QMS-022")
def test_a_family_is_defined_edited_and_retired(cast, family):
    assert family.code == "HR-SW"
    edit_family(
        actor=cast.qa_lead, family=family, code="HR-SW", name="Rhythm software", description="SaMD"
    )
    event = last_event()
    assert (event.action, event.object_type) == ("qms.family.saved", "qms.devicefamily")
    assert changes_of(event) == {
        "name": ["Rhythm analysis software", "Rhythm software"],
        "description": ["", "SaMD"],
    }
    retire_family(actor=cast.qa_lead, family=family, reason="Merged into HR")
    event = last_event()
    assert event.action == "qms.family.retired"
    assert (changes_of(event), event.reason) == ({"retired": [False, True]}, "Merged into HR")
    assert DeviceFamily.objects.get(pk=family.pk).retired


def test_the_creation_event_records_every_field(cast):
    create_family(actor=cast.qa_lead, code="HR-ACC", name="ECG patch accessories")
    assert changes_of(last_event()) == {
        "code": [None, "HR-ACC"],
        "name": [None, "ECG patch accessories"],
        "description": [None, ""],
    }


@pytest.mark.verifies("QMS-022")
@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c, f: create_family(actor=c.author, code="X", name="X"), PermissionRefused),
        (lambda c, f: create_family(actor=c.qa_lead, code="hr-SW", name="X"), InvalidInput),
        (lambda c, f: create_family(actor=c.qa_lead, code="HR SW", name="X"), InvalidInput),
        (lambda c, f: create_family(actor=c.qa_lead, code="X", name="\x00"), InvalidInput),
        (
            lambda c, f: edit_family(actor=c.qa_lead, family=f, code="HR-SW", name=f.name),
            InvalidInput,
        ),
        (
            lambda c, f: edit_family(actor=c.manager, family=f, code="A", name="B"),
            PermissionRefused,
        ),
        (lambda c, f: retire_family(actor=c.qa_lead, family=f, reason=" "), InvalidInput),
        (lambda c, f: retire_family(actor=c.auditor, family=f, reason="x"), PermissionRefused),
    ],
)
def test_refusals_change_nothing(cast, family, call, error):
    before = event_count()
    with pytest.raises(error):
        call(cast, family)
    assert event_count() == before
    assert list(DeviceFamily.objects.values_list("code", "name", "retired_at")) == [
        ("HR-SW", "Rhythm analysis software", None)
    ]


def test_a_retired_family_is_neither_edited_nor_retired_again(cast, family):
    retire_family(actor=cast.qa_lead, family=family, reason="Gone")
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        retire_family(actor=cast.qa_lead, family=family, reason="Again")
    with pytest.raises(TransitionNotAllowed):
        edit_family(actor=cast.qa_lead, family=family, code="HR-SW", name="New")
    assert event_count() == before
