"""PLACEHOLDER: replaced by the pages work in progress."""

from django.http import Http404


def session_list(request, *args, **kwargs):
    raise Http404()


def session_create(request, *args, **kwargs):
    raise Http404()


def session_detail(request, *args, **kwargs):
    raise Http404()


def session_sign(request, *args, **kwargs):
    raise Http404()


def session_material(request, *args, **kwargs):
    raise Http404()
