"""PLACEHOLDER: replaced by the pages work in progress."""

from django.http import Http404


def my_training(request, *args, **kwargs):
    raise Http404()


def assignment_detail(request, *args, **kwargs):
    raise Http404()


def assignment_sign(request, *args, **kwargs):
    raise Http404()


def assignment_quiz(request, *args, **kwargs):
    raise Http404()


def assignment_evaluate(request, *args, **kwargs):
    raise Http404()
