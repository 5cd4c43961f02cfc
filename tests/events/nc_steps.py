"""Shared steps of the nonconformance tests: a supplier, and a nonconformity taken to
any state through the actions."""

from openqms.core.signatures import Credentials
from openqms.events.actions import nonconformance as nc_actions
from openqms.suppliers import actions as suppliers
from openqms.testing import PASSWORD

SIGN = Credentials(PASSWORD)


def make_supplier(cast, name="Medipatch Adhesives Ltd"):
    return suppliers.create_supplier(
        actor=cast.qa_lead,
        name=name,
        supplies="Skin adhesives",
        category="component",
        criticality="critical",
        criticality_rationale="Patient-contact adhesive.",
    )


def raised(cast, supplier=None, by=None, **fields):
    data = {
        "title": "Incoming adhesive lot below peel strength",
        "source": "incoming_goods" if supplier else "production",
        "supplier": supplier,
        "lot": "MP-2611-07",
        "quantity": 40,
        "description": "Peel strength 2.1 N/25 mm.",
        "requirement": "IIS-012: at least 2.5 N/25 mm.",
        **fields,
    }
    return nc_actions.raise_nonconformity(actor=by or cast.author, **data)


def contained(cast, **fields):
    nc = raised(cast, **fields)
    return nc_actions.contain_nonconformity(actor=cast.qa_lead, nc=nc, containment="Quarantined.")


def assessed(cast, delivered=False, **fields):
    nc = contained(cast, **fields)
    return nc_actions.assess_nonconformity(
        actor=cast.qa_lead, nc=nc, impact="Shorter wear time.", delivered_affected=delivered
    )


def disposed(cast, disposition="scrap", **fields):
    nc = assessed(cast, **fields)
    justification = "Adequate for 24 h wear." if disposition == "use_as_is" else ""
    return nc_actions.dispose_nonconformity(
        actor=cast.qa_lead, nc=nc, disposition=disposition, justification=justification
    )


def gate_on_nonconformance_procedure(cast):
    """The nonconformance procedure in force, with the training gate on for procedures:
    nobody in the cast is trained on it."""
    from openqms.documents.models import DocumentType
    from openqms.events.models import EventProcedure
    from openqms.training import actions as training

    from .conftest import effective_document

    training.update_training_rule(
        actor=cast.qa_lead,
        doc_type=DocumentType.objects.get(code="procedure"),
        due_days=30,
        gate=True,
        effectiveness_check=False,
        reason="Gate procedures",
    )
    EventProcedure.objects.create(
        kind="nonconformity", document=effective_document(cast, "Nonconformance procedure")
    )
