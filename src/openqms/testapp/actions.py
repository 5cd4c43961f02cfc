from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.text import clean_text
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
def create_specimen(
    *, actor: User, title: str, body: str = "", patient_details: str = ""
) -> Specimen:
    require(actor, EDIT)
    patient_details = clean_text(patient_details, "patient_details", required=False, limit=2000)
    specimen = Specimen.objects.create(
        title=title, body=body, patient_details=patient_details, author=actor
    )
    changes = {"title": [None, title], "body": [None, body]}
    if patient_details:  # health data: the trail masks it for those without the grant
        changes["patient_details"] = [None, patient_details]
    audit.record(actor=actor, action="testapp.specimen.edited", obj=specimen, changes=changes)
    return specimen


@audit.writing()
def edit_specimen(
    *, actor: User, specimen: Specimen, body: str, patient_details: str | None = None
) -> Specimen:
    specimen = Specimen.objects.select_for_update().get(pk=specimen.pk)
    if specimen.state != S.DRAFT:
        raise TransitionNotAllowed("Only a draft can be edited.")
    before = {"body": specimen.body, "patient_details": specimen.patient_details}
    after = {"body": body}
    if patient_details is not None:
        after["patient_details"] = clean_text(
            patient_details, "patient_details", required=False, limit=2000
        )
    audit.record(
        actor=actor,
        action="testapp.specimen.edited",
        obj=specimen,
        changes={"body": [specimen.body, body], **audit.diff(before, after)},
    )
    for name, value in after.items():
        setattr(specimen, name, value)
    specimen.save(update_fields=list(after))
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
