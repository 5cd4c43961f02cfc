"""The device register and the medical device files.

A device is a model within a family (qms.DeviceFamily): its GB classification, the
markets it is placed on and by which conformity route, its UDIs, GMDN code, MHRA
registration and UK Responsible Person, and its lifecycle with the dates retention counts
from (UK MDR 2002; ISO 13485 4.2.3, 4.2.5, 7.5.8). A family keeps one medical device file
(ISO 13485 4.2.3): sections (configuration rows) that link controlled documents.

Configuration kept as rows, seeded by migration and editable: the device classes with the
post-market reports they need, the dates until which CE marking is recognised in Great
Britain, and the sections of the medical device file."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from openqms.core.access import is_member
from openqms.core.models import User
from openqms.devices import registry as _codes  # noqa: F401  (permissions, event types)


class DeviceClass(models.Model):
    """A GB class and what post-market surveillance it needs (UK MDR 2002 as amended by
    the post-market surveillance regulations 2024): a PSUR every `psur_months` (IIb, III:
    12; IIa: 24), or a PMS report at least every `pmsr_months` (Class I: 36). The next
    issue enforces them; this issue records them and shows them on the device page."""

    code = models.CharField(max_length=30, unique=True)
    label = models.CharField(max_length=100)
    ivd = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    psur_months = models.PositiveIntegerField(null=True, blank=True)
    pmsr_months = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label

    def obligation(self) -> str:
        """The rule in plain words, for the device page."""
        if self.psur_months:
            every = "every year" if self.psur_months == 12 else f"every {self.psur_months} months"
            if self.psur_months % 12 == 0 and self.psur_months > 12:
                every = f"every {self.psur_months // 12} years"
            return f"This class needs a periodic safety update report (PSUR) {every}."
        if self.pmsr_months:
            years = self.pmsr_months // 12
            return (
                f"This class needs a post-market surveillance report at least every {years} years."
            )
        return "No periodic post-market report is set for this class."


class CeRecognition(models.Model):
    """Until when CE marking under an EU regime is accepted on the GB market (the UK MDR
    2002 transitional arrangements, as extended in 2023): configuration, not code, since
    the government has moved these dates before."""

    code = models.CharField(max_length=30, unique=True)
    label = models.CharField(max_length=200)
    until = models.DateField()

    class Meta:
        ordering = ["until", "code"]

    def __str__(self) -> str:
        return f"{self.label} (until {self.until:%d %b %Y})"


class FileSection(models.Model):
    """A section of the medical device file (ISO 13485 4.2.3 a–h)."""

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    clause = models.CharField(max_length=20, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.title


class Market(models.TextChoices):
    GB = "gb", "Great Britain"
    NI = "ni", "Northern Ireland"
    EU = "eu", "European Union"


class Route(models.TextChoices):
    UKCA = "ukca", "UKCA"
    CE_GB = "ce_gb", "CE recognised in GB"
    UKNI = "ukni", "UKNI (with CE)"
    CE = "ce", "CE"


# Which conformity routes a market accepts (UK MDR 2002 Parts II–IV; the Windsor
# Framework keeps EU rules in Northern Ireland, with UKNI where a UK body certified).
ROUTES = {
    Market.GB: (Route.UKCA, Route.CE_GB),
    Market.NI: (Route.UKNI, Route.CE),
    Market.EU: (Route.CE,),
}


class DeviceState(models.TextChoices):
    IN_DESIGN = "in_design", "in design"
    ON_MARKET = "on_market", "on market"
    DISCONTINUED = "discontinued", "discontinued"
    SUPPORT_ENDED = "support_ended", "support ended"


class DeviceQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> DeviceQuerySet:
        """Everyone holding a role reads the register (ISO 13485 4.2.1)."""
        return self if is_member(user) else self.none()


class Device(models.Model):
    family = models.ForeignKey("qms.DeviceFamily", on_delete=models.PROTECT, related_name="devices")
    name = models.CharField(max_length=200)
    model = models.CharField(max_length=100, blank=True, help_text="Model or version")
    intended_purpose = models.TextField()
    device_class = models.ForeignKey(DeviceClass, on_delete=models.PROTECT, related_name="+")
    classification_rule = models.CharField(max_length=50)
    classification_justification = models.TextField()
    gmdn_code = models.CharField(max_length=5, blank=True)
    responsible_person = models.ForeignKey(
        "qms.ResponsiblePerson", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mhra_reference = models.CharField(max_length=100, blank=True)
    mhra_registered_on = models.DateField(null=True, blank=True)
    # Set when registered data changed after the registration (UK MDR 2002 reg. 19):
    # the MHRA must be told; cleared when the updated registration is recorded.
    registration_stale_since = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=20, choices=DeviceState.choices, default=DeviceState.IN_DESIGN
    )
    first_placed_on = models.DateField(null=True, blank=True)
    last_placed_on = models.DateField(null=True, blank=True)
    support_ended_on = models.DateField(null=True, blank=True)
    lifetime_years = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "model"]
        constraints = [
            models.UniqueConstraint(fields=["name", "model"], name="devices_device_name"),
        ]
        indexes = [models.Index(fields=["state", "name"], name="devices_state")]

    def __str__(self) -> str:
        return f"{self.name} {self.model}".strip()

    @property
    def registration_to_update(self) -> bool:
        return self.registration_stale_since is not None


class DeviceMarket(models.Model):
    """A market the device is (to be) placed on, the conformity route, and who certified."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="markets")
    market = models.CharField(max_length=5, choices=Market.choices)
    route = models.CharField(max_length=10, choices=Route.choices)
    body = models.ForeignKey(
        "qms.ApprovedBody", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    certificate = models.ForeignKey(
        "qms.Certificate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recognition = models.ForeignKey(
        CeRecognition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["market", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "market"],
                condition=Q(removed_at__isnull=True),
                name="devices_one_route_per_market",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_market_display()}: {self.get_route_display()}"


class Agency(models.TextChoices):
    GS1 = "gs1", "GS1"
    HIBCC = "hibcc", "HIBCC"
    ICCBBA = "iccbba", "ICCBBA"
    IFA = "ifa", "IFA"


class UdiKind(models.TextChoices):
    BASIC = "basic", "Basic UDI-DI"
    DI = "di", "UDI-DI"


class DeviceUdi(models.Model):
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="udis")
    kind = models.CharField(max_length=10, choices=UdiKind.choices)
    agency = models.CharField(max_length=10, choices=Agency.choices)
    code = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True, help_text="e.g. pack of 10")
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "agency", "code"],
                condition=Q(removed_at__isnull=True),
                name="devices_udi_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"


class FileEntry(models.Model):
    """A controlled document in a section of a family's medical device file."""

    family = models.ForeignKey("qms.DeviceFamily", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(FileSection, on_delete=models.PROTECT, related_name="entries")
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="device_file_entries"
    )
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["section__order", "document__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "section", "document"],
                condition=Q(removed_at__isnull=True),
                name="devices_file_entry_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} in {self.section_id}"


class FileSectionMark(models.Model):
    """A section that does not apply to a family (e.g. installation, for software), with
    the justification an auditor reads; removed when it applies again."""

    family = models.ForeignKey("qms.DeviceFamily", on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(FileSection, on_delete=models.PROTECT, related_name="+")
    justification = models.TextField()
    marked_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["family", "section"],
                condition=Q(removed_at__isnull=True),
                name="devices_section_mark_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.section_id} not applicable"


class RegistrationReminder(models.Model):
    """One reminder per flagging: the unique key claims it, so two ticks never send twice."""

    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
