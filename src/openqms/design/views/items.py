"""Design item pages: a project's items (filtered, paged, a constant number of queries),
an item with its links and gaps, create, edit (refused over a newer version, the typed
text kept), retire, link and unlink, the signed review of a suspect link, and a
project's suspect links. Plain POST-redirect-GET; every change through design.actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.errors import InvalidInput
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import AuditEvent
from openqms.core.registry import AUDIT_READ
from openqms.core.text import render_markdown
from openqms.core.views.common import attempt, attempt_posted, attempt_signed
from openqms.design import access, link_review
from openqms.design.actions import items as actions
from openqms.design.actions import release
from openqms.design.evidence_status import status_of
from openqms.design.forms import (
    EditForm,
    ItemFilter,
    ItemForm,
    LinkForm,
    RetireForm,
    attributes_text,
)
from openqms.design.models import DesignProject, Gap, Item, Link, LinkState
from openqms.design.registry import EDIT, REVIEW

PAGE_SIZE = 50


def _project(request: AuthenticatedHttpRequest, pk: int) -> DesignProject:
    return access.get_for_user(request.user, DesignProject.objects.all(), pk)


def _items() -> QuerySet[Item]:
    return Item.objects.select_related("project", "item_type", "created_by")


def filtered_items(project: DesignProject, data: dict[str, Any]) -> QuerySet[Item]:
    """The project's items as the list's (and the API's) filters ask, each marked with
    whether it has gaps and suspect links (two EXISTS columns, no query per row)."""
    suspect = Link.objects.filter(state=LinkState.SUSPECT)
    found = (
        Item.objects.filter(project=project)
        .select_related("item_type")
        .annotate(
            has_gaps=Exists(Gap.objects.filter(item=OuterRef("pk"))),
            has_suspect=Exists(suspect.filter(Q(source=OuterRef("pk")) | Q(target=OuterRef("pk")))),
        )
    )
    if data.get("type"):
        kind = data["type"]  # an ItemType (the page's form) or its code (the API)
        found = found.filter(item_type__code=getattr(kind, "code", kind))
    if data.get("state"):
        found = found.filter(state=data["state"])
    if data.get("q"):
        found = found.filter(Q(uid__icontains=data["q"]) | Q(title__icontains=data["q"]))
    if data.get("gaps"):
        found = found.filter(has_gaps=True)
    if data.get("suspect"):
        found = found.filter(has_suspect=True)
    return found.order_by("item_type__level", "sort_key", "uid")


def item_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    form = ItemFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(filtered_items(project, data), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "design/pages/items.html",
        {
            "project": project,
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "query": query.urlencode(),
            "can_edit": has_permission(request.user, EDIT),
        },
    )


def _links() -> QuerySet[Link]:
    return Link.objects.select_related(
        "source", "target", "source__item_type", "target__item_type"
    ).order_by("kind", "pk")


def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_for_user(request.user, _items(), pk)
    user = request.user
    trail = ""
    if has_permission(user, AUDIT_READ):
        query = urlencode({"object_type": "design.item", "object_id": item.pk})
        trail = f"{reverse('core:audit')}?{query}"
    links_out, links_in = list(_links().filter(source=item)), list(_links().filter(target=item))
    found = link_review.reviews([*links_out, *links_in])
    for link in (*links_out, *links_in):
        link.review = found.get(link.pk)  # type: ignore[attr-defined]  # shown in the dialog
    return render(
        request,
        "design/pages/item.html",
        {
            "item": item,
            "project": item.project,
            "body": render_markdown(item.text),
            "links_out": links_out,
            "links_in": links_in,
            "gaps": list(Gap.objects.filter(item=item).order_by("rule")),
            "evidence": status_of([item.pk])[item.pk] if item.item_type.needs_evidence else None,
            "trail_url": trail,
            "can_edit": has_permission(user, EDIT) and item.state == "active",
            "can_review": has_permission(user, REVIEW),
            "link_form": LinkForm(),
            "retire_form": RetireForm(),
            **_release_changes(item.project),
        },
    )


def item_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.need(request.user, EDIT)
    project = _project(request, pk)
    form = ItemForm(request.POST or None, initial={"item_type": request.GET.get("type")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            request,
            form,
            lambda: actions.create_item(
                actor=request.user,
                project=project,
                uid=data["uid"],
                item_type=data["item_type"],
                title=data["title"],
                text_=data["text"],
                attributes=data["attributes"],
                change=_posted_change(request),
            ),
            "Item created. Link it to the items it traces to.",
        )
        if made:
            return redirect("design:item", pk=made.pk)
    context = {"form": form, "project": project, **_release_changes(project)}
    return render(request, "design/pages/item_form.html", context)


def item_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.need(request.user, EDIT)
    item = access.get_for_user(request.user, _items(), pk)
    initial = {
        "title": item.title,
        "text": item.text,
        "attributes": attributes_text(item.attributes),
        "based_on": item.version,
    }
    changes = release.open_changes(item.project, item)
    form = EditForm(request.POST or None, initial=initial, changes=changes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            form,
            lambda: actions.edit_item(
                actor=request.user,
                item=item,
                title=data["title"],
                text_=data["text"],
                attributes=data["attributes"],
                based_on=data["based_on"],
                reason=data["reason"],
                change=data["change"],
            ),
            "Saved as a new version. Its links are suspect until reviewed.",
        )
        if done:
            return redirect("design:item", pk=item.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "item": item, "released": release.released(item.project)}
    return render(request, "design/pages/item_edit.html", context, status=status)


def _release_changes(project: DesignProject) -> dict[str, Any]:
    """After release, what the retire and remove forms need: the signed baseline's name
    and the approved changes to choose from (ISO 13485 7.3.9)."""
    baseline = release.released(project)
    if baseline is None:
        return {"released": None, "release_changes": []}
    approved = [c for c in release.open_changes(project) if c.state == "approved"]
    return {"released": baseline, "release_changes": approved}


def _posted_change(request: AuthenticatedHttpRequest) -> str | None:
    """The design change a retire or remove form names (its id), if any; the action
    checks it belongs to the project and may carry this change."""
    return request.POST.get("change") or None


@require_POST
def item_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.need(request.user, EDIT)
    item = access.get_for_user(request.user, _items(), pk)
    attempt_posted(
        request,
        RetireForm(request.POST),
        lambda data: actions.retire_item(
            actor=request.user, item=item, reason=data["reason"], change=_posted_change(request)
        ),
        "Item retired. It stays in the baselines and the trail.",
    )
    return redirect("design:item", pk=item.pk)


@require_POST
def link_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.need(request.user, EDIT)
    item = access.get_for_user(request.user, _items(), pk)
    attempt_posted(request, LinkForm(request.POST), lambda d: _link(request, item, d), "Linked.")
    return redirect("design:item", pk=item.pk)


def _link(request: AuthenticatedHttpRequest, item: Item, data: dict[str, Any]) -> Link:
    other = item_by_uid(item.project, data["other"])
    source, target = (item, other) if data["direction"] == "out" else (other, item)
    return actions.link_items(
        actor=request.user,
        source=source,
        kind=data["kind"],
        target=target,
        change=_posted_change(request),
    )


def item_by_uid(project: DesignProject, uid: str) -> Item:
    found = Item.objects.filter(project=project, uid=uid.strip()).first()
    if found is None:
        raise InvalidInput(f"There is no item “{uid[:100]}” in {project}.", fields={"other": "?"})
    return found


def _link_of(request: AuthenticatedHttpRequest, pk: int, permission: str) -> Link:
    access.need(request.user, permission)
    return access.get_for_user(request.user, _links(), pk)


def _back(request: AuthenticatedHttpRequest, link: Link) -> HttpResponse:
    # Back to where the person acted: the item page they came from (a form's `next`, or
    # the page the signing dialog was on), or the link's source.
    came_from = request.POST.get("next", "")
    if not came_from:
        referer = request.META.get("HTTP_REFERER", "")
        host = f"{request.scheme}://{request.get_host()}"
        came_from = referer.removeprefix(host) if referer.startswith(host + "/") else ""
    if came_from.startswith("/") and url_has_allowed_host_and_scheme(
        came_from, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(came_from)
    return redirect("design:item", pk=link.source_id)


@require_POST
def link_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = _link_of(request, pk, EDIT)
    attempt_posted(
        request,
        RetireForm(request.POST),
        lambda data: actions.unlink_items(
            actor=request.user, link=link, reason=data["reason"], change=_posted_change(request)
        ),
        "Link removed.",
    )
    return _back(request, link)


@require_POST
def link_clear(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = _link_of(request, pk, REVIEW)
    attempt_signed(
        request,
        SignatureForm(request.POST),
        lambda data, credentials: actions.clear_suspect(
            actor=request.user, link=link, credentials=credentials, comment=data["reason"]
        ),
        "Signed: the link still holds.",
    )
    return _back(request, link)


def suspect_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    found = _links().filter(project=project, state=LinkState.SUSPECT)
    page = Paginator(found.order_by("suspect_since", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    changers = last_changers(rows)
    for link in rows:
        # Shown on the row: who changed which end, and where to review it.
        link.changer = changers.get(link.pk)
        link.changed_item_id = link.source_id if link.changed_end == "source" else link.target_id
    return render(
        request,
        "design/pages/suspect.html",
        {
            "project": project,
            "page": page,
            "rows": rows,
        },
    )


def last_changers(links: list[Link]) -> dict[int, Any]:
    """Who made each link suspect: the last edit of its changed end (one query)."""
    ends = {
        link.pk: (link.source_id if link.changed_end == "source" else link.target_id)
        for link in links
    }
    events = AuditEvent.objects.filter(
        action="design.item.edited",
        object_type="design.item",
        object_id__in=[str(i) for i in set(ends.values())],
    ).order_by("seq")
    latest = {event.object_id: event for event in events}
    return {pk: latest.get(str(end)) for pk, end in ends.items()}
