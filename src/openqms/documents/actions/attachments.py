"""Original files kept with a draft revision, in the content-addressed file store."""

from __future__ import annotations

from typing import IO

from django.utils import timezone

from openqms.core import audit, files
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.documents import originals
from openqms.documents.models import Attachment, Revision, RevisionState
from openqms.documents.registry import EDIT

S = RevisionState


def _draft_of_author(actor: User, revision: Revision, *, lock: bool = True) -> Revision:
    revisions = Revision.objects.select_for_update() if lock else Revision.objects
    revision = revisions.get(pk=revision.pk)
    if revision.state != S.DRAFT:
        raise TransitionNotAllowed("Files can be attached to or removed from a draft only.")
    if revision.author_id != actor.pk:
        raise TransitionNotAllowed("Only the author changes their draft.")
    return revision


def attach_file(*, actor: User, revision: Revision, name: str, content: IO[bytes]) -> Attachment:
    """Keep a file with a draft (stored once, by its SHA-256)."""
    require(actor, EDIT)
    name = files.check_name(name)
    _draft_of_author(actor, revision, lock=False)  # refuse before storing anything
    stored = files.store(content)  # outside the transaction: it may be large
    text = originals.text_of_stored(name, stored)  # for search; reading a PDF takes time
    with audit.writing():
        revision = _draft_of_author(actor, revision)
        if revision.attachments.filter(name=name).exists():
            raise InvalidInput(
                f"The draft already has a file called “{name}”.", fields={"file": "Name taken."}
            )
        attachment = Attachment.objects.create(
            revision=revision,
            stored_file=stored,
            name=name,
            attached_at=timezone.now(),
            attached_by=actor,
            text=text,
        )
        audit.record(
            actor=actor,
            action="documents.attachment.added",
            obj=revision,
            changes={"attachment": [None, name], "sha256": stored.sha256, "size": stored.size},
        )
    return attachment


@audit.writing()
def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    require(actor, EDIT)
    revision = _draft_of_author(actor, attachment.revision)
    attachment = revision.attachments.select_related("stored_file").get(pk=attachment.pk)
    audit.record(
        actor=actor,
        action="documents.attachment.removed",
        obj=revision,
        changes={"attachment": [attachment.name, None], "sha256": attachment.stored_file.sha256},
    )
    attachment.delete()  # a draft's file, before anyone signed it; the event keeps its hash


def replace_attachment(*, actor: User, attachment: Attachment, content: IO[bytes]) -> Attachment:
    """A new file under the same name (e.g. a form carried forward from the previous
    revision, now changed); the event keeps both SHA-256s, the redline shows it replaced."""
    require(actor, EDIT)
    _draft_of_author(actor, attachment.revision, lock=False)  # refuse before storing anything
    stored = files.store(content)  # outside the transaction: it may be large
    text = originals.text_of_stored(attachment.name, stored)  # for search, as attach_file
    with audit.writing():
        revision = _draft_of_author(actor, attachment.revision)
        attachment = revision.attachments.select_related("stored_file").get(pk=attachment.pk)
        before = attachment.stored_file.sha256
        if before == stored.sha256:
            raise InvalidInput(
                f"The new file is the same as “{attachment.name}”; nothing was replaced.",
                fields={"file": "Same content."},
            )
        attachment.stored_file = stored
        attachment.attached_at, attachment.attached_by = timezone.now(), actor
        attachment.text = text
        attachment.save(update_fields=["stored_file", "attached_at", "attached_by", "text"])
        audit.record(
            actor=actor,
            action="documents.attachment.replaced",
            obj=revision,
            changes={
                "attachment": [attachment.name, attachment.name],
                "sha256": stored.sha256,
                "previous_sha256": before,
                "size": stored.size,
            },
        )
    return attachment
