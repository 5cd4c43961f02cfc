"""Marking the scope in force certified: who, what and when are audited; refusals change
nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.qms.actions import scope as actions
from openqms.qms.models import Certificate, ScopeVersion
from openqms.testing import changes_of, event_count, last_event

from .scope_world import certificate, drafted, in_force

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-006")
def test_the_qa_lead_marks_the_scope_in_force_certified(cast):
    scope = in_force(cast, drafted(cast))
    cert = certificate()
    day = timezone.localdate()
    scope = actions.mark_scope_certified(
        actor=cast.qa_lead, scope=scope, certificate=cert, certified_on=day
    )
    assert (scope.certificate, scope.certified_on) == (cert, day)
    event = last_event()
    assert event.action == "qms.scope.certified"
    assert changes_of(event) == {
        "certificate": [None, "ISO 13485 QMS certificate Q-1"],
        "certificate_id": [None, cert.pk],
        "certified_on": [None, day.isoformat()],
    }


CASES = [
    "draft",
    "future",
    "backdated",
    "twice",
    "permission",
    "retired",
    "withdrawn_since",
    "product_certificate",
]


@pytest.mark.verifies("QMS-006", refusal=True)
@pytest.mark.parametrize("case", CASES)
def test_refusals_change_nothing(cast, case):
    cert = certificate()
    scope = drafted(cast) if case == "draft" else in_force(cast, drafted(cast))
    day, actor = timezone.localdate(), cast.qa_lead
    if case == "twice":
        actions.mark_scope_certified(actor=actor, scope=scope, certificate=cert, certified_on=day)
    if case == "future":
        day += dt.timedelta(days=1)
    if case == "backdated":  # before the version was put in force (today)
        day -= dt.timedelta(days=1)
    if case == "permission":
        actor = cast.manager
    if case == "retired":
        cert.retired_at = timezone.now()
        cert.save()
    if case == "product_certificate":  # a UKCA certificate is about devices, not the QMS
        cert.kind = "ukca"
        cert.save()
    if case == "withdrawn_since":  # the page's certificate is stale: re-read under the lock
        Certificate.objects.filter(pk=cert.pk).update(retired_at=timezone.now())
    row = ScopeVersion.objects.values("certified_on", "certificate").get()
    before = event_count()
    expected = {
        "draft": TransitionNotAllowed,
        "twice": TransitionNotAllowed,
        "future": InvalidInput,
        "retired": InvalidInput,
        "backdated": InvalidInput,
        "withdrawn_since": InvalidInput,
        "product_certificate": InvalidInput,
        "permission": PermissionRefused,
    }[case]
    with pytest.raises(expected):
        actions.mark_scope_certified(actor=actor, scope=scope, certificate=cert, certified_on=day)
    assert ScopeVersion.objects.values("certified_on", "certificate").get() == row
    assert event_count() == before
