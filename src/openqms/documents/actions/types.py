"""Document types are configuration: numbering, revision labels, review interval,
whether a reviewer signs, whether the reviewer may also approve, and retention.
Changing one is audited field by field."""

from __future__ import annotations

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.documents.actions.records import MINIMUM_YEARS
from openqms.documents.models import (
    ApprovalMode,
    DocumentType,
    Revision,
    RevisionScheme,
    RevisionState,
)
from openqms.documents.registry import TYPES

_LIMITS = {"digits": (1, 8), "review_interval_months": (0, 120), "retention_years": (0, 100)}


@audit.writing()
def update_document_type(
    *,
    actor: User,
    doc_type: DocumentType,
    name: str,
    prefix: str,
    digits: int,
    revision_scheme: str,
    review_interval_months: int,
    needs_review: bool,
    retention_years: int,
    reason: str,
    reviewer_cannot_approve: bool | None = None,
    approval_mode: str | None = None,
) -> DocumentType:
    """Change a type's settings; `reviewer_cannot_approve` or `approval_mode` None leaves
    that one as it is."""
    require(actor, TYPES)
    reason = clean_text(reason, "reason", limit=2000)
    doc_type = DocumentType.objects.select_for_update().get(pk=doc_type.pk)
    prefix = clean_text(prefix, "prefix", limit=10).upper()
    if not prefix.isalnum():
        raise InvalidInput(
            "The prefix is letters and digits only, e.g. SOP.",
            fields={"prefix": "Letters and digits only."},
        )
    if DocumentType.objects.exclude(pk=doc_type.pk).filter(prefix=prefix).exists():
        raise InvalidInput(
            f"Another type already numbers its documents {prefix}-…", fields={"prefix": "Taken."}
        )
    if prefix != doc_type.prefix and doc_type.documents.exists():
        raise InvalidInput(
            "Documents are already numbered with this prefix; numbers never change.",
            fields={"prefix": "In use."},
        )
    if approval_mode is not None and approval_mode not in ApprovalMode.values:
        raise InvalidInput(
            "Choose how the named people sign: all, any one, or in sequence.",
            fields={"approval_mode": "Unknown."},
        )
    if revision_scheme not in RevisionScheme.values:
        raise InvalidInput("Choose a revision scheme.", fields={"revision_scheme": "Unknown."})
    numbers = {
        "digits": digits,
        "review_interval_months": review_interval_months,
        "retention_years": retention_years,
    }
    for field, value in numbers.items():
        low, high = _LIMITS[field]
        if not low <= value <= high:
            raise InvalidInput(
                f"{field.replace('_', ' ').capitalize()} must be between {low} and {high}.",
                fields={field: "Out of range."},
            )
    if 0 < retention_years < MINIMUM_YEARS:  # ISO 13485 4.2.5: two years at least
        raise InvalidInput(
            f"Retention cannot be {retention_years} year: records are kept at least "
            f"{MINIMUM_YEARS} years (ISO 13485 4.2.5); 0 keeps them for ever.",
            fields={"retention_years": f"At least {MINIMUM_YEARS} years, or 0: for ever."},
        )
    new = {
        "name": clean_text(name, "name", limit=100),
        "prefix": prefix,
        "revision_scheme": revision_scheme,
        "needs_review": needs_review,
        "reviewer_cannot_approve": doc_type.reviewer_cannot_approve
        if reviewer_cannot_approve is None
        else reviewer_cannot_approve,
        "approval_mode": approval_mode or doc_type.approval_mode,
        **numbers,
    }
    changes = audit.diff({k: getattr(doc_type, k) for k in new}, new)
    if not changes:
        raise InvalidInput("Nothing changed.")
    if "reviewer_cannot_approve" in changes and not new["reviewer_cannot_approve"]:
        _refuse_while_in_review(doc_type)
    if "approval_mode" in changes:
        _refuse_mode_change_while_in_review(doc_type)
    for field, value in new.items():  # type: ignore[assignment]
        setattr(doc_type, field, value)
    doc_type.save(update_fields=list(new))
    audit.record(
        actor=actor,
        action="documents.type.updated",
        obj=doc_type,
        object_id=doc_type.code,
        changes=changes,
        reason=reason,
    )
    return doc_type


def _refuse_while_in_review(doc_type: DocumentType) -> None:
    """Segregation of duties is decided when a revision is approved, from the type's
    setting then: switched off between a review and the approval, it would let the
    reviewer approve alone (21 CFR 11.10(g), EU GMP Annex 11 12). So it stays on while
    any revision of the type is in review. A revision submitted after this count is
    reviewed and approved under the new setting alike."""
    in_review = Revision.objects.filter(
        document__doc_type=doc_type, state=RevisionState.IN_REVIEW
    ).count()
    if in_review:
        revisions = "revision is" if in_review == 1 else "revisions are"
        raise InvalidInput(
            f"{in_review} {doc_type.name} {revisions} in review: the reviewer may not also "
            "approve them, so this stays on until they are approved or returned to draft.",
            fields={"reviewer_cannot_approve": "In use by revisions in review."},
        )


def _refuse_mode_change_while_in_review(doc_type: DocumentType) -> None:
    """The mode decides, at each signature, whose signatures a revision still needs:
    changed mid-review ("all" to "any"), one approver could finish what several were
    named for. So it changes only while no revision of the type is in review."""
    in_review = Revision.objects.filter(
        document__doc_type=doc_type, state=RevisionState.IN_REVIEW
    ).count()
    if in_review:
        raise InvalidInput(
            f"{in_review} {doc_type.name} revision(s) in review were submitted under the "
            "current approval mode: change it once they are approved or returned to draft.",
            fields={"approval_mode": "In use by revisions in review."},
        )
