"""`openqms archive import` loads only into an empty instance: one that holds users or
events is refused with nothing written, whatever the archive."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from openqms.core.models import Signature, StoredFile, User
from openqms.testing import event_count
from tests.core.archive_records import make_records


def test_import_into_an_instance_with_records_is_refused_and_writes_nothing(cast, tmp_path):
    make_records(cast)
    archive = tmp_path / "archive.zip"
    call_command("archive", "export", str(archive), "--quiet")
    before = (event_count(), User.objects.count(), Signature.objects.count())
    stored = StoredFile.objects.count()

    with pytest.raises(CommandError, match="holds records"):
        call_command("archive", "import", str(archive), "--quiet")

    assert (event_count(), User.objects.count(), Signature.objects.count()) == before
    assert StoredFile.objects.count() == stored
