"""PLACEHOLDER: replaced by the pages work in progress."""

from django.http import Http404


def record_create(request, *args, **kwargs):
    raise Http404()


def role_evaluate(request, *args, **kwargs):
    raise Http404()


def record_file(request, *args, **kwargs):
    raise Http404()


def record_withdraw(request, *args, **kwargs):
    raise Http404()
