"""The customer's own configuration, read from the instance for the OQ run to carry over.

`take()` reads (never writes) the document types, their training rules and the
permission roles into plain data; `write()` stores that as JSON in the report folder and
the OQ run hands the file to its tests (OPENQMS_OQ_CONFIGURATION), which load it into the
scratch database and exercise it (tests/validation/test_oq_configuration.py). `load()`
is the loading half, for those tests: it only ever runs against the scratch database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ENV = "OPENQMS_OQ_CONFIGURATION"

TYPE_FIELDS = (
    "code",
    "name",
    "prefix",
    "digits",
    "revision_scheme",
    "review_interval_months",
    "needs_review",
    "reviewer_cannot_approve",
    "approval_mode",
    "retention_years",
)
RULE_FIELDS = ("due_days", "gate", "effectiveness_check")
KINDS = ("document_types", "training_rules", "roles")
ROLE_FIELDS = ("code", "name", "permissions", "requires_second_factor")


def take() -> dict[str, Any]:
    """The configuration of the database Django is connected to, read-only."""
    from openqms.core.models import Role
    from openqms.documents.models import DocumentType
    from openqms.training.models import TrainingRule

    types = [
        {name: getattr(t, name) for name in TYPE_FIELDS}
        for t in DocumentType.objects.order_by("code")
    ]
    rules = [
        {"doc_type": r.doc_type.code, **{name: getattr(r, name) for name in RULE_FIELDS}}
        for r in TrainingRule.objects.select_related("doc_type").order_by("doc_type__code")
    ]
    roles = [
        {
            **{name: getattr(r, name) for name in ROLE_FIELDS},
            "permissions": sorted(r.permissions),
        }
        for r in Role.objects.order_by("code")
    ]
    return {"document_types": types, "training_rules": rules, "roles": roles}


def summary(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What OqRun.configuration says of a snapshot: counts and names."""
    return {
        "document_types": [t["code"] for t in snapshot["document_types"]],
        "training_rules": [r["doc_type"] for r in snapshot["training_rules"]],
        "roles": [r["code"] for r in snapshot["roles"]],
        "counts": {
            key: len(snapshot[key]) for key in ("document_types", "training_rules", "roles")
        },
    }


def write(snapshot: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(snapshot, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load(snapshot: dict[str, Any]) -> None:
    """Make the scratch database's configuration the snapshot's: every type, rule and
    role as the instance has it. A seeded type the instance no longer has keeps its row
    but gives up a prefix the instance uses elsewhere (prefixes are unique).

    It writes configuration without audit events, so it refuses any database but a test
    one (the OQ's scratch databases are test databases: settings_test turns migration
    auditing off, which a real instance never does)."""
    from django.conf import settings

    if settings.AUDIT_MIGRATIONS:
        raise RuntimeError(
            "config_snapshot.load writes configuration unaudited: only the operational "
            "qualification's scratch (test) database may receive it."
        )
    from openqms.core.models import Role
    from openqms.documents.models import DocumentType
    from openqms.training.models import TrainingRule

    wanted = {t["code"]: t for t in snapshot["document_types"]}
    taken = {t["prefix"] for t in wanted.values()}
    for other in DocumentType.objects.exclude(code__in=wanted):
        if other.prefix in taken:
            other.prefix = f"X{other.pk}"
            other.save(update_fields=["prefix"])
    # Prefixes may swap between types: free every one first, then set them.
    for existing in DocumentType.objects.filter(code__in=wanted):
        existing.prefix = f"~{existing.pk}"
        existing.save(update_fields=["prefix"])
    for code, fields in wanted.items():
        DocumentType.objects.update_or_create(
            code=code, defaults={k: v for k, v in fields.items() if k != "code"}
        )
    for rule in snapshot["training_rules"]:
        TrainingRule.objects.update_or_create(
            doc_type=DocumentType.objects.get(code=rule["doc_type"]),
            defaults={k: rule[k] for k in RULE_FIELDS},
        )
    for role in snapshot["roles"]:
        Role.objects.update_or_create(
            code=role["code"], defaults={k: role[k] for k in ROLE_FIELDS if k != "code"}
        )
