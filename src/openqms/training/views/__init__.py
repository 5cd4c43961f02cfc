"""Training pages, one module per area."""

from openqms.training.views.admin import (
    assign_create,
    competency_list,
    employee_edit,
    holding_add,
    holding_end,
    job_role_detail,
    job_role_list,
    job_role_retire,
    quiz_edit,
    quiz_list,
    requirement_add,
    requirement_remove,
    rule_edit,
    rule_list,
)
from openqms.training.views.assignments import (
    assignment_detail,
    assignment_evaluate,
    assignment_quiz,
    assignment_sign,
    my_training,
)
from openqms.training.views.matrix import matrix_documents, matrix_export, matrix_page
from openqms.training.views.people import people_list, person_detail, person_pdf
from openqms.training.views.records import (
    record_create,
    record_file,
    record_withdraw,
    role_evaluate,
)
from openqms.training.views.sessions import (
    session_create,
    session_detail,
    session_list,
    session_material,
    session_sign,
)

__all__ = [
    "assign_create",
    "assignment_detail",
    "assignment_evaluate",
    "assignment_quiz",
    "assignment_sign",
    "competency_list",
    "employee_edit",
    "holding_add",
    "holding_end",
    "job_role_detail",
    "job_role_list",
    "job_role_retire",
    "matrix_documents",
    "matrix_export",
    "matrix_page",
    "my_training",
    "people_list",
    "person_detail",
    "person_pdf",
    "quiz_edit",
    "quiz_list",
    "record_create",
    "record_file",
    "record_withdraw",
    "requirement_add",
    "requirement_remove",
    "role_evaluate",
    "rule_edit",
    "rule_list",
    "session_create",
    "session_detail",
    "session_list",
    "session_material",
    "session_sign",
]
