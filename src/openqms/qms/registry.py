"""Permission codes of the QMS frame (ISO 13485 4.1, 4.2.2; UK MDR 2002).

Event types are registered beside the models they describe (models/<area>.py)."""

from openqms.core.registry import meanings, permissions

ORGANISATION = permissions.register(
    "qms.organisation:manage",
    "Keep the organisation profile: sites, market roles, approved bodies, UK Responsible Person",
)
SCOPE_EDIT = permissions.register("qms.scope:edit", "Draft and put in force the QMS scope")
SCOPE_APPROVE = permissions.register(
    "qms.scope:approve", "Approve the QMS scope (top management's signature)"
)
CERTIFICATION = permissions.register(
    "qms.certification:manage",
    "Keep certificates, approved-body notifications and answers; mark a scope certified",
)
PROCESSES = permissions.register("qms.process:manage", "Keep the process register")
CLAUSES = permissions.register("qms.clause:manage", "Edit the clause-coverage map")
FAMILIES = permissions.register("qms.family:manage", "Define device families")

meanings.register("approved_scope", "QMS scope approved (top management)")
