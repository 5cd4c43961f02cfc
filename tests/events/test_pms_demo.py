"""The PMS demo step: both plans in force and linked, RhythmCheck's PSUR due next
month, one MHRA request answered on time; running it twice adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import modules
from openqms.core.demo import seed_demo
from openqms.devices.models import Device
from openqms.events.actions.pms import current_plan
from openqms.events.models import MhraRequest, PmsReport


@pytest.mark.verifies("EVT-044")
def test_the_demo_tells_the_pms_story_once(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    software = Device.objects.get(name="RhythmCheck", model="2.1")
    applicator = Device.objects.get(name="RhythmCheck patch applicator")
    assert current_plan(software).document.title == "RhythmCheck PMS plan"
    assert current_plan(applicator).document.title == "Patch applicator PMS plan"
    report = PmsReport.objects.get(device=software)
    today = timezone.localdate()
    assert report.report_type == "psur" and report.state == "scheduled"
    assert dt.timedelta(days=27) <= report.due_on - today <= dt.timedelta(days=31)
    request = MhraRequest.objects.get()
    assert (request.state, request.on_time) == ("answered", True)
    counts = (PmsReport.objects.count(), MhraRequest.objects.count())
    for step in modules.demo_steps():
        step.run()
    assert (PmsReport.objects.count(), MhraRequest.objects.count()) == counts
