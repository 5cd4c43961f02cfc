"""The validation reports' pages: who sees them, the report page, the signed approval
from it, and the QA lead's task."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from openqms.core.files import open_stored
from openqms.core.signatures import content_hash
from openqms.testing import PASSWORD, event_count, events_since
from openqms.validation.actions import record_version
from openqms.validation.inbox import reports_to_approve

from .oq_runs import failing_run, store


@pytest.mark.verifies("VAL-032")
@pytest.mark.parametrize("who", ["qa_lead", "auditor", "admin"])
def test_readers_see_the_list_and_the_report_with_its_deviations(cast, signed_in, who):
    report = store(failing_run())
    client = signed_in(getattr(cast, who))

    listed = client.get("/validation/").content.decode()
    page = client.get(f"/validation/{report.pk}/").content.decode()
    pdf = client.get(f"/validation/{report.pk}/pdf/download/")

    assert report.number in listed and 'href="/validation/"' in listed  # the nav entry
    assert "Test failed" in page and "tests/a.py::test_refuses" in page
    assert report.pdf_file.sha256 in page
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert ("Sign: Approved" in page) is (who == "qa_lead")


@pytest.mark.verifies("VAL-032", refusal=True)
@pytest.mark.parametrize("who", ["author", "trainee", "outsider"])
def test_anyone_else_meets_not_found(cast, signed_in, who):
    report = store()
    client = signed_in(getattr(cast, who))

    assert client.get("/validation/").status_code == 404
    assert client.get(f"/validation/{report.pk}/").status_code == 404
    assert client.get(f"/validation/{report.pk}/json/download/").status_code == 404
    assert reports_to_approve(getattr(cast, who)) == []


@pytest.mark.verifies("VAL-029", "VAL-032")
def test_a_qa_lead_finds_the_report_in_my_tasks_and_signs_it_on_its_page(cast, signed_in):
    report = store()
    client = signed_in(cast.qa_lead)
    [task] = reports_to_approve(cast.qa_lead)
    assert (task.kind, task.url) == ("Validation reports to approve", f"/validation/{report.pk}/")
    assert report.number in client.get(reverse("core:tasks")).content.decode()

    page = client.get(f"/validation/{report.pk}/").content.decode()
    assert 'data-testid="approve-failed"' in page  # the dialog says it failed
    response = client.post(
        f"/validation/{report.pk}/approve/",
        {
            "password": PASSWORD,
            "content_hash": content_hash(report.signature_content()),
            "reason": "Deviations read: none affects our use.",
        },
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "approved"
    assert reports_to_approve(cast.qa_lead) == []
    page = client.get(f"/validation/{report.pk}/").content.decode()
    assert "Quinn Avery" in page and "Sign: Approved" not in page


@pytest.mark.verifies("VAL-029", refusal=True)
def test_a_wrong_password_on_the_page_signs_nothing(cast, signed_in):
    report = store()
    client = signed_in(cast.qa_lead)
    before = event_count()

    client.post(
        f"/validation/{report.pk}/approve/",
        {
            "password": "wrong",
            "content_hash": content_hash(report.signature_content()),
            "reason": "Deviations read: none affects our use.",
        },
    )

    report.refresh_from_db()
    assert report.state == "awaiting_approval"
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]
    # The page after it opens the dialog again (app.js), saying why, the comment kept.
    page = client.get(f"/validation/{report.pk}/").content.decode()
    assert "data-reopen" in page
    assert "The password is not correct; nothing was signed." in page
    assert "Deviations read: none affects our use.</textarea>" in page
    again = client.get(f"/validation/{report.pk}/").content.decode()
    assert "data-reopen" not in again  # only the page right after the refusal


@pytest.mark.verifies("VAL-032")
def test_the_audit_trail_names_the_report_and_links_it_for_its_readers(cast, signed_in):
    report = store()

    page = signed_in(cast.auditor).get("/audit/", {"action": "validation.report.stored"})

    assert {(r.record.label, r.record.url) for r in page.context["rows"]} == {
        (f"Validation report {report.number}", f"/validation/{report.pk}/")
    }


@pytest.mark.verifies("VAL-032")
def test_the_installs_and_upgrades_read_in_the_instances_time_not_iso(cast, signed_in, settings):
    settings.TIME_ZONE = "America/New_York"  # never UTC's clock, whatever the season
    record_version(version="0.1.0", installing=True)
    record_version(version="0.2.0", installing=False)
    report = store()
    with open_stored(report.json_file) as stream:
        [installed, upgraded] = json.loads(stream.read())["upgrades"]
    page = signed_in(cast.qa_lead).get(f"/validation/{report.pk}/").content.decode()

    at = timezone.localtime(dt.datetime.fromisoformat(upgraded["at"]))
    assert (
        f"{at:%-d %b %Y %H:%M} {at:%Z} (event #{upgraded['seq']}): upgraded 0.1.0 → 0.2.0" in page
    )
    assert f"(event #{installed['seq']}): installed 0.1.0" in page
    assert upgraded["at"] not in page  # the raw ISO moment is the JSON's, not the page's
    assert at.tzname() in {"EST", "EDT"} and f"{at:%Z}" in page
