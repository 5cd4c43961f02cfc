"""The device families API: define, read, edit, retire; refusals with a stable code."""

import json

from openqms.core.actions import create_api_token
from openqms.testing import event_count


def test_the_api_defines_reads_edits_and_retires(cast, client):
    token = create_api_token(actor=cast.qa_lead, user=cast.qa_lead, name="tests")[1]
    headers = {"Authorization": f"Bearer {token}"}

    def send(method, path, body=None):
        return getattr(client, method)(
            f"/api/v1/qms{path}",
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers=headers,
        )

    assert send("post", "/families", {"code": "HR-SW", "name": "Rhythm"}).status_code == 201
    assert send("get", "/families/HR-SW").json()["name"] == "Rhythm"
    assert send("put", "/families/HR-SW", {"code": "HR-SW", "name": "R2"}).json()["name"] == "R2"
    before = event_count()
    refused = send("post", "/families", {"code": "HR-SW", "name": "Again"})
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_input")
    assert send("get", "/families/NOPE").status_code == 404
    assert event_count() == before
    retired = send("post", "/families/HR-SW/retire", {"reason": "Gone"})
    assert retired.json()["retired"] is True
    assert [f["code"] for f in send("get", "/families").json()] == ["HR-SW"]
