"""Supplier control's domain errors; core's (InvalidInput, TransitionNotAllowed,
PermissionRefused, NotFound) cover the rest."""

from openqms.core.errors import DomainError


class EvaluationOpen(DomainError):
    """A supplier has one evaluation awaiting its decision at a time."""

    code = "evaluation_open"
    status = 409
