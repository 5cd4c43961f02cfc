"""The nonconformance part of the demo story: an incoming adhesive lot used as is under
a signed concession, and a release build reworked, re-verified and released. Idempotent;
quietly uses what the devices and suppliers demos made, and skips what is missing."""

from __future__ import annotations

from django.db import transaction

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.links import link_records
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.devices.models import Device
from openqms.events.actions import nonconformance as actions
from openqms.events.demo.fsca import TITLE as FSCA_TITLE
from openqms.events.models import Fsca, Nonconformity
from openqms.suppliers.models import Supplier

ADHESIVE = "Incoming adhesive lot below peel strength"
MANIFEST = "Release build missing signed manifest"


def _user(name: str) -> User | None:
    return User.objects.filter(username=name).first()


def run() -> None:
    if Nonconformity.objects.filter(title__in=[ADHESIVE, MANIFEST]).exists():
        return
    qa, manager, author = _user("qa"), _user("manager"), _user("author")
    if qa is None or manager is None or author is None:
        return
    sign = Credentials(DEMO_PASSWORD)
    applicator = Device.objects.filter(name="RhythmCheck patch applicator").first()
    rhythmcheck = Device.objects.filter(name="RhythmCheck").first()
    supplier = Supplier.objects.filter(name="Medipatch Adhesives Ltd").first()

    nc = actions.raise_nonconformity(
        actor=author,
        title=ADHESIVE,
        source="incoming_goods" if supplier else "production",
        supplier=supplier,
        device=applicator,
        product="Hydrocolloid adhesive tape",
        part="ADH-220",
        lot="MP-2611-07",
        quantity=40,
        description="Peel strength 2.1 N/25 mm at incoming inspection (3 samples).",
        requirement="Incoming inspection spec IIS-012: peel strength at least 2.5 N/25 mm.",
    )
    fsca = Fsca.objects.filter(title=FSCA_TITLE).first()
    if fsca is not None:  # the FSCA (order 42) was raised from this NC: a core link
        with transaction.atomic():
            link_records(actor=qa, source=nc, target=fsca, kind="raised")
    nc = actions.contain_nonconformity(
        actor=qa, nc=nc, containment="Lot quarantined in goods-in; no kits built from it."
    )
    nc = actions.assess_nonconformity(
        actor=qa,
        nc=nc,
        impact="Lower peel strength shortens wear time; no harm expected within 24 h wear.",
        delivered_affected=False,
    )
    nc = actions.dispose_nonconformity(
        actor=qa,
        nc=nc,
        disposition="use_as_is",
        note="Use for 24-hour patches only.",
        justification="Validated wear test shows adequate adhesion for 24 h at 2.1 N/25 mm.",
    )
    actions.authorise_concession(actor=manager, nc=nc, credentials=sign)

    build = actions.raise_nonconformity(
        actor=author,
        title=MANIFEST,
        source="software_release",
        device=rhythmcheck,
        product="RhythmCheck app",
        serial="2.1.4-rc2",
        description="The release candidate's SBOM manifest was not signed by the build.",
        requirement="Software release procedure: every release ships a signed manifest.",
    )
    build = actions.contain_nonconformity(
        actor=qa, nc=build, containment="Release held; store submission withdrawn."
    )
    build = actions.assess_nonconformity(
        actor=qa,
        nc=build,
        impact="No effect on function; traceability gap.",
        delivered_affected=False,
    )
    build = actions.dispose_nonconformity(
        actor=qa, nc=build, disposition="rework", note="Rebuild with the signing step."
    )
    build = actions.reverify_nonconformity(
        actor=qa, nc=build, result="Manifest signature verified on 2.1.4-rc3.", passed=True
    )
    # Segregation: qa re-verified the rework, so the manager signs the release.
    actions.release_nonconformity(actor=manager, nc=build, credentials=sign)
