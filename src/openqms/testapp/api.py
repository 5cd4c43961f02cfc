"""Test-only endpoint: a workflow step over the API, signed with the password in the body."""

from ninja import Router, Schema

from openqms.core import confidentiality
from openqms.core.api import SignatureIn
from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.testapp.actions import take_step
from openqms.testapp.models import Specimen

router = Router()


class SpecimenOut(Schema):
    id: int
    state: str
    version: int


class SpecimenDetailOut(Schema):
    id: int
    title: str
    state: str
    patient_details: str  # health data: hidden unless the caller holds the grant

    resolve_patient_details = staticmethod(confidentiality.resolver("patient_details"))


@router.get("/specimens/{pk}", response=SpecimenDetailOut, tags=["tests only"])
def specimen(request: AuthenticatedHttpRequest, pk: int):
    found = Specimen.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


@router.post("/specimens/{pk}/{step}", response=SpecimenOut, tags=["tests only"])
def specimen_step(request: AuthenticatedHttpRequest, pk: int, step: str, body: SignatureIn):
    specimen = Specimen.objects.filter(pk=pk).first()
    if specimen is None:
        raise NotFound()
    return take_step(
        actor=request.user,
        specimen=specimen,
        step=step,
        reason=body.reason,
        credentials=body.credentials(),
    )
