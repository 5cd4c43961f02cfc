"""The design configuration page: the QA lead reaches it from the projects page, adds a
gap rule and sees its gap on the trace at once, retires a link rule and sees the link
it allowed listed; engineers and auditors meet 404 and change nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.design.actions import config
from openqms.design.actions import items as design
from openqms.design.models import CoverageRule, Gap, ItemType, LinkRule
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item

pytestmark = pytest.mark.verifies("DES-046")

GAP_RULE = {
    "code": "output_without_verification",
    "item_type": "design_output",
    "accepts": ["verifies:verification"],
    "message": "Design output without a verification",
}


def test_the_qa_lead_finds_the_page_from_the_projects_page(cast, signed_in):
    client = signed_in(cast.qa_lead)
    assert b'href="/design/config/"' in client.get("/design/").content
    page = client.get("/design/config/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Design input (requirement)" in text
    assert "a design input (requirement) that derives from it" in text
    assert "None: every link is allowed by a rule." in text


def test_engineers_and_auditors_neither_see_nor_use_the_page(cast, signed_in, client):
    rule = CoverageRule.objects.get(code="need_without_validation")
    before = event_count()
    for person in (cast.author, cast.auditor):
        client = signed_in(person)
        assert b"/design/config/" not in client.get("/design/").content
        assert client.get("/design/config/").status_code == 404
        assert client.post("/design/config/gap-rules/", GAP_RULE).status_code == 404
        gone = client.post(f"/design/config/gap-rules/{rule.pk}/retire/", {"reason": "x"})
        assert gone.status_code == 404
    assert event_count() == before
    assert CoverageRule.objects.filter(active=True).count() == 5


def test_adding_a_gap_rule_shows_its_gap_on_the_trace_at_once(cast, project, signed_in):
    item(cast, project, "SPEC-1", "design_output")
    client = signed_in(cast.qa_lead)
    done = client.post("/design/config/gap-rules/", GAP_RULE, follow=True)
    assert "Gap rule added" in done.content.decode()
    assert last_event().action == "design.gap_rule.added"
    trace = client.get(f"/design/projects/{project.pk}/trace/").content.decode()
    assert "Design output without a verification" in trace
    rule = CoverageRule.objects.get(code="output_without_verification")
    client.post(f"/design/config/gap-rules/{rule.pk}/retire/", {"reason": "Not needed"})
    assert not Gap.objects.filter(rule="output_without_verification").exists()
    assert last_event().reason == "Not needed"


@pytest.mark.verifies("DES-046", refusal=True)
def test_a_refused_gap_rule_shows_why_and_writes_nothing(cast, signed_in):
    before = event_count()
    client = signed_in(cast.qa_lead)
    posted = GAP_RULE | {"code": "need_without_input"}
    done = client.post("/design/config/gap-rules/", posted, follow=True)
    assert "No gap rule was added." not in done.content.decode()  # the form was valid
    assert "The code “need_without_input” is taken" in done.content.decode()
    assert event_count() == before


def test_retiring_a_link_rule_lists_the_link_it_allowed(cast, project, signed_in):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    rule = LinkRule.objects.get(
        source_type__code="verification", kind="verifies", target_type__code="design_input"
    )
    client = signed_in(cast.qa_lead)
    page = client.post(
        f"/design/config/link-rules/{rule.pk}/retire/", {"reason": "Outputs only"}, follow=True
    )
    text = page.content.decode()
    assert "Links the rules no longer allow (1)" in text
    assert "TEST-1</a> verifies" in text
    assert changes_of(last_event())["links_not_allowed"] == [0, 1]
    assert not LinkRule.objects.filter(pk=rule.pk).exists()


def test_a_link_rule_retired_without_a_reason_stays(cast, signed_in):
    rule = LinkRule.objects.first()
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        f"/design/config/link-rules/{rule.pk}/retire/", {"reason": ""}, follow=True
    )
    assert "The link rule was not retired." in page.content.decode()
    assert LinkRule.objects.filter(pk=rule.pk).exists()
    assert event_count() == before


def test_an_item_type_is_added_then_changed_on_its_own_page(cast, signed_in):
    client = signed_in(cast.qa_lead)
    client.post(
        "/design/config/types/",
        {"code": "hazard_note", "name": "Hazard note", "prefix": "HN", "level": "7"},
    )
    kind = ItemType.objects.get(code="hazard_note")
    assert last_event().action == "design.item_type.added"
    page = client.get(f"/design/config/types/{kind.pk}/")
    assert page.status_code == 200
    fields = {"code": "hazard_note", "name": "Hazard memo", "prefix": "HN", "level": "7"}
    refused = client.post(f"/design/config/types/{kind.pk}/", fields)
    assert "This field is required." in refused.content.decode()  # the reason
    client.post(f"/design/config/types/{kind.pk}/", fields | {"reason": "House word"})
    kind.refresh_from_db()
    assert kind.name == "Hazard memo"
    assert changes_of(last_event())["name"] == ["Hazard note", "Hazard memo"]


def test_the_page_takes_the_same_queries_however_many_links_it_lists(cast, project, signed_in):
    client = signed_in(cast.qa_lead)
    rule = LinkRule.objects.get(
        source_type__code="verification", kind="verifies", target_type__code="design_input"
    )

    def linked(n):
        req = item(cast, project, f"REQ-{n}", "design_input")
        test = item(cast, project, f"TEST-{n}", "verification")
        design.link_items(actor=cast.author, source=test, kind="verifies", target=req)

    def queries():
        client.get("/design/config/")
        with CaptureQueriesContext(connection) as done:
            assert client.get("/design/config/").status_code == 200
        return len(done)

    linked(1)
    client.post(f"/design/config/link-rules/{rule.pk}/retire/", {"reason": "Outputs only"})
    one = queries()
    config.add_link_rule(
        actor=cast.qa_lead, source_type="verification", kind="verifies", target_type="design_input"
    )
    linked(2)
    linked(3)
    config.retire_link_rule(actor=cast.qa_lead, rule=LinkRule.objects.last(), reason="Again")
    assert config.disallowed_links().count() == 3
    assert queries() == one
