"""Permission codes, audit event types and signature meanings of training (ISO 13485 6.2)."""

from openqms.core.registry import event_types, meanings, permissions

READ = permissions.register(
    "training.matrix:read", "See everyone's training: the matrix and individual records"
)
MANAGE = permissions.register(
    "training.role:manage", "Define job roles and their requirements; give people job roles"
)
RECORDS = permissions.register(
    "training.record:manage", "Record competence, classroom sessions and quizzes"
)
EVALUATE = permissions.register(
    "training.effectiveness:evaluate", "Evaluate the effectiveness of training"
)

meanings.register("delivered", "Training delivered (trainer)")
meanings.register("evaluated", "Training effectiveness evaluated")

for _code, _label in [
    ("training.rule.updated", "Training rule of a document type changed"),
    ("training.employee.updated", "Department or manager changed"),
    ("training.competency.created", "Competency defined"),
    ("training.job_role.created", "Job role created"),
    ("training.job_role.retired", "Job role retired"),
    ("training.requirement.added", "Training requirement added to a job role"),
    ("training.requirement.removed", "Training requirement removed from a job role"),
    ("training.job_role.taken", "Job role taken on"),
    ("training.job_role.left", "Job role left"),
    ("training.assignment.created", "Training assigned"),
    ("training.assignment.superseded", "Open training closed: its revision was superseded"),
    ("training.assignment.cancelled", "Open training closed: no longer required"),
    ("training.assignment.completed", "Training completed"),
    ("training.assignment.ineffective", "Completed training evaluated as not effective"),
    ("training.quiz.saved", "Quiz saved"),
    ("training.quiz.attempted", "Quiz attempted"),
    ("training.session.recorded", "Classroom session recorded"),
    ("training.session.signed", "Classroom session signed by the trainer"),
    ("training.evaluation.recorded", "Effectiveness of training evaluated"),
    ("training.competence.added", "Competence record added"),
    ("training.competence.withdrawn", "Competence record withdrawn"),
]:
    event_types.register(_code, _label)
