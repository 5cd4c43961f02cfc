"""A CAPA links the procedure revisions it changed (and shows their training); the CAPA
reminders go once to the owners of overdue actions and of effectiveness checks due; the
ageing panel; the PMS pack section; the demo step."""

import datetime as dt

import pytest
from django.core import mail as outbox
from django.utils import timezone

from openqms.core import mail
from openqms.core.demo import seed_demo
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.events.actions import capa as actions
from openqms.events.capa_ageing import ageing, dashboard_panels
from openqms.events.capa_revisions import revisions_changed
from openqms.events.demo import capa as demo
from openqms.events.jobs.capa import send_reminders
from openqms.events.models import Capa
from openqms.testing import changes_of, event_count, events_since

from .capa_helpers import in_check, investigated, raised, with_action
from .conftest import effective_document


@pytest.mark.verifies("EVT-032")
def test_a_capa_links_the_revision_it_changed_by_its_name(cast, signed_in):
    capa = raised(cast)
    document = effective_document(cast, "Software testing")
    before = event_count()
    revision = actions.link_revision(
        actor=cast.qa_lead, capa=capa, revision=f"{document.number} rev A", note="Worst cases"
    )
    [event] = events_since(before)
    assert event.action == "core.link.added"
    assert changes_of(event)["link"] == [None, f"changed documents.revision:{revision.pk}"]
    [changed] = revisions_changed(cast.auditor, capa)
    assert changed.revision == revision and changed.note == "Worst cases"
    page = signed_in(cast.auditor).get(f"/events/capas/{capa.pk}/").content.decode()
    assert f"{document.number} rev A" in page


@pytest.mark.verifies("EVT-032")
def test_an_unknown_revision_is_refused_by_name(cast):
    capa = raised(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.link_revision(actor=cast.qa_lead, capa=capa, revision="SOP-999 rev Z")
    assert "revision" in refused.value.fields and event_count() == before


@pytest.mark.verifies("EVT-042")
def test_reminders_go_once_to_the_owners_of_overdue_actions_and_checks_due(cast):
    capa = investigated(cast)
    with_action(cast, capa, owner=cast.trainee, due=timezone.localdate() - dt.timedelta(days=1))
    checking = in_check(cast)
    Capa.objects.filter(pk=checking.pk).update(effectiveness_due=timezone.localdate())
    assert send_reminders() == "2 CAPA reminder(s) queued"
    assert send_reminders() == "0 CAPA reminder(s) queued"
    mail.send_queued()
    sent = sorted((m.to[0], m.subject) for m in outbox.outbox)
    assert sent[0][0] == "qa_lead@example.test" and "effectiveness check" in sent[0][1]
    assert sent[1][0] == "trainee@example.test" and "overdue" in sent[1][1]


@pytest.mark.verifies("EVT-042")
def test_the_ageing_panel_counts_open_capas_by_state_and_age(cast):
    raised(cast)
    old = raised(cast, title="Old")
    Capa.objects.filter(pk=old.pk).update(opened_at=timezone.now() - dt.timedelta(days=100))
    rows = {r["state"]: r for r in ageing(timezone.now())}
    assert rows["open"]["cells"] == [1, 0, 1, 0] and rows["open"]["total"] == 2
    [panel] = dashboard_panels(cast.auditor)
    assert panel.title == "CAPA ageing"
    assert dashboard_panels(cast.outsider) == []


@pytest.mark.verifies("EVT-040")
def test_the_pack_section_lists_a_devices_capas(cast, device):
    raised(cast, device=device)
    today = timezone.localdate()
    section = actions.pack_section(device, today - dt.timedelta(days=30), today)
    assert section.title == "CAPAs" and len(section.rows) == 1
    assert section.summary == "1 CAPA(s), 0 closed"


@pytest.mark.verifies("EVT-044")
def test_the_demo_step_is_quiet_without_the_demo_people(cast):
    demo.run()
    assert not Capa.objects.exists()


@pytest.mark.verifies("EVT-044")
def test_the_demo_capa_is_in_its_effectiveness_check_with_no_unrelated_procedure(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    capa = Capa.objects.get(title=demo.TITLE)
    assert capa.state == "effectiveness" and capa.device.name == "RhythmCheck"
    qa = User.objects.get(username="qa")
    changed = [c.revision.document.title for c in revisions_changed(qa, capa)]
    assert all("test procedure" in t.lower() for t in changed), changed
    assert "60 days" in capa.effectiveness_criteria
    assert capa.effectiveness_due - timezone.localdate() == dt.timedelta(days=60)
    seed_demo()
    assert Capa.objects.count() == 1
