"""Classroom sessions: recorded on a revision in force, signed by the trainer, whose
signature completes the attendees' training on that revision (ISO 13485 6.2).

Sessions reach these views only through training.access; every change goes through
training.actions, which checks the permission again.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core import files
from openqms.core.access import has_permission
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.views.common import attempt
from openqms.documents import access as documents_access
from openqms.documents.models import RevisionState
from openqms.training import access, actions
from openqms.training.forms.assignments import SessionForm
from openqms.training.models import TrainingSession
from openqms.training.registry import RECORDS

PAGE_SIZE = 50


def _session(request: AuthenticatedHttpRequest, pk: int) -> TrainingSession:
    return access.get_session_for_user(request.user, pk)


def _sees_all(user: User) -> bool:
    return access.sees_everyone(user) or has_permission(user, RECORDS)


def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require_participant(user)
    sessions = TrainingSession.objects.all()
    if not _sees_all(user):
        mine = TrainingSession.objects.filter(Q(trainer=user) | Q(attendees=user))
        sessions = sessions.filter(pk__in=mine.values("pk"))
    sessions = (
        sessions.select_related("revision__document", "trainer")
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "-pk")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    can_record = has_permission(user, RECORDS) or _authored(user).exists()
    context = {"page": page, "can_record": can_record}
    return render(request, "training/sessions.html", context)


def _authored(user: User):
    """The revisions in force `user` wrote: they may record a session they give on them."""
    revisions = documents_access.visible_revisions(user).filter(state=RevisionState.EFFECTIVE)
    return revisions if has_permission(user, RECORDS) else revisions.filter(author=user)


def _session_form(request: AuthenticatedHttpRequest) -> SessionForm:
    user = request.user
    trainers = User.objects.filter(is_active=True)
    if not has_permission(user, RECORDS):
        trainers = trainers.filter(pk=user.pk)  # an author records the session they give
    return SessionForm(
        request.POST or None,
        request.FILES or None,
        revisions=_authored(user).order_by("document__number"),
        trainers=trainers.order_by("full_name"),
        initial={"trainer": user.username},
    )


def session_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Record keepers record sessions, and a revision's author the sessions they give on it
    # (the action checks again); the trainer then signs.
    if not has_permission(request.user, RECORDS) and not _authored(request.user).exists():
        raise Http404
    form = _session_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["material_file"]
        session = attempt(
            request,
            form,
            lambda: actions.record_session(
                actor=request.user,
                revision=data["revision"],
                trainer=data["trainer"],
                held_on=data["held_on"],
                attendees=data["attendees"],
                material=data["material"],
                file_name=upload.name if upload else "",
                file_content=upload,
                trainer_reason=data["trainer_reason"],
            ),
            "Session recorded. When the trainer signs it, the attendees' training is complete.",
        )
        if session:
            return redirect("training:session", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form})


def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session, user = _session(request, pk), request.user
    context = {
        "session": session,
        "attendees": session.attendees.order_by("full_name"),
        "in_force": session.revision.state == RevisionState.EFFECTIVE,
        "can_sign": actions.session_refusal(session, user) is None,
    }
    return render(request, "training/session.html", context)


@require_POST
def session_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = SignatureForm(request.POST)
    attempt(
        request,
        None,
        lambda: actions.sign_session(
            actor=request.user, session=session, credentials=form.credentials()
        ),
        f"Signed: training delivered. The attendees' training on {session.revision} is complete.",
    )
    return redirect("training:session", pk=pk)


def session_material(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    session = _session(request, pk)
    if session.material_file is None:
        raise Http404
    data = files.open_stored(session.material_file)
    return FileResponse(data, as_attachment=True, filename=session.material_name)
