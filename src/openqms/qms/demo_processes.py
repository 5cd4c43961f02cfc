"""The demo's process register: eight processes of Halden Health Ltd, a small UK maker
of software as a medical device, with owners, KPIs, who feeds whom and the demo's
controlled documents that run them."""

from __future__ import annotations

from openqms.core.models import User
from openqms.documents.models import Document
from openqms.qms.actions.clauses import edit_clause
from openqms.qms.actions.processes import KPI, create_process, edit_process
from openqms.qms.models import Clause, Process

# code, name, owner, risk, outsourced, feeds, document titles, purpose, inputs, outputs,
# why the risk, KPIs
PROCESSES = [
    ("PR-01", "Management and QMS planning", "qa", "medium", False,
     ["PR-02", "PR-03", "PR-05"], ["Quality manual", "Quality policy"],
     "Set the quality policy and objectives, plan the QMS and review it at management review.",
     "Audit results, feedback, CAPA status, process KPIs", "Objectives, plans, resources",
     "A weak plan shows slowly, through every other process.",
     [KPI("Management reviews held", "2 a year", "Review minutes", "Yearly"),
      KPI("Objectives met", "80%", "Objective tracker", "Quarterly")]),
    ("PR-02", "Document and record control", "author", "medium", False,
     ["PR-03", "PR-06"], ["Control of documents"],
     "Write, review, approve, issue and withdraw controlled documents; keep records.",
     "Requests for new or changed documents", "Approved documents in force, records",
     "An obsolete procedure in use would spread errors to every process.",
     [KPI("Documents past periodic review", "0", "Review list", "Monthly")]),
    ("PR-03", "Design and development", "approver", "high", True,
     ["PR-04", "PR-06"], [],
     "Turn user needs into a verified and validated software device; our design partner "
     "develops the signal-processing module under a quality agreement.",
     "User needs, risk controls, design changes", "Design outputs, verification evidence",
     "Design errors reach patients directly; part of the work is done outside our QMS.",
     [KPI("Design reviews on time", "100%", "Design plan", "Per milestone"),
      KPI("Open anomalies at release", "0 severe", "Anomaly list", "Per release")]),
    ("PR-04", "Risk management", "approver", "high", False,
     ["PR-03", "PR-06"], [],
     "Identify hazards, estimate and control risks, weigh benefit against residual risk "
     "(ISO 14971).",
     "Design inputs, feedback, complaints", "Risk file, risk controls",
     "A missed hazard is the worst failure a device maker can have.",
     [KPI("Risk file updated after each release", "100%", "Risk file history", "Per release")]),
    ("PR-05", "Purchasing and supplier control", "qa", "medium", False,
     ["PR-03", "PR-06"], [],
     "Choose, evaluate and monitor suppliers, including the outsourced design partner.",
     "Needs for products and services", "Approved suppliers, purchase records",
     "A poor supplier of cloud hosting or design work affects the device.",
     [KPI("Supplier re-evaluations on time", "100%", "Supplier list", "Quarterly")]),
    ("PR-06", "Software release and production", "author", "high", False,
     ["PR-07"], ["Release of a software version"],
     "Build, verify and release each software version; keep the release record.",
     "Verified design outputs, risk controls", "Released versions, release records",
     "A faulty build released to users is a field safety problem.",
     [KPI("Releases rolled back", "0", "Release log", "Per release")]),
    ("PR-07", "Feedback, complaints and vigilance", "qa", "high", False,
     ["PR-04", "PR-08"], [],
     "Gather feedback, handle complaints, report serious incidents to the MHRA on time.",
     "Feedback, complaints, incident reports", "Complaint records, vigilance reports, trends",
     "A late vigilance report breaks the UK MDR 2002 and hides a safety signal.",
     [KPI("Vigilance reports on time", "100%", "Vigilance log", "Monthly"),
      KPI("Complaints closed within 30 days", "90%", "Complaint log", "Monthly")]),
    ("PR-08", "CAPA and improvement", "qa", "medium", False,
     ["PR-01", "PR-02"], [],
     "Find the causes of nonconformities and act so they do not recur.",
     "Nonconformities, audit findings, complaints, trends", "Corrective and preventive actions",
     "Problems that recur if their causes are not removed.",
     [KPI("CAPA closed on time", "85%", "CAPA log", "Monthly")]),
]  # fmt: skip


