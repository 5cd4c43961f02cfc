"""The demo's FSCA: the patch applicator's batch recall, the MHRA told before the action,
400 of 500 units reached (80%); running the step again changes nothing."""

import pytest

from openqms.core.models import User
from openqms.events.actions import fsca as actions
from openqms.events.demo import fsca as demo
from openqms.events.models import Fsca
from openqms.testing import event_count

from .conftest import make_device


@pytest.mark.verifies("EVT-044")
def test_the_demo_fsca_is_at_80_percent_and_the_step_runs_once(cast, family, db):
    User.objects.filter(pk=cast.qa_lead.pk).update(username="qa")
    make_device(
        cast,
        family,
        name="RhythmCheck patch applicator",
        model="A1",
    )
    demo.run()
    fsca = Fsca.objects.get(title=demo.TITLE)
    assert fsca.state == "in_progress"
    assert fsca.mhra_notified_at < fsca.started_at
    _, reached, affected = actions.reach(fsca)
    assert (reached, affected, actions.percent(reached, affected)) == (400, 500, 80)
    assert actions.gaps(fsca) == []
    count = event_count()
    demo.run()
    assert event_count() == count
