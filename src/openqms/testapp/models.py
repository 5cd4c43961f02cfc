from django.db import models

from openqms.core.models import User
from openqms.core.registry import event_types, permissions

EDIT = permissions.register("testapp.specimen:edit", "Edit specimens (tests only)")
APPROVE = permissions.register("testapp.specimen:approve", "Approve specimens (tests only)")
for _code, _label in [
    ("testapp.specimen.submitted", "Specimen submitted"),
    ("testapp.specimen.approved", "Specimen approved"),
    ("testapp.specimen.rejected", "Specimen rejected"),
    ("testapp.specimen.edited", "Specimen edited"),
]:
    event_types.register(_code, _label)


class SpecimenState(models.TextChoices):
    DRAFT = "draft", "draft"
    IN_REVIEW = "in_review", "in review"
    APPROVED = "approved", "approved"


class Specimen(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # Health data (module.health_data): shown only to holders of core.health_data:read,
    # as a complaint's patient details will be (ISO 13485 4.2.5).
    patient_details = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=20, choices=SpecimenState.choices, default=SpecimenState.DRAFT
    )

    def __str__(self) -> str:
        return f"Specimen {self.pk}: {self.title}"

    def signature_version(self) -> str:
        return str(self.version)

    def signature_content(self) -> dict:
        return {"title": self.title, "body": self.body, "version": self.version}
