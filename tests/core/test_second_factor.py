import base64
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core import actions
from openqms.core.errors import InvalidInput, SignInFailed
from openqms.core.models import Role, fingerprint
from openqms.testing import PASSWORD, changes_of, code_for, enrol_totp, event_count, last_event


def test_enrolment_page_shows_a_qr_code_and_confirms_with_a_code(signed_in, cast):
    client = signed_in(cast.author)
    page = client.get("/profile/second-factor/").content.decode()
    assert "<svg" in page
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=cast.author, confirmed=False)
    assert secret.replace(" ", "") in base64.b32encode(device.bin_key).decode()
    response = client.post("/profile/second-factor/", {"code": code_for(device)})
    html = response.content.decode()
    assert "Your recovery codes" in html
    assert len(re.findall(r"<li><code>[0-9a-f]{10}</code></li>", html)) == 10
    assert actions.has_second_factor(cast.author)
    device.refresh_from_db()
    assert last_event().action == "core.totp.enrolled"
    assert changes_of(last_event()) == {
        "second_factor": [False, True],
        "device_fingerprint": fingerprint(device.key),
    }


def test_wrong_enrolment_code_is_refused_and_nothing_is_enrolled(signed_in, cast):
    client = signed_in(cast.author)
    client.get("/profile/second-factor/")
    before = event_count()
    response = client.post("/profile/second-factor/", {"code": "123456"})
    assert "The code does not match" in response.content.decode()
    assert not actions.has_second_factor(cast.author)
    assert event_count() == before


def test_recovery_code_signs_in_once(client, cast):
    device = actions.start_second_factor(actor=cast.author)
    codes = actions.confirm_second_factor(actor=cast.author, device=device, code=code_for(device))
    client.post("/accounts/sign-in/", {"username": "author", "password": PASSWORD})
    client.post("/accounts/sign-in/code/", {"code": codes[0]})
    assert client.session["_auth_user_id"] == str(cast.author.pk)
    client.post("/accounts/sign-out/")
    client.post("/accounts/sign-in/", {"username": "author", "password": PASSWORD})
    response = client.post("/accounts/sign-in/code/", {"code": codes[0]})
    assert "not correct" in response.content.decode()


def test_role_requiring_a_second_factor_sends_members_to_enrol(signed_in, cast):
    Role.objects.filter(code="author").update(requires_second_factor=True)
    client = signed_in(cast.author)
    response = client.get("/")
    assert response["Location"] == "/profile/second-factor/?required=1"
    assert "requires a second factor" in client.get(response["Location"]).content.decode()


def test_member_who_signed_in_with_the_second_factor_goes_through(client, cast):
    device = enrol_totp(cast.author)
    Role.objects.filter(code="author").update(requires_second_factor=True)
    client.post("/accounts/sign-in/", {"username": "author", "password": PASSWORD})
    client.post("/accounts/sign-in/code/", {"code": code_for(device, offset_steps=1)})
    assert client.get("/").status_code == 200


def test_administrator_removes_a_lost_second_factor_with_a_reason(cast):
    enrol_totp(cast.author)
    with pytest.raises(InvalidInput, match="reason"):
        actions.remove_second_factor(actor=cast.admin, user=cast.author, reason="")
    actions.remove_second_factor(actor=cast.admin, user=cast.author, reason="Lost phone")
    assert not actions.has_second_factor(cast.author)
    event = last_event()
    assert (event.action, event.reason, event.actor_id) == (
        "core.totp.removed",
        "Lost phone",
        cast.admin.pk,
    )


def test_others_cannot_remove_someones_second_factor(cast):
    enrol_totp(cast.author)
    with pytest.raises(InvalidInput, match="Only an administrator"):
        actions.remove_second_factor(actor=cast.reviewer, user=cast.author, reason="prank")
    assert actions.has_second_factor(cast.author)


def test_api_session_is_refused_until_a_required_second_factor_is_used(signed_in, cast):
    Role.objects.filter(code="author").update(requires_second_factor=True)
    client = signed_in(cast.author)
    assert client.get("/api/v1/me").status_code == 401


def test_removing_your_own_second_factor_needs_your_password(signed_in, cast):
    enrol_totp(cast.author)
    client = signed_in(cast.author)
    session = client.session
    session["second_factor_ok"] = True
    session.save()
    before = event_count()
    client.post("/profile/second-factor/remove/", {"password": "wrong", "reason": "new phone"})
    assert actions.has_second_factor(cast.author)
    assert last_event().action == "core.auth.reauthentication_failed"
    client.post("/profile/second-factor/remove/", {"password": PASSWORD, "reason": "new phone"})
    assert not actions.has_second_factor(cast.author)
    assert last_event().action == "core.totp.removed"
    assert event_count() == before + 2
    assert client.session["second_factor_ok"] is False


def test_two_requests_cannot_spend_the_same_code(client, cast):
    device = enrol_totp(cast.approver)
    code = code_for(device, offset_steps=1)
    actions.verify_second_factor(
        user=cast.approver, code=code, action="core.auth.second_factor_failed"
    )
    before = event_count()
    with pytest.raises(SignInFailed, match="already used"):
        actions.verify_second_factor(
            user=cast.approver, code=code, action="core.auth.second_factor_failed"
        )
    # The person's own code typed twice is not a guess: not counted, nothing recorded.
    cast.approver.refresh_from_db()
    assert cast.approver.failed_sign_ins == 0
    assert event_count() == before
