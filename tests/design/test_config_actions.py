"""Item types, link rules and gap rules changed by the QA lead (design.actions.config):
one audited event each, the gaps of every project recomputed at once, refusals that
write nothing."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import AuditEvent
from openqms.design.actions import config
from openqms.design.actions import items as design
from openqms.design.importing import ImportRefused, import_path
from openqms.design.models import CoverageRule, Gap, ItemType, LinkRule
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item

pytestmark = pytest.mark.verifies("DES-046")

NEW_RULE = {
    "code": "output_without_verification",
    "item_type": "design_output",
    "accepts": [["verifies", "verification"]],
    "message": "Design output without a verification",
}


def gaps(project):
    return sorted(Gap.objects.filter(project=project).values_list("item__uid", "rule"))


def config_state():
    return (
        list(ItemType.objects.values_list("code", "name", "prefix", "level", "active")),
        list(LinkRule.objects.values_list("pk", flat=True)),
        list(CoverageRule.objects.values_list("code", "accepts", "message", "active")),
    )


def test_adding_a_gap_rule_opens_its_gap_at_once_and_retiring_it_closes_it(cast, project):
    item(cast, project, "SPEC-1", "design_output")
    assert gaps(project) == []
    rule = config.add_gap_rule(actor=cast.qa_lead, **NEW_RULE)
    assert gaps(project) == [("SPEC-1", "output_without_verification")]
    event = last_event()
    assert event.action == "design.gap_rule.added"
    assert changes_of(event) == {
        "code": [None, "output_without_verification"],
        "item_type": [None, "design_output"],
        "accepts": [None, [["verifies", "verification"]]],
        "verified": [None, False],
        "message": [None, "Design output without a verification"],
        "projects_recomputed": [None, 1],
        "projects_with_changed_gaps": [None, 1],
        "gaps_added": [None, 1],
        "gaps_removed": [None, 0],
    }
    config.retire_gap_rule(actor=cast.qa_lead, rule=rule, reason="Covered by reviews")
    assert gaps(project) == []
    event = last_event()
    assert (event.action, event.reason) == ("design.gap_rule.retired", "Covered by reviews")
    assert changes_of(event)["active"] == [True, False]
    assert changes_of(event)["gaps_removed"] == [None, 1]


def test_editing_a_gap_rule_recomputes_every_project(cast, project):
    other = design.create_project(actor=cast.author, name="PulseCheck")
    item(cast, project, "UN-1", "user_need")
    item(cast, other, "UN-9", "user_need")
    rule = CoverageRule.objects.get(code="need_without_validation")
    config.edit_gap_rule(
        actor=cast.qa_lead,
        rule=rule,
        item_type="user_need",
        accepts=[["validates", "validation"]],
        verified=False,
        message="User need not yet validated",
        reason="Plainer words",
    )
    assert Gap.objects.get(item__uid="UN-9", rule="need_without_validation")
    event = last_event()
    assert event.action == "design.gap_rule.edited"
    assert changes_of(event) == {
        "message": [
            "User need without a validation activity",
            "User need not yet validated",
        ],
        "projects_recomputed": [None, 2],
        "projects_with_changed_gaps": [None, 0],
        "gaps_added": [None, 0],
        "gaps_removed": [None, 0],
    }


def test_retiring_a_link_rule_keeps_the_links_it_allowed_and_lists_them(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    rule = LinkRule.objects.get(
        source_type__code="verification", kind="verifies", target_type__code="design_input"
    )
    left = config.retire_link_rule(actor=cast.qa_lead, rule=rule, reason="Verify outputs only")
    assert left == 1
    assert [str(link) for link in config.disallowed_links()] == ["TEST-1 verifies REQ-1"]
    event = last_event()
    assert (event.action, event.reason) == ("design.link_rule.retired", "Verify outputs only")
    assert changes_of(event)["rule"] == ["verification verifies design_input", None]
    assert changes_of(event)["links_not_allowed"] == [0, 1]
    with pytest.raises(InvalidInput, match="may not “verifies” a design input"):
        design.link_items(
            actor=cast.author,
            source=test,
            kind="verifies",
            target=item(cast, project, "REQ-2", "design_input"),
        )


def test_adding_a_link_rule_allows_the_link_and_is_audited(cast, project):
    config.add_link_rule(
        actor=cast.qa_lead, source_type="validation", kind="validates", target_type="design_input"
    )
    made = design.link_items(
        actor=cast.author,
        source=item(cast, project, "VAL-1", "validation"),
        kind="validates",
        target=item(cast, project, "REQ-1", "design_input"),
    )
    assert str(made) == "VAL-1 validates REQ-1"
    event = AuditEvent.objects.get(action="design.link_rule.added")
    assert changes_of(event)["rule"] == [None, "validation validates design_input"]
    assert changes_of(event)["links_not_allowed"] == [0, 0]


def test_an_item_type_is_added_edited_and_retired_with_the_old_and_new_values(cast, project):
    kind = config.add_item_type(
        actor=cast.qa_lead, code="hazard_note", name="Hazard note", prefix="HN", level=7
    )
    assert changes_of(last_event()) == {
        "name": [None, "Hazard note"],
        "level": [None, 7],
        "needs_evidence": [None, False],
        "code": [None, "hazard_note"],
        "prefix": [None, "HN"],
    }
    note = item(cast, project, "HN-1", "hazard_note")
    config.edit_item_type(
        actor=cast.qa_lead,
        item_type=kind,
        name="Hazard memo",
        level=8,
        needs_evidence=False,
        reason="House word",
    )
    event = last_event()
    assert (event.action, event.reason) == ("design.item_type.edited", "House word")
    assert changes_of(event)["name"] == ["Hazard note", "Hazard memo"]
    assert changes_of(event)["level"] == [7, 8]
    design.retire_item(actor=cast.author, item=note, reason="Gone")
    config.retire_item_type(actor=cast.qa_lead, item_type=kind, reason="Not used")
    assert (last_event().action, changes_of(last_event())) == (
        "design.item_type.retired",
        {"active": [True, False]},
    )
    with pytest.raises(InvalidInput, match="There is no item type “hazard_note” in use"):
        item(cast, project, "HN-2", "hazard_note")


@pytest.mark.verifies("DES-046", refusal=True)
def test_refusals_are_clear_and_write_nothing(cast, project):
    item(cast, project, "UN-1", "user_need")
    kind = config.add_item_type(
        actor=cast.qa_lead, code="spare", name="Spare", prefix="SP", level=9
    )
    config.retire_item_type(actor=cast.qa_lead, item_type=kind, reason="Not needed")
    need = ItemType.objects.get(code="user_need")
    before, state, stored = event_count(), config_state(), gaps(project)
    refusals = [
        (
            InvalidInput,
            "1 active item of type “User need” exist",
            lambda: config.retire_item_type(
                actor=cast.qa_lead, item_type=ItemType.objects.get(code="user_need"), reason="x"
            ),
        ),
        (
            InvalidInput,
            "name “Design input",
            lambda: config.retire_item_type(
                actor=cast.qa_lead, item_type=ItemType.objects.get(code="design_input"), reason="x"
            ),
        ),
        (
            InvalidInput,
            "may already “derives from”",
            lambda: config.add_link_rule(
                actor=cast.qa_lead,
                source_type="design_input",
                kind="derives_from",
                target_type="user_need",
            ),
        ),
        (
            InvalidInput,
            "“Spare” is retired",
            lambda: config.add_link_rule(
                actor=cast.qa_lead, source_type="spare", kind="verifies", target_type="user_need"
            ),
        ),
        (
            InvalidInput,
            "“Spare” is retired",
            lambda: config.add_gap_rule(actor=cast.qa_lead, **NEW_RULE | {"item_type": "spare"}),
        ),
        (
            InvalidInput,
            "already asks the same",
            lambda: config.add_gap_rule(
                actor=cast.qa_lead,
                **NEW_RULE | {"item_type": "user_need", "accepts": [["validates", "validation"]]},
            ),
        ),
        (
            InvalidInput,
            "No link rule lets a verification test “verifies” a user need",
            lambda: config.add_gap_rule(
                actor=cast.qa_lead, **NEW_RULE | {"item_type": "user_need"}
            ),
        ),
        (
            InvalidInput,
            "code “need_without_input” is taken",
            lambda: config.add_gap_rule(
                actor=cast.qa_lead, **NEW_RULE | {"code": "need_without_input"}
            ),
        ),
        (
            InvalidInput,
            "prefix “REQ”",
            lambda: config.add_item_type(
                actor=cast.qa_lead, code="req2", name="Req 2", prefix="REQ", level=2
            ),
        ),
        (
            InvalidInput,
            "Give the reason",
            lambda: config.edit_item_type(
                actor=cast.qa_lead,
                item_type=need,
                name="Need",
                level=1,
                needs_evidence=False,
                reason="",
            ),
        ),
        (
            InvalidInput,
            "code of “User need” cannot change",
            lambda: config.edit_item_type(
                actor=cast.qa_lead,
                item_type=need,
                code="need",
                name="User need",
                level=1,
                needs_evidence=False,
                reason="Shorter",
            ),
        ),
        (
            TransitionNotAllowed,
            "already retired",
            lambda: config.retire_item_type(actor=cast.qa_lead, item_type=kind, reason="again"),
        ),
        (PermissionRefused, None, lambda: config.add_gap_rule(actor=cast.author, **NEW_RULE)),
        (
            PermissionRefused,
            None,
            lambda: config.retire_gap_rule(
                actor=cast.auditor, rule=CoverageRule.objects.first(), reason="x"
            ),
        ),
    ]
    for error, words, call in refusals:
        with pytest.raises(error, match=words):
            call()
    assert (event_count(), config_state(), gaps(project)) == (before, state, stored)


def test_a_retired_item_type_is_refused_by_an_import(cast, tmp_path):
    kind = config.add_item_type(
        actor=cast.qa_lead, code="spare", name="Spare", prefix="SP", level=9
    )
    config.retire_item_type(actor=cast.qa_lead, item_type=kind, reason="Not needed")
    path = tmp_path / "items.csv"
    path.write_text("uid,type,title,text,parent,kind\nSP-1,spare,Spare one,Text,,\n")
    before = event_count()
    with pytest.raises(ImportRefused) as caught:
        import_path(actor=cast.author, path=path, project_name="Rhythm")
    assert "There is no item type “spare”" in caught.value.problems[0][2]
    assert event_count() == before
