"""A design change that may affect the QMS scope names the scope version in force: it is
recorded in the change's audit event, shown on the change page, and part of what the
approval signs. Without a scope in force the change is refused and nothing written."""

import pytest

from openqms.core.errors import InvalidInput
from openqms.core.models import Signature
from openqms.core.signatures import content_hash
from openqms.design.actions import changes
from openqms.design.models import DesignChange
from openqms.qms.scope_public import scope_in_force
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN, item
from tests.qms.scope_world import drafted, in_force

pytestmark = pytest.mark.verifies("DES-055")


def _record(cast, project, **extra):
    return changes.create_change(
        actor=cast.author,
        project=project,
        title="New accessory family",
        description="Support the HR-ACC patch.",
        reason="Product plan.",
        affected_items=[item(cast, project, "REQ-1", "design_input")],
        risk_assessment="No hazard affected.",
        **extra,
    )


def test_a_change_affecting_the_scope_names_the_version_in_force(cast, project):
    scope = in_force(cast, drafted(cast))
    change = _record(cast, project, scope_impact=True)
    assert change.scope_version == scope == scope_in_force()
    assert last_event().action == "design.change.created"
    assert changes_of(last_event())["qms_scope"] == [None, f"QMS scope version {scope.number}"]
    assert change.signature_content()["qms_scope"] == f"QMS scope version {scope.number}"


def test_the_approval_signs_over_the_named_scope(cast, project):
    in_force(cast, drafted(cast))
    change = changes.approve_change(
        actor=cast.qa_lead, change=_record(cast, project, scope_impact=True), credentials=SIGN
    )
    signature = Signature.objects.get(meaning="design_change_approved")
    content = DesignChange.objects.get(pk=change.pk).signature_content()
    assert signature.content_hash == content_hash(content) and "qms_scope" in content
    without = {k: v for k, v in content.items() if k != "qms_scope"}
    assert signature.content_hash != content_hash(without)


def test_without_a_scope_in_force_the_change_is_refused_and_nothing_written(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    before = event_count()
    with pytest.raises(InvalidInput, match="No QMS scope is in force"):
        changes.create_change(
            actor=cast.author,
            project=project,
            title="New accessory family",
            description="Support the HR-ACC patch.",
            reason="Product plan.",
            affected_items=[req],
            risk_assessment="No hazard affected.",
            scope_impact=True,
        )
    assert (DesignChange.objects.count(), event_count()) == (0, before)


def test_a_change_not_touching_the_scope_signs_what_it_signed_before(cast, project):
    in_force(cast, drafted(cast))
    change = _record(cast, project)
    assert change.scope_version is None
    assert "qms_scope" not in change.signature_content()
    assert changes_of(last_event())["qms_scope"] == [None, None]


def test_the_change_page_links_the_scope_and_the_form_offers_it(cast, project, signed_in):
    scope = in_force(cast, drafted(cast))
    client = signed_in(cast.author)
    response = client.post(
        f"/design/projects/{project.pk}/changes/new/",
        {
            "title": "New accessory family",
            "description": "Support the HR-ACC patch.",
            "reason": "Product plan.",
            "affected_items": item(cast, project, "REQ-1", "design_input").uid,
            "risk_assessment": "No hazard affected.",
            "scope_impact": "on",
        },
    )
    change = DesignChange.objects.get()
    assert response.status_code == 302 and change.scope_version == scope
    page = client.get(f"/design/changes/{change.pk}/").content.decode()
    assert f'href="/qms/scope/{scope.number}/"' in page
    assert f"QMS scope version {scope.number}</a> (in force when the impact was assessed" in page
    form = client.get(f"/design/projects/{project.pk}/reviews/").content.decode()
    assert 'name="scope_impact"' in form
