"""PLACEHOLDER: replaced by the pages work in progress."""

from django.http import Http404


def job_role_list(request, *args, **kwargs):
    raise Http404()


def job_role_detail(request, *args, **kwargs):
    raise Http404()


def requirement_add(request, *args, **kwargs):
    raise Http404()


def holding_add(request, *args, **kwargs):
    raise Http404()


def job_role_retire(request, *args, **kwargs):
    raise Http404()


def requirement_remove(request, *args, **kwargs):
    raise Http404()


def holding_end(request, *args, **kwargs):
    raise Http404()


def employee_edit(request, *args, **kwargs):
    raise Http404()


def competency_list(request, *args, **kwargs):
    raise Http404()


def rule_list(request, *args, **kwargs):
    raise Http404()


def rule_edit(request, *args, **kwargs):
    raise Http404()


def quiz_edit(request, *args, **kwargs):
    raise Http404()


def assign_create(request, *args, **kwargs):
    raise Http404()
