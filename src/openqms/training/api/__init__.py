"""Training endpoints (ISO 13485 6.2): job roles and what they require, assignments and
their completion (signed with the password in the body), quizzes, classroom sessions,
competence records, evaluations of effectiveness, individual records and the matrix.

Objects come only through the access helpers (404 for missing and forbidden alike) and
every change goes through `training.actions`, so the pages and the API audit the same.
"""

from openqms.training.api import completion, people, roles  # noqa: F401  (they add the endpoints)
from openqms.training.api.common import router

__all__ = ["router"]
