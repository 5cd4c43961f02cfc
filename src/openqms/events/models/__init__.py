"""Quality events' records, one file per area (models/<area>.py)."""

# ruff: noqa: F401  (this package re-exports every area's models)

# Shared: the abstract record, numbering counters, governing procedures (models/base.py)
from openqms.events.models.base import Counter, EventProcedure, EventRecord

# Feedback, complaints, reportability decisions (models/complaints.py)
# isort: split
from openqms.events.models.complaints import (
    REPORTABLE,
    Category,
    Classification,
    Complaint,
    ComplaintState,
    Feedback,
    IncidentType,
    ReportabilityDecision,
    Source,
)

# Vigilance: clock rules, escalations, incident reports (models/vigilance.py)
# isort: split
from openqms.events.models.vigilance import (
    REPORT_TEXT,
    ClockRule,
    EscalationPoint,
    EscalationSent,
    IncidentReport,
    ReportState,
    ReportType,
)

# FSCA (models/fsca.py)
# isort: split
from openqms.events.models.fsca import (
    Fsca,
    FscaDevice,
    FscaMarket,
    FscaNotice,
    FscaState,
    Market,
    Party,
    Reconciliation,
    ReviewOutcome,
    Scope,
)

# Trends and PMS data (models/pms.py, models/trends.py)
# isort: split
from openqms.events.models.pms import ExposureFigure
from openqms.events.models.trends import (
    Mode,
    Period,
    Series,
    TrendMethod,
    TrendReport,
    TrendReportState,
)

# Periodic PMS reports and MHRA requests (models/reports.py)
# isort: split
from openqms.events.models.reports import (
    BankHoliday,
    MhraRequest,
    MhraRequestState,
    PmsPlan,
    PmsReminder,
    PmsReport,
    PmsReportState,
    PmsReportType,
)

# Nonconformance (models/nonconformance.py)
# isort: split
from openqms.events.models.nonconformance import (
    Disposition,
    NcSource,
    NcState,
    Nonconformity,
)

# CAPA (models/capa.py)
# isort: split
from openqms.events.models.capa import (
    Capa,
    CapaAction,
    CapaReference,
    CapaReminder,
    CapaState,
    CapaType,
    CauseCategory,
    EffectivenessCheck,
    ReferenceKind,
    RegulatoryNotice,
    Result,
)
