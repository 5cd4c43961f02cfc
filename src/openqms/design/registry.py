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
CONFIGURE = permissions.register(
    "design.config:manage",
    "Change design configuration: item types, allowed links, gap rules, risk matrices",
)

# --- shared (skeleton) ------------------------------------------------------------------
for _code, _label in [
    ("design.project.created", "Design project created"),
    ("design.project.edited", "Design project edited"),
    ("design.item.created", "Design item created"),
    ("design.item.edited", "Design item edited (new version)"),
    ("design.item.retired", "Design item retired"),
    ("design.link.added", "Design link added"),
    ("design.link.removed", "Design link removed"),
    ("design.link.suspect", "Design links marked suspect by an edit"),
    ("design.link.resolved", "Suspect design link resolved by a change of its other end"),
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

# --- baselines (baselines, compare, design reviews, design changes, DHF) -----------------------

# --- pages (projects, items, links, My tasks, demo) --------------------------------------------

# --- risk (ISO 14971 risk files) ---------------------------------------------------------------

# --- software (IEC 62304 software systems, SOUP and SBOMs) ------------------------------------
