"""Document types: the configuration page (documents.type:manage)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openqms.core.access import require_or_404
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt
from openqms.documents import actions
from openqms.documents.forms import DocumentTypeForm
from openqms.documents.models import DocumentType
from openqms.documents.registry import TYPES
from openqms.documents.views.records import _nav


def _require_types(request: AuthenticatedHttpRequest) -> None:
    require_or_404(request.user, TYPES)


def type_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_types(request)
    context = {"types": DocumentType.objects.order_by("name")}
    return render(request, "documents/types.html", context | _nav(request.user, "types"))


def type_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    _require_types(request)
    doc_type = get_object_or_404(DocumentType, code=code)
    form = DocumentTypeForm(
        request.POST or None,
        initial={f: getattr(doc_type, f) for f in DocumentTypeForm.base_fields if f != "reason"},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: actions.update_document_type(
                actor=request.user, doc_type=doc_type, **form.cleaned_data
            ),
            f"{doc_type.name} saved.",
        )
    ):
        return redirect("documents:types")
    context = {"doc_type": doc_type, "form": form}
    return render(request, "documents/type_edit.html", context | _nav(request.user, "types"))
