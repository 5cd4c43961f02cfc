import csv
import io

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openqms.core import confidentiality
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signing import signer_credentials
from openqms.core.views.common import attempt
from openqms.testapp.actions import REVIEW, take_step
from openqms.testapp.models import Specimen


def specimen_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    specimens = Specimen.objects.order_by("pk")
    return render(request, "testapp/specimen_list.html", {"specimens": specimens})


def specimen_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    specimen = get_object_or_404(Specimen, pk=pk)
    return render(
        request,
        "testapp/specimen.html",
        {
            "specimen": specimen,
            "steps": REVIEW.available(specimen, request.user),
        },
    )


def specimen_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The specimen as a human-readable CSV: health data revealed to holders (the read
    recorded) and the file marked, hidden for anyone else (core.confidentiality)."""
    specimen = get_object_or_404(Specimen, pk=pk)
    health = confidentiality.revealed_for(request, specimen)
    out = io.StringIO()
    writer = csv.writer(out)
    if confidentiality.holds_values(health):
        writer.writerow([confidentiality.export_note()])
    writer.writerow(["title", "state", "body", "patient_details"])
    writer.writerow([specimen.title, specimen.state, specimen.body, health["patient_details"]])
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="specimen-{specimen.pk}.csv"'
    return response


@require_POST
def specimen_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    specimen = get_object_or_404(Specimen, pk=pk)
    form = SignatureForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    attempt(
        request,
        None,
        lambda: take_step(
            actor=request.user,
            specimen=specimen,
            step=step,
            reason=data.get("reason", ""),
            credentials=signer_credentials(
                password=data.get("password", ""),
                otp_code=data.get("otp_code", ""),
                content_hash=data.get("content_hash", ""),
            ),
        ),
        "Done.",
    )
    return redirect("testapp:specimen", pk=specimen.pk)
