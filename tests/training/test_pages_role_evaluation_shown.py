"""The person page has one signing form per job role the person holds, each carrying the
hash of what the evaluator was shown for that role: a post without it, or with another
role's, signs nothing; a failed signing keeps what was typed, in that role's form."""

import re

import pytest

from openqms.core.models import Signature
from openqms.testing import PASSWORD, changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import Evaluation

PAGE = "/training/people/trainee/"
POST = "/training/people/trainee/evaluate/"
WRONG = "not my password 4711"


@pytest.fixture
def tester(cast, engineer):
    """The trainee holds two job roles: software engineer and tester."""
    role = actions.create_job_role(actor=cast.qa_lead, name="Tester")
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    return role


def shown_hashes(client) -> dict[int, str]:
    """{job role id: the content hash its form on the person page carries}."""
    html = client.get(PAGE).content.decode()
    forms = re.findall(
        r'name="job_role" value="(\d+)".*?name="content_hash" value="([0-9a-f]{64})"',
        html,
        re.DOTALL,
    )
    return {int(role): shown for role, shown in forms}


def evaluation(job_role, shown, **overrides):
    data = {
        "job_role": job_role.pk,
        "method": "Interview",
        "result": "effective",
        "comment": "Knows the design controls.",
        "password": PASSWORD,
        "content_hash": shown,
    }
    return data | overrides


def _nothing_signed(before):
    assert not Evaluation.objects.exists()
    assert not Signature.objects.filter(meaning="evaluated").exists()
    assert event_count() == before


def test_each_held_job_role_has_its_own_form_and_hash(signed_in, cast, engineer, tester):
    shown = shown_hashes(signed_in(cast.qa_lead))
    assert set(shown) == {engineer.pk, tester.pk}
    assert shown[engineer.pk] != shown[tester.pk]


def test_an_evaluation_posted_without_the_shown_hash_signs_nothing(
    signed_in, cast, engineer, tester
):
    client = signed_in(cast.qa_lead)
    before = event_count()
    page = client.post(POST, evaluation(engineer, ""), follow=True)
    html = page.content.decode()
    assert "did not say which content you were shown, so nothing was signed" in html
    _nothing_signed(before)


def test_an_evaluation_posted_with_another_roles_hash_signs_nothing(
    signed_in, cast, engineer, tester
):
    client = signed_in(cast.qa_lead)
    shown = shown_hashes(client)
    before = event_count()
    client.post(POST, evaluation(engineer, shown[tester.pk]))
    _nothing_signed(before)


def test_an_evaluation_with_the_shown_hash_is_signed(signed_in, cast, engineer, tester):
    client = signed_in(cast.qa_lead)
    shown = shown_hashes(client)
    before = event_count()
    response = client.post(POST, evaluation(tester, shown[tester.pk]))
    assert response["Location"] == PAGE
    (done,) = Evaluation.objects.all()
    assert (done.person, done.job_role, done.evaluator) == (cast.trainee, tester, cast.qa_lead)
    signed, recorded = events_since(before)
    assert (signed.action, changes_of(signed)["meaning"]) == ("core.signature.signed", "evaluated")
    assert (recorded.action, changes_of(recorded)) == (
        "training.evaluation.recorded",
        {"person": "trainee", "subject": "Tester", "method": "Interview", "result": "effective"},
    )


def test_a_failed_signing_keeps_what_was_typed_in_that_roles_form(
    signed_in, cast, engineer, tester
):
    client = signed_in(cast.qa_lead)
    shown = shown_hashes(client)
    before = event_count()
    page = client.post(
        POST,
        evaluation(tester, shown[tester.pk], password=WRONG, comment="Ran the test plan."),
        follow=True,
    )
    html = page.content.decode()
    assert "The password is not correct; nothing was signed." in html
    assert html.count("Ran the test plan.</textarea>") == 1
    tester_form = html[html.index(f'id="evaluate-{tester.pk}"') :]
    assert "Ran the test plan.</textarea>" in tester_form.split("</form>")[0]
    assert WRONG not in html
    assert shown_hashes(client) == shown  # each form still carries its own hash
    assert not Evaluation.objects.exists()
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]
