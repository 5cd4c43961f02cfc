"""The text of PDF and Word originals, for search: the column, and the text of originals
attached before this migration, read from the file store. The full-text index on it
(FTS5 with sync triggers on SQLite, a generated tsvector with GIN on PostgreSQL) is
created by documents.search's post-migrate hook, which runs after every `migrate` and
builds the index over the text read here.

Review finding 8: a migration is history and must not change when the application does,
so it imports no OpenQMS code: the reading below is a frozen copy of what
documents/originals.py did at this release, with its limits (a Word file whose parts
would unpack too large, or a PDF of more than 500 pages, is left unread, as the live
code refuses them at attach).
"""

import io
import logging
import re
import zipfile

from django.core.files.storage import default_storage
from django.db import migrations, models

log = logging.getLogger(__name__)

TEXT_LIMIT = 150_000
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
DOCX_TEXT_LIMIT = 25 * (1 << 20)
DOCX_TOTAL_LIMIT = 200 * (1 << 20)
DOCX_RATIO_LIMIT = 200
DOCX_RATIO_FROM = 2 * (1 << 20)
DOCX_MEMBERS_LIMIT = 5_000
PDF_PAGE_LIMIT = 500


def _kind(name: str, head: bytes) -> str:
    lower = name.lower()
    if lower.endswith(".pdf") and head.startswith(b"%PDF-"):
        return "pdf"
    if lower.endswith(".docx") and head.startswith(b"PK"):
        return "docx"
    return ""


def _docx_too_large(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = z.infolist()
    text = sum(m.file_size for m in members if not m.filename.startswith("word/media/"))
    return (
        len(members) > DOCX_MEMBERS_LIMIT
        or sum(m.file_size for m in members) > DOCX_TOTAL_LIMIT
        or text > DOCX_TEXT_LIMIT
        or any(
            m.file_size > DOCX_RATIO_FROM
            and m.file_size > DOCX_RATIO_LIMIT * max(m.compress_size, 1)
            for m in members
        )
    )


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    if len(reader.pages) > PDF_PAGE_LIMIT:
        return ""
    parts, size = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= TEXT_LIMIT:
            break
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    import mammoth

    if _docx_too_large(data):
        return ""
    return mammoth.extract_raw_text(io.BytesIO(data)).value


def text_of(name: str, data: bytes) -> str:
    try:
        match _kind(name, data[:5]):
            case "pdf":
                text = _pdf_text(data)
            case "docx":
                text = _docx_text(data)
            case _:
                return ""
    except Exception as error:  # a damaged or unusual file: kept, just not searchable
        log.warning("No text read from original %r: %s", name, error)
        return ""
    text = UNSTORABLE.sub(" ", text)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()[:TEXT_LIMIT]


def read_existing(apps, schema_editor):
    Attachment = apps.get_model("documents", "Attachment")
    attachments = Attachment.objects.using(schema_editor.connection.alias).select_related(
        "stored_file"
    )
    for attachment in attachments.order_by("pk").iterator(chunk_size=200):
        path = f"sha256/{attachment.stored_file.sha256[:2]}/{attachment.stored_file.sha256}"
        if not attachment.name.lower().endswith((".pdf", ".docx")):
            continue  # not a PDF or Word file by its name: its bytes are not even read
        if not default_storage.exists(path):
            continue  # its bytes are missing (`openqms files verify`)
        with default_storage.open(path, "rb") as data:
            attachment.text = text_of(attachment.name, data.read())
        if attachment.text:
            attachment.save(update_fields=["text"])


def uninstall(apps, schema_editor):
    """The originals' index goes before their text column (frozen SQL)."""
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor != "sqlite":
            cursor.execute("DROP INDEX IF EXISTS documents_attachment_search")
            cursor.execute("ALTER TABLE documents_attachment DROP COLUMN IF EXISTS search_vector")
            return
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS documents_attachment_fts_{event}")
        cursor.execute("DROP TABLE IF EXISTS documents_attachment_fts")


class Migration(migrations.Migration):
    dependencies = [("documents", "0014_reviewer_cannot_approve")]
    operations = [
        migrations.AddField(
            model_name="attachment",
            name="text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(read_existing, uninstall),
    ]
