import pytest

from openqms.core import chain
from openqms.core.dates import months_later
from openqms.core.demo import seed_demo
from openqms.devices.models import Device
from openqms.qms.models import Process
from openqms.suppliers.models import OutsourcedProcess, Supplier


@pytest.mark.verifies("SUP-026")
def test_the_demo_has_an_outsourced_design_partner_under_an_agreement_in_force(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    statuses = dict(Supplier.objects.values_list("name", "status"))
    assert statuses == {
        "Kestrel Embedded Engineering Ltd": "approved",
        "Northgate Cloud Services Ltd": "conditional",
        "Brightmark Labels Ltd": "approved",
        "Medipatch Adhesives Ltd": "approved",
        "Calder Calibration Services": "new",
    }
    design = OutsourcedProcess.objects.get()
    assert design.partner.name == "Kestrel Embedded Engineering Ltd"
    assert design.agreement is not None and design.agreement.in_force
    assert design.partner_certificate.kind == "iso13485"
    assert design.activities.count() == 5 and design.duties.count() == 3
    # Consistent with the rest of the demo (walk finding 16): our contact is the QA lead,
    # Kestrel's work is the one process PR-03 outsources, and no "sensor accessory".
    assert design.contacts_ours.startswith("Quinn Avery, QA lead")
    assert "signal-processing module" in design.partner.supplies
    assert "signal-processing module" in Process.objects.get(code="PR-03").purpose
    assert design.process.code == "PR-03"
    assert not Supplier.objects.filter(supplies__icontains="sensor accessory").exists()
    patch = Device.objects.get(name="RhythmCheck patch applicator")
    assert patch.udis.filter(kind="basic", removed_at__isnull=True).exists()
    # The conditional approval is re-evaluated early: half of 12 months (critical).
    cloud = Supplier.objects.get(name="Northgate Cloud Services Ltd")
    assert cloud.next_evaluation == months_later(cloud.decided_on, 6)
    assert chain.verify_chain().ok
    seed_demo()
    assert Supplier.objects.count() == 5
