"""The demo: RhythmCheck (Class IIa, Rule 11, UKCA via the approved body, on the market)
and its patch applicator (Class I, Rule 1, self-declared), and HR-SW's file part filled."""

import pytest

from openqms.core import chain
from openqms.core.demo import seed_demo
from openqms.devices.contents import file_of
from openqms.devices.models import Device
from openqms.qms.models import DeviceFamily


@pytest.mark.verifies("DEV-021")
def test_the_demo_has_two_devices_and_a_file_still_incomplete(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    software = Device.objects.get(name="RhythmCheck")
    assert (software.device_class.code, software.classification_rule) == ("class_iia", "Rule 11")
    assert software.state == "on_market" and software.mhra_reference
    assert software.registration_to_update  # its intended purpose was widened since
    patch = Device.objects.get(name="RhythmCheck patch applicator")
    assert (patch.device_class.code, patch.family.code) == ("class_i", "HR-ACC")
    assert patch.markets.get().body is None
    view = file_of(DeviceFamily.objects.get(code="HR-SW"))
    assert 0 < view.percent < 100
    seed_demo()  # twice adds nothing
    assert Device.objects.count() == 2
    assert chain.verify_chain().ok
