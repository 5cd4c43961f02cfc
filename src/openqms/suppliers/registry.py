"""Supplier control's codes (ISO 13485 4.1.5, 7.4): permissions, signature meaning and
audit event types. module.py imports this, so the codes exist once the module is installed."""

from openqms.core.registry import event_types, meanings, permissions

MANAGE = permissions.register(
    "suppliers.supplier:manage",
    "Keep the supplier register: suppliers, evaluations, certificates, performance, "
    "outsourced processes",
)
APPROVE = permissions.register(
    "suppliers.evaluation:approve", "Sign the decision on a supplier evaluation"
)

DECIDED = meanings.register("supplier_decision", "Supplier decision taken")

for _code, _label in [
    ("suppliers.supplier.created", "Supplier added"),
    ("suppliers.supplier.edited", "Supplier edited"),
    ("suppliers.supplier.status_set", "Supplier status set by a signed decision"),
    ("suppliers.supplier.retired", "Supplier retired"),
    ("suppliers.supplier.rescheduled", "Supplier re-evaluation brought forward"),
    ("suppliers.evaluation.recorded", "Supplier evaluation recorded"),
    ("suppliers.evaluation.decided", "Supplier evaluation decided (signed)"),
    ("suppliers.evaluation.withdrawn", "Supplier evaluation withdrawn"),
    ("suppliers.certificate.added", "Supplier certificate added"),
    ("suppliers.certificate.retired", "Supplier certificate retired"),
    ("suppliers.performance.recorded", "Supplier performance recorded"),
    ("suppliers.performance.withdrawn", "Supplier performance record withdrawn"),
    ("suppliers.outsourced.created", "Outsourced process added"),
    ("suppliers.outsourced.edited", "Outsourced process edited"),
    ("suppliers.outsourced.retired", "Outsourced process retired"),
    ("suppliers.interface.added", "Outsourced process interface row added"),
    ("suppliers.interface.removed", "Outsourced process interface row removed"),
    ("suppliers.interval.set", "Supplier re-evaluation interval set"),
]:
    event_types.register(_code, _label)
