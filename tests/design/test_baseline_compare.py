"""Comparing two baselines: items added, removed and changed, links added and removed."""

import pytest

from openqms.design import snapshots
from openqms.design.actions import baselines
from openqms.design.actions import items as design
from tests.design.conftest import item


@pytest.mark.verifies("DES-026")
def test_compare_lists_added_removed_and_changed_items_and_links(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    old_test = item(cast, project, "TEST-1", "verification")
    design.link_items(actor=cast.author, source=old_test, kind="verifies", target=req)
    first = baselines.create_baseline(
        actor=cast.author, project=project, name="freeze", kind="design_freeze"
    )
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1 (new)", text_="Version two."
    )
    design.retire_item(actor=cast.author, item=old_test, reason="Replaced by TEST-2")
    new_test = item(cast, project, "TEST-2", "verification")
    design.link_items(actor=cast.author, source=new_test, kind="verifies", target=req)
    second = baselines.create_baseline(
        actor=cast.author, project=project, name="release 1.0", kind="release"
    )

    diff = snapshots.compare(first, second)

    assert [i.uid for i in diff.added] == ["TEST-2"]
    assert [i.uid for i in diff.removed] == ["TEST-1"]
    assert [(c.uid, c.old_version, c.new_version, c.fields) for c in diff.changed] == [
        ("REQ-1", 1, 2, ("version", "title", "text"))
    ]
    assert diff.links_added == [("TEST-2", "verifies", "REQ-1")]
    assert diff.links_removed == [("TEST-1", "verifies", "REQ-1")]
    assert not diff.same
    assert diff.as_dict()["changed"][0]["fields"] == ["version", "title", "text"]


@pytest.mark.verifies("DES-026")
def test_a_baseline_compared_with_itself_shows_no_change(cast, project):
    item(cast, project, "UN-1", "user_need")
    base = baselines.create_baseline(actor=cast.author, project=project, name="one", kind="other")
    assert snapshots.compare(base, base).same


@pytest.mark.verifies("DES-044")
def test_comparing_takes_the_same_queries_however_large(cast, project, django_assert_num_queries):
    def measure(n, prefix):
        for k in range(n):
            item(cast, project, f"{prefix}-{k}", "user_need")
        a = baselines.create_baseline(
            actor=cast.author, project=project, name=f"{prefix}a", kind="other"
        )
        b = baselines.create_baseline(
            actor=cast.author, project=project, name=f"{prefix}b", kind="other"
        )
        with django_assert_num_queries(4):
            snapshots.compare(a, b)

    measure(1, "UN")
    measure(6, "UNX")
