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
# The issue gives reportability decisions and complaint closures to the QA lead alone
# (management holds SIGN for concessions and CAPA effectiveness, not these).
DECIDE = permissions.register(
    "events.vigilance:decide",
    "Sign reportability decisions and complaint closures (QA lead)",
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
SUBMITTED_TO_MHRA = meanings.register("submitted_to_mhra", "Submitted to the MHRA")
for _code, _label in [
    ("events.clockrule.added", "Vigilance clock rule added"),
    ("events.incident_report.drafted", "Incident report drafted"),
    ("events.incident_report.edited", "Incident report edited"),
    ("events.incident_report.due_set", "Incident report due date set"),
    ("events.incident_report.submitted", "Incident report submitted to the MHRA (signed)"),
]:
    event_types.register(_code, _label)

# --- fsca ---------------------------------------------------------------------------------
FSCA_CLOSED = meanings.register("fsca_closed", "FSCA closed")
for _code, _label in [
    ("events.fsca.opened", "FSCA opened"),
    ("events.fsca.edited", "FSCA edited"),
    ("events.fsca.device_added", "Device added to an FSCA"),
    ("events.fsca.market_set", "FSCA units and users affected in a market set"),
    ("events.fsca.mhra_notified", "MHRA notification of an FSCA recorded"),
    ("events.fsca.party_told", "UK Responsible Person or approved body told of an FSCA"),
    ("events.fsca.notice_set", "Field safety notice of an FSCA set"),
    ("events.fsca.notice_reviewed", "MHRA review of a field safety notice recorded"),
    ("events.fsca.started", "FSCA started"),
    ("events.fsca.reconciled", "FSCA reconciliation entry recorded"),
    ("events.fsca.closed", "FSCA closed (signed)"),
]:
    event_types.register(_code, _label)

# --- trends (exposure figures, trend methods, trend reports) ---------------------------------
TREND_SUBMITTED = meanings.register("trend_report_submitted", "Trend report submitted to the MHRA")
for _code, _label in [
    ("events.exposure.entered", "Sales or exposure figure entered"),
    ("events.exposure.withdrawn", "Sales or exposure figure withdrawn"),
    ("events.trendmethod.set", "Trend method set"),
    ("events.trendreport.opened", "Trend report opened"),
    ("events.trendreport.edited", "Trend report edited"),
    ("events.trendreport.submitted", "Trend report submitted to the MHRA (signed)"),
    ("events.trendreport.closed", "Trend report closed"),
]:
    event_types.register(_code, _label)

# --- pms (PMS plans, periodic reports, MHRA requests, bank holidays) -------------------------
PMS_REPORT_COMPLETED = meanings.register("pms_report_completed", "Periodic PMS report completed")
for _code, _label in [
    ("events.pms_plan.linked", "PMS plan of a device linked"),
    ("events.pms_report.scheduled", "Periodic PMS report scheduled"),
    ("events.pms_report.started", "Periodic PMS report in preparation"),
    ("events.pms_report.edited", "Periodic PMS report details recorded"),
    ("events.pms_report.completed", "Periodic PMS report completed (signed)"),
    ("events.mhra_request.received", "MHRA request for PMS documents recorded"),
    ("events.mhra_request.answered", "MHRA request for PMS documents answered"),
    ("events.holiday.set", "Bank holiday added or renamed"),
    ("events.holiday.removed", "Bank holiday removed"),
    ("events.holiday.seeded", "Bank holidays seeded from the holidays package"),
]:
    event_types.register(_code, _label)

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
CAPA_EFFECTIVENESS = meanings.register("capa_effectiveness", "CAPA effectiveness verified")
CAPA_CLOSED = meanings.register("capa_closed", "CAPA closed")
for _code, _label in [
    ("events.capa.raised", "CAPA raised"),
    ("events.capa.edited", "CAPA edited"),
    ("events.capa.reference_added", "CAPA source reference added"),
    ("events.capa.analysed", "CAPA root-cause analysis recorded"),
    ("events.capa.action_added", "CAPA action added to the plan"),
    ("events.capa.action_done", "CAPA action done"),
    ("events.capa.verified", "CAPA implementation verified"),
    ("events.capa.check_planned", "CAPA effectiveness check planned"),
    ("events.capa.impact_assessed", "CAPA regulatory impact assessed"),
    ("events.capa.notified", "UK Responsible Person or approved body told of a CAPA"),
    ("events.capa.investigating", "CAPA investigation started"),
    ("events.capa.implementing", "CAPA action plan started"),
    ("events.capa.verifying", "CAPA implementation submitted for verification"),
    ("events.capa.checking", "CAPA effectiveness check started"),
    ("events.capa.effective", "CAPA verified effective (signed)"),
    ("events.capa.reopened", "CAPA not effective: reopened with a new plan round (signed)"),
    ("events.capa.closed", "CAPA closed (signed)"),
]:
    event_types.register(_code, _label)

# --- across (links, dashboards, exports) ------------------------------------------------------
