"""Demo step 64: RhythmCheck's rhythm-analysis software (IEC 62304 class B), its
checklist partly evidenced, and two SBOMs read in turn: the second upgrades scipy and
adds a QRS detector, so exactly two SOUP items wait for their anomaly review.
Idempotent; skips quietly when the demo has no RhythmCheck."""

from __future__ import annotations

import json

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.design.actions import software as actions
from openqms.design.models import DesignProject, SoftwareSystem, SoupItem, SoupState, TestRun
from openqms.design.sbom import ingest_sbom
from openqms.devices.models import Device

NAME = "Rhythm analysis"
JUSTIFICATION = (
    "A missed atrial fibrillation episode could delay treatment, but a clinician reviews "
    "every recording and the device never acts on the patient: non-serious injury at "
    "worst after the external risk controls of the risk file (IEC 62304 4.3 a)."
)

# (name, version, supplier, licence, purl)
FIRST = [
    ("numpy", "1.26.4", "NumPy Developers", "BSD-3-Clause", "pkg:pypi/numpy@1.26.4"),
    ("scipy", "1.11.4", "SciPy Developers", "BSD-3-Clause", "pkg:pypi/scipy@1.11.4"),
    ("wfdb", "4.1.2", "MIT Laboratory for Computational Physiology", "MIT", "pkg:pypi/wfdb@4.1.2"),
    ("neurokit2", "0.2.7", "NeuroKit Developers", "MIT", "pkg:pypi/neurokit2@0.2.7"),
    ("pandas", "2.1.4", "pandas Development Team", "BSD-3-Clause", "pkg:pypi/pandas@2.1.4"),
    ("fastapi", "0.109.2", "Sebastián Ramírez", "MIT", "pkg:pypi/fastapi@0.109.2"),
    ("pydantic", "2.6.1", "Pydantic Services Inc.", "MIT", "pkg:pypi/pydantic@2.6.1"),
    (
        "openssl",
        "3.0.13",
        "OpenSSL Software Foundation",
        "Apache-2.0",
        "pkg:generic/openssl@3.0.13",
    ),
]
SECOND = [
    *[row for row in FIRST if row[0] != "scipy"],
    ("scipy", "1.12.0", "SciPy Developers", "BSD-3-Clause", "pkg:pypi/scipy@1.12.0"),
    ("py-ecg-detectors", "1.3.5", "Bernd Porr", "GPL-3.0-only", "pkg:pypi/py-ecg-detectors@1.3.5"),
]


def cyclonedx(rows: list[tuple[str, str, str, str, str]], serial: str) -> bytes:
    """A CycloneDX 1.5 JSON SBOM of `rows` (what a Python build's SBOM tool writes)."""
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "serialNumber": f"urn:uuid:{serial}",
            "version": 1,
            "metadata": {
                "component": {"type": "application", "name": "rhythmcheck-analysis"},
            },
            "components": [
                {
                    "type": "library",
                    "bom-ref": purl,
                    "name": name,
                    "version": version,
                    "supplier": {"name": supplier},
                    "licenses": [{"license": {"id": licence}}],
                    "purl": purl,
                }
                for name, version, supplier, licence, purl in rows
            ],
        },
        indent=2,
    ).encode()


def run() -> None:
    device = Device.objects.filter(name="RhythmCheck").order_by("pk").first()
    qa = User.objects.filter(username="qa").first()
    if device is None or qa is None:
        return
    if SoftwareSystem.objects.filter(device=device, name=NAME).exists():
        return
    system = actions.create_system(
        actor=qa,
        device=device,
        name=NAME,
        version="2.1",
        safety_class="B",
        justification=JUSTIFICATION,
    )
    actions.record_evidence(
        actor=qa,
        system=system,
        code="development_plan",
        note="Software development plan SDP-RC-002, section 3 (lifecycle and deliverables).",
    )
    project = DesignProject.objects.filter(device=device).order_by("pk").first()
    baseline = project.current_baseline if project else None
    if baseline is not None:
        actions.record_evidence(actor=qa, system=system, code="requirements", baseline=baseline)
    else:
        actions.record_evidence(
            actor=qa, system=system, code="requirements", note="Requirements in the design project."
        )
    run_ = TestRun.objects.filter(project=project).order_by("-pk").first() if project else None
    if run_ is not None:
        actions.record_evidence(actor=qa, system=system, code="system_testing", test_run=run_)
    actions.record_evidence(
        actor=qa,
        system=system,
        code="configuration_management",
        note="Git with protected main branch; releases tagged and built by CI.",
    )
    for name in ("Signal import", "Beat detection", "AF classifier", "Report service"):
        item = actions.create_software_item(actor=qa, system=system, name=name, safety_class="B")
        if name == "Beat detection":
            actions.create_software_item(
                actor=qa,
                system=system,
                name="QRS detector",
                safety_class="B",
                parent=item,
                is_unit=True,
            )
    ingest_sbom(actor=qa, system=system, data=cyclonedx(FIRST, _uuid(1)), file_name="sbom-2.0.json")
    for soup in SoupItem.objects.filter(system=system, state=SoupState.NEEDS_REVIEW):
        # 7.1.3: the review judges the anomalies against what the SOUP must do.
        soup = actions.edit_soup(
            actor=qa, soup=soup, requirements=f"{soup.name}: as used by RhythmCheck's analysis."
        )
        actions.review_soup(
            actor=qa,
            soup=soup,
            anomalies=f"Issue tracker and release notes of {soup.name} {soup.version} read.",
            conclusion="No published anomaly affects how RhythmCheck uses it.",
            credentials=Credentials(DEMO_PASSWORD),
        )
    ingest_sbom(
        actor=qa, system=system, data=cyclonedx(SECOND, _uuid(2)), file_name="sbom-2.1.json"
    )


def _uuid(n: int) -> str:
    return f"3e671687-395b-41f5-a30f-a58921a69b7{n}"
