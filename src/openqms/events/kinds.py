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
    # The page that starts a new record of this kind ("" when none starts from another
    # record); it takes ?from=<type>:<id> (repeatable), the records it comes from, which
    # the create action links ("raised").
    create_url: str = ""
    # The permission its create page requires (a code from events/registry.py): only its
    # holders are offered "Raise a …" on a record's page.
    create_permission: str = ""
    # The kinds a new record of this kind may be raised from: their pages offer it.
    raised_from: tuple[str, ...] = ()


_ALL = [
    Kind(
        code="feedback",
        label="feedback",
        plural="Feedback",
        prefix="FB",
        model="events.Feedback",
        url_name="events:feedback",
        list_url="events:feedback-list",
        area="complaints",
    ),
    Kind(
        code="complaint",
        label="complaint",
        plural="Complaints",
        prefix="CMP",
        model="events.Complaint",
        url_name="events:complaint",
        list_url="events:complaints",
        area="complaints",
    ),
    Kind(
        code="incident_report",
        label="incident report",
        plural="Incident reports",
        prefix="MIR",
        model="events.IncidentReport",
        url_name="events:incident-report",
        list_url="events:incident-reports",
        area="vigilance",
        create_url="events:incident-report-create",
        create_permission="events.vigilance:report",
        raised_from=("complaint",),
    ),
    Kind(
        code="fsca",
        label="field safety corrective action",
        plural="FSCAs",
        prefix="FSCA",
        model="events.Fsca",
        url_name="events:fsca",
        list_url="events:fscas",
        area="vigilance",
        create_url="events:fsca-create",
        create_permission="events.event:manage",
        raised_from=("complaint", "incident_report", "nonconformity", "capa", "trend_report"),
    ),
    Kind(
        code="trend_report",
        label="trend report",
        plural="Trend reports",
        prefix="TR",
        model="events.TrendReport",
        url_name="events:trend-report",
        list_url="events:trend-reports",
        area="pms",
    ),
    Kind(
        code="pms_report",
        label="periodic PMS report",
        plural="PSURs and PMSRs",
        prefix="PMS",
        model="events.PmsReport",
        url_name="events:pms-report",
        list_url="events:pms-reports",
        area="pms",
    ),
    Kind(
        code="mhra_request",
        label="MHRA request",
        plural="MHRA requests",
        prefix="REQ",
        model="events.MhraRequest",
        url_name="events:mhra-request",
        list_url="events:mhra-requests",
        area="pms",
    ),
    Kind(
        code="nonconformity",
        label="nonconformity",
        plural="Nonconformities",
        prefix="NC",
        model="events.Nonconformity",
        url_name="events:nonconformity",
        list_url="events:nonconformities",
        area="nc",
        create_url="events:nonconformity-create",
        create_permission="events.event:log",
        raised_from=("complaint", "capa", "fsca"),
    ),
    Kind(
        code="capa",
        label="CAPA",
        plural="CAPAs",
        prefix="CAPA",
        model="events.Capa",
        url_name="events:capa",
        list_url="events:capas",
        area="capa",
        create_url="events:capa-create",
        create_permission="events.event:log",
        raised_from=(
            "complaint",
            "nonconformity",
            "trend_report",
            "incident_report",
            "fsca",
            "pms_report",
        ),
    ),
]
KINDS: dict[str, Kind] = {k.code: k for k in _ALL}
