"""Every gap rule: a gap appears and disappears as items, links and results change,
through the actions that change them (design.actions.items)."""

import pytest
from django.utils import timezone

from openqms.design import trace
from openqms.design.actions import items as design
from openqms.design.models import Baseline, Gap, evidence
from tests.design.conftest import SIGN, item


def stored(project):
    return sorted(Gap.objects.filter(project=project).values_list("item__uid", "rule"))


def checked(project):
    rows = trace.full_check(project.pk)
    assert sorted((r.uid, r.rule) for r in rows) == stored(project)
    return sorted((r.uid, r.rule) for r in rows)


def link(cast, source, kind, target):
    return design.link_items(actor=cast.author, source=source, kind=kind, target=target)


@pytest.mark.verifies("DES-010")
def test_a_user_need_alone_lacks_an_input_and_a_validation(cast, project):
    item(cast, project, "UN-1", "user_need")
    assert checked(project) == [
        ("UN-1", "need_without_input"),
        ("UN-1", "need_without_validation"),
    ]
    row = trace.full_check(project.pk)[0]
    assert row.message == "User need without a design input"
    assert row.detail == "UN-1 needs a design input (requirement) that derives from it."


@pytest.mark.verifies("DES-010")
def test_a_derived_input_closes_the_gap_and_unlinking_opens_it_again(cast, project):
    need = item(cast, project, "UN-1", "user_need")
    req = item(cast, project, "REQ-1", "design_input")
    made = link(cast, req, "derives_from", need)
    assert ("UN-1", "need_without_input") not in checked(project)
    design.unlink_items(actor=cast.author, link=made, reason="Wrong need")
    assert ("UN-1", "need_without_input") in checked(project)


@pytest.mark.verifies("DES-008", "DES-010")
def test_a_retired_item_has_no_gaps_and_does_not_count_as_a_source(cast, project):
    need = item(cast, project, "UN-1", "user_need")
    req = item(cast, project, "REQ-1", "design_input")
    link(cast, req, "derives_from", need)
    design.retire_item(actor=cast.author, item=req, reason="Dropped")
    gaps = checked(project)
    assert ("UN-1", "need_without_input") in gaps
    assert not [g for g in gaps if g[0] == "REQ-1"]


@pytest.mark.verifies("DES-010")
def test_an_edit_makes_a_suspect_gap_at_both_ends_until_cleared(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    made = link(cast, test, "verifies", req)
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="Changed."
    )
    gaps = checked(project)
    assert ("REQ-1", "suspect") in gaps and ("TEST-1", "suspect") in gaps
    detail = Gap.objects.get(item=req, rule="suspect").detail
    assert detail == "Suspect: TEST-1 verifies REQ-1"
    design.clear_suspect(actor=cast.reviewer, link=made, credentials=SIGN, comment="Holds")
    assert "suspect" not in {rule for _, rule in checked(project)}


@pytest.mark.verifies("DES-010")
def test_a_risk_needs_a_control_that_is_itself_verified(cast, project):
    risk = item(cast, project, "RISK-1", "risk")
    control = item(cast, project, "RC-1", "risk_control")
    assert ("RISK-1", "risk_without_verified_control") in checked(project)
    link(cast, control, "mitigates", risk)
    assert ("RISK-1", "risk_without_verified_control") in checked(project)
    detail = Gap.objects.get(item=risk, rule="risk_without_verified_control").detail
    assert detail == "RISK-1 has no verified control: RC-1 still open."
    test = item(cast, project, "TEST-1", "verification")
    made = link(cast, test, "verifies", control)
    # The control is verified by a link, but its test still lacks evidence: RC-1 is
    # clean, so the risk is covered.
    assert ("RC-1", "control_without_verification") not in checked(project)
    assert ("RISK-1", "risk_without_verified_control") not in checked(project)
    # The control loses its verification: the risk gets its gap back.
    design.unlink_items(actor=cast.author, link=made, reason="Wrong test")
    assert ("RISK-1", "risk_without_verified_control") in checked(project)


@pytest.mark.verifies("DES-010")
def test_an_edit_of_the_control_propagates_to_the_risk(cast, project):
    risk = item(cast, project, "RISK-1", "risk")
    control = item(cast, project, "RC-1", "risk_control")
    test = item(cast, project, "TEST-1", "verification")
    link(cast, control, "mitigates", risk)
    link(cast, test, "verifies", control)
    assert ("RISK-1", "risk_without_verified_control") not in checked(project)
    # Editing the test makes its link to the control suspect: the control has a gap,
    # so the risk (two links away from the edit) has one too.
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=test, title="TEST-1", text_="New steps."
    )
    assert ("RISK-1", "risk_without_verified_control") in checked(project)


# Evidence rows are written directly here: the evidence slice owns JUnit ingestion
# (design.actions.evidence) and calls trace.refresh itself.
def baseline(cast, project, name="release 1.0"):
    made = Baseline.objects.create(
        project=project,
        name=name,
        kind="release",
        created_at=timezone.now(),
        created_by=cast.qa_lead,
    )
    project.current_baseline = made
    project.save(update_fields=["current_baseline"])
    return made


def result(cast, project, on, test, outcome, version=None):
    run = evidence.TestRun.objects.create(
        project=project,
        baseline=on,
        file_name="junit.xml",
        sha256="0" * 64,
        ingested_at=timezone.now(),
        ingested_by=cast.author,
    )
    evidence.TestResult.objects.create(
        run=run, item=test, item_version=version or test.version, case="c", outcome=outcome
    )
    trace.refresh(project.pk, [test.pk])


def evidence_detail(test):
    return Gap.objects.filter(item=test, rule="evidence").values_list("detail", flat=True).first()


@pytest.mark.verifies("DES-010")
def test_verification_without_a_baseline_has_no_place_for_evidence(cast, project):
    test = item(cast, project, "TEST-1", "verification")
    assert evidence_detail(test) == "No baseline to hold evidence."


@pytest.mark.verifies("DES-021")
def test_evidence_passes_fails_and_goes_stale_with_a_new_version(cast, project):
    test = item(cast, project, "TEST-1", "verification")
    release = baseline(cast, project)
    trace.refresh(project.pk, [test.pk])
    assert evidence_detail(test) == "No test result in baseline release 1.0."
    result(cast, project, release, test, "passed")
    assert evidence_detail(test) is None
    result(cast, project, release, test, "failed")
    assert evidence_detail(test) == "The latest result in baseline release 1.0 failed."
    result(cast, project, release, test, "passed")
    test = design.edit_item(
        reason="Clarified.", actor=cast.author, item=test, title="TEST-1", text_="New steps."
    )
    assert evidence_detail(test) == "Stale: result for version 1, item is at 2."
    checked(project)


@pytest.mark.verifies("DES-021")
def test_results_in_another_baseline_do_not_count(cast, project):
    test = item(cast, project, "TEST-1", "verification")
    old = baseline(cast, project, "release 0.9")
    result(cast, project, old, test, "passed")
    baseline(cast, project, "release 1.0")
    assert trace.rebuild(project.pk) == 1
    assert evidence_detail(test) == "No test result in baseline release 1.0."
