import pytest
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from openqms.core import signatures, signing
from openqms.core.errors import (
    AccountLocked,
    AlreadySigned,
    ReauthenticationFailed,
    TransitionNotAllowed,
)
from openqms.core.models import Signature
from openqms.core.signatures import Credentials
from openqms.core.triggers import drop_triggers
from openqms.testapp.actions import take_step
from openqms.testapp.models import Specimen, SpecimenState
from openqms.testing import PASSWORD, code_for, enrol_totp, event_count, events_since
from tests.core.specimens import give_specimen_rights, submitted_specimen


@pytest.fixture
def specimen(cast):
    give_specimen_rights(cast)
    return submitted_specimen(cast)


def _reviewed(cast, specimen) -> Signature:
    """The reviewer signs the specimen with no state change, through the one path."""
    signing.perform(
        actor=cast.reviewer,
        record=specimen,
        meaning="reviewed",
        credentials=Credentials(PASSWORD),
        change=lambda locked, signed: None,
    )
    return Signature.objects.filter(signer=cast.reviewer, meaning="reviewed").latest("pk")


@pytest.mark.verifies("CORE-006", refusal=True)
def test_signing_without_a_password_is_refused(cast, specimen):
    before = event_count()
    with pytest.raises(ReauthenticationFailed, match="needs your password"):
        take_step(actor=cast.approver, specimen=specimen, step="approve", credentials=None)
    specimen.refresh_from_db()
    assert specimen.state == SpecimenState.IN_REVIEW
    assert event_count() == before


@pytest.mark.verifies("CORE-006", refusal=True)
def test_wrong_password_is_refused_audited_and_counted(cast, specimen):
    before = event_count()
    with pytest.raises(ReauthenticationFailed, match="nothing was signed"):
        take_step(
            actor=cast.approver,
            specimen=specimen,
            step="approve",
            credentials=Credentials("not my password"),
        )
    specimen.refresh_from_db()
    assert specimen.state == SpecimenState.IN_REVIEW
    assert not Signature.objects.exists()
    [event] = events_since(before)
    assert (event.action, event.actor_id) == ("core.auth.signing_failed", cast.approver.pk)
    cast.approver.refresh_from_db()
    assert cast.approver.failed_sign_ins == 1


@override_settings(LOCKOUT_THRESHOLD=2)
def test_failed_signings_lock_the_account(cast, specimen):
    wrong = Credentials("wrong")
    with pytest.raises(ReauthenticationFailed):
        take_step(actor=cast.approver, specimen=specimen, step="approve", credentials=wrong)
    with pytest.raises(AccountLocked):  # the attempt that locks says so
        take_step(actor=cast.approver, specimen=specimen, step="approve", credentials=wrong)
    cast.approver.refresh_from_db()
    assert cast.approver.is_locked()
    with pytest.raises(AccountLocked):
        take_step(
            actor=cast.approver,
            specimen=specimen,
            step="approve",
            credentials=Credentials(PASSWORD),
        )
    specimen.refresh_from_db()
    assert specimen.state == SpecimenState.IN_REVIEW and not Signature.objects.exists()


@pytest.mark.verifies("CORE-006", refusal=True)
def test_enrolled_signer_needs_the_code_too(cast, specimen):
    device = enrol_totp(cast.approver)
    with pytest.raises(ReauthenticationFailed, match="authenticator code"):
        take_step(
            actor=cast.approver,
            specimen=specimen,
            step="approve",
            credentials=Credentials(PASSWORD, "000000"),
        )
    assert not Signature.objects.exists()
    take_step(
        actor=cast.approver,
        specimen=specimen,
        step="approve",
        credentials=Credentials(PASSWORD, code_for(device, offset_steps=1)),
    )
    assert Signature.objects.get().signer == cast.approver


@pytest.mark.verifies("CORE-007")
def test_manifestation_shows_name_meaning_time_and_valid(cast, specimen):
    take_step(
        actor=cast.approver, specimen=specimen, step="approve", credentials=Credentials(PASSWORD)
    )
    specimen.refresh_from_db()
    [shown] = signatures.manifestations(specimen)
    assert shown.printed_name == "Morgan Approver"
    assert shown.meaning_label == "Approved"
    assert shown.signed_at.tzinfo is not None
    assert shown.valid and shown.problem == ""


@pytest.mark.verifies("CORE-007", refusal=True)
def test_changed_content_shows_the_signature_broken(cast, specimen):
    take_step(
        actor=cast.approver, specimen=specimen, step="approve", credentials=Credentials(PASSWORD)
    )
    Specimen.objects.filter(pk=specimen.pk).update(body="Step 1: skip the thing.")
    specimen.refresh_from_db()
    [shown] = signatures.manifestations(specimen)
    assert not shown.valid
    assert shown.problem == "the content changed after signing"


