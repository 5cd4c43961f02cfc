"""Demo suppliers for Halden Health Ltd: the outsourced design partner Kestrel Embedded
Engineering Ltd (the RhythmCheck software's signal-processing module, as process PR-03
says) under a quality agreement (a controlled document made through document
control's actions), a cloud host approved on conditions, a label printer whose ISO 9001
certificate expires within 90 days, a patch maker due for re-evaluation, and a new
calibration service not yet evaluated. Everything goes through the actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core import demo
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import Document, DocumentType
from openqms.qms.models import Process
from openqms.suppliers import actions
from openqms.suppliers.models import Criterion, Supplier, SupplierCertificate

SCORES = {"approved": 4, "conditional": 3, "disqualified": 2}


def _people() -> dict[str, User]:
    wanted = ["qa", "manager", "reviewer", "approver"]
    return {u.username: u for u in User.objects.filter(username__in=wanted)}


def _supplier(qa: User, **fields) -> Supplier:
    return actions.create_supplier(actor=qa, **fields)


def _evaluate(qa: User, signer: User, supplier: Supplier, decision: str, **extra) -> None:
    scores = {c.code: (SCORES[decision], "") for c in Criterion.objects.filter(active=True)}
    evaluation = actions.record_evaluation(
        actor=qa,
        supplier=supplier,
        scores=scores,
        recommendation=decision,
        summary=extra.pop("summary", ""),
    )
    actions.decide_evaluation(
        actor=signer,
        evaluation=evaluation,
        decision=decision,
        credentials=Credentials(demo.DEMO_PASSWORD),
        **extra,
    )


def _agreement(people: dict[str, User]) -> Document | None:
    """The quality agreement with Kestrel, reviewed and approved as a plan (the seeded
    type that is reviewed and periodically re-read; it has no training gate)."""
    doc_type = DocumentType.objects.filter(code="plan").first()
    if doc_type is None or not {"reviewer", "approver"} <= set(people):
        return None
    sign = Credentials(demo.DEMO_PASSWORD)
    revision = documents.create_document(
        actor=people["qa"],
        doc_type=doc_type,
        title="Quality agreement with Kestrel Embedded Engineering Ltd",
        clauses=["4.1.5", "7.4.1", "7.3"],
        change_reason="First issue",
        body=AGREEMENT,
    )
    revision = documents.take_step(
        actor=people["qa"],
        revision=revision,
        step="submit",
        reviewers=[people["reviewer"]],
        approvers=[people["approver"]],
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    if doc_type.needs_review:
        documents.take_step(
            actor=people["reviewer"], revision=revision, step="review", credentials=sign
        )
    revision = documents.take_step(
        actor=people["approver"], revision=revision, step="approve", credentials=sign
    )
    return revision.document


def run() -> None:
    if Supplier.objects.exists():
        return
    people = _people()
    if "qa" not in people or "manager" not in people:
        return
    qa, manager = people["qa"], people["manager"]
    today = timezone.localdate()
    kestrel, cert = _kestrel(qa, manager, today)
    _others(qa, manager, today)
    _outsourced(people, kestrel, cert, today)


def _kestrel(qa: User, manager: User, today: dt.date) -> tuple[Supplier, SupplierCertificate]:
    """The design partner: ISO 13485 certified, approved."""
    kestrel = _supplier(
        qa,
        name="Kestrel Embedded Engineering Ltd",
        supplies="Design and verification of the signal-processing module of the "
        "RhythmCheck software",
        category="design",
        criticality="critical",
        criticality_rationale="Designs the device software's signal processing: a fault "
        "reaches the patient directly.",
        address="Unit 4, Riverside Park, Leeds LS10 1AB",
        contact_name="Priya Raman (Head of Quality)",
        email="quality@kestrel.example",
    )
    cert = actions.add_certificate(
        actor=qa,
        supplier=kestrel,
        kind="iso13485",
        number="MD 712345",
        issuer="BSI Assurance UK Ltd",
        expires_on=today + dt.timedelta(days=540),
    )
    _evaluate(qa, manager, kestrel, "approved", summary="Audited on site; ISO 13485 certified.")
    return kestrel, cert


def _others(qa: User, manager: User, today: dt.date) -> None:
    """A cloud host on conditions, a label printer, a patch maker due early, a new one."""
    cloud = _supplier(
        qa,
        name="Northgate Cloud Services Ltd",
        supplies="Hosting of the software device's UK production environment",
        category="software",
        criticality="critical",
        criticality_rationale="Runs the device software: outages and breaches harm patients.",
        contact_name="Service desk",
        email="support@northgate.example",
    )
    actions.add_certificate(
        actor=qa,
        supplier=cloud,
        kind="other",
        title="ISO/IEC 27001",
        number="IS 654321",
        issuer="LRQA",
        expires_on=today + dt.timedelta(days=400),
    )
    _evaluate(
        qa,
        manager,
        cloud,
        "conditional",
        conditions="Quarterly availability reports; notify security incidents within 24 hours.",
    )

    labels = _supplier(
        qa,
        name="Brightmark Labels Ltd",
        supplies="Printed device labels and packaging inserts",
        category="component",
        criticality="minor",
        criticality_rationale="Labels are checked on receipt against the approved artwork.",
    )
    actions.add_certificate(
        actor=qa,
        supplier=labels,
        kind="iso9001",
        number="Q 99812",
        issuer="SGS United Kingdom Ltd",
        expires_on=today + dt.timedelta(days=60),
    )
    _evaluate(qa, manager, labels, "approved")

    patches = _supplier(
        qa,
        name="Medipatch Adhesives Ltd",
        supplies="Skin-contact adhesive ECG patches placed with the RhythmCheck patch applicator",
        category="manufacturing",
        criticality="major",
        criticality_rationale="Skin contact (biocompatibility); checked by lot sampling.",
    )
    _evaluate(qa, manager, patches, "approved")
    actions.reschedule_evaluation(
        actor=qa,
        supplier=patches,
        next_evaluation=today + dt.timedelta(days=20),
        reason="Two rejected lots last quarter: re-evaluate early.",
    )
    for start, on_time, total, received, rejected in [(180, 11, 12, 12, 0), (90, 10, 12, 12, 2)]:
        actions.record_performance(
            actor=qa,
            supplier=patches,
            period_start=today - dt.timedelta(days=start),
            period_end=today - dt.timedelta(days=start - 89),
            deliveries_on_time=on_time,
            deliveries_total=total,
            lots_received=received,
            lots_rejected=rejected,
        )

    _supplier(
        qa,
        name="Calder Calibration Services",
        supplies="Calibration of the test bench's reference instruments",
        category="service",
        criticality="minor",
        criticality_rationale="Reference instruments are cross-checked before each use.",
    )


def _outsourced(
    people: dict[str, User], kestrel: Supplier, cert: SupplierCertificate, today: dt.date
) -> None:
    """Kestrel's design work as an outsourced process under the quality agreement."""
    qa = people["qa"]
    agreement = _agreement(people)
    process = Process.objects.filter(code="PR-03").first()
    outsourced = actions.create_outsourced_process(
        actor=qa,
        partner=kestrel,
        title="Design and development of the signal-processing module",
        process=process,
        agreement=agreement,
        agreement_review_on=today + dt.timedelta(days=330),
        agreement_expires_on=today + dt.timedelta(days=3 * 365),
        partner_certificate=cert,
        contacts_ours="Quinn Avery, QA lead (qa@halden.example)",
        contacts_partner="Priya Raman, Head of Quality (quality@kestrel.example)",
        exchange="Design documents and change requests through the shared OpenQMS project; "
        "each design change is approved by both parties before implementation.",
    )
    for activity, governed_by in [
        ("Design inputs and requirements", "ours"),
        ("Module architecture, coding and unit testing", "partner"),
        ("Design verification (system level)", "ours"),
        ("Software configuration management", "partner"),
        ("Design transfer and release", "ours"),
    ]:
        actions.add_activity(
            actor=qa, outsourced=outsourced, activity=activity, governed_by=governed_by
        )
    for what, days, direction in [
        ("changes", 10, "to_us"),
        ("nonconformities", 5, "to_us"),
        ("vigilance", 2, "to_partner"),
    ]:
        actions.add_duty(actor=qa, outsourced=outsourced, what=what, days=days, direction=direction)


AGREEMENT = """# Quality agreement: Kestrel Embedded Engineering Ltd

## 1. Scope
Kestrel designs, verifies and maintains the signal-processing module of the RhythmCheck
software under its own ISO 13485 quality management system. Halden Health Ltd remains the legal
manufacturer.

## 2. Responsibilities
The interface definition in OpenQMS says which party's QMS governs each activity.

## 3. Changes and notifications
Kestrel notifies changes within 10 days and nonconformities within 5 days; Halden
notifies Kestrel of vigilance reports concerning the module within 2 days.
"""
