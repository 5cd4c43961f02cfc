"""Controlled PDFs of revisions, made with core's PDF kit. Every page carries the number,
title, revision, status and effective date, and page x of y; copies downloaded to print
say they are uncontrolled, by whom and when; drafts and revisions no longer in force are
watermarked; the last page shows each signature's manifestation (21 CFR 11.50) and the
content hash signed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial

from openqms.core.models import User
from openqms.core.pdf import ControlledPDF, archive_note, copy_note, signature_page
from openqms.documents import originals
from openqms.documents.models import Revision, RevisionState

S = RevisionState
WATERMARKS = {
    S.DRAFT: "DRAFT",
    S.IN_REVIEW: "DRAFT — IN REVIEW",
    S.APPROVED: "NOT YET EFFECTIVE",
    S.SUPERSEDED: "SUPERSEDED",
    S.OBSOLETE: "OBSOLETE",
}


def render_revision(
    revision: Revision, *, printed_by: User | None = None, archived: bool = False
) -> bytes:
    """The revision as a PDF; `printed_by` set means a copy downloaded to print;
    `archived`, a rendering for an archive (never a controlled copy)."""
    r, document = revision, revision.document
    effective = r.effective_date or (r.became_effective_at and r.became_effective_at.date())
    state = f"{r.get_state_display()} · effective {effective or 'not yet'}"
    pdf = ControlledPDF(
        title=f"{document.number}  {document.title}",
        subtitle=f"Revision {r.label} · {state}",
        note=archive_note() if archived else copy_note(printed_by, in_force=r.state == S.EFFECTIVE),
        watermark=WATERMARKS.get(r.state, ""),  # type: ignore[call-overload]
    )
    pdf.add_page()
    pdf.markdown(revision.body)
    merge = originals.add_to_pdf(pdf, revision)  # Word text now; PDF pages once written
    signature_page(pdf, revision, label=f"revision {revision.label}")
    return merge(bytes(pdf.output()))


def _path_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)


def archive_renderings() -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Every revision, whatever its state, as the PDF a person reads without the software
    (`openqms archive export`, Module.renderings); read in keyset batches."""
    last = 0
    while batch := list(
        Revision.objects.filter(pk__gt=last).select_related("document").order_by("pk")[:200]
    ):
        for revision in batch:
            number = _path_part(revision.document.number)
            name = f"documents/{number}/{number}-rev-{_path_part(revision.label)}.pdf"
            yield name, partial(render_revision, revision, archived=True)
        last = batch[-1].pk
