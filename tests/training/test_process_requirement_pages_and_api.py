"""Job roles' pages and API offer the process kind of requirement."""

import json

from django.urls import reverse

from openqms.core import actions as core_actions
from openqms.qms.actions.processes import create_process
from openqms.testing import event_count
from openqms.training import actions
from openqms.training.models import Requirement


def _process(cast):
    return create_process(
        actor=cast.qa_lead,
        code="PR-02",
        name="Document control",
        owner=cast.qa_lead,
        purpose="Control documents.",
        inputs="",
        outputs="",
        risk="medium",
        risk_rationale="",
        monitoring="",
        outsourced=False,
    )


def test_the_job_role_page_offers_and_adds_a_process_requirement(cast, signed_in):
    process = _process(cast)
    role = actions.create_job_role(actor=cast.qa_lead, name="Controller")
    client = signed_in(cast.qa_lead)
    page = client.get(reverse("training:job-role", args=[role.pk])).content.decode()
    assert "Every document serving a process" in page and "PR-02 Document control" in page
    client.post(
        reverse("training:requirement-add", args=[role.pk]), {"kind": "process", "process": "PR-02"}
    )
    requirement = Requirement.objects.get(job_role=role)
    assert (requirement.kind, requirement.process_id) == ("process", process.pk)
    page = client.get(reverse("training:job-role", args=[role.pk])).content.decode()
    assert "Every document serving process PR-02 Document control" in page


def _post(client, user, path, body):
    token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
    return client.post(
        f"/api/v1/training{path}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_api_adds_a_process_requirement_by_code(cast, client):
    _process(cast)
    role = actions.create_job_role(actor=cast.qa_lead, name="Controller")
    response = _post(
        client,
        cast.qa_lead,
        f"/job-roles/{role.pk}/requirements",
        {"kind": "process", "process": "PR-02"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["process"], body["label"]) == (
        "process",
        "PR-02",
        "Every document serving process PR-02 Document control",
    )


def test_the_api_refuses_an_unknown_process_and_writes_nothing(cast, client):
    role = actions.create_job_role(actor=cast.qa_lead, name="Controller")
    # The token is an audited change of its own: count the events after making it.
    token = core_actions.create_api_token(actor=cast.qa_lead, user=cast.qa_lead, name="t")[1]
    before = event_count()
    response = client.post(
        f"/api/v1/training/job-roles/{role.pk}/requirements",
        json.dumps({"kind": "process", "process": "PR-99"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "process" in response.json()["fields"]
    assert event_count() == before
    assert not role.requirements.exists()
