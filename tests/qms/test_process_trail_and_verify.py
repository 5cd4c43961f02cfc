"""The audit trail names processes, and `openqms verify` catches a retirement made
without the action."""

import pytest

from openqms.core import modules
from openqms.qms import trail
from openqms.qms.actions.processes import retire_process
from openqms.qms.models import Process
from openqms.qms.reconcile_processes import process_retirement

from .process_helpers import make_process


def test_the_trail_names_a_process_and_links_to_it(cast):
    process = make_process(cast)
    key = ("qms.process", str(process.pk))
    ref = trail.records(cast.trainee, [key, ("qms.process", "999")])[key]
    assert (ref.label, ref.url, ref.readable) == (
        "Process PR-01 Document control",
        f"/qms/processes/{process.pk}/",
        True,
    )


def test_verify_agrees_with_retirements_made_by_the_action(cast):
    make_process(cast, "PR-01", "Kept")
    retire_process(actor=cast.qa_lead, process=make_process(cast, "PR-02", "Old"), reason="x")
    found = process_retirement()
    assert (list(found), found.checked) == ([], 2)


@pytest.mark.verifies("QMS-007", refusal=True)
def test_verify_names_a_process_retired_or_revived_in_the_database(cast):
    kept = make_process(cast, "PR-01", "Kept")
    old = make_process(cast, "PR-02", "Old")
    retire_process(actor=cast.qa_lead, process=old, reason="x")
    Process.objects.filter(pk=kept.pk).update(retired_at=old.created_at)
    Process.objects.filter(pk=old.pk).update(retired_at=None)
    found = process_retirement()
    assert [(f.record, f.row_says) for f in found] == [
        (f"qms.process {kept.pk} (PR-01)", "retired"),
        (f"qms.process {old.pk} (PR-02)", "in use"),
    ]


def test_the_check_is_registered_for_verify():
    checks = [c for m in modules.installed() for c in m.reconcile]
    assert process_retirement in checks
