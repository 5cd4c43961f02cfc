"""The Retention page lists every record class with its rule; a rule is changed on its
own page; a record's page places and releases holds and signs its disposal."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import modules, retention
from openqms.core.actions.retention import disposal_content, place_hold
from openqms.core.models import RecordDisposition, RecordHold
from openqms.core.modules import Module, RecordClass
from openqms.core.signatures import content_hash
from openqms.documents.models import DocumentType
from openqms.testing import PASSWORD, event_count
from tests.core.retention_sample import CODE, sample_class, specimen


def test_the_page_lists_each_class_with_rule_minimum_confidentiality_and_holds(cast, signed_in):
    with sample_class(years=6, confidentiality="health") as sample:
        record = specimen(cast, None, sample)
        place_hold(actor=cast.qa_lead, code=CODE, object_id=str(record.pk), reason="Case")
        page = signed_in(cast.qa_lead).get("/retention/").content.decode()
    row = page[page.index("Specimen records") :]
    row = row[: row.index("</tr>")]
    for said in ("6 years after the record is closed", "2 years", "Health data", "<td>1</td>"):
        assert said in row


def test_the_page_costs_the_same_queries_however_many_classes(cast, signed_in):
    client = signed_in(cast.qa_lead)

    def count(n):
        classes = [
            RecordClass(code=f"many.c{i}", label=f"Class {i}", object_type="testapp.specimen")
            for i in range(n)
        ]
        with modules.temporarily(Module(label="many", record_classes=lambda: classes)):
            client.get("/retention/")  # warm the session and permission caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/retention/").status_code == 200
        return len(queries)

    assert count(2) == count(30)


def test_a_class_whose_records_hold_health_data_shows_health_data(cast, signed_in):
    # One source for the label: confidentiality.class_of (the specimen has patient details).
    with sample_class(confidentiality="internal"):
        page = signed_in(cast.qa_lead).get("/retention/").content.decode()
    row = page[page.index("Specimen records") :]
    row = row[: row.index("</tr>")]
    assert "Health data" in row and "Internal" not in row


def _types(n):
    """Document types (configuration, set up directly): each is a record class."""
    for i in range(n):
        DocumentType.objects.get_or_create(
            code=f"extra{i}", defaults={"name": f"Extra {i}", "prefix": f"EX{i}"}
        )


def test_the_pages_cost_the_same_queries_however_many_document_types(cast, signed_in):
    client = signed_in(cast.qa_lead)
    with sample_class(years=5) as sample:
        record = specimen(cast, None, sample)

        def count(n, url):
            _types(n)
            client.get(url)  # warm the session and permission caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            types = [q for q in queries if '"documents_documenttype"' in q["sql"]]
            assert len(types) == 1, url  # the classes are asked for once per request
            return len(queries)

        for url in ("/retention/", f"/retention/{CODE}/{record.pk}/"):
            assert count(2, url) == count(12, url), url


def test_a_rule_is_changed_on_its_page_and_a_bad_one_is_named(cast, signed_in):
    client = signed_in(cast.qa_lead)
    with sample_class(years=5):
        form = {"years": 1, "counted_from": "closed", "minimum_years": 0, "reason": "Shorter"}
        before = event_count()
        refused = client.post(f"/retention/{CODE}/", form)
        assert (
            refused.status_code == 200
            and "the minimum for Specimen records is 2 years" in refused.content.decode()
        )
        assert event_count() == before
        done = client.post(f"/retention/{CODE}/", form | {"years": 7}, follow=True)
        assert "Retention of Specimen records changed." in done.content.decode()
        assert retention.rule(CODE).years == 7


def test_a_hold_is_placed_released_and_the_record_disposed_of_from_its_page(cast, signed_in):
    client = signed_in(cast.qa_lead)
    with sample_class(years=5) as sample:
        record = specimen(cast, dt.date(2010, 1, 1), sample)
        url = f"/retention/{CODE}/{record.pk}/"
        client.post(url, {"reason": "Litigation"})
        hold = RecordHold.objects.get()
        assert "Litigation" in client.get(url).content.decode()
        client.post(f"/retention/holds/{hold.pk}/release/", {"reason": "Settled"})
        page = client.get(url).content.decode()
        assert "May be disposed of from" in page and "Sign: dispose of" in page
        shown = content_hash(
            disposal_content(retention.record_class(CODE), str(record.pk), cast.qa_lead)
        )
        client.post(
            f"{url}dispose/", {"reason": "Over", "password": PASSWORD, "content_hash": shown}
        )
    assert RecordDisposition.objects.get().object_id == str(record.pk)


def test_who_may_not_manage_retention_gets_404_everywhere(cast, signed_in):
    client = signed_in(cast.author)
    with sample_class() as sample:
        record = specimen(cast, None, sample)
        for url in ("/retention/", f"/retention/{CODE}/", f"/retention/{CODE}/{record.pk}/"):
            assert client.get(url).status_code == 404
        assert client.post(f"/retention/{CODE}/{record.pk}/", {"reason": "x"}).status_code == 404
    assert not RecordHold.objects.exists()
