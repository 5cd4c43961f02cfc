"""The trends demo: 24 months of figures for both devices and the method each PMS plan
states; idempotent; the audit chain stays intact."""

import pytest

from openqms.core import chain
from openqms.core.demo import seed_demo
from openqms.devices.models import Device
from openqms.events import chart
from openqms.events.demo import trends as demo
from openqms.events.models import ExposureFigure, TrendMethod


@pytest.mark.verifies("EVT-044")
def test_the_demo_has_figures_and_methods_for_both_devices(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    rhythm = Device.objects.get(name="RhythmCheck", model="2.1")
    patch = Device.objects.get(name="RhythmCheck patch applicator")
    assert ExposureFigure.objects.filter(device=rhythm).count() == 24
    assert ExposureFigure.objects.filter(device=patch).count() == 24
    methods = {m.device_id: m for m in TrendMethod.objects.all()}
    assert (methods[rhythm.pk].mode, methods[rhythm.pk].baseline_periods) == ("baseline", 12)
    assert (methods[patch.pk].mode, methods[patch.pk].period) == ("threshold", "quarter")
    trends = chart.trends_for([rhythm.pk, patch.pk])
    # 24 months with figures; the complaints demo may add this month's (no figure yet)
    points = trends[rhythm.pk][0].points
    assert len([p for p in points if p.exposure]) == 24
    assert all(not p.exposure for p in points[24:])
    assert chain.verify_chain().ok
    demo.run()
    assert ExposureFigure.objects.count() == 48
    assert TrendMethod.objects.count() == 2


@pytest.mark.verifies("EVT-044")
def test_the_demo_history_is_decided_and_closed_and_the_story_agrees(db, settings):
    """No flood of "Decide…" tasks: the export-crash history is decided not reportable
    and closed; the fallen patient is recorded; the FSCA names what it was raised from."""
    from openqms.core.links import key_of, links_of
    from openqms.events.models import Complaint, Fsca, Nonconformity

    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    history = Complaint.objects.filter(title__startswith="App closes when exporting (")
    assert history.count() == sum(demo.HISTORY)
    assert all(c.decisions.filter(in_force=True).exists() for c in history)
    assert Complaint.objects.get(title="Electrode lead detached during recording").patient_involved
    fsca = Fsca.objects.get()
    froms = {(link.from_type, link.from_id) for link in links_of([key_of(fsca)])}
    nc = Nonconformity.objects.get(title="Incoming adhesive lot below peel strength")
    redness = Complaint.objects.get(title="Patch applicator adhesive leaves skin redness")
    assert {key_of(nc), key_of(redness)} <= froms
    assert fsca.mhra_notified_at >= fsca.opened_at
    assert chain.verify_chain().ok
