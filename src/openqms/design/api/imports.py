"""Imports over the API: POST a .sdoc, ReqIF or CSV file (multipart field `file`, or
several .sdoc files) to import into a project; GET the project as ReqIF. The same
function as the page and the command; a refusal answers 422 with every problem."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from ninja import File, Schema, Status
from ninja.files import UploadedFile

from openqms.core.api import MEMBERS
from openqms.core.http import AuthenticatedHttpRequest
from openqms.design import access, reqif_export
from openqms.design.api import router
from openqms.design.importing import ImportRefused, import_files, read_uploads
from openqms.design.models import DesignProject
from openqms.design.registry import EDIT


class ImportOut(Schema):
    project: str
    items: int
    links: int
    skipped: int
    dry_run: bool
    files: list[dict[str, str]]
    changed: list[str]
    links_removed: list[str]
    kept_signed: list[str]
    not_in_file: list[str]
    summary: list[str]


def _binary() -> dict[str, Any]:
    schema = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {200: {"description": "ReqIF 1.0", "content": {"application/xml": schema}}}
    }


@router.post("/projects/{pk}/import", response={200: ImportOut, 422: dict}, auth=MEMBERS)
def import_into(
    request: AuthenticatedHttpRequest,
    pk: int,
    file: File[list[UploadedFile]],
    dry_run: bool = False,
):
    """Import items and links; nothing is written when anything is wrong (422, with
    `problems`: [{file, line, message}])."""
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk, permission=EDIT)
    try:
        result = import_files(
            actor=request.user, files=read_uploads(file), project_name=project.name, dry_run=dry_run
        )
    except ImportRefused as refused:
        problems = [{"file": f, "line": n, "message": m} for f, n, m in refused.problems]
        return Status(422, {"code": refused.code, "message": refused.message, "problems": problems})
    return Status(
        200,
        {
            "project": project.name,
            "items": result.items,
            "links": result.links,
            "skipped": result.skipped,
            "dry_run": result.dry_run,
            "files": [{"name": n, "sha256": h} for n, h in result.files],
            "changed": result.changed,
            "links_removed": result.links_removed,
            "kept_signed": result.kept_signed,
            "not_in_file": result.not_in_file,
            "summary": result.summary(),
        },
    )


@router.get("/projects/{pk}/reqif", openapi_extra=_binary(), auth=MEMBERS)
def export_reqif(request: AuthenticatedHttpRequest, pk: int):
    """The project's active items and their links as ReqIF 1.0 XML."""
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    out = io.BytesIO()
    reqif_export.write(project, out)
    response = HttpResponse(out.getvalue(), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{project.pk}.reqif"'
    return response
