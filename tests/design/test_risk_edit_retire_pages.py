"""Editing and retiring risk rows from the hazard page and over the API: the same actions,
a retired row shown as retired and left out of the FMEA and the counts."""

import pytest
from django.urls import reverse

from openqms.design.actions import risk
from openqms.design.models import ControlMeasure, Hazard, HazardousSituation, Item, ItemState
from openqms.testing import changes_of, event_count, last_event
from tests.design.risk_helpers import device, risk_file, situation  # noqa: F401
from tests.design.test_risk_api import Api

pytestmark = pytest.mark.verifies("DES-049")

EDITED = {
    "sequence": "Motion artefact masks the rhythm.",
    "statement": "The noisy segment is reported as sinus rhythm.",
    "harm": "Delayed diagnosis of AF",
    "severity": "4",
    "probability": "2",
    "reason": "Motion study results.",
}


def test_the_hazard_page_offers_edit_and_retire_forms_filled_in(cast, signed_in, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    risk.add_control(actor=cast.author, situation=found, kind="inherent", description="Gate.")
    page = signed_in(cast.author).get(reverse("design:risk-hazard", args=[found.hazard_id]))
    body = page.content.decode()
    assert "Edit or retire this hazard" in body and "Edit or retire HS-001" in body
    assert 'name="statement" rows="2" required>The clinician reads a normal report.' in body
    assert '<option value="3" selected>S3' in body
    assert "Retire the control" in body
    reader = signed_in(cast.auditor).get(reverse("design:risk-hazard", args=[found.hazard_id]))
    assert "Edit or retire" not in reader.content.decode()


def test_a_situation_is_edited_from_the_page(cast, signed_in, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    url = reverse("design:risk-situation-edit", args=[found.pk])
    page = signed_in(cast.author).post(url, EDITED)
    assert page.status_code == 302
    assert last_event().action == "design.risk_situation.edited"
    assert Item.objects.get(uid="RISK-1").title == EDITED["statement"]


def test_a_bad_situation_edit_from_the_page_is_shown_and_writes_nothing(
    cast,
    signed_in,
    risk_file,  # noqa: F811
):
    found = situation(cast, risk_file)
    before = event_count()
    url = reverse("design:risk-situation-edit", args=[found.pk])
    page = signed_in(cast.author).post(url, EDITED | {"harm": ""}, follow=True)
    assert "harm" in page.content.decode().lower()
    assert event_count() == before
    assert HazardousSituation.objects.get().harm == "Delayed anticoagulation; stroke"


def test_a_retired_hazard_shows_as_retired_and_leaves_the_fmea(cast, signed_in, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    client = signed_in(cast.author)
    url = reverse("design:risk-hazard-retire", args=[found.hazard_id])
    assert client.post(url, {"reason": "Sensor removed from the design."}).status_code == 302
    assert last_event().action == "design.hazard.retired"
    page = client.get(reverse("design:risk-hazard", args=[found.hazard_id])).content.decode()
    assert "Retired" in page and "Sensor removed from the design." in page
    assert "Edit or retire" not in page and "New hazardous situation" not in page
    fmea = client.get(reverse("design:risk-fmea", args=[risk_file.pk])).content.decode()
    assert "HS-001" not in fmea and "No hazardous situations yet." in fmea
    summary = client.get(reverse("design:risk-file", args=[risk_file.pk])).content.decode()
    assert "<dt>Hazards</dt><dd>0</dd>" in summary


def test_a_retire_without_a_reason_from_the_page_writes_nothing(cast, signed_in, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    before = event_count()
    url = reverse("design:risk-situation-retire", args=[found.pk])
    signed_in(cast.author).post(url, {"reason": ""})
    assert event_count() == before
    assert HazardousSituation.objects.get().retired_at is None


@pytest.mark.verifies("DES-049", refusal=True)
def test_an_auditor_cannot_retire_a_control(cast, signed_in, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    control = risk.add_control(actor=cast.author, situation=found, kind="inherent", description="G")
    before = event_count()
    url = reverse("design:risk-control-retire", args=[control.pk])
    assert signed_in(cast.auditor).post(url, {"reason": "No."}).status_code == 404
    assert (event_count(), ControlMeasure.objects.get().retired_at) == (before, None)


def test_rows_are_edited_and_retired_over_the_api(client, cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    control = risk.add_control(actor=cast.author, situation=found, kind="inherent", description="G")
    api = Api(client, cast.author)
    renamed = {"title": "Missed AF episode", "reason": "Clearer."}
    hazard = api.send("patch", f"/risk-hazards/{found.hazard_id}", renamed)
    assert hazard.status_code == 200 and hazard.json()["title"] == "Missed AF episode"
    body = EDITED | {"severity": 4, "probability": 2}
    edited = api.send("patch", f"/risk-situations/{found.pk}", body)
    assert edited.status_code == 200, edited.content
    assert (edited.json()["severity"], edited.json()["region"]) == (4, "alarp")
    stronger = {"kind": "protective", "description": "G2", "reason": "Stronger."}
    changed = api.send("patch", f"/risk-controls/{control.pk}", stronger)
    assert changed.json()["controls"][0]["description"] == "G2"
    retired = api.send("post", f"/risk-controls/{control.pk}/retire", {"reason": "Replaced."})
    assert retired.json()["controls"][0]["retired_at"] is not None
    assert changes_of(last_event())["item"] == [None, "RC-1"]
    gone = api.send("post", f"/risk-situations/{found.pk}/retire", {"reason": "Duplicate."})
    assert gone.json()["retired_at"] is not None
    rows = api.get(f"/risk-files/{risk_file.pk}/situations").json()
    assert rows["count"] == 0
    assert Item.objects.get(uid="RISK-1").state == ItemState.RETIRED
    hazard = api.send("post", f"/risk-hazards/{found.hazard_id}/retire", {"reason": "Gone."})
    assert hazard.json()["retire_reason"] == "Gone."


def test_an_api_refusal_writes_nothing(client, cast, risk_file):  # noqa: F811
    hazard = risk.add_hazard(actor=cast.author, file=risk_file, title="Missed AF")
    author, outsider = Api(client, cast.author), Api(client, cast.outsider)
    before = event_count()
    same = {"title": "Missed AF", "reason": "x"}
    refused = author.send("patch", f"/risk-hazards/{hazard.pk}", same)
    assert refused.status_code == 422
    assert "Nothing changed in HAZ-001" in refused.content.decode()
    assert (event_count(), Hazard.objects.get().title) == (before, "Missed AF")
    denied = outsider.send("post", f"/risk-hazards/{hazard.pk}/retire", {"reason": "x"})
    assert denied.status_code in (401, 404)
    assert (event_count(), Hazard.objects.get().retired_at) == (before, None)
