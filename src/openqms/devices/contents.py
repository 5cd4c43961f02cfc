"""What a family's medical device file holds now (ISO 13485 4.2.3), read in four queries:
its sections, the documents in each with the revision in force, the sections marked not
applicable, and how complete it is (a section counts when it has a document in force or
a justified "not applicable").

An entry whose document the viewer may not open (documents.access.visible_documents: a
draft is seen only by its author, reviewers and QA) still counts towards completeness,
but is shown as "a document you cannot open", without its number or title."""

from __future__ import annotations

from dataclasses import dataclass, field

from openqms.core.models import User
from openqms.devices.models import FileEntry, FileSection, FileSectionMark
from openqms.documents.access import visible_documents
from openqms.documents.models import Revision, RevisionState
from openqms.qms.models import DeviceFamily

HIDDEN = "A document you cannot open"


@dataclass
class Filed:
    entry: FileEntry
    revision: Revision | None  # the revision in force, if any
    openable: bool = True  # may the viewer open the document?

    @property
    def in_force(self) -> bool:
        return self.revision is not None

    @property
    def number(self) -> str | None:
        return self.entry.document.number if self.openable else None

    @property
    def title(self) -> str:
        return self.entry.document.title if self.openable else HIDDEN


@dataclass
class SectionView:
    section: FileSection
    filed: list[Filed] = field(default_factory=list)
    mark: FileSectionMark | None = None

    @property
    def complete(self) -> bool:
        return self.mark is not None or any(f.in_force for f in self.filed)


@dataclass
class FileView:
    family: DeviceFamily
    sections: list[SectionView]

    @property
    def done(self) -> int:
        return sum(s.complete for s in self.sections)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.sections)) if self.sections else 100


def file_of(family: DeviceFamily, user: User | None = None) -> FileView:
    """The file as `user` sees it; with no user (the retention archive, made by the
    system), every entry is shown."""
    views = {s.pk: SectionView(s) for s in FileSection.objects.order_by("order", "code")}
    entries = list(
        FileEntry.objects.filter(family=family, removed_at=None)
        .select_related("document", "added_by")
        .order_by("document__number")
    )
    in_force = {
        r.document_id: r
        for r in Revision.objects.filter(
            document_id__in={e.document_id for e in entries}, state=RevisionState.EFFECTIVE
        )
    }
    ids = {e.document_id for e in entries}
    if user is not None and ids:
        ids = set(visible_documents(user).filter(pk__in=ids).values_list("pk", flat=True))
    for entry in entries:
        if entry.section_id in views:
            filed = Filed(entry, in_force.get(entry.document_id), entry.document_id in ids)
            views[entry.section_id].filed.append(filed)
    for mark in FileSectionMark.objects.filter(family=family, removed_at=None):
        if mark.section_id in views:
            views[mark.section_id].mark = mark
    return FileView(family, list(views.values()))