@pytest.mark.verifies("CORE-007", refusal=True)
def test_a_signature_moved_to_another_record_shows_broken(cast, specimen):
    take_step(
        actor=cast.approver, specimen=specimen, step="approve", credentials=Credentials(PASSWORD)
    )
    other = submitted_specimen(cast)
    drop_triggers(connection)  # a forger with database access
    Signature.objects.update(object_id=str(other.pk))
    [shown] = signatures.manifestations(other)
    assert not shown.valid
    assert "altered" in shown.problem


def test_a_signature_of_another_version_does_not_count_for_this_one(cast, specimen):
    take_step(
        actor=cast.approver, specimen=specimen, step="approve", credentials=Credentials(PASSWORD)
    )
    Specimen.objects.filter(pk=specimen.pk).update(version=2)
    specimen.refresh_from_db()
    assert signatures.manifestations(specimen) == []
    [old] = signatures.manifestations(specimen, all_versions=True)
    assert not old.valid and "version 1" in old.problem


def test_same_person_cannot_sign_the_same_version_twice_with_the_same_meaning(cast, specimen):
    _reviewed(cast, specimen)
    before = event_count()
    with pytest.raises(AlreadySigned, match="already signed version 1"):
        _reviewed(cast, specimen)
    assert event_count() == before
    assert Signature.objects.count() == 1


@pytest.mark.verifies("CORE-007")
def test_signature_records_the_content_hash_it_signed(cast, specimen):
    sig = _reviewed(cast, specimen)
    assert sig.content_hash == signatures.content_hash(
        {"title": "Cleaning procedure", "body": "Step 1: do the thing.", "version": 1}
    )
    assert sig.printed_name == "Riley Reviewer"
    assert sig.manifest_hash == signatures.manifest_hash(sig)


def test_signing_page_shows_the_dialog_and_signs(signed_in, cast, specimen):
    client = signed_in(cast.approver)
    page = client.get(f"/specimens/{specimen.pk}/").content.decode()
    assert "Electronic signature" in page
    assert signatures.content_hash(specimen.signature_content()) in page
    seen = signatures.content_hash(specimen.signature_content())
    response = client.post(
        f"/specimens/{specimen.pk}/approve/",
        {"password": "wrong", "content_hash": seen},
        follow=True,
    )
    assert "The password is not correct; nothing was signed." in response.content.decode()
    response = client.post(
        f"/specimens/{specimen.pk}/approve/", {"password": PASSWORD}, follow=True
    )
    assert "which content you were shown" in response.content.decode()
    response = client.post(
        f"/specimens/{specimen.pk}/approve/",
        {"password": PASSWORD, "content_hash": seen},
        follow=True,
    )
    html = response.content.decode()
    assert "Morgan Approver" in html and "✔ valid" in html
    specimen.refresh_from_db()
    assert specimen.state == SpecimenState.APPROVED


@pytest.mark.verifies("CORE-009", refusal=True)
def test_signature_rows_cannot_be_edited_or_deleted_only_voided(cast, specimen):
    sig = _reviewed(cast, specimen)
    with pytest.raises(DatabaseError), transaction.atomic():
        Signature.objects.filter(pk=sig.pk).update(printed_name="Someone Else")
    with pytest.raises(DatabaseError), transaction.atomic():
        Signature.objects.filter(pk=sig.pk).delete()
    Signature.objects.filter(pk=sig.pk).update(voided_at=timezone.now(), void_reason="redo")
    [shown] = signatures.manifestations(specimen)
    assert not shown.valid and shown.problem == "voided: redo"


def test_a_forged_signature_with_a_recomputed_manifest_still_shows_broken(cast, specimen):
    sig = _reviewed(cast, specimen)
    drop_triggers(connection)
    sig.printed_name = "Morgan Approver"
    Signature.objects.filter(pk=sig.pk).update(
        printed_name=sig.printed_name, manifest_hash=signatures.manifest_hash(sig)
    )
    [shown] = signatures.manifestations(specimen)
    assert not shown.valid and "altered" in shown.problem


def test_nothing_is_signed_if_the_record_changed_after_the_signer_opened_it(cast, specimen):
    seen = signatures.content_hash(specimen.signature_content())
    Specimen.objects.filter(pk=specimen.pk).update(body="Changed meanwhile")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="changed after you opened it"):
        take_step(
            actor=cast.approver,
            specimen=specimen,
            step="approve",
            credentials=Credentials(PASSWORD, content_hash=seen),
        )
    specimen.refresh_from_db()
    assert specimen.state == SpecimenState.IN_REVIEW
    assert event_count() == before and not Signature.objects.exists()
