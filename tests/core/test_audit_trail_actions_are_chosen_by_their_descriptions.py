"""The action filter offers the events' descriptions grouped by module, not codes."""

from openqms.core.forms import AuditFilterForm


def test_the_action_list_shows_descriptions_grouped_by_module(db):
    choices = AuditFilterForm().fields["action"].choices
    groups = dict(choices[1:])
    assert choices[0] == ("", "Any action")
    assert ("core.role.granted", "Role granted") in groups["Users, sign-in, signatures and system"]
    assert ("documents.revision.approved", "Revision approved") in groups["Documents"]
    assert ("training.assignment.completed", "Training completed") in groups["Training"]


def test_the_page_shows_no_internal_codes_in_the_list(signed_in, cast):
    html = signed_in(cast.auditor).get("/audit/").content.decode()
    assert '<optgroup label="Documents">' in html
    assert '<option value="core.role.granted">Role granted</option>' in html
    assert "(core.role.granted)" not in html


def test_filtering_by_an_action_shows_only_those_events(signed_in, cast):
    page = signed_in(cast.auditor).get("/audit/", {"action": "core.role.granted"})
    rows = page.context["rows"]
    assert len(rows) == 8  # one role for each of the cast but the outsider
    assert {row.event.action for row in rows} == {"core.role.granted"}
