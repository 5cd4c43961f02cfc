import pytest

from openqms.core import actions
from openqms.core.models import Signature
from openqms.core.signatures import content_hash
from openqms.testapp.models import SpecimenState
from openqms.testing import PASSWORD, api_post, event_count, events_since
from tests.core.specimens import give_specimen_rights, submitted_specimen


@pytest.fixture
def specimen(cast):
    give_specimen_rights(cast)
    return submitted_specimen(cast)


def _sign(client, specimen, body, user):
    token = actions.create_api_token(actor=user, user=user, name="t")[1]
    body = {"content_hash": content_hash(specimen.signature_content()), **body}
    return api_post(client, f"/testapp/specimens/{specimen.pk}/approve", body, token)


def test_signing_over_the_api_takes_the_password_in_the_body(client, cast, specimen):
    before = event_count()
    response = _sign(client, specimen, {"password": PASSWORD, "reason": "OK"}, cast.approver)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == SpecimenState.APPROVED
    assert [e.action for e in events_since(before)][-2:] == [
        "core.signature.signed",
        "testapp.specimen.approved",
    ]


def test_wrong_password_over_the_api_is_403_and_audited(client, cast, specimen):
    token = actions.create_api_token(actor=cast.approver, user=cast.approver, name="t")[1]
    before = event_count()
    seen = content_hash(specimen.signature_content())
    response = api_post(
        client,
        f"/testapp/specimens/{specimen.pk}/approve",
        {"password": "nope", "content_hash": seen},
        token,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_failed"
    assert not Signature.objects.exists()
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


def test_missing_password_is_422(client, cast, specimen):
    response = _sign(client, specimen, {}, cast.approver)
    assert response.status_code == 422
    assert "password" in response.json()["fields"]


def test_self_approval_over_the_api_is_409(client, cast, specimen):
    response = _sign(client, specimen, {"password": PASSWORD}, cast.author)
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
