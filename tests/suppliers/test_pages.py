"""The supplier pages as people use them: everyone signed in reads, those who keep the
register change, a second person signs the decision in its dialog."""

import datetime as dt

import pytest

from openqms.core.signatures import content_hash, manifestations
from openqms.suppliers import actions
from openqms.suppliers.models import Decision, Evaluation, Supplier
from openqms.testing import PASSWORD, event_count

from .conftest import all_scores, approve, evaluate, supplier_fields, today


@pytest.mark.verifies("SUP-004")
def test_everyone_with_a_role_reads_the_list_and_a_supplier(cast, signed_in, supplier):
    client = signed_in(cast.trainee)
    page = client.get("/suppliers/").content.decode()
    assert "Kestrel Embedded Engineering Ltd" in page and "New supplier" not in page
    page = client.get(f"/suppliers/{supplier.pk}/").content.decode()
    assert "Designs device firmware." in page and "Record an evaluation" not in page


@pytest.mark.verifies("SUP-004", refusal=True)
def test_someone_with_no_rights_at_all_sees_nothing(cast, signed_in, supplier):
    client = signed_in(cast.outsider)
    for url in ("/suppliers/", f"/suppliers/{supplier.pk}/", "/suppliers/outsourced/"):
        assert client.get(url).status_code == 404
    assert "Suppliers and outsourced processes" not in client.get("/qms/").content.decode()


@pytest.mark.verifies("SUP-004", refusal=True)
def test_a_missing_supplier_and_a_forbidden_form_look_the_same(cast, signed_in, supplier):
    client = signed_in(cast.author)
    assert client.get("/suppliers/999/").status_code == 404
    assert client.get(f"/suppliers/{supplier.pk}/edit/").status_code == 404
    assert client.get("/suppliers/new/").status_code == 404


@pytest.mark.verifies("SUP-025", "SUP-001")
def test_the_qa_lead_adds_a_supplier_from_the_form(cast, signed_in):
    client = signed_in(cast.qa_lead)
    response = client.post("/suppliers/new/", supplier_fields())
    supplier = Supplier.objects.get()
    assert response.url == f"/suppliers/{supplier.pk}/"


@pytest.mark.verifies("SUP-002")
def test_a_bad_form_says_which_field_and_adds_nothing(cast, signed_in):
    client = signed_in(cast.qa_lead)
    before = event_count()
    page = client.post("/suppliers/new/", supplier_fields(criticality_rationale="")).content
    assert b"This field is required" in page
    assert not Supplier.objects.exists() and event_count() == before


@pytest.mark.verifies("SUP-025", "SUP-007")
def test_an_evaluation_is_recorded_from_the_form(cast, signed_in, supplier):
    client = signed_in(cast.qa_lead)
    data = {"recommendation": "approved", "summary": "Fine"}
    for code, (score, _) in all_scores(score=5).items():
        data[f"score_{code}"] = score
    response = client.post(f"/suppliers/{supplier.pk}/evaluate/", data)
    evaluation = Evaluation.objects.get()
    assert response.url == f"/suppliers/evaluations/{evaluation.pk}/"
    assert set(evaluation.scores.values_list("score", flat=True)) == {5}


@pytest.mark.verifies("SUP-010")
def test_the_second_person_signs_the_decision_in_the_dialog(cast, signed_in, supplier):
    evaluation = evaluate(cast, supplier)
    client = signed_in(cast.qa_lead)
    page = client.get(f"/suppliers/evaluations/{evaluation.pk}/").content.decode()
    assert "cannot sign the decision on their own evaluation" in page
    client = signed_in(cast.manager)
    url = f"/suppliers/evaluations/{evaluation.pk}/"
    page = client.get(url).content.decode()
    assert 'name="decision"' in page and "Electronic signature" not in page
    chosen = {"decision": "conditional", "conditions": "Quarterly reports", "decision_reason": ""}
    page = client.get(url, chosen).content.decode()
    # The dialog shows the decision itself: its hash, and version 1 (no database id).
    draft = actions.draft_decision(
        evaluation=evaluation,
        actor=cast.manager,
        decision="conditional",
        conditions="Quarterly reports",
    )
    shown = content_hash(draft.signature_content())
    assert shown in page and 'name="conditions" value="Quarterly reports"' in page
    assert f"{draft}, version 1" in page
    response = client.post(
        f"/suppliers/evaluations/{evaluation.pk}/decide/",
        chosen | {"password": PASSWORD, "content_hash": shown},
    )
    assert response.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.status, supplier.conditions) == ("conditional", "Quarterly reports")
    # What the dialog hashed is what the signature binds.
    [signature] = manifestations(Decision.objects.get())
    assert (signature.content_hash, signature.object_version, signature.valid) == (
        shown,
        "1",
        True,
    )
    page = client.get(f"/suppliers/evaluations/{evaluation.pk}/").content.decode()
    assert "Mia Manager" in page and "Supplier decision taken" in page


