"""The customer's own configuration, exercised in the OQ's scratch database.

In an OQ run OPENQMS_OQ_CONFIGURATION names the snapshot the runner took of the
instance (validation.config_snapshot); in the normal suite the snapshot is of the test
database's own seeded configuration. Either way it is loaded into the database the tests
use, and every document type, training rule and role in it is exercised: a document of
each type goes through review and approval as the type's mode says to effective with
signatures, each training rule assigns what it should, and each role grants exactly the
permissions it lists."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from openqms.core import actions as core
from openqms.core.access import has_permission
from openqms.core.models import Role, Signature
from openqms.core.registry import permissions
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.testing import make_cast, named
from openqms.training import actions as training
from openqms.training.models import Assignment
from openqms.validation import config_snapshot
from tests.documents.conftest import SIGN


@pytest.fixture
def snapshot(db):
    path = os.environ.get(config_snapshot.ENV)
    taken = config_snapshot.read(Path(path)) if path else config_snapshot.take()
    config_snapshot.load(taken)
    return taken


@pytest.fixture
def people(snapshot):
    return make_cast()


def _effective(people, doc_type: DocumentType, title: str):
    """A document of `doc_type`, reviewed (when the type asks) and approved by two named
    approvers as the type's approval mode says; returns the revision and its approvals."""
    draft = documents.create_document(
        actor=people.author, doc_type=doc_type, title=title, body=f"{title}."
    )
    draft = documents.edit_draft(
        actor=people.author,
        revision=draft,
        body=f"{title}.",
        change_summary="First issue",
        change_reason="OQ of the configuration",
    )
    approvers = [people.approver, people.qa_lead]
    reviewers = [people.reviewer] if doc_type.needs_review else []
    revision = documents.take_step(
        actor=people.author,
        revision=draft,
        step="submit",
        **named(people, reviewers=reviewers, approvers=approvers),
    )
    for reviewer in reviewers:
        documents.take_step(actor=reviewer, revision=revision, step="review", credentials=SIGN)
    signing = approvers[:1] if doc_type.approval_mode == "any" else approvers
    for approver in signing:
        revision = documents.take_step(
            actor=approver, revision=revision, step="approve", credentials=SIGN
        )
    return revision, len(signing)


@pytest.mark.verifies("VAL-020")
def test_a_document_of_every_configured_type_becomes_effective_with_its_signatures(
    snapshot, people
):
    reached = {}
    for entry in snapshot["document_types"]:
        doc_type = DocumentType.objects.get(code=entry["code"])
        revision, _ = _effective(people, doc_type, f"OQ {doc_type.name}")
        signed = Signature.objects.filter(object_id=str(revision.pk))
        reached[doc_type.code] = (
            revision.state,
            signed.filter(meaning="reviewed").count(),
            signed.filter(meaning="approved").count(),
        )
    assert reached == {
        t["code"]: (
            "effective",
            1 if t["needs_review"] else 0,
            1 if t["approval_mode"] == "any" else 2,
        )
        for t in snapshot["document_types"]
    }


@pytest.mark.verifies("VAL-021")
def test_each_training_rule_assigns_training_due_as_it_says(snapshot, people):
    rules = {r["doc_type"]: r for r in snapshot["training_rules"]}
    assert rules  # a configuration without training rules would prove nothing here
    found = {}
    for code, rule in sorted(rules.items()):
        doc_type = DocumentType.objects.get(code=code)
        job_role = training.create_job_role(actor=people.qa_lead, name=f"OQ reader of {code}")
        training.add_requirement(
            actor=people.qa_lead, job_role=job_role, kind="doc_type", doc_type=doc_type
        )
        trainee = core.create_user(
            actor=None,
            username=f"oq-{code}",
            full_name=f"OQ Trainee {code}",
            email=f"oq-{code}@example.test",
            password="unused-password-0",
            roles=[],
            reason="OQ of the configuration",
        )
        training.take_job_role(actor=people.qa_lead, person=trainee, job_role=job_role)
        revision, _ = _effective(people, doc_type, f"OQ training {code}")
        found[code] = [
            (a.person.username, a.due_date) for a in Assignment.objects.filter(revision=revision)
        ]
    today = timezone.localdate()
    assert found == {
        code: [(f"oq-{code}", today + dt.timedelta(days=rule["due_days"]))]
        for code, rule in rules.items()
    }


@pytest.mark.verifies("VAL-022", refusal=True)
def test_each_role_grants_the_permissions_it_lists_and_refuses_every_other(snapshot, db):
    granted = {}
    for role in snapshot["roles"]:
        holder = core.create_user(
            actor=None,
            username=f"oq-role-{role['code']}",
            full_name=f"OQ {role['name']}",
            email=f"oq-role-{role['code']}@example.test",
            password="unused-password-0",
            roles=[Role.objects.get(code=role["code"])],
            reason="OQ of the configuration",
        )
        granted[role["code"]] = sorted(
            code.code for code in permissions.all() if has_permission(holder, code.code)
        )
    known = {code.code for code in permissions.all()}
    assert granted == {
        role["code"]: sorted(set(role["permissions"]) & known) for role in snapshot["roles"]
    }


@pytest.mark.verifies("VAL-020")
def test_the_snapshot_holds_the_types_rules_and_roles_as_configured(db):
    procedure = DocumentType.objects.get(code="procedure")
    taken = config_snapshot.take()
    (entry,) = [t for t in taken["document_types"] if t["code"] == "procedure"]
    assert entry == {
        "code": "procedure",
        "name": procedure.name,
        "prefix": procedure.prefix,
        "digits": procedure.digits,
        "revision_scheme": procedure.revision_scheme,
        "review_interval_months": procedure.review_interval_months,
        "needs_review": procedure.needs_review,
        "reviewer_cannot_approve": procedure.reviewer_cannot_approve,
        "approval_mode": procedure.approval_mode,
        "retention_years": procedure.retention_years,
    }
    assert [r["doc_type"] for r in taken["training_rules"]] == sorted(
        DocumentType.objects.filter(training_rule__isnull=False).values_list("code", flat=True)
    )
    assert [r["code"] for r in taken["roles"]] == sorted(
        Role.objects.values_list("code", flat=True)
    )


@pytest.mark.verifies("VAL-018", refusal=True)
def test_loading_a_configuration_into_a_real_instance_is_refused(db, settings):
    from openqms.documents.models import DocumentType

    settings.AUDIT_MIGRATIONS = True  # as on every real instance
    before = list(DocumentType.objects.values_list("code", "prefix"))

    with pytest.raises(RuntimeError, match="only the operational qualification's scratch"):
        config_snapshot.load(config_snapshot.take())

    assert list(DocumentType.objects.values_list("code", "prefix")) == before
