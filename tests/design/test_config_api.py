"""Design configuration over the API: read by the QA lead (404 for others), changed with
the same actions as the page; refusals carry stable error codes and write nothing."""

import json

import pytest

from openqms.core import actions as core_actions
from openqms.design.actions import items as design
from openqms.design.models import CoverageRule, Gap, ItemType, LinkRule
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item

pytestmark = pytest.mark.verifies("DES-046")

GAP_RULE = {
    "code": "output_without_verification",
    "item_type": "design_output",
    "accepts": [["verifies", "verification"]],
    "message": "Design output without a verification",
}


class Api:
    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(f"/api/v1/design{path}", headers=self.headers)

    def send(self, method, path, body=None):
        return self.client.generic(
            method.upper(),
            f"/api/v1/design{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


def test_the_qa_lead_reads_the_configuration(client, cast):
    got = Api(client, cast.qa_lead).get("/config")
    assert got.status_code == 200
    body = got.json()
    assert [t["code"] for t in body["item_types"]][:3] == ["risk", "user_need", "design_input"]
    assert {"source_type": "risk_control", "kind": "mitigates", "target_type": "risk"} in [
        {k: r[k] for k in ("source_type", "kind", "target_type")} for r in body["link_rules"]
    ]
    assert len(body["gap_rules"]) == 5
    assert (body["links_not_allowed_count"], body["links_not_allowed"]) == (0, [])


def test_a_gap_rule_added_over_the_api_opens_its_gap_and_retiring_closes_it(client, cast, project):
    item(cast, project, "SPEC-1", "design_output")
    api = Api(client, cast.qa_lead)
    made = api.send("post", "/config/gap-rules", GAP_RULE)
    assert made.status_code == 201, made.content
    assert made.json() == GAP_RULE | {"verified": False, "active": True}
    assert list(Gap.objects.values_list("item__uid", "rule")) == [
        ("SPEC-1", "output_without_verification")
    ]
    assert changes_of(last_event())["gaps_added"] == [None, 1]
    edited = api.send(
        "patch",
        "/config/gap-rules/output_without_verification",
        GAP_RULE | {"message": "Output not verified", "reason": "Shorter"},
    )
    assert edited.json()["message"] == "Output not verified"
    assert last_event().action == "design.gap_rule.edited"
    gone = api.send(
        "post", "/config/gap-rules/output_without_verification/retire", {"reason": "No"}
    )
    assert gone.json()["active"] is False
    assert not Gap.objects.exists()


def test_a_retired_link_rule_leaves_its_links_listed(client, cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    test = item(cast, project, "TEST-1", "verification")
    design.link_items(actor=cast.author, source=test, kind="verifies", target=req)
    rule = LinkRule.objects.get(
        source_type__code="verification", kind="verifies", target_type__code="design_input"
    )
    api = Api(client, cast.qa_lead)
    done = api.send("post", f"/config/link-rules/{rule.pk}/retire", {"reason": "Outputs only"})
    assert done.json() == {"links_not_allowed_count": 1}
    listed = api.get("/config").json()["links_not_allowed"]
    assert [(x["source"], x["kind"], x["target"]) for x in listed] == [
        ("TEST-1", "verifies", "REQ-1")
    ]
    again = api.send(
        "post",
        "/config/link-rules",
        {"source_type": "verification", "kind": "verifies", "target_type": "design_input"},
    )
    assert again.status_code == 201
    assert changes_of(last_event())["links_not_allowed"] == [1, 0]


def test_an_item_type_is_added_edited_and_retired_over_the_api(client, cast):
    api = Api(client, cast.qa_lead)
    body = {"code": "hazard_note", "name": "Hazard note", "prefix": "HN", "level": 7}
    assert api.send("post", "/config/item-types", body).status_code == 201
    edited = api.send(
        "patch",
        "/config/item-types/hazard_note",
        {"name": "Hazard memo", "level": 7, "needs_evidence": True, "reason": "Tested"},
    )
    assert edited.json()["needs_evidence"] is True
    assert changes_of(last_event())["needs_evidence"] == [False, True]
    retired = api.send("post", "/config/item-types/hazard_note/retire", {"reason": "Unused"})
    assert retired.json()["active"] is False
    assert last_event().action == "design.item_type.retired"


@pytest.mark.verifies("DES-046", refusal=True)
def test_refusals_have_stable_codes_and_write_nothing(client, cast):
    engineer, auditor, lead = (Api(client, p) for p in (cast.author, cast.auditor, cast.qa_lead))
    before = event_count()  # after the tokens were made (their events)
    rules = list(CoverageRule.objects.values_list("code", "active"))
    assert engineer.get("/config").status_code == 404
    assert auditor.get("/config").status_code == 404
    # Without the configuration right every endpoint answers as for a missing one (404),
    # so an existing code cannot be told from a missing one.
    refused = engineer.send("post", "/config/gap-rules", GAP_RULE)
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    refused = auditor.send("post", "/config/gap-rules/need_without_input/retire", {"reason": "x"})
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    refused = auditor.send("post", "/config/gap-rules/no_such_rule/retire", {"reason": "x"})
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    duplicate = lead.send("post", "/config/gap-rules", GAP_RULE | {"code": "need_without_input"})
    assert (duplicate.status_code, duplicate.json()["code"]) == (422, "invalid_input")
    used = lead.send("post", "/config/item-types/design_input/retire", {"reason": "x"})
    assert (used.status_code, used.json()["code"]) == (422, "invalid_input")
    assert "retire them first" in used.json()["message"]
    missing = lead.send("post", "/config/gap-rules/no_such_rule/retire", {"reason": "x"})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert event_count() == before
    assert list(CoverageRule.objects.values_list("code", "active")) == rules
    assert ItemType.objects.filter(active=False).count() == 0
