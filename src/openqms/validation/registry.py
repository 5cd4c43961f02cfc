"""Validation's codes: who reads and who approves validation reports, and the audit
events of storing, approving and the installed version. module.py imports this, so the
codes exist once the module is installed."""

from openqms.core.registry import event_types, permissions

READ = permissions.register(
    "validation.report:read", "Read validation reports (IQ/OQ results, deviations, delta)"
)
APPROVE = permissions.register(
    "validation.report:approve", "Approve a validation report by signing it (ISO 13485 4.1.6)"
)

STORED = "validation.report.stored"
APPROVED = "validation.report.approved"
# The version events describe the instance, not a record: core.system's prefix is what
# restore, archive import and the demo check read as the instance's own events (an
# instance holding only these is still empty).
INSTALLED = "core.system.installed"
UPGRADED = "core.system.upgraded"
for _code, _label in [
    (STORED, "Validation report stored (openqms validate)"),
    (APPROVED, "Validation report approved (signed)"),
    (INSTALLED, "OpenQMS version first recorded in this database"),
    (UPGRADED, "OpenQMS version changed since the last migrate (upgrade)"),
]:
    event_types.register(_code, _label)
