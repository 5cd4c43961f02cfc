"""Design projects, their items and links (ISO 13485 7.3), and the derived gap state.

Items carry stable IDs (`uid`, unique in the project) and a version that goes up on
every change of their content. Links join two items of the same project with a kind;
which kinds may join which types is configuration (LinkRule), as are the gap rules
(CoverageRule). `Gap` rows are derived state kept up to date by the actions that change
items, links and evidence (design.trace), never edited by hand."""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Q
from django.urls import reverse

from openqms.core.models import User

_DIGITS = re.compile(r"(\d+)")
SORT_KEY_LENGTH = 600


def sort_key_of(uid: str) -> str:
    """The natural order of an ID as text the database sorts: letters lower-cased and
    every run of digits zero-padded to 10 (RISK-2 → risk-0000000002, before RISK-10),
    so lists and pages come out in the order people expect with no sorting in Python."""
    parts = _DIGITS.split(uid.lower())
    return "".join(p.lstrip("0").rjust(10, "0") if p.isdigit() else p for p in parts)[
        :SORT_KEY_LENGTH
    ]


class DesignProject(models.Model):
    """The design and development of one device (or family): ISO 13485 7.3.2."""

    name = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=200, blank=True)
    device = models.ForeignKey(
        "devices.Device", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The design and development plan, a controlled document (7.3.2).
    development_plan = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The baseline whose evidence counts for the "passing result" gap rule: the last
    # baseline opened (design.baselines sets it).
    current_baseline = models.ForeignKey(
        "design.Baseline", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("design:project", args=[self.pk])


class ItemType(models.Model):
    """A type of design item (configuration, seeded; ISO 13485 7.3.3–7.3.7)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    # The prefix of the stable IDs of this type (REQ-001) and how imports recognise it.
    prefix = models.CharField(max_length=20, unique=True)
    # Where the type sits from top to bottom of the trace (user needs first).
    level = models.PositiveSmallIntegerField()
    # Verification and validation items need a passing, current result (design.evidence).
    needs_evidence = models.BooleanField(default=False)
    # A retired type is kept (items, baselines and the trail name it) but no new item,
    # link rule or gap rule may use it (design.actions.config).
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return self.name


class LinkKind(models.TextChoices):
    DERIVES_FROM = "derives_from", "derives from"
    VERIFIES = "verifies", "verifies"
    VALIDATES = "validates", "validates"
    MITIGATES = "mitigates", "mitigates"
    IMPLEMENTS = "implements", "implements"


class LinkRule(models.Model):
    """An allowed link: an item of `source_type` may `kind` an item of `target_type`.
    A link not allowed by a rule is refused."""

    source_type = models.ForeignKey(ItemType, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    target_type = models.ForeignKey(ItemType, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "kind", "target_type"], name="design_link_rule_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_type.code} {self.kind} {self.target_type.code}"


class CoverageRule(models.Model):
    """A gap rule: every active item of `item_type` needs at least one incoming link of
    one of `accepts` ([[kind, source type code], …]). With `verified`, the linking item
    must itself have no gap (a risk needs a control that is verified)."""

    code = models.SlugField(max_length=60, unique=True)
    item_type = models.ForeignKey(ItemType, on_delete=models.CASCADE, related_name="+")
    accepts = models.JSONField()
    verified = models.BooleanField(default=False)
    message = models.CharField(max_length=200)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["item_type__level", "code"]

    def __str__(self) -> str:
        return self.message


class ItemState(models.TextChoices):
    ACTIVE = "active", "active"
    RETIRED = "retired", "retired"


class Item(models.Model):
    """A design item: a user need, a requirement, a specification, a test, a validation
    activity, a risk control or a risk (a hazardous situation of the risk file)."""

    project = models.ForeignKey(DesignProject, on_delete=models.PROTECT, related_name="items")
    uid = models.CharField(max_length=100)
    # sort_key_of(uid), written with the item (the uid never changes).
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, default="")
    item_type = models.ForeignKey(ItemType, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.ACTIVE)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "sort_key", "uid"]
        constraints = [
            models.UniqueConstraint(fields=["project", "uid"], name="design_item_uid_once")
        ]
        indexes = [
            models.Index(fields=["project", "item_type", "uid"]),
            models.Index(fields=["project", "sort_key"], name="design_item_sort_key"),
        ]

    def __str__(self) -> str:
        return f"{self.uid} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("design:item", args=[self.pk])

    def signature_version(self) -> str:
        return str(self.version)

    def signature_content(self) -> dict:
        return {
            "uid": self.uid,
            "type": self.item_type.code,
            "version": self.version,
            "title": self.title,
            "text": self.text,
            "attributes": self.attributes,
        }


class LinkState(models.TextChoices):
    VALID = "valid", "valid"
    SUSPECT = "suspect", "suspect"


class Link(models.Model):
    """`source` `kind` `target` (TEST-7 verifies REQ-3). Suspect when either end changed
    after the link was made or last reviewed, until someone signs that it still holds
    or changes the other end (ISO 13485 7.3.9)."""

    project = models.ForeignKey(DesignProject, on_delete=models.PROTECT, related_name="links")
    source = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="links_out")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    target = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="links_in")
    # The versions of both ends when the link was made or last found valid.
    source_version = models.PositiveIntegerField()
    target_version = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=LinkState.choices, default=LinkState.VALID)
    suspect_since = models.DateTimeField(null=True, blank=True)
    # Which end changed ("source" or "target"), so a change of the other end resolves it.
    changed_end = models.CharField(max_length=10, blank=True)
    # The changed end's version when the link was last valid (the reviewer sees what
    # changed since: design.link_review); empty while the link is valid.
    changed_from = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The file an import made the link from (its name without folders); blank when made
    # by hand. A re-import of that file removes the links it no longer declares.
    origin = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target"], name="design_link_once"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="design_link_not_to_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "state"]),
            models.Index(fields=["target", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.source.uid} {self.get_kind_display()} {self.target.uid}"

    def signature_version(self) -> str:
        return f"{self.source_version}/{self.target_version}"

    def signature_content(self) -> dict:
        # What a reviewer signs: both ends at their versions and the kind. Not the
        # state: it is the signed step's result, so including it would make every
        # "still valid" signature read as altered right after it is made.
        return {
            "source": [self.source.uid, self.source.version],
            "kind": self.kind,
            "target": [self.target.uid, self.target.version],
        }


class Gap(models.Model):
    """One open gap of one item under one rule (derived; design.trace keeps it). `rule`
    is a CoverageRule code or one of the built-in rules: "evidence" (a verification item
    without a passing, current result in the current baseline) and "suspect" (a suspect
    link from or to the item)."""

    project = models.ForeignKey(DesignProject, on_delete=models.CASCADE, related_name="gaps")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="gaps")
    rule = models.CharField(max_length=60)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "rule"], name="design_gap_once")]
        indexes = [models.Index(fields=["project", "rule"])]

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"
