"""The demo's organisation and scope (DemoStep "qms: scope", order 26): Halden Health Ltd,
a UK software-device maker; scope version 1 certified, version 2 in force adding a device
family, flagged for reassessment, the approved body notified and its answer pending.

Idempotent, on the demo clock (core.demo.at). Device families come from another step
(order 21) and the ISO 13485 certificate from another (order 24): looked up, left out
when missing."""

from __future__ import annotations

from django.utils import timezone

from openqms.core.demo import DEMO_PASSWORD, at
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.qms.actions import organisation as org
from openqms.qms.actions import scope as actions
from openqms.qms.models import (
    ApprovedBody,
    Certificate,
    CertificateKind,
    DeviceFamily,
    Market,
    MarketRole,
    Organisation,
    Process,
    RoleKind,
    ScopeVersion,
    Site,
)

BODY = "Albion Conformity Assessment Ltd"
STATEMENT = (
    "Design, development, release, distribution and post-market surveillance of "
    "software as a medical device for the analysis of ambulatory ECG recordings, "
    "carried out at the sites listed."
)
EXCLUSIONS = [
    actions.Exclusion(
        "7.5.7",
        "not_applicable",
        "Validation of processes for sterilisation and sterile barrier systems",
        "No device in scope is supplied sterile or sterilised by us.",
    ),
    actions.Exclusion(
        "7.5.5",
        "not_applicable",
        "Particular requirements for sterile medical devices",
        "No device in scope is sterile.",
    ),
]


def _organisation(qa: User) -> list[Site]:
    body = ApprovedBody.objects.filter(name=BODY).first() or org.save_body(
        actor=qa,
        name=BODY,
        number="0994",
        kind="uk_approved",
        contact_name="Harriet Lowe",
        email="certification@albion-ca.invalid",
        address="2 Quay Street, Bristol BS1 4AB",
    )
    sites = [
        Site.objects.filter(name=name).first()
        or org.save_site(actor=qa, name=name, address=address, activities=activities)
        for name, address, activities in [
            ("London head office", "14 Finsbury Square, London EC2A 1AH", "Management, QA/RA"),
            ("Cambridge software site", "3 Station Road, Cambridge CB1 2JH", "Software design"),
        ]
    ]
    if not Organisation.objects.exists():
        org.save_organisation(
            actor=qa,
            legal_name="Halden Health Ltd",
            registered_address="14 Finsbury Square, London EC2A 1AH, United Kingdom",
            based_in_uk=True,
            approved_body=body,
        )
    for market in (Market.GB, Market.NI, Market.EU):
        held = MarketRole.objects.filter(market=market, role=RoleKind.MANUFACTURER)
        if not held.filter(retired_at__isnull=True).exists():
            org.add_market_role(actor=qa, market=market, role=RoleKind.MANUFACTURER)
    return sites


def _version(
    qa: User, manager: User, sites: list[Site], codes: list[str], why: str, day: int
) -> ScopeVersion:
    """Drafted `day` days ago, approved by top management the next day, in force the day
    after."""
    at(day)
    scope = actions.start_scope_version(actor=qa)
    scope = actions.edit_scope(
        actor=qa,
        scope=scope,
        statement=STATEMENT,
        sites=sites,
        families=list(DeviceFamily.objects.filter(code__in=codes, retired_at__isnull=True)),
        processes=list(Process.objects.filter(retired_at__isnull=True)),
        exclusions=EXCLUSIONS,
        change_summary=why,
    )
    scope = actions.take_scope_step(actor=qa, scope=scope, step="submit")
    at(day - 1)
    sign = Credentials(DEMO_PASSWORD)
    scope = actions.take_scope_step(actor=manager, scope=scope, step="approve", credentials=sign)
    at(day - 2)
    return actions.take_scope_step(actor=qa, scope=scope, step="put_in_force")


def seed_scope() -> None:
    if ScopeVersion.objects.exists():
        return
    people = {u.username: u for u in User.objects.filter(username__in=["qa", "manager"])}
    if len(people) < 2:
        return
    qa, manager = people["qa"], people["manager"]
    at(57)
    sites = _organisation(qa)
    v1 = _version(qa, manager, sites, ["HR-SW"], "First issue", day=57)
    certificate = (
        Certificate.objects.filter(kind=CertificateKind.ISO_13485, retired_at__isnull=True)
        .order_by("-issued_on")
        .first()
    )
    if certificate is None:
        return
    at(50)
    actions.mark_scope_certified(
        actor=qa, scope=v1, certificate=certificate, certified_on=timezone.localdate()
    )
    why = "Adds the ECG patch accessories (HR-ACC)"
    v2 = _version(qa, manager, sites, ["HR-SW", "HR-ACC"], why, day=21)
    notification = getattr(v2, "notification", None)
    if notification is not None:
        at(16)
        actions.record_notification_sent(
            actor=qa,
            notification=notification,
            sent_on=timezone.localdate(),
            reference="AB-2026-114",
        )
