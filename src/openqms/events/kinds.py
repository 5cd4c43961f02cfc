"""The kinds of quality record, one row each: what dashboards, the audit trail's names,
exports, the record PDF and the link graph know of every kind. Pure data (model names
as strings), so models import it.

A kind's record is a concrete `events.models.base.EventRecord`; its number is
`<prefix>-<year>-<nnnn>` (events/numbers.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str  # also the value of the model's KIND
    label: str  # "complaint"
    plural: str  # "Complaints"
    prefix: str  # "CMP"
    model: str  # "events.Complaint"
    url_name: str  # the record's page ("events:complaint", one int argument)
    list_url: str  # the list page ("events:complaints")
    area: str  # the dashboard group: "complaints", "vigilance", "pms", "nc", "capa"
    # Signed state changes leave the record open to this date: the dashboards' age counts
    # from opened_at to closed_at or now.


KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        Kind(
            "feedback",
            "feedback",
            "Feedback",
            "FB",
            "events.Feedback",
            "events:feedback",
            "events:feedback-list",
            "complaints",
        ),
        Kind(
            "complaint",
            "complaint",
            "Complaints",
            "CMP",
            "events.Complaint",
            "events:complaint",
            "events:complaints",
            "complaints",
        ),
        Kind(
            "incident_report",
            "incident report",
            "Incident reports",
            "MIR",
            "events.IncidentReport",
            "events:incident-report",
            "events:vigilance",
            "vigilance",
        ),
        Kind(
            "fsca",
            "field safety corrective action",
            "FSCAs",
            "FSCA",
            "events.Fsca",
            "events:fsca",
            "events:fscas",
            "vigilance",
        ),
        Kind(
            "trend_report",
            "trend report",
            "Trend reports",
            "TR",
            "events.TrendReport",
            "events:trend-report",
            "events:trends",
            "pms",
        ),
        Kind(
            "pms_report",
            "periodic PMS report",
            "PSURs and PMSRs",
            "PMS",
            "events.PmsReport",
            "events:pms-report",
            "events:pms",
            "pms",
        ),
        Kind(
            "mhra_request",
            "MHRA request",
            "MHRA requests",
            "REQ",
            "events.MhraRequest",
            "events:mhra-request",
            "events:mhra-requests",
            "pms",
        ),
        Kind(
            "nonconformity",
            "nonconformity",
            "Nonconformities",
            "NC",
            "events.Nonconformity",
            "events:nonconformity",
            "events:nonconformities",
            "nc",
        ),
        Kind("capa", "CAPA", "CAPAs", "CAPA", "events.Capa", "events:capa", "events:capas", "capa"),
    ]
}