# The clauses each process addresses (ISO 13485 4.1.2). Left unmapped on purpose, the
# demo's real gaps: QMS software validation (4.1.6), infrastructure and work environment
# (6.3, 6.4.x), monitoring equipment (7.6), internal audit (8.2.4) and the production
# clauses that a software maker would still have to decide on (7.5.2-7.5.4, 7.5.10, 8.3.4).
ADDRESSES = {
    "PR-01": ["4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.2.1", "4.2.2", "5.1", "5.2", "5.3",
              "5.4.1", "5.4.2", "5.5.1", "5.5.2", "5.5.3", "5.6.1", "5.6.2", "5.6.3",
              "6.1", "6.2", "8.1", "8.2.5", "8.5.1"],
    "PR-02": ["4.2.3", "4.2.4", "4.2.5"],
    "PR-03": ["7.2.1", "7.2.2", "7.3.1", "7.3.2", "7.3.3", "7.3.4", "7.3.5", "7.3.6",
              "7.3.7", "7.3.8", "7.3.9", "7.3.10"],
    "PR-04": ["7.1"],
    "PR-05": ["4.1.5", "7.4.1", "7.4.2", "7.4.3"],
    "PR-06": ["7.5.1", "7.5.6", "7.5.8", "7.5.9.1", "7.5.11", "8.2.6", "8.3.1", "8.3.2"],
    "PR-07": ["7.2.3", "8.2.1", "8.2.2", "8.2.3", "8.3.3"],
    "PR-08": ["8.4", "8.5.2", "8.5.3"],
}  # fmt: skip


def map_clauses(actor: User, processes: dict[str, Process]) -> None:
    """Map each process to the clauses it addresses through the clause action (audited,
    one qms.clause.edited event a clause)."""
    addressed_by: dict[str, list[Process]] = {}
    for code, numbers in ADDRESSES.items():
        for number in numbers:
            addressed_by.setdefault(number, []).append(processes[code])
    for clause in Clause.objects.filter(number__in=addressed_by).order_by("pk"):
        edit_clause(
            actor=actor,
            clause=clause,
            title=clause.title,
            applicable=clause.applicable,
            justification=clause.justification,
            notes=clause.notes,
            records=clause.records,
            processes=[*clause.processes.all(), *addressed_by[clause.number]],
        )


def _arguments(row: tuple, owners: dict[str, User], documents: dict[str, Document]) -> dict:
    code, name, owner, risk, outsourced, _, titles, purpose, inputs, outputs, why, kpis = row
    return {
        "code": code,
        "name": name,
        "owner": owners[owner],
        "purpose": purpose,
        "inputs": inputs,
        "outputs": outputs,
        "risk": risk,
        "risk_rationale": why,
        "monitoring": "",
        "outsourced": outsourced,
        "documents": [documents[t] for t in titles if t in documents],
        "kpis": kpis,
    }


def seed_processes() -> None:
    if Process.objects.exists():
        return
    owners = {u.username: u for u in User.objects.filter(username__in=["qa", "author", "approver"])}
    if len(owners) < 3:
        return
    qa = owners["qa"]
    documents = {d.title: d for d in Document.objects.filter(withdrawn_at__isnull=True)}
    made = {
        row[0]: create_process(actor=qa, **_arguments(row, owners, documents)) for row in PROCESSES
    }
    # The links once every process exists (the graph has a loop: CAPA feeds planning).
    for row in PROCESSES:
        edit_process(
            actor=qa,
            process=made[row[0]],
            feeds=[made[code] for code in row[5]],
            reason="Links between the processes",
            **_arguments(row, owners, documents),
        )
    map_clauses(qa, made)
