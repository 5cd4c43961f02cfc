from openqms.core import chain
from openqms.core.demo import seed_demo
from openqms.suppliers.models import OutsourcedProcess, Supplier


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
    assert chain.verify_chain().ok
    seed_demo()
    assert Supplier.objects.count() == 5
