"""PLACEHOLDER: replaced by the pages work in progress."""

from django.http import Http404


def people_list(request, *args, **kwargs):
    raise Http404()


def person_detail(request, *args, **kwargs):
    raise Http404()


def person_pdf(request, *args, **kwargs):
    raise Http404()
