"""Helpers for tests of the workflow engine and signatures on the test-only Specimen."""

from openqms.core import actions
from openqms.core.access import forget_permissions
from openqms.core.models import Role
from openqms.testapp.actions import create_specimen, take_step
from openqms.testapp.models import APPROVE, EDIT


def give_specimen_rights(cast) -> None:
    """Authors may edit specimens; approvers and the QA lead may approve them."""
    editors = Role.objects.create(
        code="specimen-editor", name="Specimen editor", permissions=[EDIT]
    )
    approvers = Role.objects.create(
        code="specimen-approver", name="Specimen approver", permissions=[APPROVE]
    )
    actions.grant_role(actor=None, user=cast.author, role=editors, reason="test")
    for person in (cast.approver, cast.qa_lead, cast.author):
        actions.grant_role(actor=None, user=person, role=approvers, reason="test")
    for person in (cast.author, cast.approver, cast.qa_lead):
        forget_permissions(person)


def submitted_specimen(cast, body="Step 1: do the thing."):
    specimen = create_specimen(actor=cast.author, title="Cleaning procedure", body=body)
    return take_step(actor=cast.author, specimen=specimen, step="submit")
