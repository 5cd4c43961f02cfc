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
from openqms.events.models.vigilance import ClockRule

# FSCA (models/fsca.py)
# isort: split

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

# Nonconformance (models/nonconformance.py)
# isort: split

# CAPA (models/capa.py)
# isort: split
