"""What the organisation and scope tests share: the frame's rows made directly (other
areas' actions are not in this branch), a scope taken through its lifecycle, an API
client."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from openqms.core import actions as core_actions
from openqms.core.signatures import Credentials
from openqms.qms.actions import scope as actions
from openqms.qms.models import (
    ApprovedBody,
    Certificate,
    CertificateKind,
    DeviceFamily,
    Process,
    Site,
)
from openqms.testing import PASSWORD

SIGN = Credentials(PASSWORD)
STERILE = actions.Exclusion("7.5.7", "not_applicable", "Sterilisation", "Nothing is sterile.")


def family(code: str, name: str = "") -> DeviceFamily:
    return DeviceFamily.objects.create(code=code, name=name or f"Family {code}")


def process(cast, code: str) -> Process:
    return Process.objects.create(
        code=code,
        name=f"Process {code}",
        owner=cast.qa_lead,
        purpose="x",
        created_at=timezone.now(),
    )


def site(name: str = "London") -> Site:
    return Site.objects.create(name=name, address=f"{name} address")


def certificate() -> Certificate:
    body = ApprovedBody.objects.create(name="Albion", number="0994")
    today = timezone.localdate()
    return Certificate.objects.create(
        kind=CertificateKind.ISO_13485,
        number="Q-1",
        body=body,
        scope_text="Software",
        issued_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=1000),
        created_at=timezone.now(),
    )


def drafted(cast, families=(), statement="Rhythm analysis software.", exclusions=(STERILE,)):
    scope = actions.start_scope_version(actor=cast.qa_lead)
    return actions.edit_scope(
        actor=cast.qa_lead,
        scope=scope,
        statement=statement,
        sites=[],
        families=list(families),
        processes=[],
        exclusions=list(exclusions),
    )


def approved(cast, scope):
    scope = actions.take_scope_step(actor=cast.qa_lead, scope=scope, step="submit")
    return actions.take_scope_step(
        actor=cast.manager, scope=scope, step="approve", credentials=SIGN
    )


def in_force(cast, scope):
    scope = approved(cast, scope)
    return actions.take_scope_step(actor=cast.qa_lead, scope=scope, step="put_in_force")


def certified_v1_and_v2_in_force(cast):
    """Version 1 certified, version 2 (adding a family) in force: the flag is up."""
    sw, acc = family("HR-SW"), family("HR-ACC")
    v1 = in_force(cast, drafted(cast, [sw]))
    actions.mark_scope_certified(
        actor=cast.qa_lead, scope=v1, certificate=certificate(), certified_on=timezone.localdate()
    )
    v2 = actions.start_scope_version(actor=cast.qa_lead)
    v2 = actions.edit_scope(
        actor=cast.qa_lead,
        scope=v2,
        statement=v1.statement,
        sites=[],
        families=[sw, acc],
        processes=[],
        exclusions=[STERILE],
    )
    return v1, in_force(cast, v2)


class Api:
    """A bearer-token client for one person under /api/v1/qms."""

    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/qms{path}", query, headers=self.headers)

    def send(self, method, path, body=None):
        return self.client.generic(
            method.upper(),
            f"/api/v1/qms{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path, body=None):
        return self.send("post", path, body)

    def put(self, path, body):
        return self.send("put", path, body)
