"""`openqms verify`'s design check: the stored gaps equal a fresh full check."""

import pytest

from openqms.design import reconcile
from openqms.design.models import Gap
from tests.design.conftest import item


@pytest.mark.verifies("DES-013")
def test_stored_gaps_that_match_the_check_are_no_finding(cast, project):
    item(cast, project, "UN-1", "user_need")
    found = reconcile.gap_state()
    assert (list(found), found.checked) == ([], 2)


@pytest.mark.verifies("DES-013", refusal=True)
def test_a_gap_row_removed_around_the_actions_is_found(cast, project):
    need = item(cast, project, "UN-1", "user_need")
    Gap.objects.filter(item=need, rule="need_without_validation").delete()
    (finding,) = reconcile.gap_state()
    assert finding.record == "design.item UN-1 in RhythmCheck (need_without_validation)"
    assert finding.row_says == "no gap stored"
