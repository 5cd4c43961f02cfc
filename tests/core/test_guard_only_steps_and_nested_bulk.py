"""Two things training's assignment table needs from core: a person's step that needs no
permission (its guards alone decide: the assignment is the right to train), and a bulk
step taken inside a step already under way (a new revision closes open training)."""

import pytest
from django.db import transaction

from openqms.core import audit, signing
from openqms.core.workflow import Transition, Workflow, same_person
from openqms.testapp.models import Specimen, SpecimenState
from openqms.testing import changes_of, event_count, events_since
from tests.core.specimens import give_specimen_rights, submitted_specimen

S = SpecimenState

WITHDRAW = Workflow(
    model=Specimen,
    states=SpecimenState,
    transitions=[
        Transition(
            "withdraw",
            sources=(S.IN_REVIEW,),
            target=S.DRAFT,
            permission="",
            event="testapp.specimen.submitted",
            guards=(same_person("author", "Only its author withdraws it."),),
        )
    ],
)


@pytest.fixture
def cast(cast):
    give_specimen_rights(cast)
    return cast


def test_a_step_without_a_permission_is_offered_by_its_guards_alone(cast):
    specimen = submitted_specimen(cast)
    assert [t.name for t in WITHDRAW.available(specimen, cast.author)] == ["withdraw"]
    assert WITHDRAW.available(specimen, cast.outsider) == []
    before = event_count()
    WITHDRAW.apply(obj=specimen, name="withdraw", actor=cast.author)
    specimen.refresh_from_db()
    assert specimen.state == S.DRAFT
    [event] = events_since(before)
    assert changes_of(event)["state"] == [S.IN_REVIEW, S.DRAFT]


def test_a_transition_naming_an_unknown_permission_is_still_refused_at_declaration():
    with pytest.raises(ValueError, match="unknown permission"):
        Workflow(
            model=Specimen,
            states=SpecimenState,
            transitions=[
                Transition(
                    "x",
                    sources=(S.DRAFT,),
                    target=S.IN_REVIEW,
                    permission="testapp.specimen:nothing",
                    event="testapp.specimen.submitted",
                )
            ],
        )


def test_a_bulk_step_within_a_step_under_way_runs_in_its_transaction(cast):
    specimen = submitted_specimen(cast)
    before = event_count()
    with transaction.atomic(durable=True):
        event = signing.bulk_step(
            actor=cast.qa_lead,
            queryset=Specimen.objects.filter(state=S.IN_REVIEW),
            change=lambda rows: audit.record(
                actor=cast.qa_lead,
                action="testapp.specimen.approved",
                obj=rows[0],
                changes={"specimens": [r.pk for r in rows]},
            ),
            within=True,
        )
    assert events_since(before) == [event]
    assert changes_of(event) == {"specimens": [specimen.pk]}


def test_a_bulk_step_on_its_own_is_still_the_outermost_transaction(cast):
    submitted_specimen(cast)
    with pytest.raises(RuntimeError), transaction.atomic(durable=True):
        signing.bulk_step(
            actor=cast.qa_lead, queryset=Specimen.objects.all(), change=lambda rows: None
        )
