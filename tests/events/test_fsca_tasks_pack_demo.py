"""What FSCAs put in My tasks, in the PMS data pack, and the demo's FSCA at 80%."""

import datetime as dt

import pytest

from openqms.events.actions import fsca as actions
from openqms.events.inbox.fsca import fsca_tasks

from .fsca_setup import STARTED, open_one, started


@pytest.mark.verifies("EVT-042")
def test_my_tasks_name_the_notification_pending_late_and_reconciliation(cast, class_i_device):
    planned = open_one(cast, class_i_device)
    urgent = open_one(cast, class_i_device, urgent=True, justification="Burns.")
    actions.start_fsca(actor=cast.qa_lead, fsca=urgent, started_at=STARTED)
    running = started(cast, class_i_device)
    titles = [t.title for t in fsca_tasks(cast.qa_lead)]
    assert f"Tell the MHRA of {planned.number} before it starts" in titles
    assert f"Record the late MHRA notification of urgent {urgent.number}" in titles
    assert f"Reconcile {running.number}: 0% of units reached" in titles
    assert fsca_tasks(cast.trainee) == []


@pytest.mark.verifies("EVT-040")
def test_the_pack_lists_the_periods_fscas_of_the_device(cast, class_i_device, device):
    fsca = started(cast, class_i_device)
    today = fsca.opened_at.date()
    section = actions.pack_section(class_i_device, today - dt.timedelta(days=1), today)
    assert section.title == "Field safety corrective actions"
    assert [row[0] for row in section.rows] == [fsca.number]
    assert section.rows[0][-1] == "0 of 500 (0%)"
    assert actions.pack_section(device, today, today).rows == []
