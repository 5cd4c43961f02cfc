"""An external document nobody has checked showed a green "current" badge: its currency
is unknown until the first check, and the register says "never checked"."""

from django.utils import timezone

from openqms.documents import actions
from openqms.testing import changes_of, last_event


def test_never_checked_until_the_first_check_then_current(cast, signed_in):
    document = actions.register_external_document(
        actor=cast.qa_lead, reference="ISO 14971:2019", title="Risk management"
    )
    today = timezone.localdate()
    assert (document.check_due, document.check_interval_months) == (today, 12)
    assert changes_of(last_event())["check_due"] == [None, today.isoformat()]
    client = signed_in(cast.qa_lead)
    page = client.get("/documents/external/").content.decode()
    assert '<span class="badge warn">never checked</span>' in page
    assert "badge ok" not in page
    actions.check_external_document(
        actor=cast.qa_lead, document=document, is_current=True, edition="2019", notes="BSI shop"
    )
    page = client.get("/documents/external/").content.decode()
    assert '<span class="badge ok">current</span>' in page and "badge warn" not in page
