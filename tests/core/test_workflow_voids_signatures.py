"""A step that sends a record back for change voids its signatures, in core (rule 10)."""

import pytest

from openqms.core import signatures
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.testapp.actions import take_step
from openqms.testapp.models import APPROVE, Specimen, SpecimenState
from openqms.testing import PASSWORD, changes_of, event_count, events_since
from tests.core.specimens import give_specimen_rights, submitted_specimen

S = SpecimenState
SEND_BACK = Workflow(
    model=Specimen,
    states=SpecimenState,
    transitions=[
        Transition(
            "send_back",
            sources=(S.APPROVED,),
            target=S.DRAFT,
            permission=APPROVE,
            event="testapp.specimen.rejected",
            voids_signatures="Sent back for change",
        )
    ],
)


@pytest.mark.verifies("CORE-009")
def test_a_step_declared_to_void_signatures_voids_the_live_ones_after_its_event(cast):
    give_specimen_rights(cast)
    specimen = take_step(
        actor=cast.approver,
        specimen=submitted_specimen(cast),
        step="approve",
        credentials=Credentials(PASSWORD),
    )
    before = event_count()
    SEND_BACK.apply(obj=specimen, name="send_back", actor=cast.qa_lead)
    moved, voided = events_since(before)
    assert moved.action == "testapp.specimen.rejected"
    assert (voided.action, voided.reason) == ("core.signature.voided", "Sent back for change")
    assert changes_of(voided)["meaning"] == "approved"
    [shown] = signatures.manifestations(specimen)
    assert not shown.valid and shown.problem == "voided: Sent back for change"


def test_a_step_cannot_both_sign_and_void_signatures():
    with pytest.raises(ValueError, match="both sign and void"):
        Workflow(
            model=Specimen,
            states=SpecimenState,
            transitions=[
                Transition(
                    "odd",
                    sources=(S.IN_REVIEW,),
                    target=S.DRAFT,
                    permission=APPROVE,
                    event="testapp.specimen.rejected",
                    signature="approved",
                    voids_signatures="x",
                )
            ],
        )
