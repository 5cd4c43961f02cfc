"""`openqms verify` compares every field a competence record's events recorded: a
certificate moved to another person or competency, or a withdrawal set or cleared in the
database, is found and named (ISO 13485 6.2 e)."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core import integrity
from openqms.training import actions as training
from openqms.training.models import CompetenceRecord, Competency
from tests import integrity_world

CHECK = "training: competence records"


@pytest.fixture
def world(cast):
    return integrity_world.build(cast)


def _findings() -> list[integrity.Finding]:
    return integrity.run().findings


def _record(world) -> str:
    return f"training.competencerecord {world.competence.pk}"


def test_a_certificate_moved_to_another_person_is_found(world, cast):
    CompetenceRecord.objects.filter(pk=world.competence.pk).update(person=cast.author)
    [finding] = _findings()
    assert finding.check == CHECK
    assert finding.record == f"{_record(world)} (author: GCP course)"
    assert finding.trail_says.startswith("person trainee (event #")
    assert finding.row_says == "person author"


def test_a_certificate_made_into_another_competency_is_found(world):
    lead_auditor = Competency.objects.create(name="ISO 13485 lead auditor", kind="qualification")
    CompetenceRecord.objects.filter(pk=world.competence.pk).update(competency=lead_auditor)
    [finding] = _findings()
    assert finding.record == f"{_record(world)} (trainee: GCP course)"
    assert finding.trail_says.startswith("competency none (event #")
    assert finding.row_says == "competency ISO 13485 lead auditor"


def test_a_changed_title_and_obtained_date_are_found(world):
    CompetenceRecord.objects.filter(pk=world.competence.pk).update(
        title="GCP refresher", obtained_on=dt.date(2026, 1, 10)
    )
    found = {(f.trail_says.split(" (")[0], f.row_says) for f in _findings()}
    assert found == {
        ("title GCP course", "title GCP refresher"),
        ("obtained 2025-01-10", "obtained 2026-01-10"),
    }


def test_a_withdrawal_set_in_the_database_is_found(world):
    CompetenceRecord.objects.filter(pk=world.competence.pk).update(withdrawn_at=timezone.now())
    [finding] = _findings()
    assert finding.record == f"{_record(world)} (trainee: GCP course)"
    assert finding.trail_says.startswith("never withdrawn (recorded by event #")
    assert finding.row_says.startswith("withdrawn at ")


def test_a_withdrawal_cleared_in_the_database_is_found(world, cast):
    training.withdraw_competence_record(
        actor=cast.qa_lead, record=world.competence, reason="Certificate revoked by the issuer"
    )
    assert _findings() == []
    CompetenceRecord.objects.filter(pk=world.competence.pk).update(withdrawn_at=None)
    [finding] = _findings()
    assert finding.record == f"{_record(world)} (trainee: GCP course)"
    assert finding.trail_says.startswith("withdrawn at ")
    assert "(event #" in finding.trail_says
    assert finding.row_says == "not withdrawn"
