"""`openqms verify` compares each stored secret with the fingerprint its last event
recorded: a password hash copied onto the approver (to sign as them), an authenticator
key replaced or added, or an API token moved to another person in the database is found
(Part 11 §11.10(d), §11.300)."""

import json

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core import actions, integrity
from openqms.core.models import ApiToken, AuditEvent, User
from openqms.core.triggers import drop_triggers, install_triggers
from openqms.testing import enrol_totp


def _findings(check: str) -> list[integrity.Finding]:
    report = integrity.run()
    assert {f.check for f in report.findings} <= {check}
    return report.findings


def _section(name: str) -> integrity.Section:
    return next(s for s in integrity.run().sections if s.name == name)


def test_a_clean_instance_has_no_secret_finding(cast):
    enrol_totp(cast.approver)
    actions.create_api_token(actor=cast.author, user=cast.author, name="CI")
    report = integrity.run()
    assert report.findings == []
    assert _section("core: passwords").checked == User.objects.count()
    assert _section("core: second factors").checked == 1
    assert _section("core: api tokens").checked == 1


def test_a_password_hash_copied_onto_the_approver_is_found(cast):
    User.objects.filter(pk=cast.approver.pk).update(password=cast.admin.password)
    [finding] = _findings("core: passwords")
    assert finding.record == f"core.user {cast.approver.pk} (approver)"
    assert finding.trail_says.startswith("password hash with fingerprint ")
    assert finding.row_says == "a different password hash (set without an action)"


def test_a_password_changed_by_its_action_stays_clean(cast):
    actions.set_password(
        actor=cast.admin, user=cast.approver, new_password="a new pass phrase 9", reason="Lost"
    )
    assert integrity.run().findings == []


def test_a_user_whose_password_predates_fingerprints_is_noted_not_found(cast):
    drop_triggers(connection)  # rolled back with the test: an event of an older version
    AuditEvent.objects.filter(action="core.user.created", object_id=str(cast.trainee.pk)).update(
        changes=json.dumps({"username": [None, "trainee"]})
    )
    install_triggers(connection)
    section = _section("core: passwords")
    assert section.findings == 0  # the chain check names the rewrite, not this one
    assert section.note == "1 user(s) last set a password before fingerprints: not checkable"


def test_an_authenticator_key_replaced_in_the_database_is_found(cast):
    device = enrol_totp(cast.approver)
    TOTPDevice.objects.filter(pk=device.pk).update(key="00" * 20)
    [finding] = _findings("core: second factors")
    assert finding.record == f"core.user {cast.approver.pk} (approver)"
    assert finding.trail_says.startswith("an authenticator with key fingerprint ")
    assert finding.row_says == "1 confirmed authenticator(s), with another key"


def test_an_authenticator_added_without_enrolment_is_found(cast):
    TOTPDevice.objects.create(user=cast.approver, name="Attacker's phone", confirmed=True)
    [finding] = _findings("core: second factors")
    assert finding.record == f"core.user {cast.approver.pk} (approver)"
    assert finding.trail_says == "never enrolled"
    assert finding.row_says == "1 confirmed authenticator(s)"


def test_an_authenticator_kept_after_its_removal_is_found(cast):
    device = enrol_totp(cast.approver)
    actions.remove_second_factor(actor=cast.admin, user=cast.approver, reason="Lost phone")
    device.save()  # put back in the database
    [finding] = _findings("core: second factors")
    assert finding.trail_says.startswith("removed (event #")


def test_an_api_token_moved_to_another_person_is_found(cast):
    token, _ = actions.create_api_token(actor=cast.author, user=cast.author, name="CI")
    ApiToken.objects.filter(pk=token.pk).update(user=cast.approver)
    [finding] = _findings("core: api tokens")
    assert finding.record == f"core.apitoken {token.pk} ({token.prefix}…)"
    assert finding.trail_says.startswith("made for author (event #")
    assert finding.row_says == "belongs to approver"


@pytest.mark.parametrize("column", ["token_hash", "revoked_at"])
def test_an_api_token_hash_swapped_or_revocation_cleared_is_found(cast, column):
    token, _ = actions.create_api_token(actor=cast.author, user=cast.author, name="CI")
    if column == "revoked_at":
        actions.revoke_api_token(actor=cast.author, token=token)
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    else:
        ApiToken.objects.filter(pk=token.pk).update(token_hash="0" * 64)
    [finding] = _findings("core: api tokens")
    assert finding.record == f"core.apitoken {token.pk} ({token.prefix}…)"
    assert finding.row_says in {"another token hash", "not revoked"}
