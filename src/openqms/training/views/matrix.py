"""PLACEHOLDER: replaced by the pages work in progress."""

from django.http import Http404


def matrix_page(request, *args, **kwargs):
    raise Http404()


def matrix_documents(request, *args, **kwargs):
    raise Http404()


def matrix_export(request, *args, **kwargs):
    raise Http404()
