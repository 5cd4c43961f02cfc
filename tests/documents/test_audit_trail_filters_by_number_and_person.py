"""The trail is filtered by a document's number or title, and by who acted (a name)."""

from openqms.documents import actions


def test_a_document_number_finds_the_events_of_the_document_and_its_revisions(
    signed_in, cast, effective, sop_type
):
    other = actions.create_document(actor=cast.author, doc_type=sop_type, title="CAPA", body="x")
    client = signed_in(cast.auditor)
    rows = client.get("/audit/", {"record": "sop-001"}).context["rows"]
    assert {(r.event.object_type, r.event.object_id) for r in rows} == {
        ("documents.document", str(effective.document_id)),
        ("documents.revision", str(effective.pk)),
    }
    rows = client.get("/audit/", {"record": "CAPA"}).context["rows"]
    assert {r.record.label for r in rows} == {"SOP-002 CAPA", "SOP-002 rev A"}
    assert other.document.number == "SOP-002"


def test_a_person_s_name_finds_what_they_did(signed_in, cast, effective):
    rows = signed_in(cast.auditor).get("/audit/", {"user": "morgan"}).context["rows"]
    assert rows and {r.event.actor_id for r in rows} == {cast.approver.pk}
    by_username = signed_in(cast.auditor).get("/audit/", {"user": "APPROVER"}).context["rows"]
    assert [r.event.seq for r in by_username] == [r.event.seq for r in rows]


def test_a_name_that_matches_nothing_finds_no_events(signed_in, cast, effective):
    client = signed_in(cast.auditor)
    assert list(client.get("/audit/", {"user": "nobody-at-all"}).context["rows"]) == []
    assert list(client.get("/audit/", {"record": "XYZ-999"}).context["rows"]) == []
