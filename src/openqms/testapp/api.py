"""Test-only endpoint: a workflow step over the API, signed with the password in the body."""

from ninja import Router, Schema

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
