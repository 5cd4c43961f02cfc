"""Editing a draft scope: every field audited old → new; bad input refused naming the
field, nothing changed and no event."""

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.qms.actions import scope as actions
from openqms.qms.models import ScopeVersion
from openqms.testing import changes_of, event_count, last_event

from .scope_world import STERILE, approved, drafted, family, process, site

pytestmark = pytest.mark.django_db


def _edit(cast, scope, **overrides):
    values = {
        "statement": "Rhythm analysis software.",
        "sites": [],
        "families": [],
        "processes": [],
        "exclusions": [STERILE],
    }
    return actions.edit_scope(actor=cast.qa_lead, scope=scope, **{**values, **overrides})


@pytest.mark.verifies("QMS-004")
def test_an_edit_records_each_change_old_and_new(cast):
    scope = drafted(cast)
    london, sw, design = site(), family("HR-SW"), process(cast, "P-DES")
    _edit(
        cast,
        scope,
        statement="Software and accessories.",
        sites=[london],
        families=[sw],
        processes=[design],
        change_summary="Adds London",
    )
    event = last_event()
    assert event.action == "qms.scope.edited"
    assert changes_of(event) == {
        "statement": ["Rhythm analysis software.", "Software and accessories."],
        "sites": [[], ["London"]],
        "families": [[], ["HR-SW Family HR-SW"]],
        "processes": [[], ["P-DES Process P-DES"]],
        "change_summary": ["", "Adds London"],
    }


def test_saving_the_same_content_writes_no_event(cast):
    scope = drafted(cast)
    before = event_count()
    _edit(cast, scope)
    assert event_count() == before


@pytest.mark.verifies("QMS-004", refusal=True)
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"statement": "  "}, "statement"),
        ({"statement": "bad\x00text"}, "statement"),
        ({"exclusions": [actions.Exclusion("seven", "excluded", "x", "y")]}, "exclusions"),
        ({"exclusions": [actions.Exclusion("7.5.7", "maybe", "x", "y")]}, "exclusions"),
        ({"exclusions": [STERILE, STERILE]}, "exclusions"),
        ({"exclusions": [actions.Exclusion("7.5.7", "excluded", "x", " ")]}, "justification"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, overrides, field):
    scope = drafted(cast)
    content = scope.content()
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        _edit(cast, scope, **overrides)
    assert field in refused.value.fields
    assert ScopeVersion.objects.get().content() == content
    assert event_count() == before


def test_a_retired_family_cannot_join_the_scope(cast):
    from django.utils import timezone

    old = family("OLD")
    old.retired_at = timezone.now()
    old.save()
    scope = drafted(cast)
    before = event_count()
    with pytest.raises(InvalidInput, match="retired"):
        _edit(cast, scope, families=[old])
    assert event_count() == before


@pytest.mark.verifies("QMS-004", refusal=True)
def test_only_a_draft_can_be_edited(cast):
    scope = approved(cast, drafted(cast))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Only a draft"):
        _edit(cast, scope, statement="Changed after signing")
    assert ScopeVersion.objects.get().statement == "Rhythm analysis software."
    assert event_count() == before
