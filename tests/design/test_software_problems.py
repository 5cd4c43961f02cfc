"""Problem reports (IEC 62304 9): numbered, investigated, resolved with the fix
verified, closed; linked to a CAPA by its number and shown from both records."""

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.links import key_of, linked
from openqms.design.actions import software
from openqms.design.models import ProblemReport
from openqms.events.actions.capa import raise_capa
from openqms.testing import changes_of, event_count, last_event
from tests.design.test_software_systems import device, system  # noqa: F401


def report(cast, system, title="Beat missed at 220 bpm"):  # noqa: F811
    return software.report_problem(
        actor=cast.author, system=system, title=title, description="Seen in field data."
    )


@pytest.mark.verifies("DES-040")
def test_reports_are_numbered_by_year_in_order(cast, system):  # noqa: F811
    first, second = report(cast, system), report(cast, system, "Another")
    year = first.created_at.year
    assert (first.number, second.number) == (f"PR-{year}-0001", f"PR-{year}-0002")
    event = last_event()
    assert (event.action, changes_of(event)["state"]) == ("design.problem.reported", [None, "open"])


@pytest.mark.verifies("DES-040")
def test_a_report_is_investigated_resolved_and_closed(cast, system):  # noqa: F811
    pr = report(cast, system)
    pr = software.investigate_problem(
        actor=cast.author, report=pr, investigation="Threshold too high.", change_needed="yes"
    )
    assert changes_of(last_event())["change_needed"] == [None, True]
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="resolve the problem"):
        software.close_problem(actor=cast.reviewer, report=pr)
    assert event_count() == before
    pr = software.resolve_problem(actor=cast.author, report=pr, verification="TEST-220 passes.")
    assert last_event().action == "design.problem.resolved"
    software.close_problem(actor=cast.reviewer, report=pr, comment="Released in 2.1.1")
    pr.refresh_from_db()
    assert pr.state == "closed"
    event = last_event()
    assert (event.action, changes_of(event)["state"]) == (
        "design.problem.closed",
        ["resolved", "closed"],
    )


@pytest.mark.verifies("DES-040")
def test_an_investigation_must_be_written(cast, system):  # noqa: F811
    pr = report(cast, system)
    before = event_count()
    with pytest.raises(InvalidInput):
        software.investigate_problem(
            actor=cast.author, report=pr, investigation=" ", change_needed="no"
        )
    pr.refresh_from_db()
    assert (pr.state, event_count()) == ("open", before)


@pytest.mark.verifies("DES-040")
def test_a_report_linked_to_a_capa_shows_from_both_sides(cast, system):  # noqa: F811
    capa = raise_capa(
        actor=cast.qa_lead, title="Missed beats", capa_type="corrective", problem="Field data."
    )
    pr = report(cast, system)
    software.link_problem(actor=cast.author, report=pr, number=capa.number.lower(), note="Root")
    event = last_event()
    assert (event.action, event.object_type) == ("core.link.added", "design.problemreport")
    [seen] = linked(cast.auditor, pr)
    assert (seen.key, seen.says, seen.readable) == (key_of(capa), "related to", True)
    assert capa.number in seen.label
    [back] = linked(cast.auditor, capa)
    assert (back.key, back.says) == (key_of(pr), "related to")


@pytest.mark.verifies("DES-040")
def test_an_unknown_number_is_refused_and_writes_nothing(cast, system):  # noqa: F811
    pr = report(cast, system)
    before = event_count()
    with pytest.raises(InvalidInput, match="no CAPA or nonconformity numbered"):
        software.link_problem(actor=cast.author, report=pr, number="CAPA-1999-0001")
    assert (event_count(), ProblemReport.objects.count()) == (before, 1)
