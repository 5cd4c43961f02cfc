"""A module declares its reconciliation checks in its module.py (`Module.reconcile`);
`openqms verify` runs each as a section of its own, and one that raises fails its section
without hiding the others."""

from openqms.core import integrity, modules
from openqms.core.integrity import Finding, Findings
from openqms.core.modules import Module
from openqms.core.signatures import Credentials
from openqms.testapp.actions import take_step
from openqms.testapp.models import Specimen
from openqms.testing import PASSWORD
from tests.core.specimens import give_specimen_rights, submitted_specimen


def ledger_balances() -> Findings:
    return Findings(
        [Finding("sample: ledger balances", "sample.ledger 1", "balance 10", "balance 99")],
        checked=3,
    )


def broken_check() -> Findings:
    raise RuntimeError("the sample table is gone")


def test_a_modules_checks_run_as_sections_with_their_findings(db):
    with modules.temporarily(Module(label="sample", reconcile=[ledger_balances, broken_check])):
        report = integrity.run()
    sections = {s.name: s for s in report.sections}
    ledger, broken = sections["sample: ledger balances"], sections["sample: broken check"]
    assert (ledger.ok, ledger.checked, ledger.findings) == (False, 3, 1)
    assert (broken.ok, broken.checked, broken.findings) == (False, 0, 1)
    assert [(f.record, f.row_says) for f in report.findings] == [
        ("sample.ledger 1", "balance 99"),
        ("the check itself", "it failed: RuntimeError('the sample table is gone')"),
    ]
    assert sections["core: role grants"].ok  # the others still ran
    assert not report.ok


def test_the_example_modules_check_finds_a_specimen_approved_in_the_database(cast):
    give_specimen_rights(cast)
    specimen = submitted_specimen(cast)
    take_step(
        actor=cast.approver, specimen=specimen, step="approve", credentials=Credentials(PASSWORD)
    )
    draft = submitted_specimen(cast)
    assert integrity.run().ok
    Specimen.objects.filter(pk=draft.pk).update(state="approved")
    [finding] = integrity.run().findings
    assert (finding.check, finding.record) == (
        "testapp: specimen states",
        f"testapp.specimen {draft.pk}",
    )
    assert finding.trail_says.startswith("in_review (event #")
    assert finding.row_says == "approved"
