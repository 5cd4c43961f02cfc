from openqms.core.errors import DomainError


class InstanceChanged(DomainError):
    """The audit chain moved between the start of OQ and the storing of the report."""

    code = "instance_changed"
    status = 409
