"""The supplier register's pages: the list (paged, filtered, a constant number of
queries), a supplier with everything about it, and the forms that add, edit and retire."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_or_404
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_posted, attempt_with_reason
from openqms.suppliers import access, actions, due
from openqms.suppliers.forms import (
    CertificateForm,
    PerformanceForm,
    RescheduleForm,
    SupplierFilter,
    SupplierForm,
)
from openqms.suppliers.models import Decision, EvaluationState, OutsourcedProcess
from openqms.suppliers.registry import MANAGE

PAGE_SIZE = 25


def supplier_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = SupplierFilter(request.GET or None)
    rows = access.visible_suppliers(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if not data.get("retired"):
        rows = rows.filter(retired_at__isnull=True)
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("criticality"):
        rows = rows.filter(criticality=data["criticality"])
    if data.get("due"):
        rows = rows.filter(pk__in=due.reevaluations_due(timezone.localdate()).values("pk"))
    page = Paginator(rows.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "suppliers/list.html",
        {
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_manage": has_permission(request.user, MANAGE),
        },
    )


def supplier_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supplier = access.get_supplier_for_user(request.user, pk)
    evaluations = supplier.evaluations.select_related("evaluator").prefetch_related(
        Prefetch("decision", queryset=Decision.objects.select_related("decided_by"))
    )
    can_manage = has_permission(request.user, MANAGE)
    performance = list(supplier.performance.select_related("recorded_by"))
    return render(
        request,
        "suppliers/detail.html",
        {
            "supplier": supplier,
            "today": timezone.localdate(),
            "evaluations": list(evaluations),
            "open_evaluation": supplier.evaluations.filter(state=EvaluationState.AWAITING).first(),
            "certificates": list(supplier.certificates.all()),
            "performance": [p for p in performance if p.withdrawn_at is None],
            "withdrawn_performance": [p for p in performance if p.withdrawn_at is not None],
            "outsourced": list(
                OutsourcedProcess.objects.filter(partner=supplier).select_related("agreement")
            ),
            "can_manage": can_manage and not supplier.retired,
            "certificate_form": CertificateForm(),
            "performance_form": PerformanceForm(),
            "reschedule_form": RescheduleForm(),
        },
    )


def _form_page(request: AuthenticatedHttpRequest, form: SupplierForm, supplier=None):
    return render(request, "suppliers/form.html", {"form": form, "supplier": supplier})


def supplier_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_or_404(request.user, MANAGE)
    form = SupplierForm(request.POST or None)
    form.fields.pop("reason")
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.create_supplier(actor=request.user, **form.cleaned_data),
            "Supplier added. Evaluate them before use.",
        )
        if made:
            return redirect("suppliers:detail", pk=made.pk)
    return _form_page(request, form)


def supplier_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    initial = {f: getattr(supplier, f) for f in actions.suppliers.FIELDS}
    form = SupplierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.edit_supplier(
                actor=request.user, supplier=supplier, **form.cleaned_data
            ),
            "Supplier saved.",
        )
        if done:
            return redirect("suppliers:detail", pk=supplier.pk)
    return _form_page(request, form, supplier)


@require_POST
def supplier_reschedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    attempt_posted(
        request,
        RescheduleForm(request.POST),
        lambda data: actions.reschedule_evaluation(actor=request.user, supplier=supplier, **data),
        "Re-evaluation brought forward.",
    )
    return redirect("suppliers:detail", pk=supplier.pk)


@require_POST
def supplier_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    attempt_with_reason(
        request,
        lambda reason: actions.retire_supplier(
            actor=request.user, supplier=supplier, reason=reason
        ),
        f"{supplier.name} retired; the record is kept.",
    )
    return redirect("suppliers:detail", pk=supplier.pk)
