"""The ISO 13485:2016 clause-coverage map (clauses 4 to 8): which processes, documents
and records address each clause. Shipped as data (qms/data/clauses.json: numbers and
short titles in our own words, never the standard's text), loaded by the migration, then
the customer's to edit; every edit is audited."""

from __future__ import annotations

from django.db import models

from openqms.core.registry import event_types

event_types.register("qms.clause.edited", "Clause coverage edited")


class Clause(models.Model):
    number = models.CharField(max_length=12, unique=True)
    title = models.CharField(max_length=200)
    # The standard asks for a documented procedure here ("document a procedure").
    needs_procedure = models.BooleanField(default=False)
    applicable = models.BooleanField(default=True)
    # Why the clause does not apply (ISO 13485 4.2.2 a: exclusions and non-application
    # are justified in the quality manual).
    justification = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    # Record types and other evidence that show the clause is met, one per item.
    records = models.JSONField(default=list, blank=True)
    processes = models.ManyToManyField("qms.Process", related_name="clauses", blank=True)
    # Numbers sort as text wrongly ("4.10" < "4.2"); `position` keeps the data file's order.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
