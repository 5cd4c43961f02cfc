"""My tasks: baselines to sign for the QA lead, design reviews for the people named in
them, design changes to approve; and the baselines part of the demo story."""

import pytest

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.inbox import tasks_for
from openqms.design.actions import baselines, changes, reviews
from openqms.design.demo import baselines as demo
from openqms.design.models import ChangeState, DesignReview, ReviewState
from tests.design.conftest import SIGN, item


def kinds(user):
    return sorted({t.kind for t in tasks_for(user)})


@pytest.mark.verifies("DES-031")
def test_my_tasks_name_what_each_person_signs(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    base = baselines.create_baseline(actor=cast.author, project=project, name="1.0", kind="release")
    review = reviews.create_review(
        actor=cast.author,
        project=project,
        title="R",
        baseline=base,
        participants=[cast.author],
        independent_reviewer=cast.reviewer,
        outcome="passed",
    )
    reviews.submit_review(actor=cast.author, review=review)
    changes.create_change(
        actor=cast.author,
        project=project,
        title="C",
        description="D",
        reason="R",
        affected_items=[req],
        risk_assessment="None.",
    )
    qa = [t for t in tasks_for(cast.qa_lead) if t.kind.startswith(("Baselines", "Design"))]
    assert sorted(t.kind for t in qa) == ["Baselines to sign", "Design changes to approve"]
    assert "Design reviews to sign" in kinds(cast.reviewer)
    assert "Design reviews to sign" not in kinds(cast.approver)
    reviews.sign_review(actor=cast.reviewer, review=review, credentials=SIGN)
    assert "Design reviews to sign" not in kinds(cast.reviewer)


@pytest.mark.verifies("DES-043")
def test_the_demo_step_records_a_signed_review_and_a_change_to_approve(cast, project):
    item(cast, project, "REQ-1", "design_input")
    item(cast, project, "RISK-1", "risk")
    for person, name in [
        (cast.qa_lead, "qa"),
        (cast.author, "author"),
        (cast.reviewer, "reviewer"),
        (cast.approver, "approver"),
    ]:
        type(person).objects.filter(pk=person.pk).update(username=name)
    for person in (cast.qa_lead, cast.author, cast.reviewer, cast.approver):
        person.refresh_from_db()
        person.set_password(DEMO_PASSWORD)
        person.save()
    demo.run()
    demo.run()  # idempotent
    assert project.baselines.get(name="release 1.0").state == "open"  # evidence goes in next
    demo.sign_release()
    review = DesignReview.objects.get(title=demo.REVIEW_TITLE)
    assert review.state == ReviewState.COMPLETE
    assert project.changes.get().state == ChangeState.DRAFT
    assert project.baselines.get(name="release 1.0").state == "signed"
    assert project.phases.filter(state="closed").count() == 2
