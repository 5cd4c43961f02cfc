"""The redline between two scope versions: the statement word by word, and what was
added to or removed from each list."""

import pytest

from openqms.qms import scope_redline
from openqms.qms.actions import scope as actions

from .scope_world import drafted, family, in_force

pytestmark = pytest.mark.django_db


@pytest.mark.verifies("QMS-008")
def test_the_redline_lists_what_was_added_and_removed(cast):
    sw, acc = family("HR-SW"), family("HR-ACC")
    v1 = in_force(cast, drafted(cast, [sw], statement="Rhythm software."))
    v2 = actions.edit_scope(
        actor=cast.qa_lead,
        scope=actions.start_scope_version(actor=cast.qa_lead),
        statement="Rhythm software and patches.",
        sites=[],
        families=[acc],
        processes=[],
        exclusions=[actions.Exclusion("7.5.5", "not_applicable", "Sterile devices", "None.")],
    )
    redline = scope_redline.compare(v1, v2)
    families = redline.lists[0]
    assert (families.added, families.removed) == (["HR-ACC Family HR-ACC"], ["HR-SW Family HR-SW"])
    assert redline.exclusions_added == [["7.5.5", "not_applicable", "Sterile devices", "None."]]
    assert redline.exclusions_removed == [
        ["7.5.7", "not_applicable", "Sterilisation", "Nothing is sterile."]
    ]
    assert [s.kind for s in redline.statement] == ["same", "removed", "added"]
    assert not redline.unchanged
    assert "Exclusion withdrawn: 7.5.7" in scope_redline.summary(redline)


@pytest.mark.verifies("QMS-008")
def test_a_copy_is_unchanged(cast):
    v1 = in_force(cast, drafted(cast, [family("HR-SW")]))
    v2 = actions.start_scope_version(actor=cast.qa_lead)
    assert scope_redline.compare(v1, v2).unchanged
