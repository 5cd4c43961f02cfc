"""A concession (use as is) is authorised by a signature, never by who raised the
nonconformity or chose to use it as is (ISO 13485 8.3.2), and only then released."""

import pytest

from openqms.core.errors import PermissionRefused, TransitionNotAllowed
from openqms.core.signatures import manifestations
from openqms.events.actions import nonconformance as nc_actions
from openqms.testing import changes_of, event_count, last_event

from .nc_steps import SIGN, disposed


def _refused(nc, actor, error=TransitionNotAllowed):
    before = event_count()
    with pytest.raises(error):
        nc_actions.authorise_concession(actor=actor, nc=nc, credentials=SIGN)
    nc.refresh_from_db()
    assert nc.concession_at is None and event_count() == before


@pytest.mark.verifies("EVT-027")
def test_a_manager_authorises_the_concession_with_a_signature(cast):
    nc = disposed(cast, "use_as_is")
    nc = nc_actions.authorise_concession(actor=cast.manager, nc=nc, credentials=SIGN)
    assert nc.concession_by == cast.manager and nc.concession_at is not None
    assert nc.state == "disposed"
    event = last_event()
    assert event.action == "events.nonconformity.concession"
    assert changes_of(event)["step"] == "authorise_concession"
    signed = [(m.meaning, m.valid) for m in manifestations(nc)]
    assert signed == [("nc_concession_authorised", True)]


@pytest.mark.verifies("EVT-027", refusal=True)
def test_who_chose_use_as_is_cannot_authorise_it(cast):
    _refused(disposed(cast, "use_as_is"), cast.qa_lead)


@pytest.mark.verifies("EVT-027", refusal=True)
def test_who_raised_it_cannot_authorise_it(cast):
    nc = disposed(cast, "use_as_is", by=cast.manager)  # the manager may sign, but raised it
    _refused(nc, cast.manager)


@pytest.mark.verifies("EVT-027", refusal=True)
def test_someone_without_the_sign_permission_cannot_authorise_it(cast):
    _refused(disposed(cast, "use_as_is"), cast.reviewer, PermissionRefused)


@pytest.mark.verifies("EVT-027")
def test_a_scrapped_lot_needs_no_concession(cast):
    _refused(disposed(cast, "scrap"), cast.manager)


@pytest.mark.verifies("EVT-027", refusal=True)
def test_use_as_is_cannot_be_released_before_the_concession(cast):
    nc = disposed(cast, "use_as_is")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="concession"):
        nc_actions.release_nonconformity(actor=cast.manager, nc=nc, credentials=SIGN)
    nc.refresh_from_db()
    assert nc.state == "disposed" and event_count() == before
    nc = nc_actions.authorise_concession(actor=cast.manager, nc=nc, credentials=SIGN)
    nc = nc_actions.release_nonconformity(actor=cast.qa_lead, nc=nc, credentials=SIGN)
    assert nc.state == "closed"


@pytest.mark.verifies("EVT-027", refusal=True)
def test_a_concession_is_authorised_once(cast):
    nc = disposed(cast, "use_as_is")
    nc_actions.authorise_concession(actor=cast.manager, nc=nc, credentials=SIGN)
    _refused_again = event_count()
    with pytest.raises(TransitionNotAllowed):
        nc_actions.authorise_concession(actor=cast.manager, nc=nc, credentials=SIGN)
    assert event_count() == _refused_again
