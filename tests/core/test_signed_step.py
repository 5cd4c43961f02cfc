"""Core's one signed-step path (core.signing), on the test-only Specimen."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import audit, signing
from openqms.core.errors import AccountLocked, InvalidInput, TransitionNotAllowed
from openqms.core.models import Signature, User
from openqms.core.modules import Module, temporarily
from openqms.core.signatures import Credentials, content_hash
from openqms.core.workflow import Transition, Workflow
from openqms.testapp.actions import take_step
from openqms.testapp.models import Specimen, SpecimenState
from openqms.testing import PASSWORD, changes_of, event_count, events_since
from tests.core.specimens import give_specimen_rights, submitted_specimen

S = SpecimenState


@pytest.fixture
def specimen(cast):
    give_specimen_rights(cast)
    return submitted_specimen(cast)


def _seen(obj) -> Credentials:
    return Credentials(PASSWORD, content_hash=content_hash(obj.signature_content()))


def _race(monkeypatch, **fields):
    """Between the password check and the lock, a parallel request changes the account."""
    real = signing.reauthenticate

    def reauthenticate_then_change(*, signer, credentials, about):
        real(signer=signer, credentials=credentials, about=about)
        User.objects.filter(pk=signer.pk).update(**fields)

    monkeypatch.setattr(signing, "reauthenticate", reauthenticate_then_change)


@pytest.mark.parametrize("message", ["locked", "deactivated"])
def test_an_account_locked_or_deactivated_after_its_password_signs_nothing(
    cast, specimen, monkeypatch, message
):
    if message == "locked":
        _race(monkeypatch, locked_until=timezone.now() + dt.timedelta(hours=1))
    else:
        _race(monkeypatch, is_active=False)
    before = event_count()
    with pytest.raises(AccountLocked, match=message):
        take_step(
            actor=cast.approver, specimen=specimen, step="approve", credentials=_seen(specimen)
        )
    specimen.refresh_from_db()
    assert specimen.state == S.IN_REVIEW
    assert event_count() == before and not Signature.objects.exists()


def test_a_gate_refusal_comes_before_the_password_and_is_no_failed_signing(cast, specimen):
    gate = Module(label="refusing_gate", signing_gates=[lambda s, o, m: "Not trained on it."])
    before = event_count()
    with temporarily(gate), pytest.raises(TransitionNotAllowed, match="Not trained"):
        take_step(
            actor=cast.approver, specimen=specimen, step="approve", credentials=Credentials("bad")
        )
    cast.approver.refresh_from_db()
    assert cast.approver.failed_sign_ins == 0
    assert event_count() == before


def _review_copy(record, actor):
    """Create-and-sign: a new specimen, built unsaved, saved and signed by the step."""
    return signing.perform(
        actor=actor,
        record=record,
        meaning="reviewed",
        credentials=_seen(record),
        shown=lambda r: r.signature_content(),
        signed=lambda r: Specimen(title=f"Copy of {r.title}", body=r.body, author=actor),
        change=lambda r, copy: (
            audit.record(
                actor=actor, action="testapp.specimen.edited", obj=copy, changes={"from": r.pk}
            )
            and copy
        ),
    )


@pytest.mark.verifies("CORE-008")
def test_create_and_sign_saves_the_new_record_signs_it_and_audits_the_step(cast, specimen):
    before = event_count()
    copy = _review_copy(specimen, cast.reviewer)
    assert copy.pk and copy.title == "Copy of Cleaning procedure"
    signed, edited = events_since(before)
    assert (signed.action, signed.object_id) == ("core.signature.signed", str(copy.pk))
    assert (edited.action, changes_of(edited)) == ("testapp.specimen.edited", {"from": specimen.pk})
    sig = Signature.objects.get()
    assert (sig.object_id, sig.meaning, sig.signer) == (str(copy.pk), "reviewed", cast.reviewer)


@pytest.mark.verifies("CORE-008", refusal=True)
def test_create_and_sign_refuses_when_what_the_signer_was_shown_changed(cast, specimen):
    credentials = _seen(specimen)
    Specimen.objects.filter(pk=specimen.pk).update(body="Changed meanwhile")
    count, before = Specimen.objects.count(), event_count()
    with pytest.raises(TransitionNotAllowed, match="changed after you opened it"):
        signing.perform(
            actor=cast.reviewer,
            record=specimen,
            meaning="reviewed",
            credentials=credentials,
            shown=lambda r: r.signature_content(),
            signed=lambda r: Specimen(title="Copy", author=cast.reviewer),
            change=lambda r, copy: copy,
        )
    assert Specimen.objects.count() == count
    assert event_count() == before and not Signature.objects.exists()


@pytest.mark.verifies("CORE-008", refusal=True)
def test_a_person_signing_from_a_page_or_the_api_must_say_what_they_were_shown(cast, specimen):
    before = event_count()
    with pytest.raises(InvalidInput, match="which content you were shown"):
        take_step(
            actor=cast.approver,
            specimen=specimen,
            step="approve",
            credentials=signing.signer_credentials(password=PASSWORD, content_hash=""),
        )
    cast.approver.refresh_from_db()
    assert cast.approver.failed_sign_ins == 0
    assert event_count() == before and not Signature.objects.exists()


FINISH = Workflow(
    model=Specimen,
    states=SpecimenState,
    transitions=[
        Transition(
            "finish",
            sources=(S.IN_REVIEW,),
            target=S.APPROVED,
            permission="",
            event="testapp.specimen.approved",
            system=True,
        )
    ],
)


def test_a_system_step_moves_the_row_once_and_skips_it_the_second_time(cast, specimen):
    stale = Specimen.objects.get(pk=specimen.pk)
    before = event_count()
    moved = FINISH.apply_system(obj=specimen, name="finish")
    assert moved.state == S.APPROVED
    [event] = events_since(before)
    assert (event.action, event.actor_id) == ("testapp.specimen.approved", None)
    before = event_count()
    assert FINISH.apply_system(obj=stale, name="finish") is None  # another tick moved it
    assert event_count() == before


def test_a_person_cannot_take_a_system_step(cast, specimen):
    assert FINISH.available(specimen, cast.approver) == []
    with pytest.raises(TransitionNotAllowed, match="taken by the system"):
        FINISH.apply(obj=specimen, name="finish", actor=cast.approver)


def test_a_bulk_step_changes_the_rows_the_check_allows_with_one_event(cast, specimen):
    other = submitted_specimen(cast, body="Other")
    draft = Specimen.objects.create(title="Draft", author=cast.author)
    before = event_count()

    def close(rows):
        for row in rows:
            row.state = S.APPROVED
            row.save(update_fields=["state"])
        return audit.record(
            actor=cast.qa_lead,
            action="testapp.specimen.approved",
            obj=rows[0],
            changes={"specimens": [r.pk for r in rows]},
        )

    event = signing.bulk_step(
        actor=cast.qa_lead,
        queryset=Specimen.objects.all(),
        check=lambda r: None if r.state == S.IN_REVIEW else TransitionNotAllowed("not open"),
        change=close,
    )
    assert events_since(before) == [event]
    assert changes_of(event) == {"specimens": [specimen.pk, other.pk]}
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
