"""Helpers for the health-data tests: a specimen holding patient details (the testapp
declares `patient_details` as health data, as complaints will)."""

from openqms.core.models import AuditEvent, Role
from openqms.testapp.actions import create_specimen
from tests.core.specimens import give_specimen_rights

PATIENT = "Mrs A. Example, born 1948, chest pain after use"
HIDDEN = "Health data — hidden"


def specimen_with_patient(cast, details: str = PATIENT):
    if not Role.objects.filter(code="specimen-editor").exists():
        give_specimen_rights(cast)
    return create_specimen(
        actor=cast.author, title="Alarm fault", body="Alarm stayed silent.", patient_details=details
    )


def reads():
    """The `core.health_data.read` events, oldest first."""
    return list(AuditEvent.objects.filter(action="core.health_data.read").order_by("seq"))


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()
