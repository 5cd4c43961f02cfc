"""Each event names its record as people do and links to it, not "documents.revision 13"."""

import csv
import io

from openqms.documents import actions


def test_revision_and_document_events_show_their_names_and_links(signed_in, cast, effective):
    page = signed_in(cast.auditor).get("/audit/", {"record": "SOP-001"})
    labels = {(row.record.label, row.record.url) for row in page.context["rows"]}
    assert labels == {
        ("SOP-001 rev A", "/documents/SOP-001/A/"),
        ("SOP-001 Document control", "/documents/SOP-001/"),
    }
    html = page.content.decode()
    assert '<a href="/documents/SOP-001/A/">SOP-001 rev A</a>' in html
    assert f"documents.revision {effective.pk}" not in html


def test_user_events_name_the_user_and_link_for_those_who_manage_users(signed_in, cast):
    wanted = {"action": "core.user.created", "record": "Alex Author"}
    admin_rows = signed_in(cast.admin).get("/audit/", wanted).context["rows"]
    assert [(r.record.label, r.record.url) for r in admin_rows] == [
        ("User Alex Author (author)", "/admin/users/author/")
    ]
    auditor_rows = signed_in(cast.auditor).get("/audit/", wanted).context["rows"]
    assert [(r.record.label, r.record.url, r.readable) for r in auditor_rows] == [
        ("User Alex Author (author)", "", True)
    ]


def test_the_exports_carry_the_record_s_name(signed_in, cast, effective):
    response = signed_in(cast.auditor).get("/audit/export.csv", {"record": "SOP-001"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["record"] for r in rows} == {"SOP-001 rev A", "SOP-001 Document control"}


def test_naming_a_page_of_records_takes_the_same_queries_however_many(
    signed_in, cast, sop_type, django_assert_max_num_queries
):
    client = signed_in(cast.admin)
    actions.create_document(actor=cast.author, doc_type=sop_type, title="One", body="x")
    client.get("/audit/")  # warm: sessions, permissions
    with django_assert_max_num_queries(40) as few:
        client.get("/audit/")
    for n in range(8):
        actions.create_document(actor=cast.author, doc_type=sop_type, title=f"T{n}", body="x")
    with django_assert_max_num_queries(40) as many:
        client.get("/audit/")
    assert len(many.captured_queries) == len(few.captured_queries)
