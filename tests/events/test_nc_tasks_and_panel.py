"""My tasks for nonconformities (the next step for who handles them; concessions and
releases for who signs, never their own concession) and the dashboard's panel of open
nonconformities by age; the PMS data pack's section."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.events.actions import nonconformance as nc_actions
from openqms.events.inbox.nonconformance import nonconformity_tasks
from openqms.events.views.nonconformance import dashboard_panel

from .nc_steps import SIGN, disposed, gate_on_nonconformance_procedure, raised


def _titles(user):
    return [t.title for t in nonconformity_tasks(user)]


@pytest.mark.verifies("EVT-042")
def test_who_handles_ncs_is_asked_for_the_next_step(cast):
    nc = raised(cast)
    assert _titles(cast.qa_lead) == [f"Record the containment of {nc}"]
    assert _titles(cast.author) == []


@pytest.mark.verifies("EVT-042")
def test_a_concession_is_asked_of_signers_other_than_who_disposed_of_it(cast):
    nc = disposed(cast, "use_as_is")
    assert f"Authorise the concession for {nc}" in _titles(cast.manager)
    assert f"Authorise the concession for {nc}" not in _titles(cast.qa_lead)


@pytest.mark.verifies("EVT-042")
def test_rework_asks_for_re_verification_then_release(cast):
    nc = disposed(cast, "rework")
    assert _titles(cast.qa_lead) == [f"Record the re-verification of {nc}"]
    nc = nc_actions.reverify_nonconformity(actor=cast.qa_lead, nc=nc, result="OK", passed=True)
    # Who re-verified it is not asked to release it; another signer is.
    assert _titles(cast.qa_lead) == []
    assert _titles(cast.manager) == [f"Sign the release of {nc}"]
    nc_actions.release_nonconformity(actor=cast.manager, nc=nc, credentials=SIGN)
    assert _titles(cast.manager) == []


@pytest.mark.verifies("EVT-042")
def test_the_panel_counts_open_ncs_by_age(cast, monkeypatch):
    raised(cast)
    old = raised(cast, title="Old one")
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(days=100))
    (panel,) = dashboard_panel(cast.auditor)
    ages = dict(panel.context["ages"])
    assert ages == {"under 30 days": 0, "30 to 90 days": 0, "over 90 days": 2}
    assert old in panel.context["oldest"]
    assert dashboard_panel(cast.outsider) == []


@pytest.mark.verifies("EVT-042")
@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (dt.timedelta(days=30) - dt.timedelta(seconds=1), "under 30 days"),
        (dt.timedelta(days=30), "30 to 90 days"),
        (dt.timedelta(days=90) - dt.timedelta(seconds=1), "30 to 90 days"),
        (dt.timedelta(days=90), "over 90 days"),
    ],
)
def test_the_panel_s_age_buckets_meet_at_30_and_90_days(cast, monkeypatch, age, bucket):
    nc = raised(cast)
    monkeypatch.setattr(timezone, "now", lambda: nc.opened_at + age)
    (panel,) = dashboard_panel(cast.auditor)
    ages = dict(panel.context["ages"])
    assert ages[bucket] == 1 and sum(ages.values()) == 1


@pytest.mark.verifies("EVT-031", "EVT-042")
def test_signing_tasks_follow_the_training_gate(cast):
    nc = disposed(cast, "scrap")
    assert _titles(cast.manager) == [f"Sign the release of {nc}"]
    gate_on_nonconformance_procedure(cast)
    assert _titles(cast.manager) == []


@pytest.mark.verifies("EVT-040")
def test_the_pack_section_lists_a_device_s_ncs(cast, device):
    nc = raised(cast, device=device.pk)
    raised(cast, title="Elsewhere")
    today = timezone.localdate()
    section = nc_actions.pack_section(device, today - dt.timedelta(days=1), today)
    assert [row[0] for row in section.rows] == [nc.number]
    assert section.summary.startswith("1 nonconformities, 1 open")
