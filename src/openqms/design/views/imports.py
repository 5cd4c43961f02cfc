"""A project's "Import requirements" page: upload .sdoc files, a ReqIF file or a CSV;
every problem is shown with its file and line and nothing is written, or everything is.
And the project as a ReqIF download."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openqms.core.http import AuthenticatedHttpRequest
from openqms.design import access, reqif_export
from openqms.design.importing import ImportRefused, import_files, read_uploads
from openqms.design.models import DesignProject
from openqms.design.registry import EDIT


def import_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk, permission=EDIT)
    problems: list[tuple[str, int, str]] = []
    if request.method == "POST":
        chosen = request.FILES.getlist("files")
        dry_run = bool(request.POST.get("dry_run"))
        if not chosen:
            problems = [("", 0, "Choose one or more .sdoc files, or one ReqIF or CSV file.")]
        else:
            try:
                result = import_files(
                    actor=request.user,
                    files=read_uploads(chosen),
                    project_name=project.name,
                    dry_run=dry_run,
                )
            except ImportRefused as refused:
                problems = refused.problems
            else:
                done = "The files are fine: importing would add" if dry_run else "Imported"
                messages.success(
                    request,
                    f"{done} {result.items} item(s) and {result.links} link(s); "
                    f"{result.skipped} item(s) were already there unchanged.",
                )
                for line in result.summary():  # the same words as the command's
                    (messages.warning if line.startswith("Warning") else messages.info)(
                        request, line
                    )
                return redirect("design:import", pk=project.pk) if dry_run else redirect(project)
    status = 422 if problems else 200
    context = {"project": project, "problems": problems}
    return render(request, "design/imports/import.html", context, status=status)


def reqif_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    out = io.BytesIO()
    reqif_export.write(project, out)
    response = HttpResponse(out.getvalue(), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{project.pk}.reqif"'
    return response
