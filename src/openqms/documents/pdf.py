"""Controlled PDFs of revisions, made with core's PDF kit. Every page carries the number,
title, revision, status and effective date (the day in the instance's time zone), and
page x of y; only the revision in force is a controlled copy, copies downloaded to print
say they are uncontrolled, by whom and when, and every other state says what it is and
is watermarked. After the body, the attachments (part of the signed content) are listed
with their size and SHA-256; the last page shows each signature's manifestation
(21 CFR 11.50) and the content hash signed. The file carries its title, subject (number
and revision), author and creator.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from functools import partial

from django.utils import timezone
from fpdf.errors import FPDFException

from openqms.core.models import User
from openqms.core.pdf import (
    ControlledPDF,
    archive_note,
    copy_note,
    local_time,
    signature_page,
)
from openqms.documents import originals
from openqms.documents.models import Revision, RevisionState

log = logging.getLogger(__name__)

S = RevisionState
WATERMARKS = {
    S.DRAFT: "DRAFT",
    S.IN_REVIEW: "DRAFT — IN REVIEW",
    S.APPROVED: "NOT YET EFFECTIVE",
    S.SUPERSEDED: "SUPERSEDED",
    S.OBSOLETE: "OBSOLETE",
}


def _day(moment: dt.datetime | None) -> dt.date | None:
    # The instance's day, not UTC's: made effective at 00:30 BST on 1 July is 1 July.
    return timezone.localdate(moment) if moment else None


def effective_text(r: Revision) -> str:
    """When the revision is (or was, or will be) in force, in the instance's days."""
    began: dt.date | None = _day(r.became_effective_at)
    if r.imported_from and r.effective_date:  # approved outside OpenQMS, on that day
        began = r.effective_date
    if began is None:
        return f"to be effective {r.effective_date}" if r.effective_date else "not yet effective"
    ended = _day(r.ended_at)
    return f"effective {began}" + (f" until {ended}" if ended else "")


LEGACY = "Legacy — approved outside OpenQMS"


def legacy_note(r: Revision) -> str:
    """What a legacy import's signature page says instead of "No signatures.": it was
    approved on paper (which record), and who imported it, when, from which file."""
    if not r.imported_from:
        return ""
    importer = f" by {r.imported_by.full_name}" if r.imported_by else ""
    return (
        f"{LEGACY}. Paper approval: {r.legacy_approval_ref or 'not recorded'}. "
        f"Effective {r.effective_date or 'date not recorded'}. "
        f"Imported {local_time(r.became_effective_at)}{importer} "
        f"from “{r.imported_from}” (SHA-256 {r.imported_sha256}). "
        "It carries no electronic signatures: its approval is the paper record."
    )


def _size(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:,.1f} KB"
    return f"{size / 1024 / 1024:,.1f} MB"


def attachments_list(pdf: ControlledPDF, revision: Revision) -> None:
    """The revision's attachments, part of what is signed: name, size and SHA-256 (the
    hash a reader compares with the file they hold)."""
    attached = list(
        revision.attachments.order_by("name").values_list(
            "name", "stored_file__size", "stored_file__sha256"
        )
    )
    pdf.section("Attachments")
    pdf.grid(
        (62, 22, 90),
        ("Name", "Size", "SHA-256"),
        [(name, _size(size), sha) for name, size, sha in attached],
    )


def _pdf(
    revision: Revision, note: str, *, as_written: bool
) -> tuple[ControlledPDF, originals.Merge]:
    """The PDF, and what merges its PDF originals' pages into the output: the body, the
    attachments list, the originals (Word converted, PDF pages reserved), then the
    signature page."""
    r, document = revision, revision.document
    status = r.get_state_display()
    pdf = ControlledPDF(
        title=f"{document.number}  {document.title}",
        subtitle=" · ".join(
            [
                f"Revision {r.label}",
                *([] if r.state == S.EFFECTIVE else [status]),
                effective_text(r),
                *(
                    [f"{LEGACY} ({r.legacy_approval_ref or 'paper approval'})"]
                    if r.imported_from
                    else []
                ),
            ]
        ),
        note=note,
        watermark=WATERMARKS.get(r.state, ""),  # type: ignore[call-overload]
    )
    pdf.describe(
        title=f"{document.number} {document.title}",
        subject=f"{document.number} revision {r.label} ({status})",
        author=r.author.full_name,
    )
    pdf.add_page()
    if as_written:
        pdf.as_written(r.body, note="This text could not be laid out, so it is shown as written.")
    else:
        pdf.markdown(r.body)
    attachments_list(pdf, r)
    merge = originals.add_to_pdf(pdf, r)
    signature_page(pdf, r, label=f"revision {r.label}", note=legacy_note(r))
    return pdf, merge


def render_revision(
    revision: Revision, *, printed_by: User | None = None, archived: bool = False
) -> bytes:
    """The revision as a PDF; `printed_by` set means a copy downloaded to print;
    `archived`, a rendering for an archive (never a controlled copy). Only the revision
    in force is a controlled copy (ISO 13485 4.2.4 g)."""
    status = revision.get_state_display().capitalize()
    in_force = revision.state == S.EFFECTIVE
    note = archive_note() if archived else copy_note(printed_by, in_force=in_force, status=status)
    try:
        pdf, merge = _pdf(revision, note, as_written=False)
    except (FPDFException, NotImplementedError, ValueError) as exc:
        # A stored body fpdf2 cannot lay out must still print (never a 500 for the
        # approved revision): as written, after a note; the cause goes to the log.
        log.warning("%s: body printed as written: %s", revision, exc)
        pdf, merge = _pdf(revision, note, as_written=True)
    # The pages of the revision's PDF originals are drawn under the header and footer
    # of the pages reserved for them (documents/originals.py).
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
