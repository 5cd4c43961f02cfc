from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow, different_person, same_person
from openqms.testapp.models import APPROVE, EDIT, Specimen, SpecimenState

S = SpecimenState
REVIEW = Workflow(
    model=Specimen,
    states=SpecimenState,
    transitions=[
        Transition(
            "submit",
            sources=(S.DRAFT,),
            target=S.IN_REVIEW,
            permission=EDIT,
            event="testapp.specimen.submitted",
            label="Submit for approval",
            guards=(same_person("author", "Only the author can submit it."),),
        ),
        Transition(
            "approve",
            sources=(S.IN_REVIEW,),
            target=S.APPROVED,
            permission=APPROVE,
            event="testapp.specimen.approved",
            label="Approve",
            signature="approved",
            guards=(different_person("author", "The author cannot approve their own work."),),
        ),
        Transition(
            "reject",
            sources=(S.IN_REVIEW,),
            target=S.DRAFT,
            permission=APPROVE,
            event="testapp.specimen.rejected",
            label="Reject",
            reason_required=True,
        ),
    ],
)


@audit.writing()
def create_specimen(*, actor: User, title: str, body: str = "") -> Specimen:
    require(actor, EDIT)
    specimen = Specimen.objects.create(title=title, body=body, author=actor)
    audit.record(
        actor=actor,
        action="testapp.specimen.edited",
        obj=specimen,
        changes={"title": [None, title], "body": [None, body]},
    )
    return specimen


@audit.writing()
def edit_specimen(*, actor: User, specimen: Specimen, body: str) -> Specimen:
    specimen = Specimen.objects.select_for_update().get(pk=specimen.pk)
    if specimen.state != S.DRAFT:
        raise TransitionNotAllowed("Only a draft can be edited.")
    audit.record(
        actor=actor,
        action="testapp.specimen.edited",
        obj=specimen,
        changes={"body": [specimen.body, body]},
    )
    specimen.body = body
    specimen.save(update_fields=["body"])
    return specimen


def take_step(
    *,
    actor: User,
    specimen: Specimen,
    step: str,
    reason: str = "",
    credentials: Credentials | None = None,
) -> Specimen:
    return REVIEW.apply(
        obj=specimen, name=step, actor=actor, reason=reason, credentials=credentials
    )
