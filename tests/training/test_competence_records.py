import datetime as dt
import io

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions, matrix
from openqms.training.models import CompetenceRecord

pytestmark = pytest.mark.verifies("TRN-010")

TODAY = timezone.localdate()


@pytest.fixture
def first_aid(cast):
    return actions.create_competency(
        actor=cast.qa_lead, name="First aid", kind="course", validity_months=12
    )


@pytest.fixture
def first_aider(cast, first_aid):
    """A job role requiring the first-aid course; the trainee holds it."""
    role = actions.create_job_role(actor=cast.qa_lead, name="First aider")
    actions.add_requirement(
        actor=cast.qa_lead, job_role=role, kind="competency", competency=first_aid
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)
    return role


def _add(cast, competency, obtained_on, **kwargs):
    return actions.add_competence_record(
        actor=cast.qa_lead,
        person=cast.trainee,
        kind="certificate",
        title="First aid at work",
        issuer="Red Cross",
        obtained_on=obtained_on,
        competency=competency,
        **kwargs,
    )


def _cell(cast, competency):
    [row] = matrix.build(people=[cast.trainee.pk]).rows
    return row.cells[f"c{competency.pk}"]


def test_the_expiry_follows_the_competencys_validity(cast, first_aid):
    before = event_count()
    record = _add(
        cast, first_aid, dt.date(2024, 1, 31), file_name="cert.pdf", file_content=io.BytesIO(b"x")
    )
    assert record.expires_on == dt.date(2025, 1, 31)
    [event] = events_since(before)
    assert (event.action, changes_of(event)) == (
        "training.competence.added",
        {
            "person": "trainee",
            "kind": "certificate",
            "title": [None, "First aid at work"],
            "competency": "First aid",
            "obtained_on": "2024-01-31",
            "expires_on": "2025-01-31",
            "file_sha256": record.file.sha256,
        },
    )
    assert record.file_name == "cert.pdf"


def test_a_month_end_expiry_falls_on_the_last_day_of_the_month(cast):
    monthly = actions.create_competency(
        actor=cast.qa_lead, name="Forklift check", kind="licence", validity_months=1
    )
    assert _add(cast, monthly, dt.date(2023, 1, 31)).expires_on == dt.date(2023, 2, 28)


def test_a_given_expiry_date_wins_and_no_validity_means_no_expiry(cast, first_aid):
    given = TODAY + dt.timedelta(days=5)
    assert _add(cast, first_aid, TODAY, expires_on=given).expires_on == given
    forever = actions.create_competency(actor=cast.qa_lead, name="Degree", kind="qualification")
    assert _add(cast, forever, dt.date(2010, 6, 30)).expires_on is None


def test_the_matrix_shows_missing_current_and_expired_competence(cast, first_aid, first_aider):
    assert _cell(cast, first_aid).status == matrix.DUE
    old = _add(cast, first_aid, TODAY - dt.timedelta(days=400))
    assert old.expires_on < TODAY
    # expired: the day it expired; current: its expiry and the day it was obtained
    assert _cell(cast, first_aid) == matrix.Cell(matrix.EXPIRED, old.expires_on)
    renewed = _add(cast, first_aid, TODAY)
    assert _cell(cast, first_aid) == matrix.Cell(matrix.CURRENT, renewed.expires_on, TODAY)


def test_withdrawing_keeps_the_record_and_it_no_longer_counts(cast, first_aid, first_aider):
    record = _add(cast, first_aid, TODAY)
    before = event_count()
    actions.withdraw_competence_record(actor=cast.qa_lead, record=record, reason="Forged")
    record.refresh_from_db()
    assert record.withdrawn_at is not None and record.withdraw_reason == "Forged"
    assert CompetenceRecord.objects.filter(pk=record.pk).exists()
    [event] = events_since(before)
    assert (event.action, event.reason, list(changes_of(event))) == (
        "training.competence.withdrawn",
        "Forged",
        ["withdrawn_at"],
    )
    assert _cell(cast, first_aid).status == matrix.DUE
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="withdrawn already"):
        actions.withdraw_competence_record(actor=cast.qa_lead, record=record, reason="Again")
    assert event_count() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"obtained_on": TODAY + dt.timedelta(days=1)}, "obtained in the future"),
        ({"obtained_on": TODAY, "expires_on": TODAY}, "expire after it was obtained"),
        ({"kind": "rumour"}, "kind of record"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_records_are_refused(cast, change, message):
    fields = {
        "actor": cast.qa_lead,
        "person": cast.trainee,
        "kind": "education",
        "title": "BSc",
        **change,
    }
    before = event_count()
    with pytest.raises(InvalidInput, match=message):
        actions.add_competence_record(**fields)
    assert not CompetenceRecord.objects.exists()
    assert event_count() == before


def test_only_a_records_manager_adds_records(cast):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.add_competence_record(
            actor=cast.trainee, person=cast.trainee, kind="education", title="PhD"
        )
    assert not CompetenceRecord.objects.exists()
    assert event_count() == before
