"""The only writers of training records. Each action is the outermost transaction and
writes its audit events inside it; completions and evaluations are signed."""

from openqms.training.actions.assignments import (
    assign_for_process_link,
    assign_for_revision,
    assign_training,
    close_for_withdrawn,
    record_snapshot,
    record_snapshot_text,
)
from openqms.training.actions.completion import (
    evaluate_training,
    record_session,
    save_quiz,
    session_refusal,
    sign_session,
    sign_trained,
    submit_quiz,
)
from openqms.training.actions.config import (
    create_competency,
    update_employee,
    update_training_rule,
)
from openqms.training.actions.records import add_competence_record, withdraw_competence_record
from openqms.training.actions.roles import (
    add_requirement,
    create_job_role,
    leave_job_role,
    remove_requirement,
    retire_job_role,
    take_job_role,
)

__all__ = [
    "add_competence_record",
    "add_requirement",
    "assign_for_process_link",
    "assign_for_revision",
    "assign_training",
    "close_for_withdrawn",
    "create_competency",
    "create_job_role",
    "evaluate_training",
    "leave_job_role",
    "record_session",
    "record_snapshot",
    "record_snapshot_text",
    "remove_requirement",
    "retire_job_role",
    "save_quiz",
    "session_refusal",
    "sign_session",
    "sign_trained",
    "submit_quiz",
    "take_job_role",
    "update_employee",
    "update_training_rule",
    "withdraw_competence_record",
]
