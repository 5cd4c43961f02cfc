"""Design controls' codes (ISO 13485 7.3, ISO 14971, IEC 62304): permissions, signature
meanings and audit event types. module.py imports this, so the codes exist once the
module is installed. One section per area; each area registers its own event types and
meanings in its section."""

from openqms.core.registry import event_types, meanings, permissions

# Engineers write design items and links; reviewers sign that a suspect link still
# holds; the QA lead signs baselines, design reviews, design changes and risk reports.
EDIT = permissions.register(
    "design.item:edit",
    "Write design items, links, risk files, software systems and SOUP; import and ingest evidence",
)
REVIEW = permissions.register(
    "design.item:review",
    "Sign design reviews, that a suspect link still holds, and SOUP anomaly reviews",
)
SIGN = permissions.register(
    "design.baseline:sign",
    "Sign baselines, design changes and the risk management report (QA lead)",
)
# Item types, link rules and gap rules are seeded (design 0001) and changed on the design
# configuration page (design.actions.config); the risk files' scales and matrices too.
CONFIGURE = permissions.register(
    "design.config:manage",
    "Change design configuration: item types, link rules, gap rules, risk scales and matrices",
)

# --- shared (skeleton) ------------------------------------------------------------------
for _code, _label in [
    ("design.project.created", "Design project created"),
    ("design.item.created", "Design item created"),
    ("design.item.edited", "Design item edited (new version)"),
    ("design.item.retired", "Design item retired"),
    ("design.link.added", "Design link added"),
    ("design.link.removed", "Design link removed"),
    ("design.link.suspect", "Design links marked suspect by an edit"),
    (
        "design.link.resolved",
        "Suspect design link resolved (its other end changed, or an end retired)",
    ),
    ("design.link.cleared", "Suspect design link signed still valid"),
]:
    event_types.register(_code, _label)
LINK_STILL_VALID = meanings.register("link_still_valid", "Link reviewed: still valid")

# --- trace (gap state, check, matrix, exports) ---------------------------------------------

# --- imports (StrictDoc, ReqIF, CSV in; ReqIF out) -------------------------------------------
event_types.register(
    "design.import.completed", "Design items and links imported (StrictDoc, ReqIF or CSV)"
)

# --- evidence (JUnit results from CI) ----------------------------------------------------------
event_types.register("design.evidence.ingested", "JUnit test results from CI read into a baseline")

# --- baselines (baselines, compare, design reviews, design changes, DHF) -----------------------
for _code, _label in [
    ("design.baseline.created", "Baseline created (snapshot of the items and links)"),
    ("design.baseline.refreshed", "Open baseline taken again at the items' current versions"),
    ("design.baseline.signed", "Baseline signed"),
    ("design.phase.created", "Design phase added"),
    ("design.phase.closed", "Design phase closed"),
    ("design.review.created", "Design review recorded"),
    ("design.review.finding_added", "Finding added to a design review"),
    ("design.review.submitted", "Design review sent for signatures"),
    ("design.review.signed", "Design review signed by a participant"),
    ("design.review.completed", "Design review complete (everyone signed)"),
    ("design.change.created", "Design change recorded"),
    ("design.change.approved", "Design change approved"),
    ("design.change.done", "Design change done (new baseline opened)"),
    ("design.change.item_joined", "Design item joined a design change when edited as part of it"),
]:
    event_types.register(_code, _label)
BASELINE_SIGNED = meanings.register("baseline_signed", "Baseline signed")
DESIGN_REVIEW_SIGNED = meanings.register("design_review_signed", "Design review signed")
DESIGN_CHANGE_APPROVED = meanings.register("design_change_approved", "Design change approved")

# --- pages (projects, items, links, My tasks, demo) --------------------------------------------

# --- config (item types, link rules, gap rules) ----------------------------------------------
for _code, _label in [
    ("design.item_type.added", "Design item type added"),
    ("design.item_type.edited", "Design item type edited"),
    ("design.item_type.retired", "Design item type retired"),
    ("design.link_rule.added", "Design link rule added (gaps of every project recomputed)"),
    ("design.link_rule.retired", "Design link rule retired (gaps of every project recomputed)"),
    ("design.gap_rule.added", "Design gap rule added (gaps of every project recomputed)"),
    ("design.gap_rule.edited", "Design gap rule edited (gaps of every project recomputed)"),
    ("design.gap_rule.retired", "Design gap rule retired (gaps of every project recomputed)"),
]:
    event_types.register(_code, _label)

# --- risk (ISO 14971 risk files) ---------------------------------------------------------------
for _code, _label in [
    ("design.risk_file.created", "Risk file created with the default acceptability criteria"),
    ("design.risk_file.edited", "Risk file edited (plan, overall residual risk)"),
    ("design.risk_scale.changed", "Risk severity or probability level changed"),
    ("design.risk_matrix.changed", "Risk acceptability matrix cell changed (risks re-evaluated)"),
    ("design.hazard.added", "Hazard added to a risk file"),
    ("design.risk_situation.added", "Hazardous situation added with its estimate"),
    ("design.risk_situation.estimated", "Residual risk of a hazardous situation estimated"),
    ("design.risk_situation.evaluated", "Residual risk of a hazardous situation evaluated"),
    ("design.risk_control.added", "Risk control measure added"),
    ("design.hazard.edited", "Hazard edited"),
    ("design.hazard.retired", "Hazard retired with its hazardous situations"),
    ("design.risk_situation.edited", "Hazardous situation edited (to be evaluated again)"),
    ("design.risk_situation.retired", "Hazardous situation retired with its controls"),
    ("design.risk_control.edited", "Risk control measure edited"),
    ("design.risk_control.retired", "Risk control measure retired"),
    ("design.risk_report.signed", "Risk management report signed"),
    ("design.risk_review.opened", "Risk review opened by a quality event"),
    ("design.risk_review.closed", "Risk review closed"),
]:
    event_types.register(_code, _label)
RISK_REPORT_SIGNED = meanings.register("risk_report_signed", "Risk management report signed")

# --- software (IEC 62304 software systems, SOUP and SBOMs) ------------------------------------
for _code, _label in [
    ("design.software.created", "Software system created"),
    ("design.software.edited", "Software system edited"),
    ("design.software.evidence", "Software deliverable evidence recorded"),
    ("design.software_item.created", "Software item or unit created"),
    ("design.problem.reported", "Software problem report opened"),
    ("design.problem.investigated", "Software problem investigated"),
    ("design.problem.resolved", "Software problem resolved and the fix verified"),
    ("design.problem.closed", "Software problem report closed"),
    ("design.soup.edited", "SOUP item edited"),
    ("design.soup.reviewed", "SOUP known-anomaly review signed"),
    ("design.soup.risk_linked", "SOUP item linked to a risk"),
    ("design.sbom.ingested", "SBOM read into the SOUP list"),
]:
    event_types.register(_code, _label)
SOUP_REVIEWED = meanings.register("soup_reviewed", "SOUP known anomalies reviewed")
