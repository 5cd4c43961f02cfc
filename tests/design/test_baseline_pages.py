"""Baseline, review and change pages: lists at constant queries, the signing dialog for
the QA lead, an outsider meets 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core.signatures import content_hash as hash_of
from openqms.design.actions import baselines, changes, reviews
from openqms.design.models import BaselineState
from openqms.testing import PASSWORD
from tests.design.conftest import item


@pytest.fixture
def base(cast, project):
    item(cast, project, "REQ-1", "design_input")
    return baselines.create_baseline(
        actor=cast.author, project=project, name="release 1.0", kind="release"
    )


@pytest.mark.verifies("DES-025")
def test_the_qa_lead_sees_the_signing_dialog_and_signs(signed_in, cast, base):
    client = signed_in(cast.qa_lead)
    page = client.get(f"/design/baselines/{base.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sign the baseline" in body and "Design history file (PDF)" in body
    shown = hash_of(base.signature_content())
    assert shown in body  # the dialog carries the hash of what is shown
    posted = client.post(
        f"/design/baselines/{base.pk}/sign/", {"password": PASSWORD, "content_hash": shown}
    )
    assert posted.status_code == 302
    base.refresh_from_db()
    assert base.state == BaselineState.SIGNED


@pytest.mark.verifies("DES-025")
def test_an_author_sees_no_signing_dialog(signed_in, cast, base):
    body = signed_in(cast.author).get(f"/design/baselines/{base.pk}/").content.decode()
    assert "Sign the baseline" not in body


@pytest.mark.verifies("DES-030")
def test_the_dhf_downloads(signed_in, cast, base):
    client = signed_in(cast.auditor)
    pdf = client.get(f"/design/baselines/{base.pk}/dhf.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/design/baselines/{base.pk}/dhf.zip")["Content-Type"] == "application/zip"


@pytest.mark.verifies("DES-007", refusal=True)
def test_an_outsider_meets_404_on_every_page(signed_in, cast, project, base):
    review = reviews.create_review(
        actor=cast.author,
        project=project,
        title="R",
        baseline=base,
        participants=[cast.author],
        independent_reviewer=cast.reviewer,
        outcome="passed",
    )
    change = changes.create_change(
        actor=cast.author,
        project=project,
        title="C",
        description="D",
        reason="R",
        affected_items=list(project.items.all()),
        risk_assessment="None touched.",
    )
    client = signed_in(cast.outsider)
    for url in [
        f"/design/projects/{project.pk}/baselines/",
        f"/design/baselines/{base.pk}/",
        f"/design/baselines/{base.pk}/dhf.pdf",
        f"/design/projects/{project.pk}/reviews/",
        f"/design/reviews/{review.pk}/",
        f"/design/changes/{change.pk}/",
    ]:
        assert client.get(url).status_code == 404, url


@pytest.mark.verifies("DES-027")
def test_a_named_participant_signs_a_review_from_its_page(signed_in, cast, project, base):
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
    client = signed_in(cast.author)
    page = client.get(f"/design/reviews/{review.pk}/")
    assert "Sign the design review" in page.content.decode()


@pytest.mark.verifies("DES-044")
@pytest.mark.parametrize("url", ["baselines", "reviews"])
def test_lists_take_the_same_queries_however_many(signed_in, cast, project, url):
    client = signed_in(cast.auditor)
    item(cast, project, "REQ-1", "design_input")

    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert client.get(f"/design/projects/{project.pk}/{url}/").status_code == 200
        return len(seen)

    def add(n):
        baselines.create_baseline(actor=cast.author, project=project, name=f"b{n}", kind="other")
        reviews.create_phase(actor=cast.author, project=project, name=f"phase {n}")
        changes.create_change(
            actor=cast.author,
            project=project,
            title=f"C{n}",
            description="D",
            reason="R",
            affected_items=list(project.items.all()),
            risk_assessment="None.",
        )

    add(0)
    queries()
    one = queries()
    for n in range(1, 5):
        add(n)
    assert queries() == one


@pytest.mark.verifies("DES-029", "DES-027", "DES-028")
def test_an_engineer_records_a_phase_a_review_and_a_change_from_the_page(signed_in, cast, project):
    item(cast, project, "REQ-1", "design_input")
    client = signed_in(cast.author)
    url = f"/design/projects/{project.pk}"
    assert "Record a design change" in client.get(f"{url}/reviews/").content.decode()
    client.post(f"{url}/phases/new/", {"name": "Design inputs"})
    phase = project.phases.get()
    client.post(
        f"{url}/reviews/new/",
        {
            "title": "Inputs review",
            "phase": phase.pk,
            "items": "REQ-1",
            "participants": [cast.author.username],
            "independent_reviewer": cast.reviewer.username,
            "outcome": "passed",
            "finding": "Add units.",
            "finding_owner": cast.author.username,
        },
    )
    review = project.reviews.get()
    assert (review.phase, review.findings.count()) == (phase, 1)
    answer = client.post(
        f"{url}/changes/new/",
        {
            "title": "Units",
            "description": "Add units.",
            "reason": "Review.",
            "affected_items": "REQ-1, REQ-404",
            "risk_assessment": "None.",
        },
    )
    assert answer.status_code == 302 and project.changes.count() == 0  # REQ-404 unknown
    client.post(
        f"{url}/changes/new/",
        {
            "title": "Units",
            "description": "Add units.",
            "reason": "Review.",
            "affected_items": "REQ-1",
            "risk_assessment": "None.",
        },
    )
    assert project.changes.get().affected_items.get().uid == "REQ-1"
    client.post(f"/design/phases/{phase.pk}/close/")
    phase.refresh_from_db()
    assert phase.state == "closed"
