"""The demo's design and development plan (ISO 13485 7.3.2) and risk management plan
(ISO 14971 4.4) for RhythmCheck: controlled documents in force, made through documents'
demo helper, so the design project and the risk file name the plans they follow."""

from __future__ import annotations

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.models import User
from openqms.documents.demo import document_in_force
from openqms.documents.models import Document

DEVELOPMENT_PLAN = "RhythmCheck design and development plan"
RISK_PLAN = "RhythmCheck risk management plan"

BODIES = {
    DEVELOPMENT_PLAN: (
        "## Scope\n\nDesign and development of RhythmCheck 2.1, AF detection from a "
        "single-lead patch ECG (software as a medical device, Class IIa).\n\n"
        "## Stages and reviews\n\nUser needs, design inputs, design outputs, verification, "
        "validation and transfer; a design review closes each stage, with an independent "
        "reviewer.\n\n## Traceability\n\nEvery design input derives from a user need and is "
        "verified by a test whose CI result is evidence in the release baseline.\n",
        ["7.3.2"],
        "ISO 13485 7.3.2: design and development planning",
    ),
    RISK_PLAN: (
        "## Scope\n\nRisk management of RhythmCheck 2.1 over its life (ISO 14971).\n\n"
        "## Acceptability criteria\n\nThe 5 x 5 severity and probability matrix of the risk "
        "file: acceptable, reduce as far as possible (with a benefit-risk analysis), "
        "unacceptable.\n\n## Verification\n\nEvery risk control is verified by a test.\n\n"
        "## Production and post-production\n\nComplaints, incidents, trends and CAPAs open a "
        "risk review of the file.\n",
        ["7.1"],
        "ISO 14971 4.4: risk management plan",
    ),
}


def plan(title: str) -> Document | None:
    """The plan titled `title`, in force (made on first use); None without the cast."""
    names = ["author", "reviewer", "approver"]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(people) < len(names):
        return None
    body, clauses, reason = BODIES[title]
    return document_in_force(
        people=people,
        doc_type="plan",
        title=title,
        body=body,
        clauses=clauses,
        reason=reason,
        password=DEMO_PASSWORD,
    )
