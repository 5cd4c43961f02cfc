"""The CAPA's content and plan: the analysis (at least one why, a category, a root cause),
actions done by their owner with evidence, who may change what; every refusal writes
nothing."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.events.actions import capa as actions
from openqms.events.actions import capa_plan as plan
from openqms.events.models import Capa, CapaAction
from openqms.testing import changes_of, event_count, events_since

from .capa_helpers import investigated, raised, with_action


@pytest.mark.verifies("EVT-032")
def test_the_analysis_records_the_whys_in_order_and_the_categories(cast):
    capa = raised(cast)
    before = event_count()
    plan.record_analysis(
        actor=cast.qa_lead,
        capa=capa,
        whys=["First", "", "Second"],
        categories=["supplier", "people", "supplier"],
        root_cause="Root.",
    )
    capa.refresh_from_db()
    assert capa.whys == ["First", "Second"]
    assert capa.cause_categories == ["people", "supplier"]
    [event] = events_since(before)
    assert event.action == "events.capa.analysed"
    assert changes_of(event)["whys"] == [[], ["First", "Second"]]


@pytest.mark.verifies("EVT-032")
@pytest.mark.parametrize(
    ("whys", "categories", "root_cause", "field"),
    [
        (["", ""], ["people"], "R", "why_1"),
        (["W"], [], "R", "cause_categories"),
        (["W"], ["luck"], "R", "cause_categories"),
        (["W"], ["people"], "", "root_cause"),
    ],
)
def test_an_incomplete_analysis_is_refused_and_nothing_is_written(
    cast, whys, categories, root_cause, field
):
    capa = raised(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        plan.record_analysis(
            actor=cast.qa_lead, capa=capa, whys=whys, categories=categories, root_cause=root_cause
        )
    assert field in refused.value.fields
    capa.refresh_from_db()
    assert capa.whys == [] and event_count() == before


@pytest.mark.verifies("EVT-032")
def test_the_action_owner_marks_it_done_with_evidence(cast):
    capa = investigated(cast)
    task = with_action(cast, capa, owner=cast.trainee)
    before = event_count()
    plan.complete_action(actor=cast.trainee, action=task, evidence="Done in 2.1.3.")
    task.refresh_from_db()
    assert task.done_by == cast.trainee and task.evidence == "Done in 2.1.3."
    [event] = events_since(before)
    assert event.action == "events.capa.action_done"
    assert changes_of(event)["done"] == [False, True]


@pytest.mark.verifies("EVT-032")
def test_someone_else_without_the_capa_permission_cannot_mark_an_action_done(cast):
    capa = investigated(cast)
    task = with_action(cast, capa, owner=cast.trainee)
    before = event_count()
    with pytest.raises(PermissionRefused):
        plan.complete_action(actor=cast.author, action=task, evidence="x")
    task.refresh_from_db()
    assert task.done_at is None and event_count() == before


@pytest.mark.verifies("EVT-032")
def test_an_action_is_done_only_with_its_evidence(cast):
    task = with_action(cast, investigated(cast))
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        plan.complete_action(actor=cast.author, action=task, evidence="  ")
    assert "evidence" in refused.value.fields
    assert CapaAction.objects.get(pk=task.pk).done_at is None and event_count() == before


@pytest.mark.verifies("EVT-032")
def test_an_action_needs_an_owner_and_a_due_date(cast):
    capa = investigated(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        plan.add_action(actor=cast.qa_lead, capa=capa, description="D", owner=None, due="")
    assert "owner" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        plan.add_action(actor=cast.qa_lead, capa=capa, description="D", owner=cast.author, due="")
    assert "due" in refused.value.fields
    assert event_count() == before and not CapaAction.objects.exists()


@pytest.mark.verifies("EVT-032")
def test_the_author_who_raised_it_cannot_edit_the_capa(cast):
    capa = actions.raise_capa(actor=cast.author, title="T", capa_type="corrective", problem="P")
    before = event_count()
    with pytest.raises(PermissionRefused):
        plan.edit_capa(
            actor=cast.author, capa=capa, title="New", capa_type="corrective", problem="P"
        )
    assert Capa.objects.get(pk=capa.pk).title == "T" and event_count() == before


@pytest.mark.verifies("EVT-032")
def test_risk_levels_are_one_to_five(cast):
    capa = raised(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        plan.edit_capa(
            actor=cast.qa_lead,
            capa=capa,
            title=capa.title,
            capa_type="corrective",
            problem="P",
            risk_severity=9,
        )
    assert "risk_severity" in refused.value.fields and event_count() == before


@pytest.mark.verifies("EVT-035", refusal=True)
def test_a_closed_capa_cannot_be_changed(cast):
    from .capa_helpers import SIGN, in_check, judged

    capa = judged(cast, in_check(cast))
    capa = actions.take_step(actor=cast.qa_lead, capa=capa, step="close", credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="closed"):
        plan.plan_effectiveness(actor=cast.qa_lead, capa=capa, criteria="x", due="2030-01-01")
    assert event_count() == before
