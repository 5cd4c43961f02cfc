"""Shared steps of the named-review tests: set a type's approval mode, submit to names."""

from openqms.documents import actions
from openqms.testing import named


def set_mode(cast, doc_type, mode):
    doc_type.refresh_from_db()
    return actions.update_document_type(
        actor=cast.qa_lead,
        doc_type=doc_type,
        name=doc_type.name,
        prefix=doc_type.prefix,
        digits=doc_type.digits,
        revision_scheme=doc_type.revision_scheme,
        review_interval_months=doc_type.review_interval_months,
        needs_review=doc_type.needs_review,
        retention_years=doc_type.retention_years,
        reason="Approval mode for this type",
        approval_mode=mode,
    )


def submit(cast, revision, **names):
    return actions.take_step(
        actor=cast.author, revision=revision, step="submit", **named(cast, **names)
    )
