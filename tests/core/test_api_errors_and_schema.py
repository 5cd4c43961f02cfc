"""API clients get JSON: the OpenAPI document for a token, 401 for nobody, the error
shape declared on every operation, and oversize bodies in the same shape."""

from openqms.core import actions
from openqms.testing import api_post

DECLARED = {"400", "401", "403", "404", "409", "422"}


def test_the_openapi_document_is_served_to_a_bearer_token_client(client, cast):
    token = actions.create_api_token(actor=cast.author, user=cast.author, name="ci")[1]
    response = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "OpenQMS API"


def test_anonymous_api_requests_get_json_401_never_a_redirect(client, db):
    for path in ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/me"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"].startswith("application/json")
        assert set(response.json()) == {"code", "message", "fields"}


def test_every_operation_declares_the_error_responses(signed_in, cast):
    schema = signed_in(cast.author).get("/api/v1/openapi.json").json()
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert len(operations) > 10
    for operation in operations:
        assert set(operation["responses"]) >= DECLARED, operation["operationId"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message", "fields"]


def test_an_oversize_body_gets_the_json_error_shape(client, cast, settings):
    token = actions.create_api_token(actor=cast.author, user=cast.author, name="ci")[1]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_post(client, "/tokens", {"name": "x" * 50, "pad": "y" * 5000}, token)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large" and set(body) == {"code", "message", "fields"}
