"""The QMS frame's records, one file per area (models/<area>.py)."""

# ruff: noqa: F401  (this package re-exports every area's models)

# The frame other modules link to: approved bodies, the UK Responsible Person, sites,
# device families and processes (models/frame.py).
from openqms.qms.models.frame import (
    ApprovedBody,
    BodyKind,
    Certificate,
    CertificateKind,
    DeviceFamily,
    Process,
    ProcessRisk,
    ResponsiblePerson,
    Site,
)

# Organisation profile and QMS scope (models/organisation.py, models/scope.py)
from openqms.qms.models.organisation import Market, MarketRole, Organisation, RoleKind
from openqms.qms.models.scope import (
    BodyAnswer,
    ExclusionKind,
    NotificationState,
    ScopeExclusion,
    ScopeNotification,
    ScopeState,
    ScopeVersion,
)

# Certificates and the clause-coverage map (models/certificates.py, models/clauses.py)
# isort: split
from openqms.qms.models.certificates import CertificateReminder
from openqms.qms.models.clauses import Clause

# Processes' monitoring (models/processes.py)
# isort: split
from openqms.qms.models.processes import ProcessKPI
