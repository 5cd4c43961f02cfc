"""`openqms verify`: the scope's and the notification's states and certification match
what the trail recorded; a row changed in the database shows up."""

import pytest

from openqms.qms import reconcile
from openqms.qms.models import ScopeNotification, ScopeVersion

from .scope_world import certified_v1_and_v2_in_force

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-007")
def test_rows_made_by_the_actions_agree_with_the_trail(cast):
    certified_v1_and_v2_in_force(cast)
    for check in (
        reconcile.scope_states,
        reconcile.scope_notification_states,
        reconcile.scope_certifications,
    ):
        found = check()
        assert list(found) == [] and found.checked >= 1


@pytest.mark.verifies("QMS-007", refusal=True)
def test_a_state_or_certification_changed_in_the_database_is_found(cast):
    certified_v1_and_v2_in_force(cast)
    v1 = ScopeVersion.objects.get(number=1)
    ScopeVersion.objects.filter(number=2).update(state="superseded")
    ScopeVersion.objects.filter(number=2).update(
        certified_on="2020-01-01", certificate=v1.certificate
    )
    ScopeNotification.objects.update(state="answered")
    [finding] = reconcile.scope_states()
    assert (finding.trail_says.split(" ")[0], finding.row_says) == ("in_force", "superseded")
    [finding] = reconcile.scope_certifications()
    assert (finding.trail_says, finding.row_says) == ("never certified", "2020-01-01")
    [finding] = reconcile.scope_notification_states()
    assert finding.row_says == "answered"
