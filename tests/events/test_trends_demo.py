"""The trends demo: 24 months of figures for both devices and the method each PMS plan
states; idempotent; the audit chain stays intact."""

from openqms.core import chain
from openqms.core.demo import seed_demo
from openqms.devices.models import Device
from openqms.events import chart
from openqms.events.demo import trends as demo
from openqms.events.models import ExposureFigure, TrendMethod


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
