"""The training gate asks a record which procedures it follows (core.governance), so a
record of any module is gated the same way, and the gate knows no module's models."""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from openqms.core.governance import GovernedRecord
from openqms.documents.models import Disposition, PeriodicReview, Revision
from openqms.training import gate

from .test_training_gate import REFUSAL, gated  # noqa: F401


@dataclass
class InspectionRecord:
    """A record of a later module, done under the procedures it names."""

    document_ids: list[int]

    def governing_document_ids(self) -> list[int]:
        return self.document_ids


def test_the_gate_imports_nothing_from_another_module():
    tree = ast.parse(Path(gate.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    ]
    assert [name for name in imported if name.startswith("openqms.documents")] == []


def test_documents_records_declare_the_procedures_they_follow():
    for model in (Revision, PeriodicReview, Disposition):
        assert issubclass(model, GovernedRecord)


@pytest.mark.verifies("TRN-002", refusal=True)
@pytest.mark.usefixtures("gated")
def test_a_record_of_another_module_under_a_gated_procedure_is_refused_to_the_untrained(
    cast, sop_a
):
    record = InspectionRecord([sop_a.document_id])
    assert gate.untrained_signer(cast.reviewer, record, "approved") == REFUSAL
    assert gate.untrained_signer(cast.reviewer, InspectionRecord([]), "approved") is None


@pytest.mark.verifies("TRN-002")
@pytest.mark.usefixtures("gated", "sop_a")
def test_a_record_that_declares_no_procedure_is_not_gated(cast):
    assert gate.untrained_signer(cast.reviewer, object(), "approved") is None
