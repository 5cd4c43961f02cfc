"""The demo's organisation and scope: Halden Health Ltd, scope version 1 certified and
version 2 in force, flagged and notified; running the step twice adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import actions as core_actions
from openqms.core import demo as core_demo
from openqms.core.demo import DEMO_PASSWORD, DEMO_USERS
from openqms.core.models import Role
from openqms.qms import demo
from openqms.qms.models import (
    ApprovedBody,
    Certificate,
    DeviceFamily,
    NotificationState,
    Organisation,
    ScopeNotification,
    ScopeState,
    ScopeVersion,
)
from openqms.testing import event_count

pytestmark = pytest.mark.django_db


def _people():
    for username, name, role in DEMO_USERS:
        core_actions.create_user(
            actor=None,
            username=username,
            full_name=name,
            email=f"{username}@example.test",
            password=DEMO_PASSWORD,
            roles=[Role.objects.get(code=role)],
            reason="demo test",
        )


def test_the_demo_tells_the_scope_story_once(db):
    _people()
    DeviceFamily.objects.create(code="HR-SW", name="Rhythm analysis software")
    DeviceFamily.objects.create(code="HR-ACC", name="ECG patch accessories")
    body = ApprovedBody.objects.create(name=demo.BODY, number="0994")
    today = timezone.localdate()
    Certificate.objects.create(
        kind="iso13485",
        number="Q-1",
        body=body,
        scope_text="x",
        issued_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=600),
        created_at=timezone.now(),
    )
    with core_demo.demo_clock():
        demo.seed_scope()
    assert Organisation.objects.get().legal_name == "Halden Health Ltd"
    v1, v2 = ScopeVersion.objects.order_by("number")
    assert (v1.state, v1.certified) == (ScopeState.SUPERSEDED, True)
    assert v2.state == ScopeState.IN_FORCE and not v2.certified
    assert v2.content()["families"] == [
        "HR-ACC ECG patch accessories",
        "HR-SW Rhythm analysis software",
    ]
    notification = ScopeNotification.objects.get()
    assert (notification.state, notification.reference) == (NotificationState.SENT, "AB-2026-114")
    assert v2.in_force_at < timezone.now() - dt.timedelta(days=15)
    before = event_count()
    demo.seed_scope()
    assert event_count() == before


def test_without_families_or_certificate_the_demo_still_runs(db):
    _people()
    with core_demo.demo_clock():
        demo.seed_scope()
    assert ScopeVersion.objects.get().state == ScopeState.IN_FORCE
    assert not ScopeNotification.objects.exists()