@pytest.mark.verifies("SUP-010", refusal=True)
def test_a_decision_shown_for_another_day_or_choice_is_not_signed(cast, signed_in, supplier):
    evaluation = evaluate(cast, supplier)
    client = signed_in(cast.manager)
    approved = actions.draft_decision(
        evaluation=evaluation, actor=cast.manager, decision="approved"
    )
    before = event_count()
    response = client.post(
        f"/suppliers/evaluations/{evaluation.pk}/decide/",
        {
            "decision": "conditional",
            "conditions": "Reports",
            "password": PASSWORD,
            "content_hash": content_hash(approved.signature_content()),
        },
        follow=True,
    )
    assert "nothing was signed" in response.content.decode()
    assert Supplier.objects.get().status == "new" and event_count() == before
    assert not Decision.objects.exists()


@pytest.mark.verifies("SUP-012")
def test_a_decision_missing_its_conditions_gets_no_dialog(cast, signed_in, supplier):
    evaluation = evaluate(cast, supplier)
    client = signed_in(cast.manager)
    before = event_count()
    page = client.get(
        f"/suppliers/evaluations/{evaluation.pk}/", {"decision": "conditional"}
    ).content.decode()
    assert "Give the conditions." in page and "Electronic signature" not in page
    assert event_count() == before


@pytest.mark.verifies("SUP-012")
def test_a_conditional_decision_without_conditions_is_refused_on_the_page(
    cast, signed_in, supplier
):
    evaluation = evaluate(cast, supplier)
    client = signed_in(cast.manager)
    before = event_count()
    response = client.post(
        f"/suppliers/evaluations/{evaluation.pk}/decide/",
        {
            "decision": "conditional",
            "password": PASSWORD,
            "content_hash": content_hash(evaluation.signature_content()),
        },
        follow=True,
    )
    assert "Give the conditions." in response.content.decode()
    assert Supplier.objects.get().status == "new" and event_count() == before


@pytest.mark.verifies("SUP-015", "SUP-016")
def test_the_supplier_page_shows_certificates_expired_in_words_and_performance_rates(
    cast, signed_in, supplier
):
    approve(cast, supplier)
    actions.add_certificate(
        actor=cast.qa_lead,
        supplier=supplier,
        kind="iso13485",
        number="MD 9",
        issuer="BSI",
        expires_on=today() - dt.timedelta(days=1),
    )
    actions.record_performance(
        actor=cast.qa_lead,
        supplier=supplier,
        period_start="2026-01-01",
        period_end="2026-03-31",
        deliveries_on_time=3,
        deliveries_total=4,
    )
    page = signed_in(cast.auditor).get(f"/suppliers/{supplier.pk}/").content.decode()
    assert '<strong class="bad">expired</strong>' in page
    assert "3 of 4 (75%)" in page


@pytest.mark.verifies("SUP-025")
def test_certificates_and_performance_are_added_from_the_supplier_page(cast, signed_in, supplier):
    client = signed_in(cast.qa_lead)
    client.post(
        f"/suppliers/{supplier.pk}/certificates/",
        {"kind": "iso9001", "number": "Q7", "issuer": "SGS", "expires_on": "2030-01-01"},
    )
    client.post(
        f"/suppliers/{supplier.pk}/performance/",
        {
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "deliveries_on_time": 1,
            "deliveries_total": 1,
            "lots_received": 1,
            "lots_rejected": 0,
        },
    )
    assert supplier.certificates.get().number == "Q7"
    assert supplier.performance.count() == 1


@pytest.mark.verifies("SUP-018", "SUP-019")
def test_the_outsourced_pages_show_the_interface_and_flag_the_missing_agreement(
    cast, signed_in, supplier
):
    client = signed_in(cast.qa_lead)
    response = client.post(
        "/suppliers/outsourced/new/", {"title": "Firmware design", "partner": supplier.pk}
    )
    outsourced = supplier.outsourced.get()
    assert response.url == f"/suppliers/outsourced/{outsourced.pk}/"
    client.post(
        f"/suppliers/outsourced/{outsourced.pk}/activities/",
        {"activity": "Coding", "governed_by": "partner"},
    )
    client.post(
        f"/suppliers/outsourced/{outsourced.pk}/duties/",
        {"what": "vigilance", "days": 2, "direction": "to_partner"},
    )
    page = signed_in(cast.auditor).get(f"/suppliers/outsourced/{outsourced.pk}/").content.decode()
    assert "Coding" in page and "the partner&#x27;s QMS" in page and "2 days" in page
    assert "no quality agreement" in page
    listing = signed_in(cast.auditor).get("/suppliers/outsourced/").content.decode()
    assert "no quality agreement" in listing


@pytest.mark.verifies("SUP-025")
def test_the_dashboard_shows_the_supplier_panel(cast, signed_in, supplier):
    actions.create_outsourced_process(actor=cast.qa_lead, partner=supplier, title="Firmware")
    page = signed_in(cast.trainee).get("/qms/").content.decode()
    assert "Suppliers and outsourced processes" in page
    assert "no quality agreement" in page


@pytest.mark.verifies("SUP-013")
def test_the_re_evaluation_is_brought_forward_from_the_supplier_page(cast, signed_in, supplier):
    approve(cast, supplier)
    soon = today() + dt.timedelta(days=5)
    client = signed_in(cast.qa_lead)
    assert (
        "Bring the re-evaluation forward"
        in client.get(f"/suppliers/{supplier.pk}/").content.decode()
    )
    client.post(
        f"/suppliers/{supplier.pk}/reschedule/",
        {"next_evaluation": soon.isoformat(), "reason": "Audit finding"},
    )
    supplier.refresh_from_db()
    assert supplier.next_evaluation == soon
