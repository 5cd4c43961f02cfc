"""Every imported revision used to assign training at once (through the hook that a
revision becoming effective fires). Now only `--assign-training` does; the import event
records which, either way."""

import io

import pytest
from django.core.management import call_command

from openqms.core.models import AuditEvent
from openqms.documents.models import DocumentType
from openqms.testing import changes_of
from openqms.training import actions as training
from openqms.training.models import Assignment


@pytest.fixture
def policy_readers(cast):
    role = training.create_job_role(actor=cast.qa_lead, name="Everyone")
    training.add_requirement(
        actor=cast.qa_lead,
        job_role=role,
        kind="doc_type",
        doc_type=DocumentType.objects.get(code="quality_policy"),
    )
    training.take_job_role(actor=cast.qa_lead, person=cast.trainee, job_role=role)


def _import(folder, *extra):
    (folder / "POL-002 Quality policy.md").write_text("We make safe devices.", encoding="utf-8")
    call_command(
        "documents", "import", str(folder), "--owner", "qa-lead", *extra,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    return changes_of(AuditEvent.objects.get(action="documents.revision.imported"))


def test_no_training_is_assigned_without_the_option(cast, tmp_path, policy_readers):
    changes = _import(tmp_path)
    assert not Assignment.objects.exists()
    assert changes["training"] == "not assigned (not asked for)"


def test_the_option_assigns_training_to_those_whose_roles_require_it(
    cast, tmp_path, policy_readers
):
    changes = _import(tmp_path, "--assign-training")
    [assignment] = Assignment.objects.all()
    assert (assignment.person, assignment.revision.document.number) == (cast.trainee, "POL-002")
    assert changes["training"] == "assigned"
