"""A new version starts as a copy of the one in force; only one is prepared at a time,
and the database keeps one in force."""

import pytest
from django.db import IntegrityError, transaction

from openqms.core.errors import TransitionNotAllowed
from openqms.qms.actions import scope as actions
from openqms.qms.models import ScopeState, ScopeVersion
from openqms.testing import changes_of, event_count, last_event

from .scope_world import STERILE, drafted, family, in_force, site

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-005")
def test_a_new_version_copies_the_scope_in_force(cast):
    london = site()
    sw = family("HR-SW")
    v1 = actions.edit_scope(
        actor=cast.qa_lead,
        scope=actions.start_scope_version(actor=cast.qa_lead),
        statement="Software.",
        sites=[london],
        families=[sw],
        processes=[],
        exclusions=[STERILE],
    )
    v1 = in_force(cast, v1)
    v2 = actions.start_scope_version(actor=cast.qa_lead)
    assert v2.number == 2 and v2.state == ScopeState.DRAFT
    assert v2.content() == v1.content()
    changes = changes_of(last_event())
    assert changes["copied_from"] == [None, 1]
    assert changes["families"] == [None, ["HR-SW Family HR-SW"]]


def test_a_second_draft_is_refused_while_one_is_prepared(cast):
    drafted(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="already being prepared"):
        actions.start_scope_version(actor=cast.qa_lead)
    assert ScopeVersion.objects.count() == 1
    assert event_count() == before


@pytest.mark.verifies("QMS-005", refusal=True)
def test_the_database_refuses_two_open_versions(cast):
    scope = drafted(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScopeVersion.objects.create(
            number=2,
            state=ScopeState.APPROVED,
            statement="x",
            created_by=cast.qa_lead,
            created_at=scope.created_at,
        )


@pytest.mark.verifies("QMS-005", refusal=True)
def test_the_database_refuses_two_versions_in_force(cast):
    scope = in_force(cast, drafted(cast))
    with pytest.raises(IntegrityError), transaction.atomic():
        ScopeVersion.objects.create(
            number=2,
            state=ScopeState.IN_FORCE,
            statement="x",
            created_by=cast.qa_lead,
            created_at=scope.created_at,
        )


def test_someone_without_the_edit_permission_cannot_start_a_version(cast):
    from openqms.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        actions.start_scope_version(actor=cast.author)
    assert not ScopeVersion.objects.exists()
