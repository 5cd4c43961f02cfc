"""The link graph on a record's page: the records within three links, in columns by
kind, the current one highlighted; a record the viewer may not open is drawn without
its name or link; the text list stays below for screen readers."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from openqms.core.links import key_of, link_records
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.events import graph

from .across_records import complaint, record_pages  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("record_pages")]


def _chain(cast):
    """complaint A → complaint B → draft revision (hidden from the trainee) → C (3 links)."""
    a, b = complaint(cast, title="First"), complaint(cast, title="Second")
    far = complaint(cast, title="Too far away")
    draft = documents.create_document(
        actor=cast.author, doc_type=DocumentType.objects.get(code="procedure"), title="Secret"
    )
    beyond = complaint(cast, title="Four links away")
    from django.db import transaction

    with transaction.atomic():
        link_records(actor=cast.qa_lead, source=a, target=b, kind="related")
        link_records(actor=cast.qa_lead, source=b, target=draft, kind="changed")
        link_records(actor=cast.qa_lead, source=draft, target=far, kind="related")
        link_records(actor=cast.qa_lead, source=far, target=beyond, kind="related")
    return a, b, draft, far, beyond


@pytest.mark.verifies("EVT-036")
def test_the_graph_holds_records_within_three_links_in_kind_columns(cast):
    a, b, draft, far, _beyond = _chain(cast)
    shown = graph.build(cast.qa_lead, key_of(a))
    keys = {n.key for n in shown.nodes}
    assert keys == {key_of(a), key_of(b), key_of(draft), key_of(far)}
    assert shown.columns == ["Complaints", "Document revisions"]
    current = [n for n in shown.nodes if n.current]
    assert [n.key for n in current] == [key_of(a)]
    assert len(shown.edges) == 3


@pytest.mark.verifies("EVT-037", refusal=True)
def test_a_record_the_viewer_cannot_open_has_no_name_and_no_link(cast):
    a, _b, draft, _far, _beyond = _chain(cast)
    for_trainee = {n.key: n for n in graph.build(cast.trainee, key_of(a)).nodes}
    hidden = for_trainee[key_of(draft)]
    assert (hidden.label, hidden.url, hidden.readable) == (graph.HIDDEN, "", False)
    svg = graph.svg(graph.build(cast.trainee, key_of(a)))
    assert "Secret" not in svg and str(draft) not in svg
    assert graph.HIDDEN in svg
    for_qa = {n.key: n for n in graph.build(cast.qa_lead, key_of(a)).nodes}
    assert for_qa[key_of(draft)].label == str(draft)
    assert str(draft) in graph.svg(graph.build(cast.qa_lead, key_of(a)))


@pytest.mark.verifies("EVT-036")
def test_the_svg_escapes_names_and_highlights_the_current_record(cast):
    a = complaint(cast, title="<script>alert(1)</script>")
    b = complaint(cast, title="Other")
    from django.db import transaction

    with transaction.atomic():
        link_records(actor=cast.qa_lead, source=a, target=b, kind="raised")
    svg = str(graph.svg(graph.build(cast.qa_lead, key_of(b))))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count('class="current"') == 1
    assert f'href="{a.get_absolute_url()}"' in svg


@pytest.mark.verifies("EVT-036")
def test_a_record_linked_to_nothing_draws_no_graph(cast):
    assert graph.svg(graph.build(cast.qa_lead, key_of(complaint(cast)))) == ""


@pytest.mark.verifies("EVT-036")
def test_the_record_tail_shows_graph_list_pdf_and_trail_and_the_link_form_to_qa(cast):
    a, *_rest = _chain(cast)
    template = Template("{% load events %}{% record_tail record %}")
    for who, sees_form in [(cast.qa_lead, True), (cast.trainee, False)]:
        request = RequestFactory().get("/")
        request.user = who
        html = template.render(Context({"request": request, "record": a}))
        assert "<svg" in html and "Second" in html
        assert f"/events/record/complaint/{a.pk}.pdf" in html
        # The trail link only for readers of the trail (the trainee would meet a 404).
        trail = f"object_type=events.complaint&amp;object_id={a.pk}" in html
        assert trail is sees_form
        assert ("Link a record" in html) is sees_form
        assert ("remove link" in html) is sees_form
