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
                said = [
                    f"{done} {result.items} item(s) and {result.links} link(s); "
                    f"{result.skipped} item(s) were already there unchanged."
                ]
                if result.changed or result.links_removed:
                    verbs = ("would change", "remove") if dry_run else ("changed", "removed")
                    said.append(
                        f"It {verbs[0]} {len(result.changed)} item(s) and {verbs[1]} "
                        f"{len(result.links_removed)} link(s)."
                    )
                # One message (one status for a screen reader), with the command's lines.
                tell = messages.warning if result.kept_signed else messages.success
                tell(request, " ".join([*said, *result.summary()[1:]]))
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
