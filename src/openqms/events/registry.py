"""Quality events' codes (ISO 13485 8.2.1–8.2.3, 8.3, 8.5; UK MDR 2002 Part 4A):
permissions, signature meanings and audit event types. module.py imports this, so the
codes exist once the module is installed. One section per area; each area registers
its own event types and meanings in its section."""

from openqms.core.registry import event_types, meanings, permissions

# Anyone working in the QMS logs feedback and raises nonconformities (ISO 13485 8.2.1,
# 8.3.1); the QA lead handles them; signatures need SIGN; MHRA submissions need REPORT.
LOG = permissions.register(
    "events.event:log", "Log feedback and raise nonconformities and CAPA requests"
)
MANAGE = permissions.register(
    "events.event:manage",
    "Handle quality events: classify feedback, investigate complaints, nonconformities, "
    "CAPAs, FSCAs, trends and PMS reports",
)
SIGN = permissions.register(
    "events.event:sign",
    "Sign quality-event decisions: reportability, closures, concessions, releases, "
    "CAPA effectiveness",
)
REPORT = permissions.register(
    "events.vigilance:report",
    "Record vigilance submissions to the MHRA (incident reports, FSCAs, PMS requests)",
)
CONFIGURE = permissions.register(
    "events.config:manage",
    "Change quality-event configuration: clock rules, bank holidays, governing procedures",
)

# --- shared (skeleton) ------------------------------------------------------------------
for _code, _label in [
    ("events.procedure.set", "Governing procedure of a kind of quality record set"),
]:
    event_types.register(_code, _label)

# --- complaints (feedback, complaints, reportability decisions) ---------------------------
DECIDED = meanings.register("reportability_decided", "Reportability decided")
COMPLAINT_CLOSED = meanings.register("complaint_closed", "Complaint closed")
for _code, _label in [
    ("events.feedback.logged", "Feedback logged"),
    ("events.feedback.classified", "Feedback classified"),
    ("events.complaint.opened", "Complaint opened"),
    ("events.complaint.edited", "Complaint edited"),
    ("events.complaint.decided", "Reportability decided (signed)"),
    ("events.complaint.closed", "Complaint closed (signed)"),
]:
    event_types.register(_code, _label)

# --- vigilance (clock rules, escalations, incident reports) --------------------------------
for _code, _label in [
    ("events.clockrule.added", "Vigilance clock rule added"),
]:
    event_types.register(_code, _label)

# --- fsca ---------------------------------------------------------------------------------

# --- trends (exposure figures, trend methods, trend reports) ---------------------------------
for _code, _label in [
    ("events.exposure.entered", "Sales or exposure figure entered"),
    ("events.exposure.withdrawn", "Sales or exposure figure withdrawn"),
]:
    event_types.register(_code, _label)

# --- pms (PMS plans, periodic reports, MHRA requests, bank holidays) -------------------------

# --- nonconformance -------------------------------------------------------------------------
NC_CONCESSION = meanings.register(
    "nc_concession_authorised", "Concession authorised (nonconforming product used as is)"
)
NC_RELEASED = meanings.register("nc_released", "Nonconforming product released")
NC_CLOSED_IN_ERROR = meanings.register(
    "nc_closed_in_error", "Nonconformity closed as raised in error"
)
for _code, _label in [
    ("events.nonconformity.raised", "Nonconformity raised"),
    ("events.nonconformity.contained", "Nonconformity contained"),
    ("events.nonconformity.assessed", "Nonconformity's impact assessed"),
    ("events.nonconformity.disposed", "Nonconformity's disposition decided"),
    ("events.nonconformity.concession", "Concession authorised (signed)"),
    ("events.nonconformity.reverified", "Reworked product re-verified"),
    ("events.nonconformity.released", "Nonconforming product released (signed)"),
    ("events.nonconformity.disposition_changed", "Nonconformity's disposition changed"),
    ("events.nonconformity.closed_in_error", "Nonconformity closed as raised in error (signed)"),
]:
    event_types.register(_code, _label)

# --- capa -----------------------------------------------------------------------------------

# --- across (links, dashboards, exports) ------------------------------------------------------
