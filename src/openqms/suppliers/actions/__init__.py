"""Supplier control's writers: every change to its records goes through one of these."""

from openqms.suppliers.actions.evaluations import (
    EVALUATION,
    decide_evaluation,
    decision_refusal,
    draft_decision,
    record_evaluation,
    withdraw_evaluation,
)
from openqms.suppliers.actions.outsourced import (
    add_activity,
    add_duty,
    create_outsourced_process,
    edit_outsourced_process,
    remove_interface_row,
    retire_outsourced_process,
)
from openqms.suppliers.actions.records import (
    add_certificate,
    record_performance,
    record_performance_within,
    retire_certificate,
    withdraw_performance,
)
from openqms.suppliers.actions.suppliers import (
    create_supplier,
    edit_supplier,
    reschedule_evaluation,
    retire_supplier,
    set_interval,
)

__all__ = [
    "EVALUATION",
    "add_activity",
    "add_certificate",
    "add_duty",
    "create_outsourced_process",
    "create_supplier",
    "decide_evaluation",
    "decision_refusal",
    "draft_decision",
    "edit_outsourced_process",
    "edit_supplier",
    "record_evaluation",
    "record_performance",
    "record_performance_within",
    "remove_interface_row",
    "reschedule_evaluation",
    "retire_certificate",
    "retire_outsourced_process",
    "retire_supplier",
    "set_interval",
    "withdraw_evaluation",
    "withdraw_performance",
]
