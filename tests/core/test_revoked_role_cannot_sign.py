"""A role revoked while the signer types their password refuses the step (Part 11 §11.10(g)).

The step's checks run once before the password and again under the lock. The permissions
read the first time are cached on the signer's user object; the check under the lock must
read the grants as they are now, so a revocation committed in between refuses the step
and nothing is signed or written.
"""

import pytest

from openqms.core import actions, audit, signing
from openqms.core.access import has_permission
from openqms.core.errors import PermissionRefused
from openqms.core.models import Role, Signature, User
from openqms.core.signatures import Credentials, content_hash
from openqms.testapp.actions import take_step
from openqms.testapp.models import APPROVE, Specimen, SpecimenState
from openqms.testing import PASSWORD, event_count, events_since
from tests.core.specimens import give_specimen_rights, submitted_specimen

pytestmark = pytest.mark.verifies("CORE-017", refusal=True)


@pytest.fixture
def specimen(cast):
    give_specimen_rights(cast)
    return submitted_specimen(cast)


def _seen(obj) -> Credentials:
    return Credentials(PASSWORD, content_hash=content_hash(obj.signature_content()))


@pytest.fixture
def revoked_after_password(cast, monkeypatch):
    """An administrator revokes the signer's approver role in a parallel request, committed
    after the signer's password was checked and before the step takes its lock."""
    real = signing.reauthenticate

    def reauthenticate_then_revoke(*, signer, credentials, about):
        real(signer=signer, credentials=credentials, about=about)
        actions.revoke_role(
            actor=cast.admin,
            user=User.objects.get(pk=signer.pk),  # the other request's own copy
            role=Role.objects.get(code="specimen-approver"),
            reason="Left the team",
        )

    monkeypatch.setattr(signing, "reauthenticate", reauthenticate_then_revoke)


def _only_the_revocation(before: int) -> None:
    [revoked] = events_since(before)
    assert revoked.action == "core.role.revoked"
    assert not Signature.objects.exists()


def test_an_approver_whose_role_is_revoked_after_their_password_signs_nothing(
    cast, specimen, revoked_after_password
):
    assert has_permission(cast.approver, APPROVE)  # read (and cached) before the password
    before = event_count()
    with pytest.raises(PermissionRefused):
        take_step(
            actor=cast.approver, specimen=specimen, step="approve", credentials=_seen(specimen)
        )
    specimen.refresh_from_db()
    assert specimen.state == SpecimenState.IN_REVIEW
    _only_the_revocation(before)


def test_a_step_checking_the_permission_itself_is_refused_after_a_revocation(
    cast, specimen, revoked_after_password
):
    """The create-and-sign steps (periodic review, disposal, evaluation) check the
    permission in their own `check`; it too sees the revocation under the lock."""

    def check(record):
        return None if has_permission(cast.approver, APPROVE) else PermissionRefused("No.")

    count, before = Specimen.objects.count(), event_count()
    with pytest.raises(PermissionRefused):
        signing.perform(
            actor=cast.approver,
            record=specimen,
            meaning="reviewed",
            credentials=_seen(specimen),
            check=check,
            shown=lambda r: r.signature_content(),
            signed=lambda r: Specimen(title="Copy", body=r.body, author=cast.approver),
            change=lambda r, copy: audit.record(
                actor=cast.approver, action="testapp.specimen.edited", obj=copy
            ),
        )
    assert Specimen.objects.count() == count
    _only_the_revocation(before)
