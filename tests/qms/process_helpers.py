"""Shared set-up of the process register's tests (imported by tests/qms/test_process_*)."""

from __future__ import annotations

import json

from openqms.core import actions as core_actions
from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.qms.actions.processes import KPI, create_process
from openqms.testing import PASSWORD, named

SIGN = Credentials(PASSWORD)


def fields(cast, code="PR-01", name="Document control", **extra) -> dict:
    base = {
        "code": code,
        "name": name,
        "owner": cast.qa_lead,
        "purpose": "Keep documents under control.",
        "inputs": "",
        "outputs": "",
        "risk": "medium",
        "risk_rationale": "",
        "monitoring": "",
        "outsourced": False,
    }
    base.update(extra)
    return base


def make_process(cast, code="PR-01", name="Document control", **extra):
    return create_process(actor=cast.qa_lead, **fields(cast, code, name, **extra))


def draft_document(cast, title="Control of documents"):
    draft = documents.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="procedure"),
        title=title,
        clauses=["4.2.4"],
        body="Text.",
    )
    return documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body=f"{title}.",
        change_summary="First issue",
        change_reason="New",
    )


def make_effective(cast, revision):
    revision = documents.take_step(
        actor=cast.author, revision=revision, step="submit", **named(cast)
    )
    documents.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return documents.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )


class Api:
    """A bearer-token client for one person."""

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


__all__ = ["KPI", "SIGN", "Api", "draft_document", "fields", "make_effective", "make_process"]
