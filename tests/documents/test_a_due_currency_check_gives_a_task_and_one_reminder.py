"""A currency check falls due after the document's interval (at once for one never
checked): those who keep the register see it in My tasks, and `openqms tick` emails
them once per due date, audited."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from openqms.core.dates import months_later
from openqms.core.inbox import tasks_for
from openqms.core.mail import send_queued
from openqms.core.models import AuditEvent
from openqms.documents import actions
from openqms.documents.models import ExternalDocument
from openqms.testing import changes_of

TODAY = timezone.localdate()


def _remind() -> str:
    said = actions.send_currency_check_reminders()
    send_queued()
    return said


def _sent():
    return [m for m in mail.outbox if "is current" in m.subject]


def _checks(user):
    return [t for t in tasks_for(user) if t.kind == "External document check"]


def test_a_due_check_is_a_task_and_is_reminded_once(cast):
    document = actions.register_external_document(
        actor=cast.qa_lead, reference="ISO 13485:2016", title="QMS", check_interval_months=6
    )
    [task] = _checks(cast.qa_lead)
    assert (task.title, task.url, task.due) == (
        "First check that ISO 13485:2016 is current: QMS",
        "/documents/external/",
        TODAY,
    )
    assert _checks(cast.author) == []  # not someone who keeps the register
    assert _remind() == "1 currency-check reminder(s) queued"
    [message] = _sent()
    assert message.to == ["qa_lead@example.test"]
    assert message.subject == "OpenQMS: check that ISO 13485:2016 is current"
    assert f"has never been checked: due {TODAY:%d %b %Y}" in message.body
    assert "http://127.0.0.1:8000/documents/external/" in message.body
    event = AuditEvent.objects.get(action="documents.external.reminded")
    assert event.actor_id is None
    assert changes_of(event) == {"check_due": TODAY.isoformat(), "to": ["qa-lead"]}
    assert _remind() == "0 currency-check reminder(s) queued" and len(_sent()) == 1

    actions.check_external_document(
        actor=cast.qa_lead, document=document, is_current=True, edition="2016", notes="BSI"
    )
    document.refresh_from_db()
    assert document.check_due == months_later(TODAY, 6)
    assert _checks(cast.qa_lead) == [] and _remind() == "0 currency-check reminder(s) queued"

    # As if six months had passed: the next check is due (a date not reminded yet).
    ExternalDocument.objects.filter(pk=document.pk).update(check_due=TODAY - dt.timedelta(days=1))
    assert _remind() == "1 currency-check reminder(s) queued"
    assert "is due for its check" in _sent()[-1].body
