"""The medical device file exported (ISO 13485 4.2.3): one PDF (an index of the sections
and their documents with revision and state, then each document's controlled PDF from
documents.pdf.render_revision), or a ZIP of the controlled copies with the index.

The ZIP is written one document at a time into a temporary file that spills to disk
past a few megabytes; the single PDF is merged in memory (one family's documents, not the
whole QMS) and written to such a file. Both are then streamed."""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import IO

from pypdf import PdfWriter

from openqms.core.models import User
from openqms.core.pdf import ControlledPDF, archive_note, generated_note
from openqms.devices.contents import FileView, file_of
from openqms.documents.pdf import render_revision
from openqms.qms.models import DeviceFamily

SPOOL = 8 * 1024 * 1024


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)


def index_pdf(view: FileView, note: str) -> bytes:
    family = view.family
    pdf = ControlledPDF(
        title=f"Medical device file {family.code}  {family.name}",
        subtitle=f"Index · {view.done} of {len(view.sections)} sections complete",
        note=note,
    )
    pdf.describe(
        title=f"Medical device file {family.code}",
        subject=f"{family.code} {family.name}: index",
        author="OpenQMS",
    )
    pdf.add_page()
    for s in view.sections:
        pdf.section(
            f"{s.section.title} ({s.section.clause})" if s.section.clause else s.section.title
        )
        if s.mark is not None:
            pdf.multi_cell(
                0, 5, f"Not applicable: {s.mark.justification}", new_x="LMARGIN", new_y="NEXT"
            )
            continue
        rows: list[Sequence[str]] = [
            (
                f.entry.document.number if f.openable else "—",
                f.entry.document.title if f.openable else "A document you cannot open",
                f.revision.label if f.revision else "—",
                "in force" if f.revision else "no revision in force (not included)",
            )
            for f in s.filed
        ]
        pdf.grid([30, 80, 20, 44], ["Number", "Title", "Revision", "State"], rows)
    return bytes(pdf.output())


def _spooled() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL)


def export_pdf(family: DeviceFamily, user: User) -> IO[bytes]:
    """The index, then each document in force, in section order (seeked to the start).
    The index names only documents the person exporting may open (a draft filed early
    stays with those who may read it)."""
    view = file_of(family, user)
    writer = PdfWriter()
    writer.append(_bytes_reader(index_pdf(view, generated_note(user))))
    for s in view.sections:
        for f in s.filed:
            if f.revision is not None:
                writer.append(_bytes_reader(render_revision(f.revision, printed_by=user)))
    out = _spooled()
    writer.write(out)
    out.seek(0)
    return out


def export_zip(family: DeviceFamily, user: User) -> IO[bytes]:
    """index.pdf, then <section>/<number>-rev-<label>.pdf for each document in force."""
    view = file_of(family, user)
    out = _spooled()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.pdf", index_pdf(view, generated_note(user)))
        for order, s in enumerate(view.sections, start=1):
            for f in s.filed:
                if f.revision is None:
                    continue
                number = _name(f.entry.document.number)
                name = f"{order:02d}-{s.section.code}/{number}-rev-{_name(f.revision.label)}.pdf"
                archive.writestr(name, render_revision(f.revision, printed_by=user))
    out.seek(0)
    return out


def _bytes_reader(data: bytes) -> IO[bytes]:
    stream = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115
    stream.write(data)
    stream.seek(0)
    return stream


def _index_rendering(family: DeviceFamily) -> bytes:
    return index_pdf(file_of(family), archive_note())


def archive_renderings() -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Each family's file index for `openqms archive export` (the documents themselves
    are rendered by document control)."""
    for family in DeviceFamily.objects.order_by("pk").iterator(chunk_size=200):
        yield f"devices/files/{_name(family.code)}-index.pdf", partial(_index_rendering, family)
