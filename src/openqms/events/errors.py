"""Quality events' domain errors; core's (InvalidInput, TransitionNotAllowed,
PermissionRefused, NotFound) cover the rest."""

from openqms.core.errors import DomainError


class ClockRuleMissing(DomainError):
    """No clock rule of the decision's category was in force on the day of awareness."""

    code = "clock_rule_missing"
    status = 409
